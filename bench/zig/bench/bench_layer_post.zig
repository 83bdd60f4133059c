//! Layered-frame benchmark, phase 3 of 3: reads the moved position and keeps its entity inside
//! a box. Almost every update only reads; an entity outside the box gets one setPosition.

const kiln = @import("kiln");

pub const phase: kiln.Phase = .post_update;

pub const State = struct {
    /// Half the edge of the box entities must stay in, in world units.
    half_extent: f32 = 500,
    corrections: u32 = 0,
};

pub fn update(self: *State, ctx: *kiln.Context) !void {
    const p = try ctx.getPosition(ctx.entity);
    const h = self.half_extent;
    if (@abs(p.x) <= h and @abs(p.y) <= h and @abs(p.z) <= h) return;
    self.corrections += 1;
    try ctx.setPosition(ctx.entity, kiln.vec3(0, 0, 0));
}
