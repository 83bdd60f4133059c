//! Comparison W3 (churn): each spawner despawns the entities it spawned last frame and spawns
//! as many new ones, all through requests. Spawner s is the entity with index s.

const kiln = @import("kiln");
const logic = @import("compare_logic.zig");

pub const State = struct {
    pending: [logic.churn_per_spawner]kiln.Entity = @splat(.null),
    count: u32 = 0,
};

pub fn update(self: *State, ctx: *kiln.Context) !void {
    for (self.pending[0..self.count]) |pending| {
        const real = ctx.spawnResult(pending) catch continue;
        try ctx.despawn(real);
    }
    const spawner = ctx.entity.index();
    for (&self.pending, 0..) |*slot, k| {
        const p = logic.churnPosition(spawner, @intCast(k), ctx.frameIndex());
        slot.* = try ctx.spawn(.{ .position = kiln.vec3(p[0], p[1], p[2]) });
    }
    self.count = logic.churn_per_spawner;
}
