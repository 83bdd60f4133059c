//! A hunter: finds the nearest "spark" within `sight` with query_nearby (two-step: the count
//! first, then a buffer), steers toward it, and sends it "caught" when within `reach`. With
//! nothing in sight it walks back to where it started. It remembers the last `history_max`
//! sparks it chased in a kiln.List (engine memory: the list survives hot reloads, and a field
//! added to `Sighting` is filled in for every remembered element).

const kiln = @import("kiln");

pub const State = struct {
    sight: f32 = 8.0,
    reach: f32 = 0.6,
    speed: f32 = 2.5,
    catches: u32 = 0,
    home: kiln.Vec3 = .{},
    /// The sparks it chased, oldest first.
    history: kiln.List(Sighting) = .{},
};

/// One spark it chased: which, where it was, and when.
pub const Sighting = struct {
    target: kiln.Entity = .null,
    where: kiln.Vec3 = .{},
    at: f64 = 0,
};

/// Sightings kept in `history`; older ones are dropped.
pub const history_max = 8;

pub fn init(self: *State, ctx: *kiln.Context) !void {
    self.home = try ctx.getPosition(ctx.entity);
}

/// Most sparks a hunter considers per frame; more are ignored until the next frame.
const max_candidates = 64;

pub fn update(self: *State, ctx: *kiln.Context) !void {
    const here = try ctx.getPosition(ctx.entity);
    var buffer: [max_candidates]kiln.Entity = undefined;
    const filter = kiln.NearbyFilter{ .tag = "spark", .exclude = ctx.entity };
    const count = ctx.countNearby(here, self.sight, filter);
    if (count == 0) {
        const back = kiln.math.sub(self.home, here);
        const velocity = if (kiln.math.length(back) < 0.5) kiln.vec3(0, 0, 0) else kiln.math.scale(kiln.math.normalize(back), self.speed * 0.5);
        try ctx.setVelocity(ctx.entity, velocity);
        return;
    }
    const candidates = ctx.queryNearby(here, self.sight, filter, buffer[0..@min(count, max_candidates)]) catch |err| switch (err) {
        error.BufferTooSmall => buffer[0..max_candidates],
        else => return err,
    };
    var best = candidates[0];
    var best_distance: f32 = 1e30;
    for (candidates) |spark| {
        const d = kiln.math.length(kiln.math.sub(try ctx.getPosition(spark), here));
        if (d < best_distance) {
            best = spark;
            best_distance = d;
        }
    }
    try remember(self, ctx, best);
    if (best_distance <= self.reach) {
        self.catches += 1;
        try ctx.emitSignal("caught", {}, best);
        try ctx.setVar(ctx.entity, "catches", @as(i64, self.catches));
        return;
    }
    const toward = kiln.math.normalize(kiln.math.sub(try ctx.getPosition(best), here));
    try ctx.setVelocity(ctx.entity, kiln.math.scale(toward, self.speed));
}

/// Notes `spark` as the latest chase unless it already is; drops the oldest beyond history_max.
fn remember(self: *State, ctx: *kiln.Context, spark: kiln.Entity) !void {
    if (self.history.last(ctx)) |latest| {
        if (latest.target == spark) return;
    }
    try self.history.append(ctx, .{ .target = spark, .where = try ctx.getPosition(spark), .at = ctx.time() });
    if (self.history.len(ctx) > history_max) _ = self.history.orderedRemove(ctx, 0);
}
