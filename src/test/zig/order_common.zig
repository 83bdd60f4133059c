//! Shared body of the order_a / order_b test scripts: each update and lifecycle call logs
//! "<hook>", so the log (applied in command order) shows execution order.

const kiln = @import("kiln");

pub const State = struct { updates: u32 = 0 };

pub fn init(self: *State, ctx: *kiln.Context) void {
    _ = self;
    ctx.logInfo("init", .{});
}

pub fn update(self: *State, ctx: *kiln.Context) void {
    self.updates += 1;
    ctx.logInfo("{s}", .{@tagName(ctx.phase())});
}

pub fn shutdown(self: *State, ctx: *kiln.Context) void {
    ctx.logInfo("shutdown after {d} updates", .{self.updates});
}
