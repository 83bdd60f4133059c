//! Zig mirror of abi/kiln.h, the contract between the engine and script libraries.
//! Every struct here is `extern`; AbiMirrorTest checks each one field by field (name, offset,
//! size) and by size against the header as the C compiler lays it out, so a drift fails the tests.

const std = @import("std");

pub const abi_version: u32 = 1;

pub const Status = enum(i32) {
    ok = 0,
    stale_entity = 1,
    invalid_argument = 2,
    buffer_full = 3,
    not_found = 4,
    buffer_too_small = 5,
    unknown_component = 6,
    size_mismatch = 7,
    not_finite = 8,
    too_long = 9,
    script_failed = 10,
    not_pending = 11,
    fault = 12,
    /// A batch call's result: it stopped before an instance the buffer has no room for.
    needs_room = 13,
    /// At the barrier only (logged): add_component refused by the component's "keep" policy.
    already_present = 14,
    /// Engine-owned memory: over the instance's budget, or no engine memory in this frame.
    out_of_memory = 15,
    /// Set while an instance's hook runs; the one still RUNNING after a fault is the culprit.
    running = -1,
    /// The instance a batch call stopped before (returning .needs_room): the engine makes room
    /// and calls again from it.
    stopped_for_room = -2,
    _,
};

pub const pending_generation: u32 = 0xFFFF_FFFF;

pub const name_max_bytes: usize = 64;
pub const signal_payload_max: usize = 256;
pub const log_message_max: usize = 1024;
pub const component_max_bytes: usize = 1024;
pub const state_blob_max: usize = 65536;
/// Bytes of LOG records a hook may append beyond its request quota (Instance.cmd_quota).
pub const log_reserve_bytes: u32 = 4096;

pub const Vec3 = extern struct { x: f32 = 0, y: f32 = 0, z: f32 = 0 };
pub const Quat = extern struct { x: f32 = 0, y: f32 = 0, z: f32 = 0, w: f32 = 1 };

pub const Phase = enum(u32) {
    pre_update = 0,
    update = 1,
    post_update = 2,
    init = 3,
    shutdown = 4,
    signal = 5,
    unload = 6,
};

pub const row_alive: u32 = 1;

pub const EntityRow = extern struct {
    generation: u32,
    flags: u32,
    position: Vec3,
    rotation: Quat,
    scale: Vec3,
    velocity: Vec3,
    reserved0: u32,
};

pub const TagBucket = extern struct { tag_hash: u64, first: u32, count: u32 };

pub const ComponentTable = extern struct {
    type_hash: u64,
    row_size: u32,
    row_count: u32,
    entity_to_row: [*]const i32,
    rows: [*]const u8,
};

pub const VarType = enum(u32) { f64 = 1, i64 = 2, bool = 3, vec3 = 4, _ };

pub const VarValue = extern union { f64: f64, i64: i64, vec3: Vec3, bytes: [16]u8 };

pub const VarEntry = extern struct {
    key_hash: u64,
    entity_index: u32,
    type: VarType,
    value: VarValue,
};

pub const SpawnResult = extern struct { request_id: u64, entity: u64 };

pub const SpatialGrid = extern struct {
    cell_size: f32,
    bucket_count: u32,
    bucket_start: [*]const u32,
    bucket_entities: [*]const u32,
    entity_count: u32,
    /// 1 while the grid matches the entity rows; 0: stale, a query scans the rows instead.
    valid: u32,
};

pub const Snapshot = extern struct {
    struct_version: u32,
    struct_size: u32,
    entity_capacity: u32,
    tag_bucket_count: u32,
    entities: [*]const EntityRow,
    tag_buckets: [*]const TagBucket,
    tag_entities: [*]const u64,
    component_tables: [*]const ComponentTable,
    component_table_count: u32,
    var_count: u32,
    vars: [*]const VarEntry,
    spawn_results: [*]const SpawnResult,
    spawn_result_count: u32,
    reserved0: u32,
    grid: SpatialGrid,
    /// The one field scripts write: a query that found the grid stale sets it to 1.
    grid_wanted: u32,
    reserved1: u32,
    /// Since struct_version 2: per row, the entity's generation while it is alive, 0 when not
    /// (snapshot.isLive reads it instead of the 64-byte row).
    live_generations: ?[*]const u32,
    /// Since struct_version 3: per row, the entity's position and its generation while alive (0
    /// when not); the rows' positions are kept current only while a loaded library does not
    /// declare reads_position_table (the SDK reads positions here).
    positions: ?[*]const PositionEntry,
    reserved: [7]u64,
};

/// abi/kiln.h kiln_position_entry: an entity's position and, while it is alive, its generation.
pub const PositionEntry = extern struct {
    position: Vec3,
    generation: u32,
};

