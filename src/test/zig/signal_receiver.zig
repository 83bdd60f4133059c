//! Test script: connects to "ping" at init, logs each ping with its payload and sender, counts
//! them in ScriptVars "pings", and replies "pong" to the sender. Disconnects when ScriptVars
//! "unsubscribe" is true.

const kiln = @import("kiln");

const Ping = extern struct { frame: u64 };

pub const State = struct { pings: i64 = 0, connected: bool = false };

pub fn init(self: *State, ctx: *kiln.Context) !void {
    _ = try ctx.connectSignal("ping");
    self.connected = true;
}

pub fn update(self: *State, ctx: *kiln.Context) !void {
    if (self.connected and (ctx.getVar(ctx.entity, "unsubscribe", bool) catch false)) {
        try ctx.disconnectSignal("ping");
        self.connected = false;
    }
}

pub fn onSignal(self: *State, ctx: *kiln.Context, signal: kiln.Signal) !void {
    const ping = try signal.payloadAs(Ping);
    self.pings += 1;
    ctx.logInfo("got {s} frame={d} from {d}", .{ signal.name, ping.frame, signal.sender.index() });
    try ctx.setVar(ctx.entity, "pings", self.pings);
    try ctx.emitSignal("pong", {}, signal.sender);
}
