//! Generates a script library's C exports from a plain Zig script file: the batch loops the
//! engine calls once per phase, and the metadata it checks before loading. Script authors
//! never see any of this; the entry file the build compiles exports `Exports`' functions.

const std = @import("std");
const builtin = @import("builtin");
const abi = @import("abi.zig");
const kiln = @import("kiln.zig");
const reflect = @import("reflect.zig");
const panic_handler = @import("panic.zig");
const commands = @import("commands.zig");

/// What the engine's build passes in the `build_info` module.
pub const BuildInfo = struct {
    name: [:0]const u8,
    source_hash: [:0]const u8,
    build_time_unix: i64,
    /// The git commit of the script's source ("a1b2c3d", "+dirty" with uncommitted changes).
    source_commit: ?[:0]const u8 = null,
};

fn buildMode() abi.BuildMode {
    return switch (@import("builtin").mode) {
        .Debug => .debug,
        .ReleaseSafe => .release_safe,
        .ReleaseFast => .release_fast,
        .ReleaseSmall => .release_small,
    };
}

const base_exports = [_][*:0]const u8{
    "kiln_script_metadata",
    "kiln_script_init",
    "kiln_script_update",
    "kiln_script_shutdown",
    "kiln_script_signal",
    "kiln_script_signal_batch",
    "kiln_script_signal_lane",
};

/// The symbols a script's library exports: the base set plus the optional hooks it declares.
fn exportNames(comptime Script: type) []const [*:0]const u8 {
    const health = if (@hasDecl(Script, "healthCheck")) [_][*:0]const u8{"kiln_script_health"} else [_][*:0]const u8{};
    const migrate = if (@hasDecl(Script, "migrate")) [_][*:0]const u8{"kiln_script_migrate"} else [_][*:0]const u8{};
    const unload = if (@hasDecl(Script, "unload")) [_][*:0]const u8{"kiln_script_unload"} else [_][*:0]const u8{};
    const ser = if (@hasDecl(Script, "serialize")) [_][*:0]const u8{"kiln_script_serialize"} else [_][*:0]const u8{};
    const de = if (@hasDecl(Script, "deserialize")) [_][*:0]const u8{"kiln_script_deserialize"} else [_][*:0]const u8{};
    const all = base_exports ++ health ++ migrate ++ unload ++ ser ++ de;
    return &all;
}

/// What a script's State is: its `State` declaration, or an empty struct.
pub fn StateOf(comptime Script: type) type {
    return if (@hasDecl(Script, "State")) Script.State else struct {};
}

/// The compile-time checks of a script: hook signatures, State fields that cannot survive a
/// reload, the length of State's description. Each failure is one compile error naming it.
pub fn check(comptime Script: type) void {
    const State = StateOf(Script);
    checkHook(Script, State, "init", &.{});
    checkHook(Script, State, "update", &.{});
    checkHook(Script, State, "shutdown", &.{});
    checkHook(Script, State, "onSignal", &.{kiln.Signal});
    checkHook(Script, State, "unload", &.{});
    checkMigrate(Script, State);
    inline for (@typeInfo(State).@"struct".field_names, @typeInfo(State).@"struct".field_types) |name, F| {
        comptime reflect.checkReloadSafe(F, name);
    }
    const state_type = comptime reflect.typeJson(State);
    if (state_type.len > reflect.state_type_max) {
        @compileError(std.fmt.comptimePrint("State's type description is {d} bytes, over the engine's {d}: split State", .{ state_type.len, reflect.state_type_max }));
    }
}

