package dev.kiln.abi;

import java.lang.foreign.StructLayout;
import java.util.Locale;

/**
 * KILN_CMD_* of abi/kiln.h, each with its record struct ({@link CommandRecords}): the record's
 * fixed size is that struct's.
 */
public enum CommandKind {
    SPAWN(1, CommandRecords.SPAWN),
    DESPAWN(2, CommandRecords.HEADER_ONLY),
    SET_POSITION(3, CommandRecords.VEC3),
    TRANSLATE(4, CommandRecords.VEC3),
    SET_ROTATION(5, CommandRecords.QUAT),
    ROTATE(6, CommandRecords.QUAT),
    LOOK_AT(7, CommandRecords.LOOK_AT),
    SET_SCALE(8, CommandRecords.VEC3),
    SET_VELOCITY(9, CommandRecords.VEC3),
    ADD_COMPONENT(10, CommandRecords.COMPONENT),
    REMOVE_COMPONENT(11, CommandRecords.COMPONENT),
    ADD_TAG(12, CommandRecords.NAME),
    REMOVE_TAG(13, CommandRecords.NAME),
    SET_VAR(14, CommandRecords.SET_VAR),
    LOG(15, CommandRecords.LOG),
    EMIT_SIGNAL(16, CommandRecords.SIGNAL),
    CONNECT_SIGNAL(17, CommandRecords.NAME),
    DISCONNECT_SIGNAL(18, CommandRecords.NAME),
    ATTACH_SCRIPT(19, CommandRecords.ATTACH),
    DETACH_SCRIPT(20, CommandRecords.NAME),
    /** kiln_cmd_rotation: a rotation with a space and a form (quaternion or Euler YXZ). */
    SET_ROTATION_EX(21, CommandRecords.ROTATION),
    ROTATE_EX(22, CommandRecords.ROTATION),
    /** kiln_cmd_connect: a connection with an id, optionally from one sender only. */
    CONNECT_SIGNAL_EX(23, CommandRecords.CONNECT),
    /** kiln_cmd_connection: drops one connection by id. */
    DISCONNECT_ID(24, CommandRecords.CONNECTION),
    /** kiln_cmd_spawn_at: a SPAWN of a bare entity at a position (logged as "spawn", what the script called). */
    SPAWN_AT(25, CommandRecords.SPAWN_AT, "spawn");

    private static final CommandKind[] BY_CODE = new CommandKind[32];

    static {
        for (CommandKind k : values()) BY_CODE[k.code] = k;
    }

    public final int code;
    /** The record struct (kiln_cmd_*; the header alone for DESPAWN). */
    public final StructLayout record;
    /** Bytes of the fixed part; a record shorter than this is malformed. */
    public final int fixedSize;
    /** "set_position": how the request is named in logs (computed once, not per request). */
    public final String apiName;

    CommandKind(int code, StructLayout record) {
        this(code, record, null);
    }

    CommandKind(int code, StructLayout record, String apiName) {
        this.code = code;
        this.record = record;
        this.fixedSize = (int) record.byteSize();
        this.apiName = apiName != null ? apiName : name().toLowerCase(Locale.ROOT);
    }

    public static CommandKind ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
