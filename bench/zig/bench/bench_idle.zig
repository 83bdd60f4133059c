//! Benchmark script: reads its entity's position and posts nothing. What it costs is the
//! price of being dispatched (one batch loop iteration, a Context, one snapshot row read),
//! with no request to apply at the barrier.

const kiln = @import("kiln");

pub const State = struct {
    /// Summed so the position read cannot be optimised away.
    x_sum: f32 = 0,
    updates: u32 = 0,
};

pub fn update(self: *State, ctx: *kiln.Context) !void {
    const position = try ctx.getPosition(ctx.entity);
    self.x_sum += position.x;
    self.updates += 1;
}