/// The bodies of a script library's C exports (kiln_script_*) for `Script`. The entry file
/// (entry/entry.zig) exports each from a top-level function of its own rather than
/// `@export`ing these: Zig 0.17.1's incremental compiler kept a symbol exported from a generic
/// instantiation bound to the *first* build's instantiation, so after an edit of State the
/// metadata (state_size, the State description, the source hash) stayed the old one while
/// other code was new. A top-level function's body is re-analysed on every edit. What changes
/// every build (source hash, time) reaches only `scriptInfo`, so an edit of a function body
/// re-analyses that function and the metadata, not every export.
pub fn Exports(comptime Script: type) type {
    const State = StateOf(Script);
    return struct {
        /// kiln_script_metadata's struct for a build described by `build`.
        pub fn scriptInfo(comptime build: BuildInfo) abi.ScriptInfo {
            const fields = comptime reflect.fieldInfos(State);
            const state_type: [:0]const u8 = comptime reflect.typeJson(State) ++ "";
            const export_names = comptime exportNames(Script);
            return .{
                .abi_version = abi.abi_version,
                .struct_version = abi.script_info_struct_version,
                .struct_size = @sizeOf(abi.ScriptInfo),
                .default_phase = if (@hasDecl(Script, "phase")) Script.phase else .update,
                .name = if (@hasDecl(Script, "name")) Script.name else build.name,
                .source_hash = build.source_hash,
                .build_time_unix = build.build_time_unix,
                .state_size = @sizeOf(State),
                .state_align = @alignOf(State),
                .state_fields = &fields,
                .state_field_count = fields.len,
                .export_count = export_names.len,
                .exports = export_names.ptr,
                .state_defaults = if (@sizeOf(State) == 0) null else @ptrCast(&reflect.defaults(State)),
                .state_type = state_type.ptr,
                .build_mode = buildMode(),
                .snapshot_reads = abi.reads_position_table, // snapshot.position reads nothing else
                .source_commit = if (build.source_commit) |commit| commit.ptr else null,
                .state_type_hash = reflect.typeHash(state_type),
            };
        }

        pub fn init(frame: *const abi.Frame, instances: [*]abi.Instance, count: u32) abi.Status {
            panic_handler.enter(frame); // once per batch
            var first: abi.Status = .ok;
            var used = frame.commands.used_bytes;
            const dt = kiln.Context.deltaTimeOf(frame);
            var room = commands.RoomCheck.of(frame, used);
            for (instances[0..count]) |*instance| {
                if (room.stops(instance, used)) return .needs_room;
                const state: *State = stateOf(State, instance);
                state.* = comptime reflect.defaults(State);
                const status = runHook(Script, State, "init", .{ .frame = frame, .instance = instance, .cursor = &used, .delta_time = dt }, .{});
                if (first == .ok) first = status;
            }
            return first;
        }

        pub fn update(frame: *const abi.Frame, instances: [*]abi.Instance, count: u32) abi.Status {
            // the own-transform column (frame struct_version >= 5), when the engine offers one
            // (one loop for both: a second copy of the loop stopped the hook's inlining, see proto3 in
            // docs/performance.md)
            const own = if (frame.struct_version >= 5) frame.own_transforms else null;
            // the signal lane (frame struct_version >= 6), when the engine offers one
            const lane = if (frame.struct_version >= 6) frame.signal_lane else null;
            if (frame.struct_version < 5) { // an older engine leaves the refusal counts to the loop
                for (instances[0..count]) |*instance| {
                    instance.cmd_refused = 0;
                    instance.log_dropped = 0;
                }
            }
            return runAllWith("update", frame, instances[0..count], own, lane);
        }

        pub fn shutdown(frame: *const abi.Frame, instances: [*]abi.Instance, count: u32) abi.Status {
            return runAll("shutdown", frame, instances[0..count]);
        }

        pub fn unload(frame: *const abi.Frame, instances: [*]abi.Instance, count: u32) abi.Status {
            return runAll("unload", frame, instances[0..count]);
        }

        pub fn signal(frame: *const abi.Frame, deliveries: [*]abi.SignalDelivery, count: u32) abi.Status {
            panic_handler.enter(frame);
            var first: abi.Status = .ok;
            var used = frame.commands.used_bytes;
            const dt = kiln.Context.deltaTimeOf(frame);
            var room = commands.RoomCheck.of(frame, used);
            for (deliveries[0..count]) |*delivery| {
                if (room.stops(&delivery.instance, used)) return .needs_room;
                const s = delivery.signal;
                const received = kiln.Signal{
                    .name = s.name[0..s.name_len],
                    .sender = @enumFromInt(s.sender),
                    .target = @enumFromInt(s.target),
                    .payload = s.payload[0..s.payload_size],
                };
                const status = runHook(Script, State, "onSignal", .{ .frame = frame, .instance = &delivery.instance, .cursor = &used, .delta_time = dt }, .{received});
                if (first == .ok) first = status;
            }
            return first;
        }

        /// The compact form (kiln_signal_batch): every delivery of the round in one loop; an
        /// outcome only for a delivery whose hook left requests, refusals or a failed status.
        pub fn signalBatch(frame: *const abi.Frame, batch: *abi.SignalBatch) abi.Status {
            panic_handler.enter(frame);
            var first: abi.Status = .ok;
            const entries = batch.entries[0..batch.count];
            var outcomes: u32 = 0; // stored at each append: a later fault must not lose the earlier ones
            var used = frame.commands.used_bytes;
            const dt = kiln.Context.deltaTimeOf(frame);
            var room = commands.RoomCheck.of(frame, used);
            for (entries, 0..) |entry, i| {
                batch.current = @intCast(i);
                const instance = &batch.receivers[entry.receiver];
                if (room.stops(instance, used)) return .needs_room;
                const s = entry.signal;
                const name = batch.bytes + @as(usize, @intCast(batch.bytes_at[s]));
                const name_len: usize = @intCast(batch.name_len[s]);
                const received = kiln.Signal{
                    .name = name[0..name_len],
                    .sender = @enumFromInt(batch.sender[s]),
                    .target = @enumFromInt(batch.target[s]),
                    .payload = (name + name_len)[0..@intCast(batch.payload_size[s])],
                };
                const status = @call(hook_in_loop, runHook, .{ Script, State, "onSignal", HookCall{ .frame = frame, .instance = instance, .cursor = &used, .delta_time = dt }, .{received} });
                if (first == .ok) first = status;
                noteOutcome(batch, &outcomes, i, instance, status);
            }
            return first;
        }

        /// A round routed from the signal lane (kiln_script_signal_lane): signalBatch's protocol
        /// over batch.deliveries, each a whole signal (no tables), its target the receiver's entity.
        pub fn signalLane(frame: *const abi.Frame, batch: *abi.SignalBatch) abi.Status {
            panic_handler.enter(frame);
            var first: abi.Status = .ok;
            const deliveries = (batch.deliveries orelse return .invalid_argument)[0..batch.count];
            var outcomes: u32 = 0; // stored at each append: a later fault must not lose the earlier ones
            var used = frame.commands.used_bytes;
            const dt = kiln.Context.deltaTimeOf(frame);
            var room = commands.RoomCheck.of(frame, used);
            for (deliveries, 0..) |*d, i| {
                batch.current = @intCast(i);
                const instance = &batch.receivers[d.receiver];
                if (room.stops(instance, used)) return .needs_room;
                const received = laneSignal(d, instance.entity);
                // the receiver's outputs are not written (abi/kiln.h): the outcome carries them;
                // its refusal counts are zeroed with one store (callHook's test of them then folds)
                instance.cmd_refused = 0;
                instance.log_dropped = 0;
                const offset = used;
                const status = @call(hook_in_loop, callHook, .{ Script, State, "onSignal", HookCall{ .frame = frame, .instance = instance, .cursor = &used, .delta_time = dt }, .{received} });
                if (first == .ok) first = status;
                noteLaneOutcome(batch, &outcomes, i, instance, offset, used, status);
            }
            return first;
        }

        pub fn health() abi.Status {
            const result = Script.healthCheck();
            if (@typeInfo(@TypeOf(result)) == .error_union) {
                result catch |err| return kiln.statusOf(err);
                return .ok;
            }
            return if (result) .ok else .script_failed;
        }

        pub fn migrate(new_state: *anyopaque, old_state: [*]const u8, old_fields: [*]const abi.FieldInfo, old_count: u32) abi.Status {
            const old = kiln.OldState.init(old_state, old_fields[0..old_count]);
            const state: *State = @ptrCast(@alignCast(new_state));
            const result = Script.migrate(state, old);
            if (@typeInfo(@TypeOf(result)) == .error_union) {
                result catch |err| return kiln.statusOf(err);
            }
            return .ok;
        }

        pub fn serialize(state: *const anyopaque, out: [*]u8, capacity: u32, length_out: *u32) abi.Status {
            var writer = kiln.StateWriter{ .buffer = out[0..capacity] };
            const s: *const State = @ptrCast(@alignCast(state));
            Script.serialize(s, &writer) catch |err| return kiln.statusOf(err);
            length_out.* = @intCast(writer.len);
            return .ok;
        }

        pub fn deserialize(state: *anyopaque, bytes: [*]const u8, length: u32) abi.Status {
            var reader = kiln.StateReader{ .bytes = bytes[0..length] };
            const s: *State = @ptrCast(@alignCast(state));
            Script.deserialize(s, &reader) catch |err| return kiln.statusOf(err);
            return .ok;
        }

        fn runAll(comptime hook: []const u8, frame: *const abi.Frame, instances: []abi.Instance) abi.Status {
            return runAllWith(hook, frame, instances, null, null);
        }

        /// runAll with the update call's own-transform column (`own[i]` is instances[i]'s) and
        /// signal lane (its `parts[i]` is instances[i]'s), each or both null.
        fn runAllWith(comptime hook: []const u8, frame: *const abi.Frame, instances: []abi.Instance, own: ?[*]abi.OwnTransform, lane: ?*abi.SignalLane) abi.Status {
            panic_handler.enter(frame);
            var first: abi.Status = .ok;
            var used = frame.commands.used_bytes; // the cursor every hook's appends advance (Context.cursor)
            const dt = kiln.Context.deltaTimeOf(frame); // read once: the loop's stores may alias the frame
            var room = commands.RoomCheck.of(frame, used);
            // read once: the loop's stores may alias the lane's header (kiln.LaneCursor)
            var lane_cursor: kiln.LaneCursor = if (lane) |l| kiln.LaneCursor.of(l, frame.snapshot) else undefined;
            const parts: ?[*]abi.LanePart = if (lane) |l| l.parts else null;
            for (instances, 0..) |*instance, i| {
                if (room.stops(instance, used)) return .needs_room;
                const slot: ?*abi.OwnTransform = if (own) |column| &column[i] else null;
                lane_cursor.hook_end = 0; // no run open
                const status = runHook(Script, State, hook, .{ .frame = frame, .instance = instance, .cursor = &used, .delta_time = dt, .own = slot, .lane = if (lane != null) &lane_cursor else null }, .{});
                if (lane_cursor.isOpen()) lane_cursor.finishHook(lane.?, &parts.?[i]);
                if (first == .ok) first = status;
            }
            return first;
        }
    };
}

