//! Test script: counts its updates into its entity's var "ticks" (i64), starting from the
//! var's value in the scene when there is one.

const kiln = @import("kiln");

pub const State = struct {
    ticks: i64 = 0,
};

pub fn init(self: *State, ctx: *kiln.Context) !void {
    self.ticks = ctx.getVar(ctx.entity, "ticks", i64) catch 0;
}

pub fn update(self: *State, ctx: *kiln.Context) !void {
    self.ticks += 1;
    try ctx.setVar(ctx.entity, "ticks", self.ticks);
}
