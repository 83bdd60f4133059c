/*
 * kiln.h — the C ABI between the Kiln engine (Java, FFM) and native gameplay scripts.
 *
 * This header is the contract and the one source of its layouts. The Zig SDK (zig/sdk/abi.zig)
 * and the Java bindings (dev.kiln.abi.Layouts) mirror it; AbiMirrorTest compiles this header,
 * asks the C compiler where every field of every struct lies, and fails naming the struct and
 * field when either mirror differs in a field's name, order, offset or size. Change it only by addition: new fields go into reserved space and bump the
 * struct's `struct_version`; an incompatible change bumps KILN_ABI_VERSION. See docs/abi.md.
 *
 * Shape of the boundary (why it looks like this):
 *  - Scripts never mutate the world. Every mutating API call appends a POD *command record*
 *    to a native buffer the engine owns (kiln_command_buffer). The engine applies records at the
 *    barrier after each phase, in canonical order: by instance priority, then attach order (each
 *    instance's records in posting order), whatever order the libraries ran in.
 *  - Reads come from native *snapshot tables* (kiln_snapshot) the engine publishes after every
 *    barrier: entity rows, tags, components, script vars, a spatial grid, spawn results.
 *  - The engine makes one downcall per script library per phase (kiln_script_update) with all
 *    of that library's instances; the loop over instances runs inside the script library.
 *    There are no upcalls into the engine.
 *
 * All structs are little-endian, naturally aligned, with explicit padding ("reserved" fields
 * must be written as zero and ignored when read).
 */
#ifndef KILN_H
#define KILN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ABI version of this header. A library whose kiln_script_info.abi_version differs is refused. */
#define KILN_ABI_VERSION 1u

/* ---------------------------------------------------------------------------------------------
 * Status codes. Every API function returns one; a non-OK status is also logged by the SDK
 * (except KILN_ERR_BUFFER_FULL, which the engine counts and reports once per phase).
 * ------------------------------------------------------------------------------------------- */
typedef int32_t kiln_status;
#define KILN_OK                       0
#define KILN_ERR_STALE_ENTITY         1  /* handle's generation no longer matches (despawned)   */
#define KILN_ERR_INVALID_ARGUMENT     2  /* null pointer, empty name, bad enum value            */
#define KILN_ERR_BUFFER_FULL          3  /* command buffer full this phase: request dropped      */
#define KILN_ERR_NOT_FOUND            4  /* no such component/var/spawn result/signal            */
#define KILN_ERR_BUFFER_TOO_SMALL     5  /* two-step query: *count_out holds the needed count    */
#define KILN_ERR_UNKNOWN_COMPONENT    6  /* component type not registered with the engine        */
#define KILN_ERR_SIZE_MISMATCH        7  /* component size differs from the registered schema    */
#define KILN_ERR_NOT_FINITE           8  /* NaN or infinity in a transform                       */
#define KILN_ERR_TOO_LONG             9  /* name or payload over its named bound                 */
#define KILN_ERR_SCRIPT_FAILED       10  /* the script's own function returned an error          */
#define KILN_ERR_NOT_PENDING         11  /* spawn result asked for a handle that is not pending   */
#define KILN_ERR_FAULT               12  /* the call panicked, crashed or overran its time budget */
#define KILN_ERR_NEEDS_ROOM          13  /* batch call: stopped before an instance the buffer has no
                                            room for; the engine makes room and calls again (below) */
#define KILN_ERR_ALREADY_PRESENT     14  /* at the barrier only: ADD_COMPONENT refused, the entity has
                                            the component and its policy is "keep" (logged)        */
#define KILN_ERR_OUT_OF_MEMORY       15  /* engine-owned memory (kiln_heap): over the instance's
                                            budget, or no engine memory in this frame             */

/* kiln_instance.status while the instance's hook runs: after a contained fault, the instance
 * still marked RUNNING is the one that faulted. */
#define KILN_STATUS_RUNNING          (-1)
/* kiln_instance.status of the instance a batch call stopped before (it did not run; the call
 * returned KILN_ERR_NEEDS_ROOM): the engine resumes the batch from this instance. */
#define KILN_STATUS_STOPPED_FOR_ROOM (-2)

/* ---------------------------------------------------------------------------------------------
 * Entities: 64-bit generational handles.
 *   bits  0..31  index into the entity table
 *   bits 32..63  generation (starts at 1, so 0 is never a live handle)
 * A *pending* handle (generation == KILN_PENDING_GENERATION) names an entity spawned by a
 * request in the current phase; its index is the low 32 bits of the spawn request id. Commands
 * may target it; the engine resolves it when the spawn is applied.
 * ------------------------------------------------------------------------------------------- */
typedef uint64_t kiln_entity;
#define KILN_ENTITY_NULL         ((kiln_entity)0)
#define KILN_PENDING_GENERATION  0xFFFFFFFFu

/* Bounds, named: each is what one record or query may carry. */
#define KILN_NAME_MAX_BYTES        64u   /* tag, var key, signal, prefab, script, component names */
#define KILN_SIGNAL_PAYLOAD_MAX   256u   /* bytes of payload one signal carries                   */
#define KILN_LOG_MESSAGE_MAX     1024u   /* bytes of one log message (longer ones are truncated)  */
#define KILN_COMPONENT_MAX_BYTES 1024u   /* size of one user component                            */
#define KILN_STATE_BLOB_MAX     65536u   /* bytes of one serialized State (author hooks)          */
#define KILN_LOG_RESERVE_BYTES   4096u   /* bytes of LOG records a hook may append beyond its
                                            request quota (kiln_instance.cmd_quota)                */

typedef struct kiln_vec3 { float x, y, z; } kiln_vec3;           /* 12 bytes */
typedef struct kiln_quat { float x, y, z, w; } kiln_quat;        /* 16 bytes, unit quaternion */

typedef enum kiln_phase {
    KILN_PHASE_PRE_UPDATE  = 0,
    KILN_PHASE_UPDATE      = 1,
    KILN_PHASE_POST_UPDATE = 2,
    /* Not a frame phase: the engine runs lifecycle and signal dispatch calls under these. */
    KILN_PHASE_INIT        = 3,
    KILN_PHASE_SHUTDOWN    = 4,
    KILN_PHASE_SIGNAL      = 5,
    KILN_PHASE_UNLOAD      = 6
} kiln_phase;

/* Names (tags, var keys, signals, component types, prefabs) are identified by the 64-bit
 * FNV-1a hash of their UTF-8 bytes; records that create a name also carry its text. */
#define KILN_FNV1A64_OFFSET 0xcbf29ce484222325ull
#define KILN_FNV1A64_PRIME  0x100000001b3ull

/* ---------------------------------------------------------------------------------------------
 * Snapshot tables (engine → script, read-only). Republished after every barrier.
 * ------------------------------------------------------------------------------------------- */

#define KILN_ROW_ALIVE 1u

/* One row per entity index. A handle is live iff rows[index].flags has KILN_ROW_ALIVE and
 * rows[index].generation equals the handle's generation. 64 bytes. */
typedef struct kiln_entity_row {
    uint32_t   generation;  /*  0 */
    uint32_t   flags;       /*  4  KILN_ROW_* */
    kiln_vec3  position;    /*  8 */
    kiln_quat  rotation;    /* 20 */
    kiln_vec3  scale;       /* 36 */
    kiln_vec3  velocity;    /* 48 */
    uint32_t   reserved0;   /* 60 */
} kiln_entity_row;

/* An entity's entry of the snapshot's position table (kiln_snapshot.positions, struct_version
 * >= 3): its position, and its generation while it is alive (0 when it is not: the same as
 * live_generations). A reader of a random entity's position gets its liveness in the same 16
 * bytes: one cache line where the table and live_generations were two. 16 bytes. */
typedef struct kiln_position_entry {
    kiln_vec3 position;    /*  0 */
    uint32_t  generation;  /* 12  while alive; 0: not alive */
} kiln_position_entry;

/* Tag index: buckets sorted by tag_hash; a bucket's entities are
 * tag_entities[first .. first+count], sorted by entity index. 16 bytes. */
typedef struct kiln_tag_bucket {
    uint64_t tag_hash;      /*  0 */
    uint32_t first;         /*  8 */
    uint32_t count;         /* 12 */
} kiln_tag_bucket;

/* One user component type: rows of row_size bytes; entity_to_row[entity index] is the row or
 * -1 when the entity lacks the component. 32 bytes. */
typedef struct kiln_component_table {
    uint64_t        type_hash;       /*  0  FNV-1a of the component's registered name */
    uint32_t        row_size;        /*  8 */
    uint32_t        row_count;       /* 12 */
    const int32_t*  entity_to_row;   /* 16  length = kiln_snapshot.entity_capacity */
    const uint8_t*  rows;            /* 24 */
} kiln_component_table;

