//! Test script: logs the x it reads, then requests a translate by +1. Two instances on one
//! entity read the same x in a frame, because requests apply only at the barrier.

const kiln = @import("kiln");

pub const State = struct {};

pub fn update(self: *State, ctx: *kiln.Context) !void {
    _ = self;
    const p = try ctx.getPosition(ctx.entity);
    ctx.logInfo("saw x={d}", .{p.x});
    try ctx.translate(ctx.entity, kiln.vec3(1, 0, 0));
}
