//! Kiln scripting SDK. A script is a plain Zig file:
//!
//! ```zig
//! const kiln = @import("kiln");
//! pub const State = struct { speed: f32 = 2 };
//! pub fn update(self: *State, ctx: *kiln.Context) !void {
//!     try ctx.translate(ctx.entity, kiln.vec3(self.speed * ctx.deltaTime(), 0, 0));
//! }
//! ```
//!
//! The engine's build generates the C exports, ABI version and metadata (see exports.zig);
//! script authors never write `export` or `callconv`. Every mutating call is a *request*: it
//! appends a record to the engine's command buffer and takes effect at the barrier after the
//! current phase. Reads see the state applied at the last barrier.

const std = @import("std");
pub const abi = @import("abi.zig");
const commands = @import("commands.zig");
const snapshot = @import("snapshot.zig");
const filter_mod = @import("filter.zig");
const reflect = @import("reflect.zig");
pub const math = @import("math.zig");
const containers = @import("containers.zig");
/// Reload-safe containers for State, in engine memory (see containers.zig, docs/scripting.md).
pub const List = containers.List;
pub const String = containers.String;
pub const Map = containers.Map;
/// The host's input for this frame (`ctx.input()`): named actions, axes and the pointer.
pub const Input = @import("input.zig").Input;
/// Used by the build's entry file; scripts do not need these.
pub const exports = @import("exports.zig");
pub const panic_handler = @import("panic.zig");

pub const Vec3 = abi.Vec3;
pub const Quat = abi.Quat;
pub const Phase = abi.Phase;
pub const vec3 = math.vec3;
pub const Euler = math.Euler;
/// Which axes `rotate` turns about: `.local` the entity's own, `.world` the world's.
pub const Space = abi.Space;

/// A 64-bit generational entity handle (index in the low 32 bits, generation in the high 32).
pub const Entity = enum(u64) {
    null = 0,
    _,

    pub fn index(self: Entity) u32 {
        return snapshot.entityIndex(@intFromEnum(self));
    }
    pub fn generation(self: Entity) u32 {
        return snapshot.entityGeneration(@intFromEnum(self));
    }
    /// True for the handle `spawn` returns before the spawn is applied.
    pub fn isPending(self: Entity) bool {
        return self.generation() == abi.pending_generation;
    }
    pub fn bits(self: Entity) u64 {
        return @intFromEnum(self);
    }
};

/// Errors every API call can return; each maps to a kiln_status code of the C ABI.
pub const Error = error{
    StaleEntity,
    InvalidArgument,
    BufferFull,
    NotFound,
    BufferTooSmall,
    UnknownComponent,
    SizeMismatch,
    NotFinite,
    TooLong,
    NotPending,
    /// Engine memory (containers, frameAllocator): over the instance's budget, or none.
    OutOfMemory,
};

pub fn statusOf(err: anyerror) abi.Status {
    return switch (err) {
        error.StaleEntity => .stale_entity,
        error.InvalidArgument => .invalid_argument,
        error.BufferFull => .buffer_full,
        error.NotFound => .not_found,
        error.BufferTooSmall => .buffer_too_small,
        error.UnknownComponent => .unknown_component,
        error.SizeMismatch => .size_mismatch,
        error.NotFinite => .not_finite,
        error.TooLong => .too_long,
        error.NotPending => .not_pending,
        error.OutOfMemory => .out_of_memory,
        else => .script_failed,
    };
}

/// Options of `Context.spawn`.
pub const SpawnOptions = struct {
    /// Prefab declared in the scene file; empty spawns a bare entity.
    prefab: []const u8 = "",
    position: Vec3 = .{},
    rotation: Quat = .{},
    scale: Vec3 = .{ .x = 1, .y = 1, .z = 1 },
    /// Comma-separated tags, added on top of the prefab's; each at most `name_max_bytes` (64)
    /// after trimming spaces, the list at most `log_message_max` bytes: `spawn` returns
    /// `error.TooLong` otherwise.
    tags: []const u8 = "",
};

/// Options of `Context.attachScript`.
pub const AttachOptions = struct {
    priority: i32 = 0,
    /// null: the script's own default phase.
    phase: ?Phase = null,
};

/// Which entities a query keeps (`queryNearby`, `countNearby`, `findByComponent`,
/// `countByComponent`): those with every tag and component of the `with_` lists and none of
/// the `without_` lists. Components are named by their `component_name` (`Health.component_name`).
/// Each list holds at most `filter_names_max` names; a name longer than 64 bytes or an empty
/// one in a list is refused (the query returns error.TooLong / error.InvalidArgument, a count 0).
pub const QueryFilter = struct {
    /// Only entities carrying this tag (empty: any). The original single-tag filter; it is
    /// one more entry of `with_tags`.
    tag: []const u8 = "",
    /// Leave this entity out (typically the caller itself).
    exclude: Entity = .null,
    with_tags: []const []const u8 = &.{},
    without_tags: []const []const u8 = &.{},
    with_components: []const []const u8 = &.{},
    without_components: []const []const u8 = &.{},

    /// No tag and no component: the filter leaves out `exclude` (if any) and nothing else.
    fn onlyExcludes(self: QueryFilter) bool {
        return self.tag.len == 0 and self.with_tags.len == 0 and self.without_tags.len == 0 and
            self.with_components.len == 0 and self.without_components.len == 0;
    }
};
/// The original name of `QueryFilter` (tag and exclude only, then).
pub const NearbyFilter = QueryFilter;
pub const filter_names_max = filter_mod.names_max;

/// A signal connection (`Context.connectSignal`), to pass to `disconnectSignal`. Plain data:
/// keep it in State; the engine keeps the connection itself with the instance, across reloads.
pub const Connection = extern struct {
    /// kiln_connection_id(name hash, sender); 0: no connection.
    id: u64 = 0,
};

/// A signal as a handler receives it.
pub const Signal = struct {
    name: []const u8,
    sender: Entity,
    /// .null for a broadcast.
    target: Entity,
    payload: []const u8,

    /// The payload as an extern struct `T`, or error.SizeMismatch.
    pub fn payloadAs(self: Signal, comptime T: type) Error!T {
        if (self.payload.len != @sizeOf(T)) return error.SizeMismatch;
        // One unaligned load: @memcpy into a local added ReleaseSafe's overlap check to every
        // delivery of a handler loop (the payload is engine memory, never the local).
        return @as(*align(1) const T, @ptrCast(self.payload.ptr)).*;
    }
};