#define KILN_VAR_F64  1u
#define KILN_VAR_I64  2u
#define KILN_VAR_BOOL 3u
#define KILN_VAR_VEC3 4u

/* A ScriptVars value: shared by all scripts of one entity. 16 bytes. */
typedef union kiln_var_value {
    double    f64;
    int64_t   i64;
    kiln_vec3 vec3;
    uint8_t   bytes[16];
} kiln_var_value;

/* ScriptVars entries sorted by (entity_index, key_hash). 32 bytes. */
typedef struct kiln_var_entry {
    uint64_t       key_hash;       /*  0 */
    uint32_t       entity_index;   /*  8 */
    uint32_t       type;           /* 12  KILN_VAR_* */
    kiln_var_value value;          /* 16 */
} kiln_var_entry;

/* Result of a spawn request applied at a barrier, kept for one frame. Sorted by request_id.
 * 16 bytes. */
typedef struct kiln_spawn_result {
    uint64_t    request_id;  /* 0 */
    kiln_entity entity;      /* 8  KILN_ENTITY_NULL when the spawn failed */
} kiln_spawn_result;

/* Uniform spatial hash over entity positions. An entity at p is in cell (cx,cy,cz) =
 * (kiln_cell_coord(p.x, inverse), kiln_cell_coord(p.y, inverse), kiln_cell_coord(p.z, inverse))
 * with inverse = 1.0f / cell_size in float (below: the engine and the SDK compute exactly this);
 * bucket = kiln_cell_hash(cx,cy,cz) & (bucket_count-1); entity indices of a bucket are
 * bucket_entities[bucket_start[b] .. bucket_start[b+1]]. The engine keeps the grid built only
 * while scripts use it: every query sets kiln_snapshot.grid_wanted; when `valid` is 0 the grid
 * is stale, a query must scan the entity rows instead, and it is rebuilt from the next barrier.
 * 32 bytes. */
typedef struct kiln_spatial_grid {
    float           cell_size;        /*  0 */
    uint32_t        bucket_count;     /*  4  power of two */
    const uint32_t* bucket_start;     /*  8  bucket_count + 1 entries */
    const uint32_t* bucket_entities;  /* 16 */
    uint32_t        entity_count;     /* 24 */
    uint32_t        valid;            /* 28  1: matches the entity rows; 0: stale, scan instead */
} kiln_spatial_grid;

/* A coordinate's cell along one axis: floor(value * inverse_cell) in float, clamped to
 * [-1e9, 1e9] so that no position overflows a cell index (positions are always finite; a NaN
 * product gives 0). Written without libm, so freestanding scripts can use it. */
static inline int32_t kiln_cell_coord(float value, float inverse_cell) {
    float scaled = value * inverse_cell;
    if (scaled != scaled) return 0; /* NaN: no cast of it (undefined in C) */
    if (scaled <= -1.0e9f) return -1000000000;
    if (scaled >= 1.0e9f) return 1000000000;
    int32_t truncated = (int32_t)scaled; /* toward zero; floor is one less below zero */
    return (float)truncated > scaled ? truncated - 1 : truncated;
}

static inline uint32_t kiln_cell_hash(int32_t cx, int32_t cy, int32_t cz) {
    return ((uint32_t)cx * 73856093u) ^ ((uint32_t)cy * 19349663u) ^ ((uint32_t)cz * 83492791u);
}

/* 2 (2026-11-30, by addition): live_generations (it was reserved[0]).
 * 3 (2026-12-01, by addition): positions (it was reserved[0]). */
#define KILN_SNAPSHOT_STRUCT_VERSION 3u

/* Root of all read tables. 192 bytes. */
typedef struct kiln_snapshot {
    uint32_t                    struct_version;        /*   0 */
    uint32_t                    struct_size;           /*   4 */
    uint32_t                    entity_capacity;       /*   8  rows in `entities` (and every per-row table): at least
                                                             one past the last live entity's index; no entity
                                                             at or past it is alive (an isolated library's copy
                                                             ends there, the engine's may go further) */
    uint32_t                    tag_bucket_count;      /*  12 */
    const kiln_entity_row*      entities;              /*  16 */
    const kiln_tag_bucket*      tag_buckets;           /*  24 */
    const kiln_entity*          tag_entities;          /*  32 */
    const kiln_component_table* component_tables;      /*  40 */
    uint32_t                    component_table_count; /*  48 */
    uint32_t                    var_count;             /*  52 */
    const kiln_var_entry*       vars;                  /*  56 */
    const kiln_spawn_result*    spawn_results;         /*  64 */
    uint32_t                    spawn_result_count;    /*  72 */
    uint32_t                    reserved0;             /*  76 */
    kiln_spatial_grid           grid;                  /*  80 */
    /* 112: the one field scripts write: every spatial query sets it to 1, asking the engine to
     * keep the grid built. */
    uint32_t                    grid_wanted;           /* 112 */
    uint32_t                    reserved1;             /* 116 */
    /* 120 (struct_version >= 2): per row, entity_capacity entries: the entity's generation while
     * it is alive, 0 when not (the same facts as entities[i].generation and KILN_ROW_ALIVE). A
     * liveness check of a handle (index, generation) reads these 4 bytes instead of the 64-byte
     * row: 16 rows' checks per cache line (the target check of every request and signal). */
    const uint32_t*             live_generations;      /* 120 */
    /* 128 (struct_version >= 3): per row, entity_capacity entries: entity i's position (the
     * same value as entities[i].position) and its generation while it is alive, 16 bytes per
     * entity instead of the 64-byte row. The engine keeps entities[i].position current only
     * while a loaded library does not declare KILN_READS_POSITION_TABLE
     * (kiln_script_info.snapshot_reads): a barrier that moves many entities then writes this
     * dense table alone, not a 64-byte row line per moved entity. Read positions here. */
    const kiln_position_entry*  positions;             /* 128 */
    uint64_t                    reserved[7];           /* 136 */
} kiln_snapshot;

/* ---------------------------------------------------------------------------------------------
 * Command buffer (script → engine). One per engine; scripts append, the engine drains it at
 * each barrier. Each instance's hook may append at most its request quota
 * (kiln_instance.cmd_quota, frame struct_version >= 2); a request over it is refused with
 * KILN_ERR_BUFFER_FULL and counted in kiln_instance.cmd_refused. A record that does not fit in
 * the buffer itself (only a script that does not check its room, see "Batch calls") is dropped:
 * dropped_count grows and the call returns KILN_ERR_BUFFER_FULL. The engine may grow the buffer
 * between calls (data and capacity_bytes change; offsets stay valid): never keep `data` across
 * calls.
 * ------------------------------------------------------------------------------------------- */

/* 2 (2026-11-30): the engine understands record kinds 21-24 (SET_ROTATION_EX, ROTATE_EX,
 * CONNECT_SIGNAL_EX, DISCONNECT_ID) and kiln_cmd_component.field_mask; the layout is unchanged.
 * A script may check it before posting them (an engine at 1 refuses them as unknown kinds).
 * 3 (2026-11-30): it also understands SPAWN_AT (kiln_cmd_spawn_at); the layout is unchanged. */
#define KILN_COMMAND_BUFFER_STRUCT_VERSION 3u

/* 48 bytes. */
typedef struct kiln_command_buffer {
    uint32_t  struct_version;    /*  0 */
    uint32_t  capacity_bytes;    /*  4 */
    uint32_t  used_bytes;        /*  8  scripts advance it */
    uint32_t  dropped_count;     /* 12  records that did not fit in the buffer this phase */
    uint64_t  next_request_id;   /* 16  scripts take ids for spawn requests from here */
    uint8_t*  data;              /* 24 */
    uint64_t  reserved[2];       /* 32 */
} kiln_command_buffer;

/* Command kinds. */
#define KILN_CMD_SPAWN             1
#define KILN_CMD_DESPAWN           2
#define KILN_CMD_SET_POSITION      3
#define KILN_CMD_TRANSLATE         4
#define KILN_CMD_SET_ROTATION      5
#define KILN_CMD_ROTATE            6
#define KILN_CMD_LOOK_AT           7
#define KILN_CMD_SET_SCALE         8
#define KILN_CMD_SET_VELOCITY      9
#define KILN_CMD_ADD_COMPONENT    10
#define KILN_CMD_REMOVE_COMPONENT 11
#define KILN_CMD_ADD_TAG          12
#define KILN_CMD_REMOVE_TAG       13
#define KILN_CMD_SET_VAR          14
#define KILN_CMD_LOG              15
#define KILN_CMD_EMIT_SIGNAL      16
#define KILN_CMD_CONNECT_SIGNAL   17
#define KILN_CMD_DISCONNECT_SIGNAL 18
#define KILN_CMD_ATTACH_SCRIPT    19
#define KILN_CMD_DETACH_SCRIPT    20
/* Added in ABI 1 (2026-11-30) by addition; an engine older than them refuses them as unknown kinds. */
#define KILN_CMD_SET_ROTATION_EX  21  /* kiln_cmd_rotation: a space and an Euler form             */
#define KILN_CMD_ROTATE_EX        22  /* kiln_cmd_rotation                                        */
#define KILN_CMD_CONNECT_SIGNAL_EX 23 /* kiln_cmd_connect: a connection id, optionally one sender */
#define KILN_CMD_DISCONNECT_ID    24  /* kiln_cmd_connection: drop one connection by its id       */
/* Added in ABI 1 (2026-11-30, command buffer struct_version 3) by addition. */
#define KILN_CMD_SPAWN_AT         25  /* kiln_cmd_spawn_at: a bare entity at a position, 40 bytes */

