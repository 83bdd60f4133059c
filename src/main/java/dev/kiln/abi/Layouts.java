package dev.kiln.abi;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.sequenceLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * FFM layouts of the structs in abi/kiln.h. The header is the contract; LayoutsTest asserts
 * every size and the offsets the header documents, so these cannot drift silently.
 */
public final class Layouts {
    private Layouts() {}

    public static final int ABI_VERSION = 1;
    public static final int SNAPSHOT_STRUCT_VERSION = 3;
    /** kiln_script_info.snapshot_reads: positions read from kiln_snapshot.positions only. */
    public static final int READS_POSITION_TABLE = 1;
    /** 2: record kinds 21-24 and kiln_cmd_component.field_mask are understood (same layout). */
    public static final int COMMAND_BUFFER_STRUCT_VERSION = 3;
    /**
     * 2: kiln_instance.cmd_quota / cmd_refused / log_dropped and the batch room protocol.
     * 3: kiln_frame.heap (engine-owned container memory).
     */
    public static final int FRAME_STRUCT_VERSION = 6;
    public static final int HEAP_STRUCT_VERSION = 1;
    /** 2: state_type, build_mode, source_commit. 3: state_type_hash. */
    public static final int SCRIPT_INFO_STRUCT_VERSION = 3;

    public static final int NAME_MAX_BYTES = 64;
    public static final int SIGNAL_PAYLOAD_MAX = 256;
    public static final int LOG_MESSAGE_MAX = 1024;
    public static final int COMPONENT_MAX_BYTES = 1024;
    /** KILN_LOG_RESERVE_BYTES: LOG records a hook may append beyond its request quota. */
    public static final int LOG_RESERVE_BYTES = 4096;
    /** KILN_ERR_NEEDS_ROOM: a batch call stopped before an instance the buffer had no room for. */
    public static final int STATUS_NEEDS_ROOM = 13;
    /** KILN_STATUS_STOPPED_FOR_ROOM: the entry such a call stopped before. */
    public static final int STATUS_STOPPED_FOR_ROOM = -2;

    public static final int ROW_ALIVE = 1;
    public static final int INSTANCE_ENABLED = 1;

    static MemoryLayout vec3(String name) {
        return structLayout(JAVA_FLOAT.withName("x"), JAVA_FLOAT.withName("y"), JAVA_FLOAT.withName("z"))
                .withName(name);
    }

    static MemoryLayout quat(String name) {
        return structLayout(JAVA_FLOAT.withName("x"), JAVA_FLOAT.withName("y"), JAVA_FLOAT.withName("z"),
                JAVA_FLOAT.withName("w")).withName(name);
    }

    public static final StructLayout ENTITY_ROW = structLayout(
            JAVA_INT.withName("generation"),
            JAVA_INT.withName("flags"),
            vec3("position"),
            quat("rotation"),
            vec3("scale"),
            vec3("velocity"),
            JAVA_INT.withName("reserved0")).withName("kiln_entity_row");

    public static final StructLayout TAG_BUCKET = structLayout(
            JAVA_LONG.withName("tag_hash"),
            JAVA_INT.withName("first"),
            JAVA_INT.withName("count")).withName("kiln_tag_bucket");

    public static final StructLayout COMPONENT_TABLE = structLayout(
            JAVA_LONG.withName("type_hash"),
            JAVA_INT.withName("row_size"),
            JAVA_INT.withName("row_count"),
            ADDRESS.withName("entity_to_row"),
            ADDRESS.withName("rows")).withName("kiln_component_table");

    public static final StructLayout VAR_ENTRY = structLayout(
            JAVA_LONG.withName("key_hash"),
            JAVA_INT.withName("entity_index"),
            JAVA_INT.withName("type"),
            sequenceLayout(16, ValueLayout.JAVA_BYTE).withName("value")).withName("kiln_var_entry");

    public static final StructLayout SPAWN_RESULT = structLayout(
            JAVA_LONG.withName("request_id"),
            JAVA_LONG.withName("entity")).withName("kiln_spawn_result");

    public static final StructLayout SPATIAL_GRID = structLayout(
            JAVA_FLOAT.withName("cell_size"),
            JAVA_INT.withName("bucket_count"),
            ADDRESS.withName("bucket_start"),
            ADDRESS.withName("bucket_entities"),
            JAVA_INT.withName("entity_count"),
            JAVA_INT.withName("valid")).withName("kiln_spatial_grid");