/// A compact or lane batch's outcome for delivery i, appended when its hook left requests,
/// refusals or a failed status (abi/kiln.h kiln_signal_batch); the count stored at each append, so
/// that a later fault does not lose the earlier ones.
inline fn noteOutcome(batch: *abi.SignalBatch, outcomes: *u32, i: usize, instance: *const abi.Instance, status: abi.Status) void {
    if (instance.cmd_bytes != 0 or instance.cmd_refused != 0 or instance.log_dropped != 0 or status != .ok) {
        batch.outcomes[outcomes.*] = .{
            .entry = @intCast(i),
            .cmd_offset = instance.cmd_offset,
            .cmd_bytes = instance.cmd_bytes,
            .cmd_refused = instance.cmd_refused,
            .log_dropped = instance.log_dropped,
            .status = status,
        };
        outcomes.* += 1;
        batch.outcome_count = outcomes.*;
    }
}

/// noteOutcome for a lane delivery, whose receiver's outputs the loop does not write: its range
/// is `offset` to `used` (the cursor before and after its hook).
inline fn noteLaneOutcome(batch: *abi.SignalBatch, outcomes: *u32, i: usize, instance: *const abi.Instance, offset: u32, used: u32, status: abi.Status) void {
    if (used != offset or (instance.cmd_refused | instance.log_dropped) != 0 or status != .ok) {
        batch.outcomes[outcomes.*] = .{
            .entry = @intCast(i),
            .cmd_offset = offset,
            .cmd_bytes = used -% offset,
            .cmd_refused = instance.cmd_refused,
            .log_dropped = instance.log_dropped,
            .status = status,
        };
        outcomes.* += 1;
        batch.outcome_count = outcomes.*;
    }
}