/* Every record starts with this header; size_bytes covers header + payload and is a multiple
 * of 8 so the next record stays aligned. 16 bytes. */
typedef struct kiln_command_header {
    uint16_t    kind;             /*  0  KILN_CMD_* */
    uint16_t    size_bytes;       /*  2 */
    uint32_t    source_instance;  /*  4  kiln_instance.instance_id of the poster; a record naming
                                           any other instance is refused as malformed */
    kiln_entity target;           /*  8  entity the command acts on (or pending handle) */
} kiln_command_header;

/* SET_POSITION, TRANSLATE, SET_SCALE, SET_VELOCITY. 32 bytes. */
typedef struct kiln_cmd_vec3 {
    kiln_command_header header;
    kiln_vec3           value;
    uint32_t            reserved0;
} kiln_cmd_vec3;

/* SET_ROTATION, ROTATE (rotation is applied after the current one: q' = value * q, i.e. about the
 * world axes, as KILN_SPACE_WORLD below). 32 bytes. */
typedef struct kiln_cmd_quat {
    kiln_command_header header;
    kiln_quat           value;
} kiln_cmd_quat;

/* Spaces of kiln_cmd_rotation. Entities have no parents, so an entity's parent space is the world:
 * SET_ROTATION_EX writes the same rotation in either space (the field is there for hierarchies). */
#define KILN_SPACE_LOCAL 0u   /* ROTATE_EX about the entity's own axes: q' = q * delta            */
#define KILN_SPACE_WORLD 1u   /* ROTATE_EX about the world axes:        q' = delta * q            */
/* Forms of kiln_cmd_rotation.value. */
#define KILN_ROTATION_QUAT      0u  /* value is a quaternion (normalised by the engine)           */
#define KILN_ROTATION_EULER_YXZ 1u  /* value.x = yaw (about Y), value.y = pitch (about X), value.z =
                                       roll (about Z), radians, intrinsic Y then X then Z:
                                       q = qY(yaw) * qX(pitch) * qZ(roll); value.w is reserved (0) */

/* SET_ROTATION_EX, ROTATE_EX: a rotation in a space and a form. An unknown space or form is a
 * malformed record. 40 bytes. */
typedef struct kiln_cmd_rotation {
    kiln_command_header header;  /*  0 */
    kiln_quat           value;   /* 16  KILN_ROTATION_* form */
    uint32_t            space;   /* 32  KILN_SPACE_* */
    uint32_t            form;    /* 36  KILN_ROTATION_* */
} kiln_cmd_rotation;

/* LOOK_AT: rotate so that the entity's forward axis (-Z) points at `point`. 48 bytes. */
typedef struct kiln_cmd_look_at {
    kiln_command_header header;
    kiln_vec3           point;
    kiln_vec3           up;
    uint64_t            reserved0;
} kiln_cmd_look_at;

/* SPAWN: header.target is the pending handle. Followed by prefab_name_len bytes of prefab name
 * (empty: a bare entity) then tags_len bytes of comma-separated tags; padded to 8. 72 bytes. */
typedef struct kiln_cmd_spawn {
    kiln_command_header header;           /*  0 */
    uint64_t            request_id;       /* 16 */
    kiln_vec3           position;         /* 24 */
    kiln_quat           rotation;         /* 36 */
    kiln_vec3           scale;            /* 52 */
    uint16_t            prefab_name_len;  /* 64 */
    uint16_t            tags_len;         /* 66 */
    uint32_t            reserved0;        /* 68 */
} kiln_cmd_spawn;

/* SPAWN_AT: exactly what a SPAWN of a bare entity (no prefab, no tags) at `position` with the
 * identity rotation and scale 1 does, spawn result included, in 40 bytes instead of 72: the
 * common spawn (a bullet, a particle) carries neither the default rotation and scale nor the
 * name lengths. header.target is the pending handle. Posted only to an engine whose
 * kiln_command_buffer.struct_version is at least 3 (an older one refuses it as an unknown
 * kind). 40 bytes. */
typedef struct kiln_cmd_spawn_at {
    kiln_command_header header;           /*  0 */
    uint64_t            request_id;       /* 16 */
    kiln_vec3           position;         /* 24 */
    uint32_t            reserved0;        /* 36 */
} kiln_cmd_spawn_at;

/* ADD_COMPONENT (followed by `size` bytes of data, padded to 8) and REMOVE_COMPONENT (size 0).
 * What ADD_COMPONENT does when the entity already has the component is the component's policy
 * (declared with its schema): "replace" (default) overwrites it, "keep" refuses the request
 * (KILN_ERR_ALREADY_PRESENT, logged), "merge" writes only the fields the request sets:
 * field_mask bit i = field i of the schema in declaration order; 0 = every field. Fields past
 * KILN_COMPONENT_MASK_FIELDS cannot be named: a merge of such a component writes them only with
 * field_mask 0. field_mask was reserved0 (written 0) before 2026-11-30: old records mean "all".
 * 32 bytes. */
#define KILN_COMPONENT_MASK_FIELDS 32u
typedef struct kiln_cmd_component {
    kiln_command_header header;
    uint64_t            type_hash;
    uint32_t            size;
    uint32_t            field_mask;
} kiln_cmd_component;

/* ADD_TAG, REMOVE_TAG, CONNECT_SIGNAL, DISCONNECT_SIGNAL, DETACH_SCRIPT: a name follows,
 * padded to 8. 32 bytes. */
typedef struct kiln_cmd_name {
    kiln_command_header header;
    uint64_t            name_hash;
    uint32_t            name_len;
    uint32_t            reserved0;
} kiln_cmd_name;

/* SET_VAR: the key name follows, padded to 8. 48 bytes. */
typedef struct kiln_cmd_set_var {
    kiln_command_header header;    /*  0 */
    uint64_t            key_hash;  /* 16 */
    uint32_t            type;      /* 24  KILN_VAR_* */
    uint32_t            key_len;   /* 28 */
    kiln_var_value      value;     /* 32 */
} kiln_cmd_set_var;

#define KILN_LOG_INFO  0u
#define KILN_LOG_WARN  1u
#define KILN_LOG_ERROR 2u

/* LOG: the message follows, padded to 8. The engine tags it with the script and entity of
 * header.source_instance. 24 bytes. */
typedef struct kiln_cmd_log {
    kiln_command_header header;
    uint32_t            level;     /* KILN_LOG_* */
    uint32_t            length;
} kiln_cmd_log;

/* EMIT_SIGNAL: header.target is the receiving entity, or KILN_ENTITY_NULL to broadcast to every
 * connected instance. Followed by the name, then payload_size bytes of payload, padded to 8.
 * 32 bytes. */
typedef struct kiln_cmd_signal {
    kiln_command_header header;
    uint64_t            name_hash;
    uint16_t            name_len;
    uint16_t            payload_size;
    uint32_t            reserved0;
} kiln_cmd_signal;

/* CONNECT_SIGNAL_EX: the poster receives signal `name` (following, padded to 8), only from
 * `sender` unless it is KILN_ENTITY_NULL (any sender; a pending handle is refused). The
 * connection's id is not chosen by the engine: it is kiln_connection_id(name_hash, sender), so a
 * script knows it when it posts, without waiting for the barrier, and it stays the same across
 * hot reloads. The engine recomputes it and refuses a record whose connection_id differs.
 * Connecting twice with the same name and sender is one connection. 48 bytes. */
typedef struct kiln_cmd_connect {
    kiln_command_header header;         /*  0  target: the poster's own entity */
    uint64_t            name_hash;      /* 16 */
    kiln_entity         sender;         /* 24  KILN_ENTITY_NULL: any sender */
    uint64_t            connection_id;  /* 32  kiln_connection_id(name_hash, sender) */
    uint32_t            name_len;       /* 40 */
    uint32_t            reserved0;      /* 44 */
} kiln_cmd_connect;

