//! Listens for "spark_caught" broadcasts and keeps the score in its entity's ScriptVars.

const kiln = @import("kiln");

const Caught = extern struct { x: f32, y: f32, z: f32 };

pub const State = struct {
    score: i64 = 0,
    /// Log a line every this many catches.
    report_every: i64 = 5,
};

pub fn init(self: *State, ctx: *kiln.Context) !void {
    _ = self;
    _ = try ctx.connectSignal("spark_caught");
}

pub fn onSignal(self: *State, ctx: *kiln.Context, signal: kiln.Signal) !void {
    const at = try signal.payloadAs(Caught);
    self.score += 1;
    try ctx.setVar(ctx.entity, "score", self.score);
    if (@rem(self.score, self.report_every) == 0) {
        ctx.logInfo("score {d} (last catch at {d:.1}, {d:.1})", .{ self.score, at.x, at.z });
    }
}
