//! A projectile: flies by its velocity (the engine integrates it), hits the first enemy it
//! comes near (a targeted "hit" signal), and despawns itself on a hit, out of the arena or
//! after `life` seconds.
const kiln = @import("kiln");
const arena = @import("arena.zig");

pub const State = struct { life: f32 = 1.5 };

pub fn update(self: *State, ctx: *kiln.Context) !void {
    self.life -= ctx.deltaTime();
    const p = try ctx.getPosition(ctx.entity);
    const outside = @abs(p.x) > arena.half_width + 1 or @abs(p.y) > arena.half_height + 1;
    if (self.life <= 0 or outside) return ctx.despawn(ctx.entity);
    var buf: [1]kiln.Entity = undefined;
    const hit = ctx.queryNearby(p, arena.hit_radius, .{ .tag = "enemy" }, &buf) catch buf[0..];
    if (hit.len == 0) return;
    try ctx.emitSignal("hit", {}, hit[0]);
    try ctx.despawn(ctx.entity);
}