/* DISCONNECT_ID: the poster stops receiving through connection `connection_id` (its other
 * connections, to the same name from other senders, stay). An id it does not hold is logged
 * (not found). DISCONNECT_SIGNAL by name drops every connection to that name. 32 bytes. */
typedef struct kiln_cmd_connection {
    kiln_command_header header;         /*  0 */
    uint64_t            connection_id;  /* 16 */
    uint64_t            reserved0;      /* 24 */
} kiln_cmd_connection;

/* ATTACH_SCRIPT: attach the loaded script library named by the following name to
 * header.target. 32 bytes. */
typedef struct kiln_cmd_attach {
    kiln_command_header header;
    int32_t             priority;   /* lower runs first */
    uint32_t            phase;      /* kiln_phase; 0xFFFFFFFF = the script's default phase */
    uint32_t            name_len;
    uint32_t            reserved0;
} kiln_cmd_attach;

/* ---------------------------------------------------------------------------------------------
 * Calls (engine → script library)
 * ------------------------------------------------------------------------------------------- */

#define KILN_INSTANCE_ENABLED 1u

/* One script instance: a script attached to an entity, with its per-instance State in memory
 * the engine owns (state_size/state_align bytes from kiln_script_info). 48 bytes.
 *
 * The request quota (frame struct_version >= 2; 0 from an older engine: no quota): one hook call
 * may append at most cmd_quota bytes of records other than LOG, and LOG records up to
 * cmd_quota + KILN_LOG_RESERVE_BYTES, counted from cmd_offset. A request over it is refused
 * (KILN_ERR_BUFFER_FULL) and counted in cmd_refused; a log line over it in log_dropped. The
 * engine enforces the same bound on the range it reads (records past it are refused and
 * counted), reports the instance by name with the count, and disables an instance that floods
 * several phases in a row. In a barrier's dispatch rounds an instance's signal deliveries and its
 * shutdown share one quota: a delivery's cmd_quota is then what is left of it once the instance
 * used more than half (at least 8 bytes: then no record fits), and the engine refuses what a
 * range posts past what is left (docs/abi.md, "The request quota and the room protocol"). */
typedef struct kiln_instance {
    kiln_entity entity;          /*  0 */
    void*       state;           /*  8 */
    uint32_t    instance_id;     /* 16  engine id; put in every command as source_instance */
    uint32_t    flags;           /* 20  KILN_INSTANCE_* */
    uint32_t    cmd_offset;      /* 24  out: where this instance's records begin */
    uint32_t    cmd_bytes;       /* 28  out: bytes of records it appended */
    kiln_status status;          /* 32  out: status of its call */
    uint32_t    cmd_quota;       /* 36  in: request quota of one hook call, in record bytes (0: none; an own transform is none of it) */
    uint32_t    cmd_refused;     /* 40  out: requests refused for the quota in its call */
    uint32_t    log_dropped;     /* 44  out: log lines dropped for quota + log reserve */
} kiln_instance;

/* One signal delivered to one instance. 64 bytes + payload pointer targets. */
typedef struct kiln_signal {
    uint64_t       name_hash;     /*  0 */
    kiln_entity    sender;        /*  8 */
    kiln_entity    target;        /* 16  KILN_ENTITY_NULL for a broadcast */
    const uint8_t* payload;       /* 24 */
    const char*    name;          /* 32  not NUL-terminated */
    uint32_t       payload_size;  /* 40 */
    uint32_t       name_len;      /* 44 */
    uint64_t       reserved[2];   /* 48 */
} kiln_signal;

/* A delivery: the receiving instance (outputs filled as for updates) and its signal. 112 bytes. */
typedef struct kiln_signal_delivery {
    kiln_instance instance;
    kiln_signal   signal;
} kiln_signal_delivery;

/* ---------------------------------------------------------------------------------------------
 * Compact signal delivery (2026-11-30, by addition): the optional export kiln_script_signal_batch.
 * A library that exports it gets each dispatch round's signals to it as one kiln_signal_batch
 * instead of kiln_signal_delivery records: the round's signals once, as tables (the engine's
 * signal queue, in place), each receiving instance once (receivers: an array the entries index,
 * which may also hold instances without a delivery in this call), and per delivery 8 bytes
 * (entries: receiver and signal). Its handler loop runs every entry in order inside the one
 * call. What a hook leaves behind (requests, refusals, dropped log lines, a failed status) is
 * reported per delivery in the outcomes list, only for the deliveries that left something, so a
 * batch whose handlers post nothing costs the engine nothing to read back. A library without the
 * export (every C script written before it) gets kiln_signal_delivery records as before; the engine
 * may also use them for a library that has it (isolated mode does).
 * ------------------------------------------------------------------------------------------- */

/* One delivery of a batch. 8 bytes. */
typedef struct kiln_signal_entry {
    uint32_t receiver;  /* 0  index into kiln_signal_batch.receivers */
    uint32_t signal;    /* 4  index into the batch's signal tables (name_hash[signal], ...) */
} kiln_signal_entry;

/* What one delivery's hook left behind, when it left anything: entry's range of requests
 * (cmd_offset, cmd_bytes, as kiln_instance's), its refusal counts, its status. 24 bytes. */
typedef struct kiln_signal_outcome {
    uint32_t    entry;        /*  0  index into this call's entries (ascending in the list) */
    uint32_t    cmd_offset;   /*  4 */
    uint32_t    cmd_bytes;    /*  8 */
    uint32_t    cmd_refused;  /* 12 */
    uint32_t    log_dropped;  /* 16 */
    kiln_status status;       /* 20 */
} kiln_signal_outcome;

/* 1: entries and the signal tables. 2 (2026-12-01, by addition): deliveries (was reserved[0]), for
 * kiln_script_signal_lane. */
#define KILN_SIGNAL_BATCH_STRUCT_VERSION 2u

/* One delivery of a lane batch (kiln_script_signal_lane): a signal routed from the signal lane
 * (kiln_lane_signal), handed to its receiver whole, so the handler loop reads one sequential entry
 * and its receiver, no signal tables. Its target is its receiver's entity (a lane signal is
 * targeted). 24 bytes. */
typedef struct kiln_lane_delivery {
    uint32_t    receiver;      /*  0  index into kiln_signal_batch.receivers */
    uint16_t    name_len;      /*  4 */
    uint16_t    payload_size;  /*  6 */
    kiln_entity sender;        /*  8 */
    uint8_t     bytes[8];      /* 16  the name, then the payload, then zeros */
} kiln_lane_delivery;

/* One library's deliveries of a dispatch round. The engine writes everything but the outputs;
 * the handler loop, for entry i in order: sets `current` to i, runs the hook of receiver
 * receivers[entries[i].receiver] on signal entries[i].signal with that kiln_instance as its
 * instance (kiln_instance_begin / _end as for updates: its outputs are scratch, overwritten by
 * the receiver's next delivery), then, when the hook appended requests (cmd_bytes > 0), refused
 * any, dropped log lines or ended with a status other than KILN_OK, appends a
 * kiln_signal_outcome for i at outcomes[outcome_count++]. The room protocol is the batch calls':
 * when kiln_instance_has_room() is false for entry i's receiver, the loop sets `current` to i and
 * returns KILN_ERR_NEEDS_ROOM without running it; the engine calls again with the entries from i
 * on. After a contained fault `current` names the delivery that faulted. Signal s's name is
 * name_len[s] bytes at bytes + bytes_at[s], its payload the payload_size[s] bytes right after it
 * (not NUL-terminated, valid for the call only). In a call of kiln_script_signal_lane the loop
 * need not write the receivers' outputs at all: after a fault the engine takes the faulting
 * delivery's requests to start where the last outcome before it ends (or at the call's start).
 * Everything the loop writes is checked by the engine as untrusted: an outcome out of order or
 * past `count` is refused and reported. 128 bytes. */
typedef struct kiln_signal_batch {
    uint32_t                 struct_version;  /*   0  KILN_SIGNAL_BATCH_STRUCT_VERSION */
    uint32_t                 struct_size;     /*   4  128 */
    uint32_t                 count;           /*   8  entries of this call */
    uint32_t                 current;         /*  12  out: the entry whose hook runs (or stopped for room) */
    const kiln_signal_entry* entries;         /*  16  count entries, in delivery order */
    kiln_instance*           receivers;       /*  24  each receiving instance once (more may be there); outputs: scratch */
    kiln_signal_outcome*     outcomes;        /*  32  room for count */
    uint32_t                 outcome_count;   /*  40  out: outcomes appended (the engine starts it at 0) */
    uint32_t                 receiver_count;  /*  44 */
    const uint64_t*          name_hash;       /*  48  per signal: FNV-1a 64 of the name */
    const kiln_entity*       sender;          /*  56  per signal: KILN_ENTITY_NULL from the Java host */
    const kiln_entity*       target;          /*  64  per signal: KILN_ENTITY_NULL for a broadcast */
    const int64_t*           bytes_at;        /*  72  per signal: its name's offset in bytes */
    const int32_t*           name_len;        /*  80  per signal */
    const int32_t*           payload_size;    /*  88  per signal */
    const uint8_t*           bytes;           /*  96  names and payloads */
    /* 104, struct_version >= 2: in a call of kiln_script_signal_lane, the count deliveries (entries
     * and the signal tables are then NULL); NULL in a call of kiln_script_signal_batch. */
    const kiln_lane_delivery* deliveries;     /* 104 */
    uint64_t                 reserved[2];     /* 112 */
} kiln_signal_batch;

