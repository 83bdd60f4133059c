//! An enemy: finds the player with queryNearby and walks toward it, stopping just short of it.
//! A "hit" signal kills it once: it despawns and broadcasts "kill" (the director keeps score).
const kiln = @import("kiln");
const arena = @import("arena.zig");

pub const State = struct { dead: bool = false, hits: kiln.Connection = .{} };

pub fn init(self: *State, ctx: *kiln.Context) !void {
    self.hits = try ctx.connectSignal("hit");
}

pub fn update(self: *State, ctx: *kiln.Context) !void {
    _ = self;
    const p = try ctx.getPosition(ctx.entity);
    var buf: [1]kiln.Entity = undefined;
    const players = ctx.queryNearby(p, 2 * arena.half_width + 2 * arena.half_height, .{ .tag = "player" }, &buf) catch buf[0..];
    if (players.len == 0) return ctx.setVelocity(ctx.entity, kiln.vec3(0, 0, 0));
    const q = try ctx.getPosition(players[0]);
    const dx = q.x - p.x;
    const dy = q.y - p.y;
    const d = @sqrt(dx * dx + dy * dy);
    if (d <= arena.enemy_stop_distance) return ctx.setVelocity(ctx.entity, kiln.vec3(0, 0, 0));
    try ctx.setVelocity(ctx.entity, kiln.vec3(dx / d * arena.enemy_speed, dy / d * arena.enemy_speed, 0));
}

pub fn onSignal(self: *State, ctx: *kiln.Context, signal: kiln.Signal) !void {
    _ = signal;
    if (self.dead) return; // two bullets in one frame: one kill
    self.dead = true;
    try ctx.emitSignal("kill", {}, .null);
    try ctx.despawn(ctx.entity);
}