    public static final StructLayout SNAPSHOT = structLayout(
            JAVA_INT.withName("struct_version"),
            JAVA_INT.withName("struct_size"),
            JAVA_INT.withName("entity_capacity"),
            JAVA_INT.withName("tag_bucket_count"),
            ADDRESS.withName("entities"),
            ADDRESS.withName("tag_buckets"),
            ADDRESS.withName("tag_entities"),
            ADDRESS.withName("component_tables"),
            JAVA_INT.withName("component_table_count"),
            JAVA_INT.withName("var_count"),
            ADDRESS.withName("vars"),
            ADDRESS.withName("spawn_results"),
            JAVA_INT.withName("spawn_result_count"),
            JAVA_INT.withName("reserved0"),
            SPATIAL_GRID.withName("grid"),
            JAVA_INT.withName("grid_wanted"),
            JAVA_INT.withName("reserved1"),
            ADDRESS.withName("live_generations"),
            ADDRESS.withName("positions"),
            sequenceLayout(7, JAVA_LONG).withName("reserved")).withName("kiln_snapshot");

    public static final StructLayout COMMAND_BUFFER = structLayout(
            JAVA_INT.withName("struct_version"),
            JAVA_INT.withName("capacity_bytes"),
            JAVA_INT.withName("used_bytes"),
            JAVA_INT.withName("dropped_count"),
            JAVA_LONG.withName("next_request_id"),
            ADDRESS.withName("data"),
            sequenceLayout(2, JAVA_LONG).withName("reserved")).withName("kiln_command_buffer");

    public static final StructLayout COMMAND_HEADER = structLayout(
            JAVA_SHORT.withName("kind"),
            JAVA_SHORT.withName("size_bytes"),
            JAVA_INT.withName("source_instance"),
            JAVA_LONG.withName("target")).withName("kiln_command_header");

    public static final StructLayout CMD_SPAWN = structLayout(
            COMMAND_HEADER.withName("header"),
            JAVA_LONG.withName("request_id"),
            vec3("position"),
            quat("rotation"),
            vec3("scale"),
            JAVA_SHORT.withName("prefab_name_len"),
            JAVA_SHORT.withName("tags_len"),
            JAVA_INT.withName("reserved0")).withName("kiln_cmd_spawn");

    public static final StructLayout INSTANCE = structLayout(
            JAVA_LONG.withName("entity"),
            ADDRESS.withName("state"),
            JAVA_INT.withName("instance_id"),
            JAVA_INT.withName("flags"),
            JAVA_INT.withName("cmd_offset"),
            JAVA_INT.withName("cmd_bytes"),
            JAVA_INT.withName("status"),
            JAVA_INT.withName("cmd_quota"),
            JAVA_INT.withName("cmd_refused"),
            JAVA_INT.withName("log_dropped")).withName("kiln_instance");

    public static final StructLayout SIGNAL = structLayout(
            JAVA_LONG.withName("name_hash"),
            JAVA_LONG.withName("sender"),
            JAVA_LONG.withName("target"),
            ADDRESS.withName("payload"),
            ADDRESS.withName("name"),
            JAVA_INT.withName("payload_size"),
            JAVA_INT.withName("name_len"),
            sequenceLayout(2, JAVA_LONG).withName("reserved")).withName("kiln_signal");

    public static final StructLayout SIGNAL_DELIVERY = structLayout(
            INSTANCE.withName("instance"),
            SIGNAL.withName("signal")).withName("kiln_signal_delivery");

    /** kiln_signal_entry: one delivery of a compact batch (receiver index, signal index). */
    public static final StructLayout SIGNAL_ENTRY = structLayout(
            JAVA_INT.withName("receiver"),
            JAVA_INT.withName("signal")).withName("kiln_signal_entry");

    /** kiln_signal_outcome: what a compact delivery's hook left behind (only when it left anything). */
    public static final StructLayout SIGNAL_OUTCOME = structLayout(
            JAVA_INT.withName("entry"),
            JAVA_INT.withName("cmd_offset"),
            JAVA_INT.withName("cmd_bytes"),
            JAVA_INT.withName("cmd_refused"),
            JAVA_INT.withName("log_dropped"),
            JAVA_INT.withName("status")).withName("kiln_signal_outcome");

    /** KILN_SIGNAL_BATCH_STRUCT_VERSION. */
    public static final int SIGNAL_BATCH_STRUCT_VERSION = 2;

