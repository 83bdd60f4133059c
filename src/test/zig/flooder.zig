//! Test script for the request quota: in frames [from, to] (entity vars, i64) it posts `count`
//! setPosition requests in one update, counting how many were accepted and refused, then logs
//! both; with the var `end_with_try` it ends the flood with one more request it does not catch,
//! so its update returns error.BufferFull (the SDK logs that line).

const kiln = @import("kiln");

pub const State = struct {
    from: i64 = -1,
    to: i64 = -1,
    count: i64 = 0,
    end_with_try: bool = false,
    ok: i64 = 0,
    full: i64 = 0,
    floods: i64 = 0,
    updates: i64 = 0,
};

pub fn init(self: *State, ctx: *kiln.Context) !void {
    self.from = ctx.getVar(ctx.entity, "from", i64) catch -1;
    self.to = ctx.getVar(ctx.entity, "to", i64) catch self.from;
    self.count = ctx.getVar(ctx.entity, "count", i64) catch 0;
    self.end_with_try = ctx.getVar(ctx.entity, "end_with_try", bool) catch false;
}

pub fn update(self: *State, ctx: *kiln.Context) !void {
    self.updates += 1;
    const frame: i64 = @intCast(ctx.frameIndex());
    if (frame < self.from or frame > self.to) return;
    self.floods += 1;
    var ok: i64 = 0;
    var full: i64 = 0;
    var i: i64 = 0;
    while (i < self.count) : (i += 1) {
        if (ctx.setPosition(ctx.entity, kiln.vec3(@floatFromInt(@mod(i, 1000)), 0, 0))) |_| {
            ok += 1;
        } else |_| {
            full += 1;
        }
    }
    self.ok = ok;
    self.full = full;
    ctx.logInfo("flood done: {d} accepted, {d} refused", .{ ok, full });
    if (self.end_with_try) try ctx.setPosition(ctx.entity, kiln.vec3(0, 0, 0));
}