/// A lane delivery as the hook's Signal. The engine checked the lengths when it routed the
/// delivery (name_len + payload_size <= abi.lane_signal_bytes, kiln_signals.c): the slices are
/// cut without ReleaseSafe's bounds checks, which were six instructions of every delivery.
inline fn laneSignal(d: *const abi.LaneDelivery, receiver: u64) kiln.Signal {
    @setRuntimeSafety(false);
    const name_len: usize = d.name_len;
    return .{
        .name = d.bytes[0..name_len],
        .sender = @enumFromInt(d.sender),
        .target = @enumFromInt(receiver),
        .payload = d.bytes[name_len..][0..d.payload_size],
    };
}

/// How the compact signal loop calls each delivery's hook: inlined in optimized builds (a call per
/// delivery was its prologue, spills and the frame's reloads: about a quarter of the loop in W4).
/// Not in Debug (the development profile, Zig's own backend): there the inlined loop left a
/// stack overflow's faulting address without a symbol in the fault report (FaultContainmentTest).
const hook_in_loop: std.builtin.CallModifier = if (builtin.mode == .debug) .auto else .always_inline;

fn stateOf(comptime State: type, instance: *abi.Instance) *State {
    if (@sizeOf(State) == 0) return @constCast(&@as(State, .{}));
    // The engine allocates every State at State's alignment (kiln_instance.state): the null and
    // alignment checks ReleaseSafe adds here were four instructions of every hook call.
    @setRuntimeSafety(false);
    return @ptrCast(@alignCast(instance.state.?));
}

