//! Benchmark script: posts `requests_per_update` translate requests per update, so a frame
//! carries many requests for few dispatches and the barrier's apply cost dominates.
//! The count comes from the entity's ScriptVars "requests" (i64) when set, else the default.

const kiln = @import("kiln");

pub const State = struct {
    requests_per_update: u32 = 16,
};

pub fn init(self: *State, ctx: *kiln.Context) !void {
    if (ctx.getVar(ctx.entity, "requests", i64)) |count| {
        self.requests_per_update = @intCast(@max(0, count));
    } else |_| {}
}

pub fn update(self: *State, ctx: *kiln.Context) !void {
    // A tiny offset: many frames of many requests keep positions finite and near the origin.
    const step = kiln.vec3(1.0e-6, 0, 0);
    var i: u32 = 0;
    while (i < self.requests_per_update) : (i += 1) {
        try ctx.translate(ctx.entity, step);
    }
}
