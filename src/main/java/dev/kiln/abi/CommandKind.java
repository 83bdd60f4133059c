package dev.kiln.abi;

import java.util.Locale;

/** KILN_CMD_* of abi/kiln.h, with the fixed size of each record kind. */
public enum CommandKind {
    SPAWN(1, 72),
    DESPAWN(2, 16),
    SET_POSITION(3, 32),
    TRANSLATE(4, 32),
    SET_ROTATION(5, 32),
    ROTATE(6, 32),
    LOOK_AT(7, 48),
    SET_SCALE(8, 32),
    SET_VELOCITY(9, 32),
    ADD_COMPONENT(10, 32),
    REMOVE_COMPONENT(11, 32),
    ADD_TAG(12, 32),
    REMOVE_TAG(13, 32),
    SET_VAR(14, 48),
    LOG(15, 24),
    EMIT_SIGNAL(16, 32),
    CONNECT_SIGNAL(17, 32),
    DISCONNECT_SIGNAL(18, 32),
    ATTACH_SCRIPT(19, 32),
    DETACH_SCRIPT(20, 32),
    /** kiln_cmd_rotation: a rotation with a space and a form (quaternion or Euler YXZ). */
    SET_ROTATION_EX(21, 40),
    ROTATE_EX(22, 40),
    /** kiln_cmd_connect: a connection with an id, optionally from one sender only. */
    CONNECT_SIGNAL_EX(23, 48),
    /** kiln_cmd_connection: drops one connection by id. */
    DISCONNECT_ID(24, 32);

    private static final CommandKind[] BY_CODE = new CommandKind[32];

    static {
        for (CommandKind k : values()) BY_CODE[k.code] = k;
    }

    public final int code;
    /** Bytes of the fixed part; a record shorter than this is malformed. */
    public final int fixedSize;
    /** "set_position": how the request is named in logs (computed once, not per request). */
    public final String apiName;

    CommandKind(int code, int fixedSize) {
        this.code = code;
        this.fixedSize = fixedSize;
        this.apiName = name().toLowerCase(Locale.ROOT);
    }

    public static CommandKind ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
