//! Test script: spawns one "bullet" prefab at (1, 2, 3), and once the spawn is applied reads
//! the bullet's "health" component and copies its hp into its own entity's var "bullet_hp".
//! That the value arrives proves the scene's component bytes match this extern struct.

const kiln = @import("kiln");

const Health = extern struct {
    pub const component_name = "health";
    hp: f32,
    max: f32,
};

pub const State = struct {
    pending: kiln.Entity = .null,
    bullet: kiln.Entity = .null,
};

pub fn update(self: *State, ctx: *kiln.Context) !void {
    if (self.pending == .null) {
        self.pending = try ctx.spawn(.{ .prefab = "bullet", .position = kiln.vec3(1, 2, 3), .tags = "spawned" });
        return;
    }
    if (self.bullet != .null) return;
    self.bullet = ctx.spawnResult(self.pending) catch return;
    const health = try ctx.getComponent(self.bullet, Health);
    try ctx.setVar(ctx.entity, "bullet_hp", @as(f64, health.hp));
}
