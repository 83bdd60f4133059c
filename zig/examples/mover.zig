//! Moves its entity along a direction at `speed` units per second and counts its updates.

const kiln = @import("kiln");

pub const State = struct {
    speed: f32 = 2.0,
    direction: kiln.Vec3 = .{ .x = 1 },
    updates: u32 = 0,
};

pub fn init(self: *State, ctx: *kiln.Context) !void {
    if (ctx.getVar(ctx.entity, "speed", f64)) |speed| {
        self.speed = @floatCast(speed);
    } else |_| {}
}

pub fn update(self: *State, ctx: *kiln.Context) !void {
    self.updates += 1;
    const step = kiln.math.scale(self.direction, self.speed * ctx.deltaTime());
    try ctx.translate(ctx.entity, step);
}