/* ---------------------------------------------------------------------------------------------
 * Engine-owned memory for reload-safe containers (frame struct_version >= 3).
 *
 * State is copied into the new library on every hot reload, so it cannot hold pointers. A
 * growable container (the SDK's kiln.List / kiln.String) keeps a kiln_handle in State; its
 * elements live in a *block* of memory the engine owns per instance, in an engine library
 * (native/kiln_heap.c), not in the script library: blocks survive reloads, the engine migrates
 * their elements when the element type changes, and frees them when the instance detaches (its
 * entity despawns, or the engine closes). Reads go straight to the block table; growing and
 * freeing go through the function table below (calls into engine native code, not into Java).
 * ------------------------------------------------------------------------------------------- */

/* What a State holds for a container. id 0 = empty (nothing allocated yet): a zeroed or
 * default State is a valid empty container. 8 bytes. */
typedef struct kiln_handle {
    uint32_t id;          /* 0  index into kiln_heap.blocks; 0: none */
    uint32_t generation;  /* 4  must equal blocks[id].generation, else the handle is stale */
} kiln_handle;

/* One block: `len` elements of `elem_size` bytes in use, room for `capacity`. Scripts read it and
 * may write `len` (within capacity) and the elements; everything else is the engine's. 32 bytes. */
typedef struct kiln_block {
    uint8_t* data;         /*  0  capacity * elem_size bytes, 16-byte aligned; NULL when capacity 0 */
    uint32_t len;          /*  8  elements in use */
    uint32_t capacity;     /* 12  elements allocated */
    uint32_t elem_size;    /* 16  bytes per element (> 0) */
    uint32_t owner;        /* 20  kiln_instance.instance_id; 0: a free slot */
    uint32_t generation;   /* 24  changes every time the slot is freed */
    uint32_t reserved0;    /* 28 */
} kiln_block;

typedef struct kiln_heap kiln_heap;

/* Makes handle's block hold at least min_capacity elements of elem_size bytes (growing it
 * geometrically), allocating a block owned by `instance` when handle->id is 0 (and writing the
 * handle). KILN_ERR_OUT_OF_MEMORY: over the instance's budget (counted, nothing changed);
 * KILN_ERR_INVALID_ARGUMENT: a stale handle, another instance's block, or elem_size differing
 * from the block's. May move `data` and `blocks`: re-read both after the call. */
typedef kiln_status (*kiln_heap_reserve_fn)(kiln_heap* heap, uint32_t instance, kiln_handle* handle,
                                            uint32_t elem_size, uint32_t min_capacity);
/* Frees handle's block (its memory returns to the instance's budget) and zeroes the handle. */
typedef kiln_status (*kiln_heap_release_fn)(kiln_heap* heap, uint32_t instance, kiln_handle* handle);
/* Scratch memory for the current call only (the SDK's ctx.frameAllocator()): `size` bytes at
 * `align` (a power of two, at most 4096), or NULL when the call's scratch (KILN_SCRATCH_BYTES)
 * is used up. The engine takes all of it back after every batch call. */
typedef void* (*kiln_heap_scratch_fn)(kiln_heap* heap, uint32_t instance, uint64_t size, uint32_t align);

#define KILN_HEAP_STRUCT_VERSION 1u
/* Scratch bytes one batch call may take with kiln_heap.scratch. */
#define KILN_SCRATCH_BYTES (1u << 20)

/* kiln_frame.heap. The engine's bookkeeping follows these 80 bytes; scripts do not touch it. */
struct kiln_heap {
    uint32_t             struct_version;  /*  0  KILN_HEAP_STRUCT_VERSION */
    uint32_t             struct_size;     /*  4  80 */
    kiln_block*          blocks;          /*  8  block_count entries; entry 0 is never used */
    uint32_t             block_count;     /* 16 */
    uint32_t             reserved0;       /* 20 */
    kiln_heap_reserve_fn reserve;         /* 24 */
    kiln_heap_release_fn release;         /* 32 */
    kiln_heap_scratch_fn scratch;         /* 40 */
    uint64_t             reserved[4];     /* 48 */
};

/* The block a handle names, or NULL when the handle is empty or stale. */
static inline kiln_block* kiln_heap_block(const kiln_heap* heap, kiln_handle handle) {
    if (heap == NULL || handle.id == 0 || handle.id >= heap->block_count) return NULL;
    kiln_block* b = &heap->blocks[handle.id];
    return b->generation == handle.generation && b->owner != 0 ? b : NULL;
}

/* 2: kiln_instance.cmd_quota / cmd_refused / log_dropped and the batch room protocol.
 * 3 (2026-11-30): kiln_frame.heap (was reserved[0]): engine-owned container memory, or NULL.
 * 4 (2026-11-30): kiln_frame.seed (was reserved[0]): the scene's random seed, for deterministic
 *   per-instance random numbers (the SDK's ctx.random()), so a recorded run replays.
 * 5 (2026-11-30): kiln_frame.own_transforms (was reserved[0]): the update call's own-transform
 *   column (below), or NULL.
 * 6 (2026-12-01): kiln_frame.signal_lane (was reserved[0]): the update call's signal lane
 *   (below), or NULL. */
#define KILN_FRAME_STRUCT_VERSION 6u

/* ---------------------------------------------------------------------------------------------
 * Own transforms (frame struct_version 5, by addition). In a kiln_script_update call the engine
 * may offer a column of kiln_own_transform parallel to the call's instances:
 * frame->own_transforms[i] belongs to instances[i] (NULL: not offered; never offered to other
 * hooks; an isolated library gets a copy in its region, copied back after the call). An instance's FIRST request of the hook, when it is a
 * SET_POSITION, TRANSLATE, SET_SCALE or SET_VELOCITY of its own entity, may be written there
 * instead of as a 32-byte record: { value, kind = the KILN_CMD_* }. It is then applied at the
 * barrier exactly as that record at the start of the instance's range would be (the same
 * checks, reports and canonical order). It takes no room in the command buffer and is not
 * counted against cmd_quota (which bounds a hook's record bytes; one own transform per hook at
 * most). A slot is used only while its kind is 0 and the hook has appended no record; the engine hands every slot
 * with kind 0 and clears it when it applies or discards the request (a faulted instance's is
 * discarded with its records). A library that ignores the column posts records as before. Since
 * struct_version 5 every update call gets its kiln_instance entries with cmd_refused and
 * log_dropped at 0 (the engine zeroes what it took at the barrier), so a loop need not reset
 * them per hook.
 * Why: a mover's update is one own-entity request; as a record it costs the buffer's room and
 * quota checks, 32 bytes written and read back, and the record's header and target checked at
 * the barrier (docs/performance.md, "Own transforms"). 16 bytes. */
typedef struct kiln_own_transform {
    kiln_vec3 value;  /*  0 */
    uint32_t  kind;   /* 12  KILN_CMD_SET_POSITION / _TRANSLATE / _SET_SCALE / _SET_VELOCITY; 0: none */
} kiln_own_transform;

/* ---------------------------------------------------------------------------------------------
 * The signal lane (frame struct_version 6, by addition). In a kiln_script_update call the engine
 * may offer a lane (frame->signal_lane; NULL: not offered; never offered to other hooks, nor to an
 * isolated library). While a hook has appended no record yet, a signal to a live entity (not
 * KILN_ENTITY_NULL, not a pending handle) whose name and payload fit in 8 bytes together may be
 * appended to the lane as a kiln_lane_signal instead of an EMIT_SIGNAL record: at
 * entries[used++] while used < capacity, the hook's entries one contiguous run, recorded in
 * parts[i] (i: the instance's index in the call) as { first, count }. The engine hands every part
 * with count 0 and `used` as it left it (a call resumed after a room stop or a fault continues the
 * lane) and reads both only after the call, so a library may write a hook's part and `used` when
 * the hook returns (a hook that faults leaves neither; its entries are discarded), and takes each part at the barrier exactly as the EMIT_SIGNAL records it stands for would
 * be taken at the start of the instance's range: the same checks (a live target, name and payload
 * bounds, the sender being the part's owner, the queue's bounds), reports and posting order
 * (before the instance's records, so its signals keep their order); the receivers are then picked
 * and called as for any signal. Each entry counts KILN_LANE_SIGNAL_QUOTA_BYTES against cmd_quota,
 * with the hook's records (the SDK refuses an entry or record past the sum as it refuses records);
 * the engine counts a part's entries first, refuses and reports (as a flood naming the instance)
 * the entries past the quota, and bounds the range's records by what is left. A faulted or skipped
 * instance's part is discarded with its records. Everything the
 * hook writes here is untrusted: an entry that does not pass is reported (or, for a target that
 * died, dropped) as its record would be.
 * Why: the common signal (a short name and a scalar, to one entity) as an EMIT_SIGNAL record costs
 * a 40-byte record written, read back and copied into the engine's queue (48 bytes) at the
 * barrier; a round whose signals are all lane entries is routed from the lane in place, its
 * receivers given compact deliveries (docs/performance.md, "W4: a signal lane").
 * ------------------------------------------------------------------------------------------- */