/// The State a script had before a hot reload, read by field name in the author's optional
/// `pub fn migrate(self: *State, old: kiln.OldState) void` hook. The engine has already copied
/// every field whose name and type match; the hook handles renames and unit changes.
pub const OldState = struct {
    bytes: [*]const u8,
    fields: []const abi.FieldInfo,

    pub fn init(bytes: [*]const u8, fields: []const abi.FieldInfo) OldState {
        return .{ .bytes = bytes, .fields = fields };
    }

    /// The old value of field `name`, or null when the old State had no such field of type T.
    pub fn get(self: OldState, comptime T: type, name: []const u8) ?T {
        for (self.fields) |f| {
            if (!std.mem.eql(u8, std.mem.span(f.name), name)) continue;
            if (f.type != reflect.fieldType(T) or f.size != @sizeOf(T)) return null;
            var value: T = undefined;
            @memcpy(std.mem.asBytes(&value), self.bytes[f.offset .. f.offset + @sizeOf(T)]);
            return value;
        }
        return null;
    }
};

/// Where a script's optional `serialize` hook writes its State for a hot reload.
pub const StateWriter = struct {
    buffer: []u8,
    len: usize = 0,

    pub fn writeBytes(self: *StateWriter, bytes: []const u8) Error!void {
        if (self.len + bytes.len > self.buffer.len) return error.TooLong;
        @memcpy(self.buffer[self.len .. self.len + bytes.len], bytes);
        self.len += bytes.len;
    }

    /// Writes a plain value (integer, float, bool, extern struct) as its bytes.
    pub fn write(self: *StateWriter, value: anytype) Error!void {
        return self.writeBytes(std.mem.asBytes(&value));
    }
};

/// What a script's optional `deserialize` hook reads: the blob the old version's `serialize` wrote.
pub const StateReader = struct {
    bytes: []const u8,
    pos: usize = 0,

    pub fn readBytes(self: *StateReader, n: usize) Error![]const u8 {
        if (self.pos + n > self.bytes.len) return error.NotFound;
        defer self.pos += n;
        return self.bytes[self.pos .. self.pos + n];
    }

    pub fn read(self: *StateReader, comptime T: type) Error!T {
        var value: T = undefined;
        @memcpy(std.mem.asBytes(&value), try self.readBytes(@sizeOf(T)));
        return value;
    }
};

/// A ScriptVars value type: f64, i64, bool or Vec3.
fn varTypeOf(comptime T: type) abi.VarType {
    return switch (T) {
        f64 => .f64,
        i64 => .i64,
        bool => .bool,
        Vec3 => .vec3,
        else => @compileError("ScriptVars hold f64, i64, bool or Vec3, not " ++ @typeName(T)),
    };
}

/// Name under which a component type is registered with the engine: `T.component_name`.
fn componentHash(comptime T: type) u64 {
    if (!@hasDecl(T, "component_name")) {
        @compileError(@typeName(T) ++ " needs `pub const component_name = \"...\";` naming its schema");
    }
    if (@typeInfo(T) != .@"struct" or @typeInfo(T).@"struct".layout != .@"extern") {
        @compileError(@typeName(T) ++ " must be an extern struct to cross the ABI");
    }
    return comptime abi.hashName(T.component_name);
}

/// The field_mask of `fields` of component `T` (bit i: the i-th declared field).
fn fieldMask(comptime T: type, comptime fields: []const []const u8) u32 {
    var mask: u32 = 0;
    for (fields) |name| {
        const index = std.meta.fieldIndex(T, name) orelse
            @compileError(@typeName(T) ++ " has no field '" ++ name ++ "'");
        if (index >= abi.component_mask_fields) {
            @compileError("field '" ++ name ++ "' of " ++ @typeName(T) ++ " is past the 32 a field mask can name");
        }
        mask |= @as(u32, 1) << index;
    }
    return mask;
}

/// An update call's signal lane (abi/kiln.h kiln_signal_lane) as the batch loop keeps it: the
/// header's entries, `used` and `capacity` read once per call, and where the running hook's
/// entries start. Appends advance `used` here; the loop writes it to the lane and the hook's
/// run to its kiln_lane_part when the hook returns (`finishHook`). Kept in the loop, not in the
/// engine's header, because the compiler must assume each entry's stores alias the header: every
/// append reloaded and stored `used`, the part's count and first. A hook that faults writes
/// neither, which is what the engine expects of it (its part is discarded, the lane goes on
/// from the `used` the hooks before it left).
pub const LaneCursor = struct {
    entries: [*]abi.LaneSignal,
    used: u32,
    capacity: u32,
    /// The snapshot's live_generations and its length, read once per call (on an engine without
    /// it, an empty table: every lane signal's target is then checked as a record's).
    live: [*]const u32,
    live_span: u32,
    /// Where the running hook's entries start and must end (the lane's capacity or its quota),
    /// set by its first append (Context.laneRoom); `hook_end` 0 until then: the run is not open.
    /// The loop clears it before each hook: a hook that never sends leaves it a constant the
    /// compiler folds away, so the loop pays nothing per hook for the lane.
    hook_first: u32 = 0,
    hook_end: u32 = 0,

    pub fn of(lane: *const abi.SignalLane, snap: *const abi.Snapshot) LaneCursor {
        const table: ?[*]const u32 = if (snap.struct_version >= snapshot.live_generations_version) snap.live_generations else null;
        return .{
            .entries = lane.entries,
            .used = lane.used,
            .capacity = lane.capacity,
            .live = table orelse &no_live,
            .live_span = if (table != null) snap.entity_capacity else 0,
        };
    }

    const no_live = [_]u32{0};

    /// Whether `target` is a live entity by the call's table (snapshot.isLive's answer; false,
    /// not an answer, when there is no table).
    pub fn isLive(self: *const LaneCursor, target: Entity) bool {
        const generation: u32 = @truncate(target.bits() >> 32);
        const index = target.index();
        // 0 for a dead row, and a live handle's generation is never 0 nor the pending one
        return index < self.live_span and generation != 0 and generation != abi.pending_generation and self.live[index] == generation;
    }

    /// The running hook's entries so far.
    pub fn hookCount(self: *const LaneCursor) u32 {
        return if (self.isOpen()) self.used - self.hook_first else 0;
    }

    /// Whether the running hook has appended (its run is open).
    pub fn isOpen(self: *const LaneCursor) bool {
        return self.hook_end != 0;
    }

    /// The hook that just returned, when it appended: its run into its part, the lane's `used`
    /// after it (the parts come zeroed, and most hooks send nothing).
    pub fn finishHook(self: *LaneCursor, lane: *abi.SignalLane, part: *abi.LanePart) void {
        part.* = .{ .first = self.hook_first, .count = self.used - self.hook_first };
        lane.used = self.used;
    }
};

