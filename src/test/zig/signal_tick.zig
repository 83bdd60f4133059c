//! Test script: a healthy neighbour of a signal flood. Each update sends "tick" to its own
//! entity once; each delivery counts in State `received`, so a test sees whether every one of
//! its signals arrived in the frame it was sent.

const kiln = @import("kiln");

pub const State = struct {
    sent: i64 = 0,
    received: i64 = 0,
};

pub fn init(self: *State, ctx: *kiln.Context) !void {
    _ = self;
    _ = try ctx.connectSignal("tick");
}

pub fn update(self: *State, ctx: *kiln.Context) !void {
    try ctx.emitSignal("tick", {}, ctx.entity);
    self.sent += 1;
}

pub fn onSignal(self: *State, ctx: *kiln.Context, signal: kiln.Signal) !void {
    _ = ctx;
    _ = signal;
    self.received += 1;
}