pub const CommandBuffer = extern struct {
    struct_version: u32,
    capacity_bytes: u32,
    used_bytes: u32,
    dropped_count: u32,
    next_request_id: u64,
    data: [*]u8,
    reserved: [2]u64,
};

pub const CommandKind = enum(u16) {
    spawn = 1,
    despawn = 2,
    set_position = 3,
    translate = 4,
    set_rotation = 5,
    rotate = 6,
    look_at = 7,
    set_scale = 8,
    set_velocity = 9,
    add_component = 10,
    remove_component = 11,
    add_tag = 12,
    remove_tag = 13,
    set_var = 14,
    log = 15,
    emit_signal = 16,
    connect_signal = 17,
    disconnect_signal = 18,
    attach_script = 19,
    detach_script = 20,
    set_rotation_ex = 21,
    rotate_ex = 22,
    connect_signal_ex = 23,
    disconnect_id = 24,
    spawn_at = 25,
};

pub const CommandHeader = extern struct {
    kind: CommandKind,
    size_bytes: u16,
    source_instance: u32,
    target: u64,
};

pub const CmdHeaderOnly = extern struct { header: CommandHeader };
pub const CmdVec3 = extern struct { header: CommandHeader, value: Vec3, reserved0: u32 = 0 };
pub const CmdQuat = extern struct { header: CommandHeader, value: Quat };
/// KILN_SPACE_*: which axes a rotation is about.
pub const Space = enum(u32) {
    /// The entity's own axes: q' = q * delta.
    local = 0,
    /// The world axes: q' = delta * q.
    world = 1,
};
/// KILN_ROTATION_*: how CmdRotation.value is to be read.
pub const RotationForm = enum(u32) { quat = 0, euler_yxz = 1 };
pub const CmdRotation = extern struct { header: CommandHeader, value: Quat, space: Space, form: RotationForm };
pub const CmdConnect = extern struct {
    header: CommandHeader,
    name_hash: u64,
    sender: u64,
    connection_id: u64,
    name_len: u32,
    reserved0: u32 = 0,
};
pub const CmdConnection = extern struct { header: CommandHeader, connection_id: u64, reserved0: u64 = 0 };
/// Fields an add_component's field_mask can name (bit i = field i in declaration order).
pub const component_mask_fields: usize = 32;
pub const CmdLookAt = extern struct { header: CommandHeader, point: Vec3, up: Vec3, reserved0: u64 = 0 };

pub const CmdSpawn = extern struct {
    header: CommandHeader,
    request_id: u64,
    position: Vec3,
    rotation: Quat,
    scale: Vec3,
    prefab_name_len: u16,
    tags_len: u16,
    reserved0: u32 = 0,
};

/// SPAWN_AT: a SPAWN of a bare entity at `position`, identity rotation, scale 1 (command buffer
/// struct_version >= 3).
pub const CmdSpawnAt = extern struct { header: CommandHeader, request_id: u64, position: Vec3, reserved0: u32 = 0 };
/// The command buffer struct_version from which the engine takes SPAWN_AT.
pub const spawn_at_buffer_version: u32 = 3;

/// field_mask: for a component whose policy is "merge", bit i = field i is set; 0 = every field.
pub const CmdComponent = extern struct { header: CommandHeader, type_hash: u64, size: u32, field_mask: u32 = 0 };
pub const CmdName = extern struct { header: CommandHeader, name_hash: u64, name_len: u32, reserved0: u32 = 0 };

pub const CmdSetVar = extern struct {
    header: CommandHeader,
    key_hash: u64,
    type: VarType,
    key_len: u32,
    value: VarValue,
};

pub const LogLevel = enum(u32) { info = 0, warn = 1, err = 2 };

pub const CmdLog = extern struct { header: CommandHeader, level: LogLevel, length: u32 };

pub const CmdSignal = extern struct {
    header: CommandHeader,
    name_hash: u64,
    name_len: u16,
    payload_size: u16,
    reserved0: u32 = 0,
};

pub const CmdAttach = extern struct {
    header: CommandHeader,
    priority: i32,
    phase: u32,
    name_len: u32,
    reserved0: u32 = 0,
};

pub const instance_enabled: u32 = 1;

pub const Instance = extern struct {
    entity: u64,
    state: ?*anyopaque,
    instance_id: u32,
    flags: u32,
    cmd_offset: u32,
    cmd_bytes: u32,
    status: Status,
    /// In (frame struct_version >= 2): request quota of one hook call in bytes; 0: none.
    cmd_quota: u32,
    /// Out: requests refused for the quota in its call.
    cmd_refused: u32,
    /// Out: log lines dropped (over quota + log_reserve_bytes) in its call.
    log_dropped: u32,
};

pub const Signal = extern struct {
    name_hash: u64,
    sender: u64,
    target: u64,
    payload: [*]const u8,
    name: [*]const u8,
    payload_size: u32,
    name_len: u32,
    reserved: [2]u64,
};