/// The calling script instance's view of the engine for one call. Valid only during the hook it
/// is passed to: its requests are appended at the call's command-buffer cursor, which the next
/// call does not share, so keep nothing of it in State (keep entities and values instead).
pub const Context = struct {
    frame: *const abi.Frame,
    instance: *abi.Instance,
    /// The entity this script instance is attached to.
    entity: Entity,
    /// Set by the batch loop for hooks whose own entity is live in the snapshot by
    /// construction (init, update, onSignal: the engine runs them only for attached
    /// instances, and despawning detaches). A request on `entity` then skips the row lookup.
    /// Not set for shutdown/unload, which can run after the entity is gone.
    entity_live: bool = false,
    /// containers.zig's one-entry cache: the last container used in this call and its block, so
    /// an append in a loop reads the State's handle and the block, not the frame, heap and table
    /// each time. Cleared whenever the engine may move blocks (growing, freeing).
    cached_handle: u64 = 0,
    cached_block: ?*abi.Block = null,
    /// How many numbers `random` has drawn in this call: the next one's position in the stream.
    random_drawn: u64 = 0,
    /// Points at the batch loop's copy of the command buffer's used_bytes (every append stores
    /// the new value to the buffer and there). Appends read this copy, never the buffer's field: the
    /// compiler must assume a record's stores may alias that field, so reading it back made each
    /// append wait on the previous one's store (a store-to-load chain through the whole batch).
    /// A pointer, so that a copy of the Context appends after the original's records, not over
    /// them; the loop's variable stays in a register once the hook is inlined.
    cursor: *u32,
    /// The update call's own-transform slot of this instance (abi/kiln.h kiln_own_transform),
    /// or null when the engine offers none (other hooks, isolated mode, older engines). Used by
    /// the hook's first request when it is a vec3 transform of `entity` (see `postVec3`).
    own: ?*abi.OwnTransform = null,
    /// The update call's signal lane as its batch loop keeps it (`LaneCursor`), or null when the
    /// engine offers none (other hooks, isolated mode, older engines). Used by `emitSignal` for a
    /// short signal to a live entity while the hook has appended no record. A pointer, like
    /// `cursor`, so that a copy of the Context appends after the original's entries.
    lane: ?*LaneCursor = null,
    /// The buffer offset this hook's records start at (its cmd_offset): no record appended yet
    /// while the cursor is still here.
    hook_start: u32 = 0,
    /// The frame's delta_time as f32 (`deltaTime`), read once per batch call by the loop: read
    /// from the frame per hook, it was loaded and converted again for every instance (the
    /// compiler must assume the loop's stores may change the frame).
    delta_time: f32 = 0,

    /// The context of one hook call of `instance`, whose range starts at `cursor.*` (the buffer's
    /// used_bytes now, also stored in the instance's cmd_offset). The counts of refused requests
    /// and dropped log lines must be zero when the hook starts (the batch loop's `runHook` sees
    /// to it). `delta_time`: the frame's, as `deltaTimeOf` gives it, read once per batch call.
    pub fn begin(frame: *const abi.Frame, instance: *abi.Instance, cursor: *u32, entity_live: bool, delta_time: f32) Context {
        const cmd_offset = cursor.*;
        return .{ .frame = frame, .instance = instance, .entity = @enumFromInt(instance.entity), .entity_live = entity_live, .cursor = cursor, .hook_start = cmd_offset, .delta_time = delta_time };
    }

    /// Engine memory for containers in this call (frame.heap on an engine of frame
    /// struct_version >= 3), or null.
    pub fn heap(self: *const Context) ?*abi.Heap {
        return if (self.frame.struct_version >= 3) self.frame.heap else null;
    }

    /// This hook's request quota in bytes (Instance.cmd_quota on an engine of frame struct_version
    /// >= 2; 0: none): its records must end by `hook_start + quota`, log lines may use
    /// abi.log_reserve_bytes more (`requestEnd`, `logEnd`). Read only when a record is appended:
    /// computing the bounds for every hook was a fifth of W1's update loop (frame_harness.c:
    /// 2.72 -> 2.12 ns per update without them), and loading the quota into the Context for
    /// every hook cost three more instructions per update.
    fn quota(self: *const Context) u32 {
        return if (self.frame.struct_version >= 2) self.instance.cmd_quota else 0;
    }

    /// Where this hook's requests must end in the buffer (see `quota`).
    fn requestEnd(self: *const Context) u64 {
        const q = self.quota();
        if (q == 0) return std.math.maxInt(u64);
        // lane entries count against the quota as the records they stand for (abi/kiln.h)
        const lane_bytes: u32 = if (self.lane) |lane| lane.hookCount() *| abi.lane_signal_quota_bytes else 0;
        return @as(u64, self.hook_start) + (q -| lane_bytes);
    }

    /// Where this hook's log lines must end: the requests' end plus abi.log_reserve_bytes.
    fn logEnd(self: *const Context) u64 {
        if (self.quota() == 0) return std.math.maxInt(u64);
        return self.requestEnd() + abi.log_reserve_bytes;
    }

    pub fn deltaTime(self: *const Context) f32 {
        return self.delta_time;
    }

    /// The frame's delta time as `deltaTime` gives it, seconds: what a batch loop reads once per
    /// call for every Context it begins.
    pub fn deltaTimeOf(frame: *const abi.Frame) f32 {
        return @floatCast(frame.delta_time);
    }
    pub fn time(self: *const Context) f64 {
        return self.frame.time;
    }
    pub fn frameIndex(self: *const Context) u64 {
        return self.frame.frame_index;
    }
    pub fn phase(self: *const Context) Phase {
        return self.frame.phase;
    }

    /// A pseudo-random u64 that a replay reproduces: a pure function of the scene's seed
    /// (settings.seed), this instance's id, the frame index, the phase (init, shutdown and
    /// signal calls count as phases of their own) and how many numbers this call drew before.
    /// Two calls of one hook in the same frame and phase (two signals in one dispatch round)
    /// draw the same stream: mix in something of the call (the signal's sender) if that
    /// matters. On an engine older than frame struct_version 4 the seed is 0.
    pub fn random(self: *Context) u64 {
        const seed: u64 = if (self.frame.struct_version >= 4) self.frame.seed else 0;
        const who = (@as(u64, self.instance.instance_id) << 8) | @intFromEnum(self.frame.phase);
        var x = splitMix(seed ^ splitMix(who ^ splitMix(self.frame.frame_index)));
        x = splitMix(x +% self.random_drawn *% 0x9E3779B97F4A7C15);
        self.random_drawn += 1;
        return x;
    }

    /// A pseudo-random float in [0, 1) from `random` (24 bits: every value is exact in f32).
    pub fn randomFloat(self: *Context) f32 {
        return @as(f32, @floatFromInt(self.random() >> 40)) / @as(f32, 1 << 24);
    }

    /// SplitMix64's finalizer: a bijection that spreads every input bit over the output.
    fn splitMix(v: u64) u64 {
        var z = v +% 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) *% 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) *% 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    /// Scratch memory for this hook call only (a bump arena in engine memory, at most
    /// abi.scratch_bytes per batch call): for temporary lists, formatting, sorting. The engine
    /// takes it all back after the call, so `free` does nothing and nothing allocated here may
    /// be kept (in State or elsewhere). Out of scratch, or without engine memory (an engine
    /// older than frame struct_version 3), allocation fails with error.OutOfMemory. (An
    /// isolated script's scratch is its host's.) For data that must last, use
    /// kiln.List / kiln.String / kiln.Map in State.
    pub fn frameAllocator(self: *Context) std.mem.Allocator {
        return .{ .ptr = self, .vtable = &containers.scratch_vtable };
    }

    /// The input the embedding game wrote for this frame (docs/embedding.md): the same in every
    /// phase of the frame. All zero (nothing held, pointer at the origin) when the engine runs
    /// without a host that writes input, e.g. under `kiln run`.
    pub fn input(self: *const Context) Input {
        const table = snapshot.componentTable(self.frame.snapshot, comptime abi.hashName(Input.component_name)) orelse
            return .{};
        // One engine-owned entity carries it, so its row is row 0 of the table.
        if (table.row_size != @sizeOf(Input) or table.row_count == 0) return .{};
        var value: Input = undefined;
        @memcpy(std.mem.asBytes(&value), table.rows[0..@sizeOf(Input)]);
        return value;
    }

    // ---- entities ------------------------------------------------------------------------

    /// Requests a new entity. Returns a pending handle that later commands of this phase may
    /// target; after the barrier, `spawnResult` turns it into the real handle.
    pub fn spawn(self: *Context, options: SpawnOptions) Error!Entity {
        try checkName(self, "spawn", options.prefab, true);
        if (options.tags.len > abi.log_message_max or !tagsWithinBound(options.tags)) return self.fail("spawn", error.TooLong);
        const buffer = self.frame.commands;
        const request_id = buffer.next_request_id;
        const pending: u64 = (@as(u64, abi.pending_generation) << 32) | @as(u32, @truncate(request_id));
        if (isBareSpawn(options) and buffer.struct_version >= abi.spawn_at_buffer_version) {
            // the common spawn (a bullet, a particle) in a 40-byte SPAWN_AT instead of a 72-byte SPAWN
            try self.checkFinite("spawn", &.{options.position});
            self.appendFixed(.spawn_at, pending, abi.CmdSpawnAt{
                .header = undefined,
                .request_id = request_id,
                .position = options.position,
            }) catch |e| return self.fail("spawn", e);
            buffer.next_request_id = request_id + 1;
            return @enumFromInt(pending);
        }
        try self.checkFinite("spawn", &.{ options.position, options.scale });
        const record = self.append(abi.CmdSpawn, .spawn, pending, &.{ options.prefab, options.tags }) catch |e|
            return self.fail("spawn", e);
        buffer.next_request_id = request_id + 1;
        record.request_id = request_id;
        record.position = options.position;
        record.rotation = options.rotation;
        record.scale = options.scale;
        record.prefab_name_len = @intCast(options.prefab.len);
        record.tags_len = @intCast(options.tags.len);
        return @enumFromInt(pending);
    }

    /// True when each comma-separated tag, spaces around it trimmed as the engine trims them,
    /// is at most `abi.name_max_bytes`: the engine refuses a longer one as a malformed record
    /// (CommandDecoder), which would skip the rest of this instance's requests of the phase.
    fn tagsWithinBound(tags: []const u8) bool {
        var each = std.mem.splitScalar(u8, tags, ',');
        while (each.next()) |tag| {
            if (std.mem.trim(u8, tag, " \t\r\n\x0b\x0c").len > abi.name_max_bytes) return false;
        }
        return true;
    }

    /// True for a bare entity with the default rotation and scale, bit for bit (a -0 or another
    /// unit quaternion is stored as given, so it keeps the full SPAWN).
    inline fn isBareSpawn(options: SpawnOptions) bool {
        const q = options.rotation;
        const s = options.scale;
        const one: u32 = @bitCast(@as(f32, 1));
        const rotation_differs = bits(q.x) | bits(q.y) | bits(q.z) | (bits(q.w) ^ one);
        const scale_differs = (bits(s.x) ^ one) | (bits(s.y) ^ one) | (bits(s.z) ^ one);
        return options.prefab.len == 0 and options.tags.len == 0 and (rotation_differs | scale_differs) == 0;
    }

    inline fn bits(x: f32) u32 {
        return @bitCast(x);
    }

    /// The real handle of a spawn requested earlier (available from the barrier that applied
    /// it until one frame later). error.NotFound while not yet applied or when it failed.
    pub fn spawnResult(self: *Context, pending: Entity) Error!Entity {
        if (!pending.isPending()) return self.fail("spawnResult", error.NotPending);
        const found = snapshot.findSpawnResult(self.frame.snapshot, pending.index()) orelse
            return error.NotFound;
        if (found == 0) return error.NotFound;
        return @enumFromInt(found);
    }

    pub fn despawn(self: *Context, target: Entity) Error!void {
        try self.checkTarget("despawn", target);
        self.appendFixed(.despawn, target.bits(), abi.CmdHeaderOnly{ .header = undefined }) catch |e|
            return self.fail("despawn", e);
    }

    /// True when `target` names a live entity in the current snapshot.
    pub fn isAlive(self: *const Context, target: Entity) bool {
        return snapshot.isLive(self.frame.snapshot, target.bits());
    }

    // ---- transform -----------------------------------------------------------------------

    pub fn setPosition(self: *Context, target: Entity, position: Vec3) Error!void {
        return self.postVec3("setPosition", .set_position, target, position);
    }
    pub fn translate(self: *Context, target: Entity, offset: Vec3) Error!void {
        return self.postVec3("translate", .translate, target, offset);
    }
    pub fn setScale(self: *Context, target: Entity, scale: Vec3) Error!void {
        return self.postVec3("setScale", .set_scale, target, scale);
    }
    pub fn setVelocity(self: *Context, target: Entity, velocity: Vec3) Error!void {
        return self.postVec3("setVelocity", .set_velocity, target, velocity);
    }
    pub fn setRotation(self: *Context, target: Entity, rotation: Quat) Error!void {
        return self.postQuat("setRotation", .set_rotation, target, rotation);
    }
    /// Turns by `delta` about the entity's own axes (`.local`: q' = q * delta) or the world's
    /// (`.world`: q' = delta * q). (Before 2026-11-30 rotate took no space and turned about the
    /// world axes.)
    pub fn rotate(self: *Context, target: Entity, delta: Quat, space: Space) Error!void {
        if (!math.quatIsFinite(delta)) return self.fail("rotate", error.NotFinite);
        return self.postRotation("rotate", .rotate_ex, target, delta, space, .quat);
    }
    /// `rotate` by Euler angles (radians, yaw-pitch-roll: see `kiln.Euler`).
    pub fn rotateEuler(self: *Context, target: Entity, delta: Euler, space: Space) Error!void {
        return self.postRotation("rotateEuler", .rotate_ex, target, eulerValue(delta), space, .euler_yxz);
    }
    /// `setRotation` from Euler angles (radians, yaw-pitch-roll: see `kiln.Euler`). Entities have
    /// no parents, so the rotation is both the local and the world one.
    pub fn setRotationEuler(self: *Context, target: Entity, rotation: Euler) Error!void {
        return self.postRotation("setRotationEuler", .set_rotation_ex, target, eulerValue(rotation), .world, .euler_yxz);
    }
    /// Turns the entity's forward axis (-Z) toward `point`.
    pub fn lookAt(self: *Context, target: Entity, point: Vec3, up: Vec3) Error!void {
        try self.checkTarget("lookAt", target);
        try self.checkFinite("lookAt", &.{ point, up });
        const record = self.append(abi.CmdLookAt, .look_at, target.bits(), &.{}) catch |e|
            return self.fail("lookAt", e);
        record.point = point;
        record.up = up;
    }

    pub fn getPosition(self: *Context, target: Entity) Error!Vec3 {
        return snapshot.livePosition(self.frame.snapshot, target.bits()) orelse self.fail("getPosition", error.StaleEntity);
    }
    pub fn getRotation(self: *Context, target: Entity) Error!Quat {
        return (try self.row("getRotation", target)).rotation;
    }
    pub fn getScale(self: *Context, target: Entity) Error!Vec3 {
        return (try self.row("getScale", target)).scale;
    }
    pub fn getVelocity(self: *Context, target: Entity) Error!Vec3 {
        return (try self.row("getVelocity", target)).velocity;
    }

    // ---- components ----------------------------------------------------------------------

    /// Adds (or replaces) component `T` on `target`. `T` is an extern struct with
    /// `pub const component_name` matching a schema registered by the scene.
    pub fn addComponent(self: *Context, target: Entity, value: anytype) Error!void {
        const T = @TypeOf(value);
        const type_hash = componentHash(T);
        try self.checkTarget("addComponent", target);
        const record = self.append(abi.CmdComponent, .add_component, target.bits(), &.{std.mem.asBytes(&value)}) catch |e|
            return self.fail("addComponent", e);
        record.type_hash = type_hash;
        record.size = @sizeOf(T);
    }

    /// Adds component `T` naming the fields this request sets: when the entity already has it
    /// and the component's policy is "merge", only `fields` are written and the others keep
    /// their values (with "replace" the whole value is written, with "keep" the request is
    /// refused at the barrier). Field names are checked at compile time; only the first
    /// abi.component_mask_fields (32) fields can be named.
    pub fn addComponentFields(self: *Context, target: Entity, value: anytype, comptime fields: []const []const u8) Error!void {
        const T = @TypeOf(value);
        const mask = comptime fieldMask(T, fields);
        const type_hash = componentHash(T);
        try self.checkTarget("addComponentFields", target);
        const record = self.append(abi.CmdComponent, .add_component, target.bits(), &.{std.mem.asBytes(&value)}) catch |e|
            return self.fail("addComponentFields", e);
        record.type_hash = type_hash;
        record.size = @sizeOf(T);
        record.field_mask = mask;
    }

    pub fn removeComponent(self: *Context, target: Entity, comptime T: type) Error!void {
        try self.checkTarget("removeComponent", target);
        const record = self.append(abi.CmdComponent, .remove_component, target.bits(), &.{}) catch |e|
            return self.fail("removeComponent", e);
        record.type_hash = componentHash(T);
    }

    /// A copy of component `T` of `target` as of the last barrier.
    pub fn getComponent(self: *Context, target: Entity, comptime T: type) Error!T {
        _ = try self.row("getComponent", target);
        const table = snapshot.componentTable(self.frame.snapshot, componentHash(T)) orelse
            return self.fail("getComponent", error.UnknownComponent);
        if (table.row_size != @sizeOf(T)) return self.fail("getComponent", error.SizeMismatch);
        const row_index = table.entity_to_row[target.index()];
        if (row_index < 0) return error.NotFound;
        var value: T = undefined;
        const start = @as(usize, @intCast(row_index)) * @sizeOf(T);
        @memcpy(std.mem.asBytes(&value), table.rows[start .. start + @sizeOf(T)]);
        return value;
    }

    pub fn hasComponent(self: *Context, target: Entity, comptime T: type) bool {
        if (snapshot.liveRow(self.frame.snapshot, target.bits()) == null) return false;
        const table = snapshot.componentTable(self.frame.snapshot, componentHash(T)) orelse return false;
        return table.entity_to_row[target.index()] >= 0;
    }

    // ---- tags and queries ----------------------------------------------------------------

    pub fn addTag(self: *Context, target: Entity, tag: []const u8) Error!void {
        return self.postName("addTag", .add_tag, target, tag);
    }
    pub fn removeTag(self: *Context, target: Entity, tag: []const u8) Error!void {
        return self.postName("removeTag", .remove_tag, target, tag);
    }
    pub fn hasTag(self: *const Context, target: Entity, tag: []const u8) bool {
        return snapshot.hasTag(self.frame.snapshot, abi.hashName(tag), target.bits());
    }

    /// Step one of the two-step query: how many entities carry `tag`.
    pub fn countByTag(self: *const Context, tag: []const u8) usize {
        return snapshot.tagged(self.frame.snapshot, abi.hashName(tag)).len;
    }

    /// Step two: fills `out` with the entities carrying `tag` and returns the filled part.
    /// error.BufferTooSmall (nothing written past out.len) when `countByTag` exceeds out.len.
    pub fn findByTag(self: *Context, tag: []const u8, out: []Entity) Error![]Entity {
        const found = snapshot.tagged(self.frame.snapshot, abi.hashName(tag));
        const n = @min(found.len, out.len);
        for (found[0..n], out[0..n]) |handle, *slot| slot.* = @enumFromInt(handle);
        if (found.len > out.len) return self.fail("findByTag", error.BufferTooSmall);
        return out[0..n];
    }

    /// Step one of query_nearby: how many live entities lie within `radius` of `center`.
    /// 0 when the filter is refused (see `QueryFilter`; `queryNearby` says why).
    pub fn countNearby(self: *const Context, center: Vec3, radius: f32, filter: QueryFilter) usize {
        if (filter.onlyExcludes()) {
            var plain = PlainCollector{ .exclude = filter.exclude.bits(), .out = &.{} };
            snapshot.forEachNearby(self.frame.snapshot, center, radius, &plain, PlainCollector.visitNear);
            return plain.total;
        }
        var counter = Collector.init(self.frame.snapshot, filter, &.{}) catch return 0;
        snapshot.forEachNearby(self.frame.snapshot, center, radius, &counter, Collector.visitNear);
        return counter.total;
    }

    /// Step two: fills `out` with entities within `radius` of `center` (unordered) and returns
    /// the filled part; error.BufferTooSmall when more matched than fit (out is then full).
    pub fn queryNearby(self: *Context, center: Vec3, radius: f32, filter: QueryFilter, out: []Entity) Error![]Entity {
        if (filter.onlyExcludes()) {
            // The common query (at most the caller left out): no tag or component tables to resolve.
            var plain = PlainCollector{ .exclude = filter.exclude.bits(), .out = out };
            snapshot.forEachNearby(self.frame.snapshot, center, radius, &plain, PlainCollector.visitNear);
            if (plain.total > out.len) return self.fail("queryNearby", error.BufferTooSmall);
            return out[0..plain.total];
        }
        var collector = Collector.init(self.frame.snapshot, filter, out) catch |e| return self.fail("queryNearby", e);
        snapshot.forEachNearby(self.frame.snapshot, center, radius, &collector, Collector.visitNear);
        if (collector.total > out.len) return self.fail("queryNearby", error.BufferTooSmall);
        return out[0..collector.total];
    }

    /// Step one of findByComponent: how many live entities have component `T` and pass
    /// `filter` (0 when the filter is refused or `T` is not registered).
    pub fn countByComponent(self: *const Context, comptime T: type, filter: QueryFilter) usize {
        const table = snapshot.componentTable(self.frame.snapshot, componentHash(T)) orelse return 0;
        var counter = Collector.init(self.frame.snapshot, filter, &.{}) catch return 0;
        filter_mod.forEachWithComponent(self.frame.snapshot, table, &counter, Collector.visit);
        return counter.total;
    }

    /// Step two: fills `out` with the live entities that have component `T` and pass `filter`,
    /// by ascending index, and returns the filled part; error.BufferTooSmall when more matched
    /// than fit (out is then full). Scans the component's entity table (entity capacity reads).
    pub fn findByComponent(self: *Context, comptime T: type, filter: QueryFilter, out: []Entity) Error![]Entity {
        const table = snapshot.componentTable(self.frame.snapshot, componentHash(T)) orelse
            return self.fail("findByComponent", error.UnknownComponent);
        var collector = Collector.init(self.frame.snapshot, filter, out) catch |e| return self.fail("findByComponent", e);
        filter_mod.forEachWithComponent(self.frame.snapshot, table, &collector, Collector.visit);
        if (collector.total > out.len) return self.fail("findByComponent", error.BufferTooSmall);
        return out[0..collector.total];
    }

    // ---- ScriptVars ----------------------------------------------------------------------

    /// A value of `target`'s ScriptVars (shared by all scripts on that entity).
    pub fn getVar(self: *Context, target: Entity, key: []const u8, comptime T: type) Error!T {
        _ = try self.row("getVar", target);
        const entry = snapshot.findVar(self.frame.snapshot, target.index(), abi.hashName(key)) orelse
            return error.NotFound;
        if (entry.type != varTypeOf(T)) return self.fail("getVar", error.SizeMismatch);
        return switch (T) {
            f64 => entry.value.f64,
            i64 => entry.value.i64,
            bool => entry.value.i64 != 0,
            Vec3 => entry.value.vec3,
            else => unreachable,
        };
    }

    pub fn setVar(self: *Context, target: Entity, key: []const u8, value: anytype) Error!void {
        const T = @TypeOf(value);
        try checkName(self, "setVar", key, false);
        try self.checkTarget("setVar", target);
        const record = self.append(abi.CmdSetVar, .set_var, target.bits(), &.{key}) catch |e|
            return self.fail("setVar", e);
        record.key_hash = abi.hashName(key);
        record.type = varTypeOf(T);
        record.key_len = @intCast(key.len);
        record.value = switch (T) {
            f64 => .{ .f64 = value },
            i64 => .{ .i64 = value },
            bool => .{ .i64 = @intFromBool(value) },
            Vec3 => .{ .vec3 = value },
            else => unreachable,
        };
    }

    // ---- signals -------------------------------------------------------------------------

    /// Sends signal `name` with `payload` (an extern struct, a byte slice, or {} for none) to
    /// the scripts of `target` that connected to it, or to every connected script when
    /// `target` is .null. Handlers run in the dispatch step after this phase's barrier.
    pub fn emitSignal(self: *Context, name: []const u8, payload: anytype, target: Entity) Error!void {
        const bytes: []const u8 = payloadBytes(&payload);
        try checkName(self, "emitSignal", name, false);
        if (bytes.len > abi.signal_payload_max) return self.fail("emitSignal", error.TooLong);
        if (name.len + bytes.len <= abi.lane_signal_bytes) { // the common signal
            // In the update call's lane while the hook has appended no record (so its signals keep
            // their posting order: abi/kiln.h), its target checked in the call's liveness table;
            // a full lane falls back to the record.
            if (self.laneTaking(target)) |lane| {
                if (try self.laneAppend(lane, abi.hashName(name), name, bytes, target)) return;
            } else if (target != .null) try self.checkTarget("emitSignal", target);
            // else the same 40 bytes as `append` writes, in one store
            const short = commands.ShortSignal.of(abi.hashName(name), name, bytes);
            self.appendFixed(.emit_signal, target.bits(), short) catch |e| return self.fail("emitSignal", e);
            return;
        }
        if (target != .null) try self.checkTarget("emitSignal", target);
        const record = self.append(abi.CmdSignal, .emit_signal, target.bits(), &.{ name, bytes }) catch |e|
            return self.fail("emitSignal", e);
        record.name_hash = abi.hashName(name);
        record.name_len = @intCast(name.len);
        record.payload_size = @intCast(bytes.len);
    }

    /// From the next dispatch on, this instance receives signal `name` in `onSignal`, from any
    /// sender. Returns the connection, for `disconnectSignal` (keep it in State: it stays valid
    /// across hot reloads). Connecting again to the same name and sender is the same connection.
    pub fn connectSignal(self: *Context, name: []const u8) Error!Connection {
        return self.connectSignalFrom(name, .null);
    }

    /// As `connectSignal`, but only signals `sender` emits reach this connection (`.null`: any
    /// sender). Two connections to one name with different senders are two connections.
    pub fn connectSignalFrom(self: *Context, name: []const u8, sender: Entity) Error!Connection {
        try checkName(self, "connectSignal", name, false);
        try self.checkEngineKnowsNewKinds("connectSignal");
        if (sender.isPending()) return self.fail("connectSignal", error.InvalidArgument);
        const name_hash = abi.hashName(name);
        // The id is a function of what is connected: known now, no need to wait for the barrier.
        const id = abi.connectionId(name_hash, sender.bits());
        const record = self.append(abi.CmdConnect, .connect_signal_ex, self.entity.bits(), &.{name}) catch |e|
            return self.fail("connectSignal", e);
        record.name_hash = name_hash;
        record.sender = sender.bits();
        record.connection_id = id;
        record.name_len = @intCast(name.len);
        return .{ .id = id };
    }

    /// Stops receiving: `which` is a `Connection` (that one only; other connections to the same
    /// name stay) or a signal name (every connection to it).
    pub fn disconnectSignal(self: *Context, which: anytype) Error!void {
        if (@TypeOf(which) == Connection) {
            if (which.id == 0) return self.fail("disconnectSignal", error.InvalidArgument);
            try self.checkEngineKnowsNewKinds("disconnectSignal");
            self.appendFixed(.disconnect_id, self.entity.bits(), abi.CmdConnection{ .header = undefined, .connection_id = which.id }) catch |e|
                return self.fail("disconnectSignal", e);
            return;
        }
        const name: []const u8 = which;
        return self.postName("disconnectSignal", .disconnect_signal, self.entity, name);
    }

    // ---- scripts -------------------------------------------------------------------------

    /// Attaches the loaded script `script_name` to `target` (its init runs before the next phase).
    pub fn attachScript(self: *Context, target: Entity, script_name: []const u8, options: AttachOptions) Error!void {
        try checkName(self, "attachScript", script_name, false);
        try self.checkTarget("attachScript", target);
        const record = self.append(abi.CmdAttach, .attach_script, target.bits(), &.{script_name}) catch |e|
            return self.fail("attachScript", e);
        record.priority = options.priority;
        record.phase = if (options.phase) |p| @intFromEnum(p) else 0xFFFF_FFFF;
        record.name_len = @intCast(script_name.len);
    }

    /// Detaches script `script_name` from `target` (its shutdown runs at the barrier).
    pub fn detachScript(self: *Context, target: Entity, script_name: []const u8) Error!void {
        return self.postName("detachScript", .detach_script, target, script_name);
    }

    // ---- logging -------------------------------------------------------------------------

    pub fn logInfo(self: *Context, comptime fmt: []const u8, args: anytype) void {
        self.log(.info, fmt, args);
    }
    pub fn logWarn(self: *Context, comptime fmt: []const u8, args: anytype) void {
        self.log(.warn, fmt, args);
    }
    pub fn logError(self: *Context, comptime fmt: []const u8, args: anytype) void {
        self.log(.err, fmt, args);
    }

    /// Logs a message tagged by the engine with this script's name and entity. Messages over
    /// KILN_LOG_MESSAGE_MAX bytes are truncated, never dropped for length.
    pub fn log(self: *Context, level: abi.LogLevel, comptime fmt: []const u8, args: anytype) void {
        var text: [abi.log_message_max]u8 = undefined;
        const message = std.fmt.bufPrint(&text, fmt, args) catch text[0..];
        const record = self.append(abi.CmdLog, .log, self.entity.bits(), &.{message}) catch return;
        record.level = level;
        record.length = @intCast(message.len);
    }

    // ---- internals -----------------------------------------------------------------------

    /// The update call's lane when this signal to `target` goes there: the lane is offered, the
    /// hook has appended no record, and `target` is live by the call's table (so not null, not
    /// pending). Null otherwise: the signal is then checked and sent as a record.
    inline fn laneTaking(self: *Context, target: Entity) ?*LaneCursor {
        const lane = self.lane orelse return null;
        if (self.cursor.* != self.hook_start or !lane.isLive(target)) return null;
        return lane;
    }

    /// Appends a signal to the lane as this hook's next entry (abi/kiln.h kiln_lane_signal);
    /// false, nothing written, when the lane is full (then the signal goes as a record). Each
    /// entry counts abi.lane_signal_quota_bytes against the quota, refused past it as a record
    /// would be. The hook's entries are one run by construction (`LaneCursor`).
    fn laneAppend(self: *Context, lane: *LaneCursor, name_hash: u64, name: []const u8, payload: []const u8, target: Entity) Error!bool {
        const used = lane.used;
        if (used >= lane.hook_end and !try self.laneRoom(lane)) return false; // also before the first
        lane.entries[used] = .{
            .target = target.bits(),
            .name_hash = name_hash,
            .name_len = @intCast(name.len),
            .payload_size = @intCast(payload.len),
            .bytes = commands.shortBytes(name, payload),
        };
        lane.used = used + 1;
        return true;
    }

    /// At the hook's first lane entry (which opens its run) and whenever it reaches `hook_end`:
    /// where its entries must end (the lane's capacity, or its quota: (count + 1) *
    /// abi.lane_signal_quota_bytes <= quota), into hook_end. False when the lane is full;
    /// error.BufferFull, counted as a refused request, when the quota is reached.
    fn laneRoom(self: *Context, lane: *LaneCursor) Error!bool {
        @branchHint(.unlikely);
        const used = lane.used;
        if (!lane.isOpen()) lane.hook_first = used;
        if (used >= lane.capacity) return false;
        const q = self.quota();
        const by_quota: u64 = if (q == 0) std.math.maxInt(u64) else @as(u64, lane.hook_first) + q / abi.lane_signal_quota_bytes;
        if (used >= by_quota) {
            self.instance.cmd_refused +%= 1;
            return self.fail("emitSignal", error.BufferFull);
        }
        lane.hook_end = @intCast(@min(lane.capacity, by_quota));
        return true;
    }

    fn appendFixed(self: *Context, kind: abi.CommandKind, target: u64, record: anytype) commands.AppendError!void {
        return commands.appendFixed(self.frame.commands, self.cursor, self.bound(kind), kind, self.instance.instance_id, target, record);
    }

    fn append(self: *Context, comptime Fixed: type, kind: abi.CommandKind, target: u64, tails: []const []const u8) commands.AppendError!*align(8) Fixed {
        return commands.append(self.frame.commands, self.cursor, self.bound(kind), Fixed, kind, self.instance.instance_id, target, tails);
    }

    /// The quota bound of a record of `kind`: log lines have the log reserve beyond it and are
    /// counted apart, so a refused request's own error line is neither lost nor counted twice.
    inline fn bound(self: *Context, kind: abi.CommandKind) commands.Bound {
        if (kind == .log) return .{ .end = self.logEnd(), .refused = &self.instance.log_dropped };
        return .{ .end = self.requestEnd(), .refused = &self.instance.cmd_refused };
    }

    /// Logs a failed call (unless the buffer itself is full) and returns the error.
    fn fail(self: *Context, comptime api_name: []const u8, err: Error) Error {
        if (err != error.BufferFull) self.logErrorName(api_name ++ " failed: {s}", err);
        return err;
    }

    /// Logs that hook `hook` returned `err` (the batch loop's line for a hook that failed).
    pub fn logHookError(self: *const Context, comptime hook: []const u8, err: anyerror) void {
        self.logErrorName(hook ++ " returned error.{s}", err);
    }

    /// Logs `fmt` with the error's name, out of line and given what a log record needs by value:
    /// a call that took the Context's address made the compiler keep the whole Context in memory,
    /// stored afresh on every hook call even when nothing failed (~1.5 ns of W1's ~6 ns per update).
    /// The cursor goes and comes back as a value: its address given to a call that is not
    /// inlined would keep the loop's copy in memory.
    inline fn logErrorName(self: *const Context, comptime fmt: []const u8, err: anyerror) void {
        self.cursor.* = logErrorOf(fmt, self.frame, self.instance, self.entity, self.hook_start, self.cursor.*, err);
    }

    noinline fn logErrorOf(comptime fmt: []const u8, frame: *const abi.Frame, instance: *abi.Instance, entity: Entity,
                           hook_start: u32, used: u32, err: anyerror) u32 {
        @branchHint(.cold);
        var cursor = used;
        var ctx = Context{ .frame = frame, .instance = instance, .entity = entity, .hook_start = hook_start, .cursor = &cursor, .delta_time = deltaTimeOf(frame) };
        ctx.logError(fmt, .{@errorName(err)});
        return cursor;
    }

    fn row(self: *Context, comptime api_name: []const u8, target: Entity) Error!*const abi.EntityRow {
        return snapshot.liveRow(self.frame.snapshot, target.bits()) orelse self.fail(api_name, error.StaleEntity);
    }

    /// A target must be live now, or pending (spawned earlier in this phase).
    fn checkTarget(self: *Context, comptime api_name: []const u8, target: Entity) Error!void {
        if (target.isPending()) return;
        if (self.entity_live and target == self.entity) return; // known live: no row read
        if (!snapshot.isLive(self.frame.snapshot, target.bits())) return self.fail(api_name, error.StaleEntity);
    }

    fn checkFinite(self: *Context, comptime api_name: []const u8, values: []const Vec3) Error!void {
        for (values) |v| {
            if (!math.vec3IsFinite(v)) {
                return self.fail(api_name, error.NotFinite);
            }
        }
    }

    fn postVec3(self: *Context, comptime api_name: []const u8, kind: abi.CommandKind, target: Entity, value: Vec3) Error!void {
        if (self.own) |slot| {
            // The hook's first request, on its own entity (live: only update hooks get a slot):
            // 16 bytes in the engine's column instead of a record, no room in the buffer, no part
            // of the quota (at most one per hook). The slot is checked, not a flag of this
            // Context, so that a copy of the Context cannot use it twice.
            if (target == self.entity and slot.kind == 0 and self.cursor.* == self.hook_start) {
                try self.checkFinite(api_name, &.{value});
                slot.* = .{ .value = value, .kind = @intFromEnum(kind) };
                return;
            }
        }
        try self.checkTarget(api_name, target);
        try self.checkFinite(api_name, &.{value});
        self.appendFixed(kind, target.bits(), abi.CmdVec3{ .header = undefined, .value = value }) catch |e|
            return self.fail(api_name, e);
    }

    fn postQuat(self: *Context, comptime api_name: []const u8, kind: abi.CommandKind, target: Entity, value: Quat) Error!void {
        try self.checkTarget(api_name, target);
        if (!math.quatIsFinite(value)) return self.fail(api_name, error.NotFinite);
        self.appendFixed(kind, target.bits(), abi.CmdQuat{ .header = undefined, .value = value }) catch |e|
            return self.fail(api_name, e);
    }

    /// Record kinds 21-24 need an engine that knows them (command buffer struct_version 2): an
    /// older one would refuse the record as malformed and skip the rest of this hook's requests.
    fn checkEngineKnowsNewKinds(self: *Context, comptime api_name: []const u8) Error!void {
        if (self.frame.commands.struct_version < abi.ex_kinds_buffer_version) return self.fail(api_name, error.InvalidArgument);
    }

    fn postRotation(self: *Context, comptime api_name: []const u8, kind: abi.CommandKind, target: Entity, value: Quat, space: Space, form: abi.RotationForm) Error!void {
        try self.checkEngineKnowsNewKinds(api_name);
        try self.checkTarget(api_name, target);
        if (!math.quatIsFinite(value)) return self.fail(api_name, error.NotFinite);
        self.appendFixed(kind, target.bits(), abi.CmdRotation{ .header = undefined, .value = value, .space = space, .form = form }) catch |e|
            return self.fail(api_name, e);
    }

    fn postName(self: *Context, comptime api_name: []const u8, kind: abi.CommandKind, target: Entity, name: []const u8) Error!void {
        try checkName(self, api_name, name, false);
        try self.checkTarget(api_name, target);
        const record = self.append(abi.CmdName, kind, target.bits(), &.{name}) catch |e| return self.fail(api_name, e);
        record.name_hash = abi.hashName(name);
        record.name_len = @intCast(name.len);
    }
};

