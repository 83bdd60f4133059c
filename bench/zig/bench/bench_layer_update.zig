//! Layered-frame benchmark, phase 2 of 3: bobs its entity up and down (reads its position,
//! posts one translate).

const kiln = @import("kiln");

pub const phase: kiln.Phase = .update;

pub const State = struct {
    /// Units per second of vertical motion toward the rest height.
    bob_speed: f32 = 0.25,
    rest_height: f32 = 0,
};

pub fn update(self: *State, ctx: *kiln.Context) !void {
    const position = try ctx.getPosition(ctx.entity);
    const direction: f32 = if (position.y > self.rest_height) -1 else 1;
    try ctx.translate(ctx.entity, kiln.vec3(0, direction * self.bob_speed * ctx.deltaTime(), 0));
}