/// One instance's hook call in a batch loop: `cursor` is the loop's copy of the buffer's
/// used_bytes (equal to it on entry), advanced past the hook's records; `own` and `lane` the
/// update call's own-transform slot and signal lane, when offered.
const HookCall = struct {
    frame: *const abi.Frame,
    instance: *abi.Instance,
    cursor: *u32,
    delta_time: f32,
    own: ?*abi.OwnTransform = null,
    lane: ?*kiln.LaneCursor = null,
};

/// Calls `Script.<hook>(state, ctx, extra...)` for one instance when the script declares it,
/// recording in the instance where its commands start and end and the status it ended with.
fn runHook(comptime Script: type, comptime State: type, comptime hook: []const u8, call: HookCall, extra: anytype) abi.Status {
    const instance = call.instance;
    const offset = call.cursor.*;
    instance.cmd_offset = offset;
    instance.status = .running; // still set if this hook faults: tells the engine who did
    const status = callHook(Script, State, hook, call, extra);
    instance.cmd_bytes = call.cursor.* -% offset; // appends only advance the cursor
    instance.status = status;
    return status;
}

/// runHook without the instance's outputs (the lane handler loop's: its outcomes say it all):
/// the hook's status.
inline fn callHook(comptime Script: type, comptime State: type, comptime hook: []const u8, call: HookCall, extra: anytype) abi.Status {
    const instance = call.instance;
    // shutdown and unload may run after the entity is gone; the other hooks only for live ones.
    const entity_live = comptime !std.mem.eql(u8, hook, "shutdown") and !std.mem.eql(u8, hook, "unload");
    // The refusal counts start at zero: an update call gets its entries with both at zero from an
    // engine of frame struct_version >= 5 (it zeroes what it took, abi/kiln.h; `update` zeroes
    // them first for an older one); for every other hook they are zeroed here, stored only when
    // not already zero (a store per hook cost W1's loop more than the load, and not even the load
    // in the update loop: 3.00 -> 2.86 ns per update).
    if (comptime !std.mem.eql(u8, hook, "update")) {
        if ((instance.cmd_refused | instance.log_dropped) != 0) {
            instance.cmd_refused = 0;
            instance.log_dropped = 0;
        }
    }
    var ctx = kiln.Context.begin(call.frame, instance, call.cursor, entity_live, call.delta_time);
    ctx.own = call.own;
    ctx.lane = call.lane;
    var status: abi.Status = .ok;
    if (@hasDecl(Script, hook)) {
        const result = @call(.auto, @field(Script, hook), .{ stateOf(State, instance), &ctx } ++ extra);
        if (@typeInfo(@TypeOf(result)) == .error_union) {
            result catch |err| {
                status = kiln.statusOf(err);
                ctx.logHookError(hook, err);
            };
        }
    }
    return status;
}

/// Turns a wrong hook signature into one clear compile error naming the expected form.
fn checkHook(comptime Script: type, comptime State: type, comptime hook: []const u8, comptime extra: []const type) void {
    if (!@hasDecl(Script, hook)) return;
    const F = @TypeOf(@field(Script, hook));
    const extra_text = if (extra.len == 0) "" else ", signal: kiln.Signal";
    const expected = "pub fn " ++ hook ++ "(self: *State, ctx: *kiln.Context" ++ extra_text ++ ") void (or !void)";
    const info = @typeInfo(F);
    if (info != .@"fn") @compileError("`" ++ hook ++ "` must be a function: " ++ expected);
    const params = info.@"fn".param_types;
    var ok = params.len == 2 + extra.len and params[0] == *State and params[1] == *kiln.Context;
    if (ok) {
        for (extra, params[2..]) |want, got| ok = ok and got == want;
    }
    if (!ok) @compileError("`" ++ hook ++ "` has the wrong parameters; expected " ++ expected);
}

fn checkMigrate(comptime Script: type, comptime State: type) void {
    if (!@hasDecl(Script, "migrate")) return;
    const info = @typeInfo(@TypeOf(Script.migrate));
    const expected = "pub fn migrate(self: *State, old: kiln.OldState) void (or !void)";
    if (info != .@"fn") @compileError("`migrate` must be a function: " ++ expected);
    const params = info.@"fn".param_types;
    if (params.len != 2 or params[0] != *State or params[1] != kiln.OldState) {
        @compileError("`migrate` has the wrong parameters; expected " ++ expected);
    }
}
