//! Healthy test script: posts `posts` (entity var, i64; default 1) setPosition requests per
//! update, the last one to (frame, 0, 0), and checks at the next update that it was applied;
//! counts refused and lost requests.

const kiln = @import("kiln");

pub const State = struct {
    posts: i64 = 1,
    refused: i64 = 0,
    lost: i64 = 0,
    last: f32 = -1,
    updates: i64 = 0,
};

pub fn init(self: *State, ctx: *kiln.Context) !void {
    self.posts = ctx.getVar(ctx.entity, "posts", i64) catch 1;
}

pub fn update(self: *State, ctx: *kiln.Context) !void {
    self.updates += 1;
    const p = try ctx.getPosition(ctx.entity);
    if (self.last >= 0 and p.x != self.last) self.lost += 1;
    const x: f32 = @floatFromInt(ctx.frameIndex());
    self.last = x;
    var k: i64 = 0;
    while (k < self.posts) : (k += 1) {
        const value = if (k + 1 == self.posts) x else x + 0.5;
        ctx.setPosition(ctx.entity, kiln.vec3(value, 0, 0)) catch {
            self.refused += 1;
            self.last = -1;
        };
    }
}