/* Bytes of the request quota a lane entry counts for: the 40-byte EMIT_SIGNAL record it stands for. */
#define KILN_LANE_SIGNAL_QUOTA_BYTES 40u
/* Bytes of name and payload a lane entry holds. */
#define KILN_LANE_SIGNAL_BYTES 8u

/* One signal in the lane. 32 bytes. */
typedef struct kiln_lane_signal {
    kiln_entity target;        /*  0  a live entity */
    uint64_t    name_hash;     /*  8  FNV-1a 64 of the name */
    uint16_t    name_len;      /* 16  1..KILN_LANE_SIGNAL_BYTES */
    uint16_t    payload_size;  /* 18  name_len + payload_size <= KILN_LANE_SIGNAL_BYTES */
    uint32_t    reserved0;     /* 20  0 */
    uint8_t     bytes[8];      /* 24  the name, then the payload, then zeros */
} kiln_lane_signal;

/* One instance's entries in the lane: entries [first, first + count). 8 bytes. */
typedef struct kiln_lane_part {
    uint32_t first;  /* 0 */
    uint32_t count;  /* 4  0: none */
} kiln_lane_part;

/* kiln_frame.signal_lane. 32 bytes. */
typedef struct kiln_signal_lane {
    kiln_lane_signal* entries;   /*  0  capacity entries */
    kiln_lane_part*   parts;     /*  8  parallel to the call's instances: parts[i] is instances[i]'s */
    uint32_t          capacity;  /* 16  entries the lane holds */
    uint32_t          used;      /* 20  in/out: entries in use; the next one goes at entries[used] */
    uint64_t          reserved0; /* 24 */
} kiln_signal_lane;

/* Root struct passed to every call. 128 bytes. */
typedef struct kiln_frame {
    uint32_t             abi_version;     /*   0  KILN_ABI_VERSION */
    uint32_t             struct_version;  /*   4 */
    uint32_t             struct_size;     /*   8 */
    uint32_t             phase;           /*  12  kiln_phase */
    uint64_t             frame_index;     /*  16 */
    double               delta_time;      /*  24  seconds */
    double               time;            /*  32  seconds since the scene started */
    const kiln_snapshot* snapshot;        /*  40 */
    kiln_command_buffer* commands;        /*  48 */
    /* 56: the engine's fault hook. A script's panic handler calls it instead of aborting; it
     * does not return (control goes back to the engine, which reports and disables the
     * instance). NULL when the engine runs scripts unguarded. It is the same function for every
     * guarded call of a process, so a library may keep it once for all its threads (the Zig SDK
     * does: no thread-local per call); called on a thread outside a guarded call, it writes the
     * message to stderr and ends the process. */
    void (*panic)(const char* message, size_t length, uintptr_t return_address);
    /* 64, since struct_version 3: engine-owned memory for containers in State (above); NULL when
     * the engine has none (run without its native library). In isolated mode the host process
     * sets it to a kiln_heap of its own. */
    kiln_heap*           heap;            /*  64 */
    /* 72, since struct_version 4: the scene's seed (settings.seed; a fixed default when the scene
     * sets none). The same in every call of a run; a script mixes it with its instance id, the
     * frame index and the phase for random numbers a replay reproduces. */
    uint64_t             seed;            /*  72 */
    /* 80, since struct_version 5: the update call's own-transform column (above), or NULL. */
    kiln_own_transform*  own_transforms;  /*  80 */
    /* 88, since struct_version 6: the update call's signal lane (above), or NULL. */
    kiln_signal_lane*    signal_lane;     /*  88 */
    uint64_t             reserved[4];     /*  96 */
} kiln_frame;

/* Field of a script's State, for the inspector and for state migration by name. 24 bytes. */
#define KILN_FIELD_OTHER  0u
#define KILN_FIELD_BOOL   1u
#define KILN_FIELD_I32    2u
#define KILN_FIELD_U32    3u
#define KILN_FIELD_I64    4u
#define KILN_FIELD_U64    5u
#define KILN_FIELD_F32    6u
#define KILN_FIELD_F64    7u
#define KILN_FIELD_VEC3   8u
#define KILN_FIELD_QUAT   9u
#define KILN_FIELD_ENTITY 10u

typedef struct kiln_field_info {
    const char* name;     /*  0  NUL-terminated */
    uint32_t    type;     /*  8  KILN_FIELD_* */
    uint32_t    offset;   /* 12 */
    uint32_t    size;     /* 16 */
    uint32_t    reserved0;/* 20 */
} kiln_field_info;

/* Version 2 added state_type, build_mode and source_commit; version 3 state_type_hash. */
#define KILN_SCRIPT_INFO_STRUCT_VERSION 3u
/* kiln_script_info.build_mode: the optimize mode a library was built in. */
#define KILN_BUILD_DEBUG         0u
#define KILN_BUILD_RELEASE_SAFE  1u
#define KILN_BUILD_RELEASE_FAST  2u
#define KILN_BUILD_RELEASE_SMALL 3u

/* Longest state_type description the engine reads, in bytes (without the NUL). */
#define KILN_STATE_TYPE_MAX 65536u

/* What kiln_script_metadata() returns: static metadata of the library. 128 bytes. */
typedef struct kiln_script_info {
    uint32_t               abi_version;        /*   0  must equal KILN_ABI_VERSION */
    uint32_t               struct_version;     /*   4 */
    uint32_t               struct_size;        /*   8 */
    uint32_t               default_phase;      /*  12  kiln_phase */
    const char*            name;               /*  16  script name, NUL-terminated */
    const char*            source_hash;        /*  24  hex SHA-256 of the sources, NUL-terminated */
    int64_t                build_time_unix;    /*  32  seconds */
    uint32_t               state_size;         /*  40 */
    uint32_t               state_align;        /*  44 */
    const kiln_field_info* state_fields;       /*  48 */
    uint32_t               state_field_count;  /*  56 */
    uint32_t               export_count;       /*  60 */
    const char* const*     exports;            /*  64  names of the exported kiln_* symbols */
    const void*            state_defaults;     /*  72  state_size bytes: State with its declared
                                                          defaults (state migration, inspector) */
    const char*            state_type;         /*  80  since version 2: the State's full type as
                                                          JSON, NUL-terminated, or NULL (see below) */
    uint32_t               build_mode;         /*  88  since version 2: KILN_BUILD_* */
    uint32_t               snapshot_reads;     /*  92  KILN_READS_*: how the library reads the
                                                          snapshot (0 in libraries built before
                                                          2026-12-01, where it was reserved) */
    const char*            source_commit;      /*  96  since version 2: git commit of the source
                                                          when built ("a1b2c3d", "+dirty"), or NULL */
    uint64_t               state_type_hash;    /* 104  since version 3: FNV-1a 64 of state_type's
                                                          bytes (without the NUL), 1 where that is 0;
                                                          0: not given. The engine refuses a library
                                                          whose state_type does not hash to it. */
    uint64_t               reserved[2];        /* 112 */
} kiln_script_info;

/* kiln_script_info.snapshot_reads: the library reads entity positions from kiln_snapshot.positions
 * (snapshot struct_version >= 3), never from entities[i].position. While every loaded library
 * declares it, the engine leaves the rows' positions as they were (see kiln_snapshot.positions). */
#define KILN_READS_POSITION_TABLE 1u

