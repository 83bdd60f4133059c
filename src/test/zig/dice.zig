//! Draws from ctx.random() every update and writes the draws into ScriptVars, so a test can
//! compare streams across seeds, instances and runs.

const kiln = @import("kiln");

pub const State = struct { rolls: u32 = 0 };

pub fn update(self: *State, ctx: *kiln.Context) !void {
    const first = ctx.random();
    const second = ctx.random();
    // i64 vars carry the raw bits; f64 would round them.
    try ctx.setVar(ctx.entity, "first", @as(i64, @bitCast(first)));
    try ctx.setVar(ctx.entity, "second", @as(i64, @bitCast(second)));
    try ctx.setVar(ctx.entity, "unit", @as(f64, ctx.randomFloat()));
    self.rolls += 1;
}
