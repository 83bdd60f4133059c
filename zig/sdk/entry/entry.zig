//! Root of every script library the engine builds: pulls in the script and the build info
//! the engine generated, emits the C exports, and installs the SDK's small panic handler
//! (the std default handler makes each safe-mode rebuild take ~14 s instead of ~0.2 s).
//!
//! Every export is a top-level function here, calling into `kiln.exports.Exports`: Zig 0.17.1's
//! incremental compiler re-analyses a top-level function's body on every edit, but kept a symbol
//! `@export`ed from a generic instantiation bound to the first build's (see exports.zig).

const std = @import("std");
const kiln = @import("kiln");
const script = @import("script");
const build_info = @import("build_info");
const abi = kiln.abi;

const Impl = kiln.exports.Exports(script);

comptime {
    kiln.exports.check(script);
    if (@hasDecl(script, "healthCheck")) @export(&health, .{ .name = "kiln_script_health" });
    if (@hasDecl(script, "migrate")) @export(&migrate, .{ .name = "kiln_script_migrate" });
    if (@hasDecl(script, "unload")) @export(&unload, .{ .name = "kiln_script_unload" });
    if (@hasDecl(script, "serialize")) @export(&serialize, .{ .name = "kiln_script_serialize" });
    if (@hasDecl(script, "deserialize")) @export(&deserialize, .{ .name = "kiln_script_deserialize" });
}

/// Built in this function's body, the only code that reads build_info: a new source hash
/// every build re-analyses this, not the other exports.
export fn kiln_script_metadata() *const abi.ScriptInfo {
    return comptime &Impl.scriptInfo(.{
        .name = build_info.name,
        .source_hash = build_info.source_hash,
        .build_time_unix = build_info.build_time_unix,
        .source_commit = if (@hasDecl(build_info, "source_commit")) build_info.source_commit else null,
    });
}

export fn kiln_script_init(frame: *const abi.Frame, instances: [*]abi.Instance, count: u32) abi.Status {
    return Impl.init(frame, instances, count);
}

export fn kiln_script_update(frame: *const abi.Frame, instances: [*]abi.Instance, count: u32) abi.Status {
    return Impl.update(frame, instances, count);
}

export fn kiln_script_shutdown(frame: *const abi.Frame, instances: [*]abi.Instance, count: u32) abi.Status {
    return Impl.shutdown(frame, instances, count);
}

export fn kiln_script_signal(frame: *const abi.Frame, deliveries: [*]abi.SignalDelivery, count: u32) abi.Status {
    return Impl.signal(frame, deliveries, count);
}

export fn kiln_script_signal_batch(frame: *const abi.Frame, batch: *abi.SignalBatch, count: u32) abi.Status {
    _ = count; // batch.count: the argument is there for the batch calls' shape
    return Impl.signalBatch(frame, batch);
}

export fn kiln_script_signal_lane(frame: *const abi.Frame, batch: *abi.SignalBatch, count: u32) abi.Status {
    _ = count; // batch.count, as above
    return Impl.signalLane(frame, batch);
}

fn health() callconv(.c) abi.Status {
    return Impl.health();
}

fn migrate(new_state: *anyopaque, old_state: [*]const u8, old_fields: [*]const abi.FieldInfo, old_count: u32) callconv(.c) abi.Status {
    return Impl.migrate(new_state, old_state, old_fields, old_count);
}

fn unload(frame: *const abi.Frame, instances: [*]abi.Instance, count: u32) callconv(.c) abi.Status {
    return Impl.unload(frame, instances, count);
}

fn serialize(state: *const anyopaque, out: [*]u8, capacity: u32, length_out: *u32) callconv(.c) abi.Status {
    return Impl.serialize(state, out, capacity, length_out);
}

fn deserialize(state: *anyopaque, bytes: [*]const u8, length: u32) callconv(.c) abi.Status {
    return Impl.deserialize(state, bytes, length);
}

pub const panic = std.debug.FullPanic(kiln.panic_handler.onPanic);
