//! Test script for SignalRoomTest: every instance sends "fill" to every entity of the first
//! ScriptVars "n" indices; each delivery's handler posts a burst of translates (its payload says
//! how far) and logs it, so one dispatch round's handlers post far more than a small command
//! buffer holds and the handler loop has to stop for room again and again.

const kiln = @import("kiln");

pub const State = struct { got: i64 = 0 };

/// Translates one handler posts: 32 bytes each.
const burst: u32 = 24;

pub fn init(self: *State, ctx: *kiln.Context) !void {
    _ = self;
    _ = try ctx.connectSignal("fill");
}

pub fn update(self: *State, ctx: *kiln.Context) !void {
    _ = self;
    const n: u32 = @intCast(ctx.getVar(ctx.entity, "n", i64) catch 1);
    var i: u32 = 0;
    while (i < n) : (i += 1) {
        const to: kiln.Entity = @enumFromInt((@as(u64, 1) << 32) | i);
        try ctx.emitSignal("fill", @as(f32, @floatFromInt(ctx.entity.index() + 1)), to);
    }
}

pub fn onSignal(self: *State, ctx: *kiln.Context, signal: kiln.Signal) !void {
    self.got += 1;
    const v = try signal.payloadAs(f32);
    var k: u32 = 0;
    while (k < burst) : (k += 1) try ctx.translate(ctx.entity, kiln.vec3(v * 0.001, 0, 0));
    ctx.logInfo("fill {d} from {d} #{d}", .{ v, signal.sender.index(), self.got });
}
