package dev.kiln.abi;

import static java.lang.foreign.MemoryLayout.sequenceLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.StructLayout;

/**
 * The command records of abi/kiln.h (kiln_cmd_*), one layout per record struct, and the field
 * offsets the decoder reads, each taken from its layout by name. {@link CommandKind} names the
 * layout of each kind; AbiMirrorTest checks every layout here, field by field, against the
 * header as the C compiler lays it out, and LayoutsTest that each kind uses the struct the
 * header documents for it. So a record changed in kiln.h fails the build with the field named,
 * instead of the decoder reading a stale offset.
 */
public final class CommandRecords {
    private CommandRecords() {}

    /** A record with no payload (DESPAWN): the header alone. */
    public static final StructLayout HEADER_ONLY = Layouts.COMMAND_HEADER;

    public static final StructLayout VEC3 = structLayout(
            Layouts.COMMAND_HEADER.withName("header"),
            Layouts.vec3("value"),
            JAVA_INT.withName("reserved0")).withName("kiln_cmd_vec3");

    public static final StructLayout QUAT = structLayout(
            Layouts.COMMAND_HEADER.withName("header"),
            Layouts.quat("value")).withName("kiln_cmd_quat");

    public static final StructLayout ROTATION = structLayout(
            Layouts.COMMAND_HEADER.withName("header"),
            Layouts.quat("value"),
            JAVA_INT.withName("space"),
            JAVA_INT.withName("form")).withName("kiln_cmd_rotation");

    public static final StructLayout LOOK_AT = structLayout(
            Layouts.COMMAND_HEADER.withName("header"),
            Layouts.vec3("point"),
            Layouts.vec3("up"),
            JAVA_LONG.withName("reserved0")).withName("kiln_cmd_look_at");

    public static final StructLayout SPAWN = Layouts.CMD_SPAWN;

    /** SPAWN_AT: a bare entity at a position, default rotation and scale (40 bytes). */
    public static final StructLayout SPAWN_AT = structLayout(
            Layouts.COMMAND_HEADER.withName("header"),
            JAVA_LONG.withName("request_id"),
            Layouts.vec3("position"),
            JAVA_INT.withName("reserved0")).withName("kiln_cmd_spawn_at");

    public static final StructLayout COMPONENT = structLayout(
            Layouts.COMMAND_HEADER.withName("header"),
            JAVA_LONG.withName("type_hash"),
            JAVA_INT.withName("size"),
            JAVA_INT.withName("field_mask")).withName("kiln_cmd_component");

    public static final StructLayout NAME = structLayout(
            Layouts.COMMAND_HEADER.withName("header"),
            JAVA_LONG.withName("name_hash"),
            JAVA_INT.withName("name_len"),
            JAVA_INT.withName("reserved0")).withName("kiln_cmd_name");

    public static final StructLayout SET_VAR = structLayout(
            Layouts.COMMAND_HEADER.withName("header"),
            JAVA_LONG.withName("key_hash"),
            JAVA_INT.withName("type"),
            JAVA_INT.withName("key_len"),
            sequenceLayout(16, JAVA_BYTE).withName("value")).withName("kiln_cmd_set_var");

    public static final StructLayout LOG = structLayout(
            Layouts.COMMAND_HEADER.withName("header"),
            JAVA_INT.withName("level"),
            JAVA_INT.withName("length")).withName("kiln_cmd_log");

    public static final StructLayout SIGNAL = structLayout(
            Layouts.COMMAND_HEADER.withName("header"),
            JAVA_LONG.withName("name_hash"),
            JAVA_SHORT.withName("name_len"),
            JAVA_SHORT.withName("payload_size"),
            JAVA_INT.withName("reserved0")).withName("kiln_cmd_signal");

    public static final StructLayout CONNECT = structLayout(
            Layouts.COMMAND_HEADER.withName("header"),
            JAVA_LONG.withName("name_hash"),
            JAVA_LONG.withName("sender"),
            JAVA_LONG.withName("connection_id"),
            JAVA_INT.withName("name_len"),
            JAVA_INT.withName("reserved0")).withName("kiln_cmd_connect");

    public static final StructLayout CONNECTION = structLayout(
            Layouts.COMMAND_HEADER.withName("header"),
            JAVA_LONG.withName("connection_id"),
            JAVA_LONG.withName("reserved0")).withName("kiln_cmd_connection");

