//! Layered-frame benchmark, phase 1 of 3: steers its entity by setting a velocity that turns
//! with time (one request). The engine integrates velocities after the update phase.

const kiln = @import("kiln");

pub const phase: kiln.Phase = .pre_update;

pub const State = struct {
    /// Radians per second the heading turns.
    turn_rate: f32 = 0.5,
    /// Units per second.
    speed: f32 = 1,
};

pub fn update(self: *State, ctx: *kiln.Context) !void {
    const heading: f32 = @floatCast(ctx.time() * self.turn_rate);
    const velocity = kiln.vec3(@cos(heading) * self.speed, 0, @sin(heading) * self.speed);
    try ctx.setVelocity(ctx.entity, velocity);
}