    /** kiln_lane_delivery: one delivery of a lane batch (kiln_script_signal_lane), the signal whole. */
    public static final StructLayout LANE_DELIVERY = structLayout(
            JAVA_INT.withName("receiver"),
            JAVA_SHORT.withName("name_len"),
            JAVA_SHORT.withName("payload_size"),
            JAVA_LONG.withName("sender"),
            sequenceLayout(8, JAVA_BYTE).withName("bytes")).withName("kiln_lane_delivery");

    /** kiln_signal_batch: one library's deliveries of a dispatch round, compact (abi/kiln.h). */
    public static final StructLayout SIGNAL_BATCH = structLayout(
            JAVA_INT.withName("struct_version"),
            JAVA_INT.withName("struct_size"),
            JAVA_INT.withName("count"),
            JAVA_INT.withName("current"),
            ADDRESS.withName("entries"),
            ADDRESS.withName("receivers"),
            ADDRESS.withName("outcomes"),
            JAVA_INT.withName("outcome_count"),
            JAVA_INT.withName("receiver_count"),
            ADDRESS.withName("name_hash"),
            ADDRESS.withName("sender"),
            ADDRESS.withName("target"),
            ADDRESS.withName("bytes_at"),
            ADDRESS.withName("name_len"),
            ADDRESS.withName("payload_size"),
            ADDRESS.withName("bytes"),
            ADDRESS.withName("deliveries"),
            sequenceLayout(2, JAVA_LONG).withName("reserved")).withName("kiln_signal_batch");

    public static final StructLayout FRAME = structLayout(
            JAVA_INT.withName("abi_version"),
            JAVA_INT.withName("struct_version"),
            JAVA_INT.withName("struct_size"),
            JAVA_INT.withName("phase"),
            JAVA_LONG.withName("frame_index"),
            JAVA_DOUBLE.withName("delta_time"),
            JAVA_DOUBLE.withName("time"),
            ADDRESS.withName("snapshot"),
            ADDRESS.withName("commands"),
            ADDRESS.withName("panic"),
            ADDRESS.withName("heap"),
            JAVA_LONG.withName("seed"),
            ADDRESS.withName("own_transforms"),
            ADDRESS.withName("signal_lane"),
            sequenceLayout(4, JAVA_LONG).withName("reserved")).withName("kiln_frame");

    /** One signal of an update call's signal lane (kiln_lane_signal). */
    public static final StructLayout LANE_SIGNAL = structLayout(
            JAVA_LONG.withName("target"),
            JAVA_LONG.withName("name_hash"),
            JAVA_SHORT.withName("name_len"),
            JAVA_SHORT.withName("payload_size"),
            JAVA_INT.withName("reserved0"),
            sequenceLayout(8, JAVA_BYTE).withName("bytes")).withName("kiln_lane_signal");

    /** One instance's entries of the signal lane (kiln_lane_part). */
    public static final StructLayout LANE_PART = structLayout(
            JAVA_INT.withName("first"),
            JAVA_INT.withName("count")).withName("kiln_lane_part");

    /** kiln_frame.signal_lane (kiln_signal_lane). */
    public static final StructLayout SIGNAL_LANE = structLayout(
            ADDRESS.withName("entries"),
            ADDRESS.withName("parts"),
            JAVA_INT.withName("capacity"),
            JAVA_INT.withName("used"),
            JAVA_LONG.withName("reserved0")).withName("kiln_signal_lane");

    /** KILN_LANE_SIGNAL_QUOTA_BYTES: the request quota a lane entry counts for (its EMIT_SIGNAL record's size). */
    public static final int LANE_SIGNAL_QUOTA_BYTES = 40;
    /** KILN_LANE_SIGNAL_BYTES: name and payload bytes a lane entry holds. */
    public static final int LANE_SIGNAL_BYTES = 8;

    /** An instance's own transform in the update call's column (kiln_own_transform). */
    public static final StructLayout POSITION_ENTRY = structLayout(
            vec3("position"),
            JAVA_INT.withName("generation")).withName("kiln_position_entry");

    public static final StructLayout OWN_TRANSFORM = structLayout(
            vec3("value"),
            JAVA_INT.withName("kind")).withName("kiln_own_transform");

    /** What a State holds for a container (kiln.List, kiln.String). */
    public static final StructLayout HANDLE = structLayout(
            JAVA_INT.withName("id"),
            JAVA_INT.withName("generation")).withName("kiln_handle");

