//! The director: spawns enemies at the arena's edge (at most `max_enemies`, one every
//! `interval` seconds, places from a deterministic sequence) and keeps the score: each "kill"
//! adds one and the new score is broadcast as "score" (an i32) for the game to draw.
const kiln = @import("kiln");
const arena = @import("arena.zig");

pub const State = struct {
    interval: f32 = 0.5,
    max_enemies: u32 = 10,
    timer: f32 = 0,
    seed: u32 = 12345,
    score: i32 = 0,
    kills: kiln.Connection = .{},
};

pub fn init(self: *State, ctx: *kiln.Context) !void {
    self.kills = try ctx.connectSignal("kill");
}

pub fn update(self: *State, ctx: *kiln.Context) !void {
    self.timer -= ctx.deltaTime();
    if (self.timer > 0 or ctx.countByTag("enemy") >= self.max_enemies) return;
    self.timer = self.interval;
    const t = next(self) * 4; // which edge, and where along it
    const along = t - @floor(t);
    const w = arena.half_width;
    const h = arena.half_height;
    const at = switch (@as(u32, @intFromFloat(@floor(t)))) {
        0 => kiln.vec3(-w + 2 * w * along, h, 0),
        1 => kiln.vec3(-w + 2 * w * along, -h, 0),
        2 => kiln.vec3(-w, -h + 2 * h * along, 0),
        else => kiln.vec3(w, -h + 2 * h * along, 0),
    };
    _ = try ctx.spawn(.{ .prefab = "enemy", .position = at });
}

pub fn onSignal(self: *State, ctx: *kiln.Context, signal: kiln.Signal) !void {
    _ = signal;
    self.score += 1;
    try ctx.emitSignal("score", self.score, .null);
}

/// A number in [0, 1) from a xorshift sequence: the same game every run.
fn next(self: *State) f32 {
    var x = self.seed;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    self.seed = x;
    return @as(f32, @floatFromInt(x >> 8)) / 16777216.0;
}
