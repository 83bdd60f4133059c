//! Test script: reads ScriptVars "counter" of its entity and writes counter + 1.

const kiln = @import("kiln");

pub const State = struct {};

pub fn update(self: *State, ctx: *kiln.Context) !void {
    _ = self;
    const counter = ctx.getVar(ctx.entity, "counter", i64) catch 0;
    ctx.logInfo("read {d}", .{counter});
    try ctx.setVar(ctx.entity, "counter", counter + 1);
}