pub const SignalDelivery = extern struct { instance: Instance, signal: Signal };

/// kiln_signal_entry: one delivery of a compact batch (receiver and signal indices).
pub const SignalEntry = extern struct {
    receiver: u32,
    signal: u32,
};

/// kiln_signal_outcome: what a delivery's hook left behind, appended only when it left anything.
pub const SignalOutcome = extern struct {
    entry: u32,
    cmd_offset: u32,
    cmd_bytes: u32,
    cmd_refused: u32,
    log_dropped: u32,
    status: Status,
};

pub const signal_batch_struct_version: u32 = 2;

/// kiln_signal_batch: one library's deliveries of a dispatch round (abi/kiln.h says the protocol).
pub const SignalBatch = extern struct {
    struct_version: u32,
    struct_size: u32,
    count: u32,
    current: u32,
    entries: [*]const SignalEntry,
    receivers: [*]Instance,
    outcomes: [*]SignalOutcome,
    outcome_count: u32,
    receiver_count: u32,
    name_hash: [*]const u64,
    sender: [*]const u64,
    target: [*]const u64,
    bytes_at: [*]const i64,
    name_len: [*]const i32,
    payload_size: [*]const i32,
    bytes: [*]const u8,
    /// struct_version >= 2: a lane batch's deliveries (kiln_script_signal_lane), else null.
    deliveries: ?[*]const LaneDelivery,
    reserved: [2]u64,
};

/// kiln_lane_delivery: one delivery of a lane batch, the signal whole (its target is the receiver's entity).
pub const LaneDelivery = extern struct {
    receiver: u32,
    name_len: u16,
    payload_size: u16,
    sender: u64,
    bytes: [8]u8,
};

pub const Frame = extern struct {
    abi_version: u32,
    struct_version: u32,
    struct_size: u32,
    phase: Phase,
    frame_index: u64,
    delta_time: f64,
    time: f64,
    snapshot: *const Snapshot,
    commands: *CommandBuffer,
    panic: ?*const fn (message: [*]const u8, length: usize, return_address: usize) callconv(.c) noreturn,
    /// Since struct_version 3: engine-owned container memory, or null (an isolated host).
    heap: ?*Heap,
    /// Since struct_version 4: the scene's random seed (ctx.random() mixes it per instance, frame
    /// and phase, so a recorded run replays).
    seed: u64,
    /// Since struct_version 5: the update call's own-transform column (abi/kiln.h
    /// kiln_own_transform), parallel to the call's instances, or null.
    own_transforms: ?[*]OwnTransform,
    /// Since struct_version 6: the update call's signal lane (abi/kiln.h kiln_signal_lane), or null.
    signal_lane: ?*SignalLane,
    reserved: [4]u64,
};

/// abi/kiln.h kiln_lane_signal: a targeted signal whose name and payload fit in 8 bytes together,
/// appended to the update call's lane instead of an EMIT_SIGNAL record.
pub const LaneSignal = extern struct {
    target: u64,
    name_hash: u64,
    name_len: u16,
    payload_size: u16,
    reserved0: u32 = 0,
    bytes: [8]u8,
};

/// abi/kiln.h kiln_lane_part: one instance's entries of the lane, [first, first + count).
pub const LanePart = extern struct {
    first: u32,
    count: u32,
};

/// abi/kiln.h kiln_signal_lane (kiln_frame.signal_lane).
pub const SignalLane = extern struct {
    entries: [*]LaneSignal,
    parts: [*]LanePart,
    capacity: u32,
    used: u32,
    reserved0: u64,
};

/// KILN_LANE_SIGNAL_QUOTA_BYTES: what a lane entry counts against the request quota.
pub const lane_signal_quota_bytes: u32 = 40;
/// KILN_LANE_SIGNAL_BYTES: name and payload bytes a lane entry holds.
pub const lane_signal_bytes: usize = 8;

/// abi/kiln.h kiln_own_transform: an instance's first request of its update hook, when it is a
/// vec3 transform of its own entity, written here instead of as a record. kind 0: none.
pub const OwnTransform = extern struct {
    value: Vec3,
    kind: u32,
};

/// What a State holds for a container: abi/kiln.h kiln_handle. id 0: empty.
pub const Handle = extern struct {
    id: u32 = 0,
    generation: u32 = 0,

    pub inline fn eql(a: Handle, b: Handle) bool {
        return a.id == b.id and a.generation == b.generation;
    }

    /// Both fields as one u64 (id low, generation high): one load and one compare in hot loops.
    pub inline fn bits(self: *const Handle) u64 {
        return @as(*align(4) const u64, @ptrCast(self)).*;
    }
};

