//! Benchmark script: translates its entity by velocity × dt, one request per update. Compared
//! with bench_idle it adds exactly one posted and applied translate request.

const kiln = @import("kiln");

pub const State = struct {
    /// Units per second.
    velocity: kiln.Vec3 = .{ .x = 1, .y = 0, .z = 0.5 },
    speed_scale: f32 = 1,
};

pub fn update(self: *State, ctx: *kiln.Context) !void {
    const step = kiln.math.scale(self.velocity, self.speed_scale * ctx.deltaTime());
    try ctx.translate(ctx.entity, step);
}
