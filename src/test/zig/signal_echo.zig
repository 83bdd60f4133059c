//! Test script: a signal cascade. On its first update it sends "echo" to its own entity with
//! hop 1; each delivery records the hop in ScriptVars "hops" and sends the next hop, up to
//! ScriptVars "limit". Every hop is one dispatch round of a barrier.

const kiln = @import("kiln");

const Echo = extern struct { hop: i64 };

pub const State = struct { started: bool = false };

pub fn init(self: *State, ctx: *kiln.Context) !void {
    _ = self;
    _ = try ctx.connectSignal("echo");
}

pub fn update(self: *State, ctx: *kiln.Context) !void {
    if (self.started) return;
    self.started = true;
    try ctx.emitSignal("echo", Echo{ .hop = 1 }, ctx.entity);
}

pub fn onSignal(self: *State, ctx: *kiln.Context, signal: kiln.Signal) !void {
    _ = self;
    const echo = try signal.payloadAs(Echo);
    try ctx.setVar(ctx.entity, "hops", echo.hop);
    const limit = ctx.getVar(ctx.entity, "limit", i64) catch 20;
    if (echo.hop < limit) try ctx.emitSignal("echo", Echo{ .hop = echo.hop + 1 }, ctx.entity);
}