/// abi/kiln.h kiln_block: one container's elements, in engine memory.
pub const Block = extern struct {
    data: ?[*]align(16) u8,
    len: u32,
    capacity: u32,
    elem_size: u32,
    owner: u32,
    generation: u32,
    reserved0: u32,
};

/// abi/kiln.h kiln_heap: the block table and the engine's functions that grow and free blocks.
pub const Heap = extern struct {
    struct_version: u32,
    struct_size: u32,
    blocks: [*]Block,
    block_count: u32,
    reserved0: u32,
    reserve: *const fn (heap: *Heap, instance: u32, handle: *Handle, elem_size: u32, min_capacity: u32) callconv(.c) Status,
    release: *const fn (heap: *Heap, instance: u32, handle: *Handle) callconv(.c) Status,
    scratch: *const fn (heap: *Heap, instance: u32, size: u64, alignment: u32) callconv(.c) ?[*]u8,
    reserved: [4]u64,

    /// The block `handle` names, or null when it is empty or stale.
    pub inline fn block(self: *Heap, handle: Handle) ?*Block {
        if (handle.id == 0 or handle.id >= self.block_count) return null;
        const b = &self.blocks[handle.id];
        return if (b.generation == handle.generation and b.owner != 0) b else null;
    }
};

/// KILN_SCRATCH_BYTES: scratch memory one batch call may take (ctx.frameAllocator()).
pub const scratch_bytes: usize = 1 << 20;

pub const FieldType = enum(u32) {
    other = 0,
    bool = 1,
    i32 = 2,
    u32 = 3,
    i64 = 4,
    u64 = 5,
    f32 = 6,
    f64 = 7,
    vec3 = 8,
    quat = 9,
    entity = 10,
};

pub const FieldInfo = extern struct {
    name: [*:0]const u8,
    type: FieldType,
    offset: u32,
    size: u32,
    reserved0: u32 = 0,
};

/// 3: state_type_hash (a check that state_type belongs to this build).
pub const script_info_struct_version: u32 = 3;

/// ScriptInfo.snapshot_reads: positions are read from Snapshot.positions, never the rows' (kiln.h
/// KILN_READS_POSITION_TABLE). Every library built with this SDK declares it.
pub const reads_position_table: u32 = 1;
/// 2: Instance.cmd_quota / cmd_refused / log_dropped and the batch room protocol.
/// 3: Frame.heap (engine-owned container memory).
/// 4: Frame.seed (the scene's random seed).
pub const frame_struct_version: u32 = 6;
/// 2: the engine understands CommandKind 21-24 and CmdComponent.field_mask (same layout).
/// 3: it also understands CommandKind.spawn_at (CmdSpawnAt; same layout).
pub const command_buffer_struct_version: u32 = 3;
/// The command buffer struct_version from which the engine takes CommandKind 21-24.
pub const ex_kinds_buffer_version: u32 = 2;

/// kiln_script_info.build_mode: the optimize mode a script library was built in.
pub const BuildMode = enum(u32) { debug = 0, release_safe = 1, release_fast = 2, release_small = 3 };

pub const ScriptInfo = extern struct {
    abi_version: u32,
    struct_version: u32,
    struct_size: u32,
    default_phase: Phase,
    name: [*:0]const u8,
    source_hash: [*:0]const u8,
    build_time_unix: i64,
    state_size: u32,
    state_align: u32,
    state_fields: [*]const FieldInfo,
    state_field_count: u32,
    export_count: u32,
    exports: [*]const [*:0]const u8,
    state_defaults: ?*const anyopaque,
    /// Since struct_version 2: the State's full type as JSON (reflect.typeJson), or null.
    state_type: ?[*:0]const u8 = null,
    /// Since struct_version 2: the optimize mode the library was built in (BuildMode).
    build_mode: BuildMode = .debug,
    /// reads_position_table and the other KILN_READS_* flags: how this library reads the snapshot.
    snapshot_reads: u32 = 0,
    /// Since struct_version 2: the git commit of the script's source when it was built, or null.
    source_commit: ?[*:0]const u8 = null,
    /// Since struct_version 3: FNV-1a 64 of state_type's bytes (without the NUL), never 0; 0: not given.
    state_type_hash: u64 = 0,
    reserved: [2]u64 = @splat(0),
};

/// kiln_connection_id: the id of the connection to `name_hash` from `sender` (0: any); never 0.
pub fn connectionId(name_hash: u64, sender: u64) u64 {
    var bytes: [16]u8 = undefined;
    std.mem.writeInt(u64, bytes[0..8], name_hash, .little);
    std.mem.writeInt(u64, bytes[8..16], sender, .little);
    const h = std.hash.Fnv1a_64.hash(&bytes);
    return if (h == 0) 1 else h;
}

/// FNV-1a 64 of a name: how tags, vars, signals and component types are identified.
pub fn hashName(name: []const u8) u64 {
    return std.hash.Fnv1a_64.hash(name);
}
