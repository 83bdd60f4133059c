//! Spawns a "spark" prefab every `interval` seconds, flying off in a pseudo-random direction.
//! Shows spawn requests and commands on the pending handle in the same phase.

const kiln = @import("kiln");

pub const State = struct {
    /// Seconds between sparks.
    interval: f32 = 0.25,
    /// Speed of a new spark, in units per second.
    spark_speed: f32 = 4.0,
    timer: f32 = 0,
    spawned: u32 = 0,
    rng: u64 = 0x9E3779B97F4A7C15,
};

pub fn init(self: *State, ctx: *kiln.Context) void {
    self.rng ^= ctx.entity.bits();
    ctx.logInfo("spawner ready: a spark every {d:.2} s", .{self.interval});
}

pub fn update(self: *State, ctx: *kiln.Context) !void {
    self.timer += ctx.deltaTime();
    if (self.timer < self.interval) return;
    self.timer -= self.interval;
    const here = try ctx.getPosition(ctx.entity);
    const angle = nextFloat(self) * 6.2831853;
    const direction = kiln.vec3(@cos(angle), 0, @sin(angle));
    const spark = try ctx.spawn(.{ .prefab = "spark", .position = here });
    try ctx.setVelocity(spark, kiln.math.scale(direction, self.spark_speed));
    self.spawned += 1;
}

/// xorshift64*: deterministic per spawner, no allocation, no std.Random.
fn nextFloat(self: *State) f32 {
    self.rng ^= self.rng >> 12;
    self.rng ^= self.rng << 25;
    self.rng ^= self.rng >> 27;
    const bits = (self.rng *% 0x2545F4914F6CDD1D) >> 40;
    return @as(f32, @floatFromInt(bits)) / @as(f32, 1 << 24);
}