/* state_type: the State's full type, so hot reload can migrate it by name and type (nested
 * structs field by field, arrays element-wise, enums by tag name, optionals by payload,
 * integers saturating). JSON; every node has "t" (its kind) and "size" (bytes):
 *   {"t":"bool","size":1}
 *   {"t":"int","signed":true,"bits":8,"size":1}           any width; bits <= 8 * size
 *   {"t":"float","bits":32,"size":4}                       16, 32 or 64 bits
 *   {"t":"entity","size":8}                                a kiln_entity handle
 *   {"t":"struct","name":"...","size":8,"fields":[{"name":"hp","offset":0,"type":{...}}, ...]}
 *   {"t":"array","len":4,"size":16,"elem":{...}}          element stride = elem.size
 *   {"t":"enum","name":"...","size":1,"exhaustive":true,"tag":{int node},
 *    "tags":[{"name":"idle","value":0}, ...]}
 *   {"t":"optional","size":8,"flag":4,"payload":{...}}   payload at 0; byte `flag` is 1 when
 *                                                          a value is present, 0 when not;
 *    optional "default":"<hex>": one payload with its      a value migrated into a null default
 *    declared defaults (absent: all zero)                  starts from these bytes
 *   {"t":"opaque","name":"...","size":16}                  carried over only when unchanged
 *   {"t":"list","size":8,"elem":{...},"default":"00ff.."} since frame struct_version 3: a
 *                                                          kiln_handle to elements in engine
 *                                                          memory (kiln_heap); "default" is one
 *                                                          element with its declared defaults, hex
 * The root is the State struct. NULL (or struct_version 1) means: migrate by the flat field
 * table only (each kiln_field_info a scalar of its KILN_FIELD_* kind; KILN_FIELD_OTHER opaque).
 * The Zig SDK generates it; a C script may leave it NULL. */

/* Required exports of a script library. Each batch call loops over `count` instances and
 * returns KILN_OK, or the first failing instance's status (each instance's own status is in
 * kiln_instance.status).
 *
 * Batch calls and room (frame struct_version >= 2): before running an instance's hook, the
 * loop checks kiln_instance_has_room(). When it is false, the loop sets that instance's status
 * to KILN_STATUS_STOPPED_FOR_ROOM and returns KILN_ERR_NEEDS_ROOM at once, without running it
 * or any instance after it. The engine then makes room (it grows the buffer) and calls the same
 * export again with the entries from that instance on. So every instance starts its hook with
 * at least its quota of free buffer, whatever the instances before it posted, and the order of
 * hooks is the same as in one call. A library that never stops still works, but an instance of
 * it may then find the buffer full after a flood by an instance before it in the same call.
 *
 *   const kiln_script_info* kiln_script_metadata(void);
 *   kiln_status kiln_script_init    (const kiln_frame*, kiln_instance*, uint32_t count);
 *   kiln_status kiln_script_update  (const kiln_frame*, kiln_instance*, uint32_t count);
 *   kiln_status kiln_script_shutdown(const kiln_frame*, kiln_instance*, uint32_t count);
 *
 * init receives zeroed state memory and must fill it; shutdown must not keep pointers to it.
 *
 * Optional exports:
 *
 *   kiln_status kiln_script_signal  (const kiln_frame*, kiln_signal_delivery*, uint32_t count);
 *       Signal handlers. Without it, signals sent to the library's instances are dropped.
 *   kiln_status kiln_script_signal_batch(const kiln_frame*, kiln_signal_batch*, uint32_t count);
 *       Signal handlers, compact (since 2026-11-30): one call per library and round over
 *       kiln_signal_batch (count = batch->count, given again so the call has the batch calls'
 *       shape). A library exporting it must export kiln_script_signal too (the engine may use
 *       either; isolated mode uses kiln_script_signal).
 *   kiln_status kiln_script_signal_lane(const kiln_frame*, kiln_signal_batch*, uint32_t count);
 *       Signal handlers for a round routed from the signal lane (since 2026-12-01): as
 *       kiln_script_signal_batch, over batch->deliveries (kiln_lane_delivery) instead of entries
 *       and the signal tables. Only beside kiln_script_signal_batch; without it the engine hands
 *       the same round to kiln_script_signal_batch.
 *   kiln_status kiln_script_health  (void);
 *       Hot reload calls it on a new library before swapping it in; non-OK refuses the swap.
 *   kiln_status kiln_script_migrate (void* new_state, const void* old_state,
 *                                    const kiln_field_info* old_fields, uint32_t old_field_count);
 *       Hot reload calls it once per instance after the engine's own migration by field name
 *       (new_state already holds it), with the old State and the old library's field table, so
 *       the author can carry values across renames or unit changes. Non-OK refuses the swap.
 *   kiln_status kiln_script_serialize  (const void* state, uint8_t* out, uint32_t capacity,
 *                                       uint32_t* length_out);
 *   kiln_status kiln_script_deserialize(void* state, const uint8_t* bytes, uint32_t length);
 *       Author-defined State format for hot reload. When the old library exports serialize
 *       and the new one deserialize, they replace migration by field name: the old State is
 *       written to at most KILN_STATE_BLOB_MAX bytes, the new State (holding its declared
 *       defaults) reads it. Non-OK from either refuses the swap.
 *   kiln_status kiln_script_unload  (const kiln_frame*, kiln_instance*, uint32_t count);
 *       Hot reload calls it on the *old* library, for every instance, once the new version has
 *       been accepted and before the old one is unloaded (phase code KILN_PHASE_UNLOAD): release
 *       what the old code holds. Instances live on in the new version; this is not shutdown.
 *       Runs under the fault guard and the watchdog's budget; a fault there is reported and
 *       does not stop the swap.
 */
typedef const kiln_script_info* (*kiln_script_metadata_fn)(void);
typedef kiln_status (*kiln_script_batch_fn)(const kiln_frame*, kiln_instance*, uint32_t);
typedef kiln_status (*kiln_script_signal_fn)(const kiln_frame*, kiln_signal_delivery*, uint32_t);
typedef kiln_status (*kiln_script_signal_batch_fn)(const kiln_frame*, kiln_signal_batch*, uint32_t);
typedef kiln_status (*kiln_script_signal_lane_fn)(const kiln_frame*, kiln_signal_batch*, uint32_t);
typedef kiln_status (*kiln_script_health_fn)(void);
typedef kiln_status (*kiln_script_migrate_fn)(void*, const void*, const kiln_field_info*, uint32_t);

#define KILN_EXPORT_INFO     "kiln_script_metadata"
#define KILN_EXPORT_INIT     "kiln_script_init"
#define KILN_EXPORT_UPDATE   "kiln_script_update"
#define KILN_EXPORT_SHUTDOWN "kiln_script_shutdown"
#define KILN_EXPORT_SIGNAL   "kiln_script_signal"
#define KILN_EXPORT_SIGNAL_BATCH "kiln_script_signal_batch"
#define KILN_EXPORT_SIGNAL_LANE "kiln_script_signal_lane"
#define KILN_EXPORT_HEALTH   "kiln_script_health"
#define KILN_EXPORT_MIGRATE  "kiln_script_migrate"
#define KILN_EXPORT_UNLOAD   "kiln_script_unload"
#define KILN_EXPORT_SERIALIZE   "kiln_script_serialize"
#define KILN_EXPORT_DESERIALIZE "kiln_script_deserialize"

/* ---------------------------------------------------------------------------------------------
 * Helpers for C scripts (the Zig SDK has its own).
 * ------------------------------------------------------------------------------------------- */

static inline uint64_t kiln_hash_bytes(const char* bytes, size_t len) {
    uint64_t h = KILN_FNV1A64_OFFSET;
    for (size_t i = 0; i < len; i++) { h ^= (uint8_t)bytes[i]; h *= KILN_FNV1A64_PRIME; }
    return h;
}

/* The id of the connection to signal `name_hash` from `sender` (KILN_ENTITY_NULL: any): FNV-1a 64
 * over the 16 little-endian bytes of name_hash then sender; never 0. */
static inline uint64_t kiln_connection_id(uint64_t name_hash, kiln_entity sender) {
    uint64_t h = KILN_FNV1A64_OFFSET;
    for (int i = 0; i < 8; i++) { h ^= (uint8_t)(name_hash >> (8 * i)); h *= KILN_FNV1A64_PRIME; }
    for (int i = 0; i < 8; i++) { h ^= (uint8_t)(sender >> (8 * i)); h *= KILN_FNV1A64_PRIME; }
    return h == 0 ? 1 : h;
}

/* Reserves a record of `payload_extra` bytes beyond `fixed_size` and fills its header. Returns
 * NULL (and counts a drop) when the buffer is full. It knows no instance, so no quota: a hook
 * should use kiln_instance_append below. */
static inline void* kiln_cmd_append(kiln_command_buffer* buf, uint16_t kind, uint32_t source,
                                    kiln_entity target, uint32_t fixed_size, uint32_t extra) {
    uint32_t size = (fixed_size + extra + 7u) & ~7u;
    if (size > 0xFFFFu || buf->used_bytes + size > buf->capacity_bytes) {
        buf->dropped_count++;
        return NULL;
    }
    uint8_t* at = buf->data + buf->used_bytes;
    for (uint32_t i = 0; i < size; i++) at[i] = 0;
    kiln_command_header* h = (kiln_command_header*)at;
    h->kind = kind; h->size_bytes = (uint16_t)size; h->source_instance = source; h->target = target;
    buf->used_bytes += size;
    return at;
}

