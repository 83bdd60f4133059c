//! Comparison W2 (neighbours): query the entities within a radius, steer toward their mean
//! offset, translate by the velocity. Logic in compare_logic.zig.

const kiln = @import("kiln");
const logic = @import("compare_logic.zig");

pub const State = struct {
    mover: logic.Mover = .{},
};

pub fn init(self: *State, ctx: *kiln.Context) !void {
    self.mover = logic.moverInit(ctx.entity.index());
}

pub fn update(self: *State, ctx: *kiln.Context) !void {
    const me = try ctx.getPosition(ctx.entity);
    var buffer: [64]kiln.Entity = undefined;
    const found = try ctx.queryNearby(me, logic.boids_radius, .{ .exclude = ctx.entity }, &buffer);
    var sum_x: f32 = 0;
    var sum_z: f32 = 0;
    for (found) |other| {
        const p = try ctx.getPosition(other);
        sum_x += p.x - me.x;
        sum_z += p.z - me.z;
    }
    const d = logic.boidsStep(&self.mover, sum_x, sum_z, @intCast(found.len), ctx.deltaTime());
    try ctx.translate(ctx.entity, kiln.vec3(d[0], d[1], d[2]));
}
