//! Test script: every update sends "r" (a u32, so the signal fits the lane) to the entity in
//! ScriptVars "to" and posts nothing else, so its batch leaves only lane entries; it connects to
//! "r" alone, so each entity running it is one line of the engine's entity routes (the lane
//! route's common path). Each delivery adds the payload to State and logs it, tagged with the
//! library (lane_relay_b.zig tags "b "), so a delivery run by the other library's handler shows.
//! LaneRelayTest.

const std = @import("std");
const kiln = @import("kiln");

pub const State = struct { sent: u32 = 0, got: u64 = 0 };

pub fn init(self: *State, ctx: *kiln.Context) !void {
    _ = self;
    _ = try ctx.connectSignal("r");
}

pub fn update(self: *State, ctx: *kiln.Context) !void {
    self.sent += 1;
    const to = ctx.getVar(ctx.entity, "to", i64) catch return;
    const value: u32 = self.sent * 10 + ctx.entity.index();
    try ctx.emitSignal("r", value, @as(kiln.Entity, @enumFromInt(@as(u64, @bitCast(to)))));
    // ScriptVars "forge": also "r" to the null entity (a broadcast as a record), written straight
    // into the lane when it is offered, as a library not using the SDK's emitSignal could: the
    // engine must take it as the record it stands for.
    if ((ctx.getVar(ctx.entity, "forge", i64) catch 0) == 0) return;
    if (ctx.lane) |lane| {
        if (lane.used < lane.hook_end) { // the run emitSignal just opened, within its bound
            var bytes: [8]u8 = @splat(0);
            bytes[0] = 'r';
            std.mem.writeInt(u32, bytes[1..5], value + 1, .little);
            lane.entries[lane.used] = .{ .target = 0, .name_hash = kiln.abi.hashName("r"), .name_len = 1, .payload_size = 4, .bytes = bytes };
            lane.used += 1;
            return;
        }
    }
    try ctx.emitSignal("r", value + 1, kiln.Entity.null);
}

pub fn onSignal(self: *State, ctx: *kiln.Context, signal: kiln.Signal) !void {
    return relayed(self, ctx, signal, "a ");
}

/// The handler of both libraries, its log lines starting with `tag`.
pub fn relayed(self: *State, ctx: *kiln.Context, signal: kiln.Signal, comptime tag: []const u8) !void {
    const v = try signal.payloadAs(u32);
    self.got += v;
    ctx.logInfo(tag ++ "{d} from {d} to {d}, {d} so far", .{ v, signal.sender.index(), signal.target.index(), self.got });
}