/* The room protocol and the request quota (frame struct_version >= 2), as the Zig SDK does it:
 *
 *   for (uint32_t i = 0; i < count; i++) {
 *       kiln_instance* inst = &instances[i];
 *       if (!kiln_instance_has_room(frame, inst)) {
 *           inst->status = KILN_STATUS_STOPPED_FOR_ROOM;
 *           return KILN_ERR_NEEDS_ROOM;
 *       }
 *       kiln_instance_begin(frame, inst);
 *       ... kiln_instance_append(frame, inst, KILN_CMD_..., target, sizeof(kiln_cmd_...), extra) ...
 *       kiln_instance_end(frame, inst, status);
 *   }
 */

/* True when the buffer has room for the instance's whole quota and the log reserve. */
static inline int kiln_instance_has_room(const kiln_frame* frame, const kiln_instance* inst) {
    const kiln_command_buffer* buf = frame->commands;
    if (frame->struct_version < 2u || inst->cmd_quota == 0) return 1;
    if (buf->used_bytes > buf->capacity_bytes) return 0;
    return (uint64_t)(buf->capacity_bytes - buf->used_bytes) >= (uint64_t)inst->cmd_quota + KILN_LOG_RESERVE_BYTES;
}

/* Starts an instance's hook: its range begins here, its counts at zero, its status RUNNING. */
static inline void kiln_instance_begin(const kiln_frame* frame, kiln_instance* inst) {
    inst->cmd_offset = frame->commands->used_bytes;
    inst->cmd_bytes = 0;
    inst->status = KILN_STATUS_RUNNING;
    if (frame->struct_version >= 2u) { inst->cmd_refused = 0; inst->log_dropped = 0; }
}

/* Ends an instance's hook: its range and its final status. */
static inline void kiln_instance_end(const kiln_frame* frame, kiln_instance* inst, kiln_status status) {
    inst->cmd_bytes = frame->commands->used_bytes - inst->cmd_offset;
    inst->status = status;
}

/* kiln_cmd_append within the instance's quota: NULL when the record is over it (counted in
 * cmd_refused, or log_dropped for a LOG record), over the buffer (counted in dropped_count), or
 * larger than a record can be (not counted). */
static inline void* kiln_instance_append(const kiln_frame* frame, kiln_instance* inst, uint16_t kind,
                                         kiln_entity target, uint32_t fixed_size, uint32_t extra) {
    kiln_command_buffer* buf = frame->commands;
    uint64_t size = ((uint64_t)fixed_size + extra + 7u) & ~(uint64_t)7u;
    if (size > 0xFFFFu) return NULL;
    uint64_t end = (uint64_t)buf->used_bytes + size;
    if (frame->struct_version >= 2u && inst->cmd_quota != 0) {
        uint64_t limit = (uint64_t)inst->cmd_offset + inst->cmd_quota + (kind == KILN_CMD_LOG ? KILN_LOG_RESERVE_BYTES : 0u);
        if (end > limit) {
            if (kind == KILN_CMD_LOG) inst->log_dropped++; else inst->cmd_refused++;
            return NULL;
        }
    }
    return kiln_cmd_append(buf, kind, inst->instance_id, target, fixed_size, extra);
}

/* Layout checks: the numbers in the comments above are the contract. */
#if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
_Static_assert(sizeof(kiln_entity_row) == 64, "kiln_entity_row");
_Static_assert(sizeof(kiln_tag_bucket) == 16, "kiln_tag_bucket");
_Static_assert(sizeof(kiln_component_table) == 32, "kiln_component_table");
_Static_assert(sizeof(kiln_var_entry) == 32, "kiln_var_entry");
_Static_assert(sizeof(kiln_spawn_result) == 16, "kiln_spawn_result");
_Static_assert(sizeof(kiln_spatial_grid) == 32, "kiln_spatial_grid");
_Static_assert(sizeof(kiln_snapshot) == 192, "kiln_snapshot");
_Static_assert(sizeof(kiln_command_buffer) == 48, "kiln_command_buffer");
_Static_assert(sizeof(kiln_command_header) == 16, "kiln_command_header");
_Static_assert(sizeof(kiln_cmd_vec3) == 32, "kiln_cmd_vec3");
_Static_assert(sizeof(kiln_cmd_quat) == 32, "kiln_cmd_quat");
_Static_assert(sizeof(kiln_cmd_look_at) == 48, "kiln_cmd_look_at");
_Static_assert(sizeof(kiln_cmd_spawn) == 72, "kiln_cmd_spawn");
_Static_assert(sizeof(kiln_cmd_spawn_at) == 40, "kiln_cmd_spawn_at");
_Static_assert(sizeof(kiln_cmd_component) == 32, "kiln_cmd_component");
_Static_assert(sizeof(kiln_cmd_name) == 32, "kiln_cmd_name");
_Static_assert(sizeof(kiln_cmd_set_var) == 48, "kiln_cmd_set_var");
_Static_assert(sizeof(kiln_cmd_log) == 24, "kiln_cmd_log");
_Static_assert(sizeof(kiln_cmd_signal) == 32, "kiln_cmd_signal");
_Static_assert(sizeof(kiln_cmd_attach) == 32, "kiln_cmd_attach");
_Static_assert(sizeof(kiln_cmd_rotation) == 40, "kiln_cmd_rotation");
_Static_assert(sizeof(kiln_cmd_connect) == 48, "kiln_cmd_connect");
_Static_assert(sizeof(kiln_cmd_connection) == 32, "kiln_cmd_connection");
_Static_assert(sizeof(kiln_instance) == 48, "kiln_instance");
_Static_assert(sizeof(kiln_signal) == 64, "kiln_signal");
_Static_assert(sizeof(kiln_signal_delivery) == 112, "kiln_signal_delivery");
_Static_assert(sizeof(kiln_signal_entry) == 8, "kiln_signal_entry");
_Static_assert(sizeof(kiln_signal_outcome) == 24, "kiln_signal_outcome");
_Static_assert(sizeof(kiln_signal_batch) == 128, "kiln_signal_batch");
_Static_assert(offsetof(kiln_signal_batch, deliveries) == 104, "signal_batch.deliveries");
_Static_assert(sizeof(kiln_lane_delivery) == 24, "kiln_lane_delivery");
_Static_assert(sizeof(kiln_frame) == 128, "kiln_frame");
_Static_assert(sizeof(kiln_own_transform) == 16, "kiln_own_transform");
_Static_assert(sizeof(kiln_position_entry) == 16, "kiln_position_entry");
_Static_assert(offsetof(kiln_frame, own_transforms) == 80, "kiln_frame");
_Static_assert(offsetof(kiln_frame, signal_lane) == 88, "frame.signal_lane");
_Static_assert(sizeof(kiln_lane_signal) == 32, "kiln_lane_signal");
_Static_assert(sizeof(kiln_lane_part) == 8, "kiln_lane_part");
_Static_assert(sizeof(kiln_signal_lane) == 32, "kiln_signal_lane");
_Static_assert(offsetof(kiln_frame, heap) == 64, "frame.heap");
_Static_assert(sizeof(kiln_handle) == 8, "kiln_handle");
_Static_assert(sizeof(kiln_block) == 32, "kiln_block");
_Static_assert(sizeof(kiln_heap) == 80, "kiln_heap");
_Static_assert(sizeof(kiln_field_info) == 24, "kiln_field_info");
_Static_assert(sizeof(kiln_script_info) == 128, "kiln_script_info");
_Static_assert(offsetof(kiln_cmd_spawn, prefab_name_len) == 64, "spawn.prefab_name_len");
_Static_assert(offsetof(kiln_snapshot, grid) == 80, "snapshot.grid");
_Static_assert(offsetof(kiln_script_info, state_defaults) == 72, "script_info.state_defaults");
_Static_assert(offsetof(kiln_script_info, state_type) == 80, "script_info.state_type");
_Static_assert(offsetof(kiln_script_info, build_mode) == 88, "script_info.build_mode");
_Static_assert(offsetof(kiln_script_info, source_commit) == 96, "script_info.source_commit");
_Static_assert(offsetof(kiln_instance, cmd_quota) == 36, "instance.cmd_quota");
_Static_assert(offsetof(kiln_instance, cmd_refused) == 40, "instance.cmd_refused");
_Static_assert(offsetof(kiln_instance, log_dropped) == 44, "instance.log_dropped");
#endif

#ifdef __cplusplus
}
#endif
#endif /* KILN_H */
