//! Test script: every update sends "r" (a u32, so the signal fits the lane) to the entity in
//! ScriptVars "to" and posts nothing else, so its batch leaves only lane entries; it connects to
//! "r" alone, so each entity running it is one line of the engine's entity routes (the lane
//! route's common path). Each delivery adds the payload to State and logs it, tagged with the
//! library (lane_relay_b.zig tags "b "), so a delivery run by the other library's handler shows.
//! LaneRelayTest.

const kiln = @import("kiln");

pub const State = struct { sent: u32 = 0, got: u64 = 0 };

pub fn init(self: *State, ctx: *kiln.Context) !void {
    _ = self;
    _ = try ctx.connectSignal("r");
}

pub fn update(self: *State, ctx: *kiln.Context) !void {
    self.sent += 1;
    const to = ctx.getVar(ctx.entity, "to", i64) catch return;
    try ctx.emitSignal("r", self.sent * 10 + ctx.entity.index(), @as(kiln.Entity, @enumFromInt(@as(u64, @bitCast(to)))));
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