    public static final StructLayout ATTACH = structLayout(
            Layouts.COMMAND_HEADER.withName("header"),
            JAVA_INT.withName("priority"),
            JAVA_INT.withName("phase"),
            JAVA_INT.withName("name_len"),
            JAVA_INT.withName("reserved0")).withName("kiln_cmd_attach");

    /** Every record struct, by its C name (for the mirror tests). */
    public static final StructLayout[] ALL = {
        VEC3, QUAT, ROTATION, LOOK_AT, SPAWN, SPAWN_AT, COMPONENT, NAME, SET_VAR, LOG, SIGNAL, CONNECT, CONNECTION, ATTACH,
    };

    // ---- the offsets the decoder reads (bytes from the record's start) ----------------------
    static final long HEADER_KIND = Layouts.offset(Layouts.COMMAND_HEADER, "kind");
    static final long HEADER_SIZE = Layouts.offset(Layouts.COMMAND_HEADER, "size_bytes");
    static final long HEADER_SOURCE = Layouts.offset(Layouts.COMMAND_HEADER, "source_instance");
    static final long HEADER_TARGET = Layouts.offset(Layouts.COMMAND_HEADER, "target");
    static final long HEADER_BYTES = Layouts.COMMAND_HEADER.byteSize();

    static final long VEC3_VALUE = Layouts.offset(VEC3, "value");
    static final long QUAT_VALUE = Layouts.offset(QUAT, "value");
    static final long ROTATION_VALUE = Layouts.offset(ROTATION, "value");
    static final long ROTATION_SPACE = Layouts.offset(ROTATION, "space");
    static final long ROTATION_FORM = Layouts.offset(ROTATION, "form");
    static final long LOOK_AT_POINT = Layouts.offset(LOOK_AT, "point");
    static final long LOOK_AT_UP = Layouts.offset(LOOK_AT, "up");

    static final long SPAWN_REQUEST_ID = Layouts.offset(SPAWN, "request_id");
    static final long SPAWN_POSITION = Layouts.offset(SPAWN, "position");
    static final long SPAWN_ROTATION = Layouts.offset(SPAWN, "rotation");
    static final long SPAWN_SCALE = Layouts.offset(SPAWN, "scale");
    static final long SPAWN_PREFAB_LEN = Layouts.offset(SPAWN, "prefab_name_len");
    static final long SPAWN_TAGS_LEN = Layouts.offset(SPAWN, "tags_len");
    static final long SPAWN_AT_REQUEST_ID = Layouts.offset(SPAWN_AT, "request_id");
    static final long SPAWN_AT_POSITION = Layouts.offset(SPAWN_AT, "position");

    static final long COMPONENT_TYPE_HASH = Layouts.offset(COMPONENT, "type_hash");
    static final long COMPONENT_SIZE = Layouts.offset(COMPONENT, "size");
    static final long COMPONENT_FIELD_MASK = Layouts.offset(COMPONENT, "field_mask");

    static final long NAME_LEN = Layouts.offset(NAME, "name_len");

    static final long SET_VAR_TYPE = Layouts.offset(SET_VAR, "type");
    static final long SET_VAR_KEY_LEN = Layouts.offset(SET_VAR, "key_len");
    static final long SET_VAR_VALUE = Layouts.offset(SET_VAR, "value");

    static final long LOG_LEVEL = Layouts.offset(LOG, "level");
    static final long LOG_LENGTH = Layouts.offset(LOG, "length");

    static final long SIGNAL_NAME_HASH = Layouts.offset(SIGNAL, "name_hash");
    static final long SIGNAL_NAME_LEN = Layouts.offset(SIGNAL, "name_len");
    static final long SIGNAL_PAYLOAD_SIZE = Layouts.offset(SIGNAL, "payload_size");

    static final long CONNECT_NAME_HASH = Layouts.offset(CONNECT, "name_hash");
    static final long CONNECT_SENDER = Layouts.offset(CONNECT, "sender");
    static final long CONNECT_ID = Layouts.offset(CONNECT, "connection_id");
    static final long CONNECT_NAME_LEN = Layouts.offset(CONNECT, "name_len");

    static final long CONNECTION_ID = Layouts.offset(CONNECTION, "connection_id");

    static final long ATTACH_PRIORITY = Layouts.offset(ATTACH, "priority");
    static final long ATTACH_PHASE = Layouts.offset(ATTACH, "phase");
    static final long ATTACH_NAME_LEN = Layouts.offset(ATTACH, "name_len");
}