    public static final StructLayout BLOCK = structLayout(
            ADDRESS.withName("data"),
            JAVA_INT.withName("len"),
            JAVA_INT.withName("capacity"),
            JAVA_INT.withName("elem_size"),
            JAVA_INT.withName("owner"),
            JAVA_INT.withName("generation"),
            JAVA_INT.withName("reserved0")).withName("kiln_block");

    public static final StructLayout HEAP = structLayout(
            JAVA_INT.withName("struct_version"),
            JAVA_INT.withName("struct_size"),
            ADDRESS.withName("blocks"),
            JAVA_INT.withName("block_count"),
            JAVA_INT.withName("reserved0"),
            ADDRESS.withName("reserve"),
            ADDRESS.withName("release"),
            ADDRESS.withName("scratch"),
            sequenceLayout(4, JAVA_LONG).withName("reserved")).withName("kiln_heap");

    public static final StructLayout FIELD_INFO = structLayout(
            ADDRESS.withName("name"),
            JAVA_INT.withName("type"),
            JAVA_INT.withName("offset"),
            JAVA_INT.withName("size"),
            JAVA_INT.withName("reserved0")).withName("kiln_field_info");

    public static final StructLayout SCRIPT_INFO = structLayout(
            JAVA_INT.withName("abi_version"),
            JAVA_INT.withName("struct_version"),
            JAVA_INT.withName("struct_size"),
            JAVA_INT.withName("default_phase"),
            ADDRESS.withName("name"),
            ADDRESS.withName("source_hash"),
            JAVA_LONG.withName("build_time_unix"),
            JAVA_INT.withName("state_size"),
            JAVA_INT.withName("state_align"),
            ADDRESS.withName("state_fields"),
            JAVA_INT.withName("state_field_count"),
            JAVA_INT.withName("export_count"),
            ADDRESS.withName("exports"),
            ADDRESS.withName("state_defaults"),
            ADDRESS.withName("state_type"),
            JAVA_INT.withName("build_mode"),
            JAVA_INT.withName("snapshot_reads"),
            ADDRESS.withName("source_commit"),
            JAVA_LONG.withName("state_type_hash"),
            sequenceLayout(2, JAVA_LONG).withName("reserved")).withName("kiln_script_info");

    /** Byte offset of a (possibly nested, dot-separated) field of {@code layout}. */
    public static long offset(StructLayout layout, String path) {
        String[] parts = path.split("\\.");
        MemoryLayout.PathElement[] elements = new MemoryLayout.PathElement[parts.length];
        for (int i = 0; i < parts.length; i++) elements[i] = groupElement(parts[i]);
        return layout.byteOffset(elements);
    }

    // Offsets used on hot paths, resolved once.
    public static final long ROW_GENERATION = offset(ENTITY_ROW, "generation");
    public static final long ROW_FLAGS = offset(ENTITY_ROW, "flags");
    public static final long ROW_POSITION = offset(ENTITY_ROW, "position");
    public static final long ROW_ROTATION = offset(ENTITY_ROW, "rotation");
    public static final long ROW_SCALE = offset(ENTITY_ROW, "scale");
    public static final long ROW_VELOCITY = offset(ENTITY_ROW, "velocity");

    public static final long INSTANCE_ENTITY = offset(INSTANCE, "entity");
    public static final long INSTANCE_STATE = offset(INSTANCE, "state");
    public static final long INSTANCE_ID = offset(INSTANCE, "instance_id");
    public static final long INSTANCE_FLAGS = offset(INSTANCE, "flags");
    public static final long INSTANCE_CMD_OFFSET = offset(INSTANCE, "cmd_offset");
    public static final long INSTANCE_CMD_BYTES = offset(INSTANCE, "cmd_bytes");
    public static final long INSTANCE_STATUS = offset(INSTANCE, "status");
    public static final long INSTANCE_CMD_QUOTA = offset(INSTANCE, "cmd_quota");
    public static final long INSTANCE_CMD_REFUSED = offset(INSTANCE, "cmd_refused");
    public static final long INSTANCE_LOG_DROPPED = offset(INSTANCE, "log_dropped");

    public static final long BUFFER_USED = offset(COMMAND_BUFFER, "used_bytes");
    public static final long BUFFER_DROPPED = offset(COMMAND_BUFFER, "dropped_count");
    public static final long BUFFER_CAPACITY = offset(COMMAND_BUFFER, "capacity_bytes");
    public static final long BUFFER_DATA = offset(COMMAND_BUFFER, "data");
}
