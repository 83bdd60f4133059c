//! Moves its entity along `direction` at `speed` units per second, bouncing back at `bound`
//! from the origin. Reads an optional "speed" from its entity's ScriptVars at init.

const kiln = @import("kiln");

pub const State = struct {
    speed: f32 = 2.0,
    direction: kiln.Vec3 = .{ .x = 1 },
    updates: u32 = 0,
};

/// Distance from the origin at which a mover turns around.
const bound: f32 = 12.0;

pub fn init(self: *State, ctx: *kiln.Context) !void {
    if (ctx.getVar(ctx.entity, "speed", f64)) |speed| {
        self.speed = @floatCast(speed);
    } else |_| {}
}

pub fn update(self: *State, ctx: *kiln.Context) !void {
    self.updates += 1;
    const p = try ctx.getPosition(ctx.entity);
    if (kiln.math.dot(p, self.direction) > bound) self.direction = kiln.math.scale(self.direction, -1);
    const step = kiln.math.scale(self.direction, self.speed * ctx.deltaTime());
    try ctx.translate(ctx.entity, step);
}
