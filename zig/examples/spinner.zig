//! Spins its entity around the Y axis. Often the second script on an entity: it runs in
//! post_update so it sees where the entity's other scripts and velocity moved it this frame.

const kiln = @import("kiln");

pub const phase: kiln.Phase = .post_update;

pub const State = struct {
    /// Radians per second.
    speed: f32 = 2.0,
};

pub fn update(self: *State, ctx: *kiln.Context) !void {
    const turn = kiln.math.quatFromAxisAngle(kiln.vec3(0, 1, 0), self.speed * ctx.deltaTime());
    try ctx.rotate(ctx.entity, turn, .local);
}
