//! The player: moves by the game's input (actions left/right/up/down), stays in the arena, and
//! while "fire" is held shoots at the nearest enemy every `cooldown` seconds.
const kiln = @import("kiln");
const arena = @import("arena.zig");

pub const State = struct { cooldown: f32 = 0.25, reload: f32 = 0 };

pub fn update(self: *State, ctx: *kiln.Context) !void {
    const in = ctx.input();
    var dir = kiln.vec3(0, 0, 0);
    if (in.held("left")) dir.x -= 1;
    if (in.held("right")) dir.x += 1;
    if (in.held("down")) dir.y -= 1;
    if (in.held("up")) dir.y += 1;
    const dt = ctx.deltaTime();
    const p = try ctx.getPosition(ctx.entity);
    const next = kiln.vec3(
        @max(-arena.half_width, @min(arena.half_width, p.x + dir.x * arena.player_speed * dt)),
        @max(-arena.half_height, @min(arena.half_height, p.y + dir.y * arena.player_speed * dt)),
        0,
    );
    try ctx.setPosition(ctx.entity, next);

    self.reload -= dt;
    if (!in.held("fire") or self.reload > 0) return;
    var buf: [16]kiln.Entity = undefined;
    const near = ctx.queryNearby(p, 30, .{ .tag = "enemy" }, &buf) catch buf[0..];
    var best: ?kiln.Vec3 = null;
    var best_d: f32 = 1e30;
    for (near) |e| {
        const q = ctx.getPosition(e) catch continue;
        const d = (q.x - p.x) * (q.x - p.x) + (q.y - p.y) * (q.y - p.y);
        if (d < best_d) {
            best_d = d;
            best = q;
        }
    }
    const target = best orelse return;
    const len = @sqrt(best_d);
    if (len < 0.001) return;
    const v = kiln.vec3((target.x - p.x) / len * arena.bullet_speed, (target.y - p.y) / len * arena.bullet_speed, 0);
    const bullet = try ctx.spawn(.{ .prefab = "bullet", .position = p });
    try ctx.setVelocity(bullet, v);
    self.reload = self.cooldown;
}