fn checkName(ctx: *Context, comptime api_name: []const u8, name: []const u8, allow_empty: bool) Error!void {
    if (name.len == 0 and !allow_empty) return ctx.fail(api_name, error.InvalidArgument);
    if (name.len > abi.name_max_bytes) return ctx.fail(api_name, error.TooLong);
}

/// An Euler request's value: (yaw, pitch, roll, 0) in a kiln_quat (KILN_ROTATION_EULER_YXZ).
fn eulerValue(e: Euler) Quat {
    return .{ .x = e.yaw, .y = e.pitch, .z = e.roll, .w = 0 };
}

fn payloadBytes(payload: anytype) []const u8 {
    const T = @TypeOf(payload.*);
    if (T == void) return &.{};
    if (T == []const u8 or T == []u8) return payload.*;
    return std.mem.asBytes(payload);
}

/// Collects the entities a query visits, leaving out one (or none): what a filter with no tags
/// and no components asks for, without resolving any table.
const PlainCollector = struct {
    exclude: u64,
    out: []Entity,
    total: usize = 0,

    fn visitNear(self: *PlainCollector, handle: u64, distance_squared: f32) void {
        _ = distance_squared;
        if (handle == self.exclude) return;
        if (self.total < self.out.len) self.out[self.total] = @enumFromInt(handle);
        self.total += 1;
    }
};

/// Collects (or counts) the entities a query visits that pass its filter.
const Collector = struct {
    filter: filter_mod.Resolved,
    out: []Entity,
    total: usize = 0,

    fn init(snap: *const abi.Snapshot, filter: QueryFilter, out: []Entity) filter_mod.ResolveError!Collector {
        const resolved = try filter_mod.Resolved.init(snap, filter.exclude.bits(), .{
            .tag = filter.tag,
            .with_tags = filter.with_tags,
            .without_tags = filter.without_tags,
            .with_components = filter.with_components,
            .without_components = filter.without_components,
        });
        return .{ .filter = resolved, .out = out };
    }

    fn visitNear(self: *Collector, handle: u64, distance_squared: f32) void {
        _ = distance_squared;
        self.visit(handle);
    }

    fn visit(self: *Collector, handle: u64) void {
        if (!self.filter.matches(handle)) return;
        if (self.total < self.out.len) self.out[self.total] = @enumFromInt(handle);
        self.total += 1;
    }
};
