//! Test script: every update sends "ping" (payload: the frame index) to the entity in ScriptVars
//! "target", or broadcasts when "broadcast" is true; logs the "pong" replies it receives.

const kiln = @import("kiln");

pub const Ping = extern struct { frame: u64 };

pub const State = struct { pongs: u32 = 0 };

pub fn init(self: *State, ctx: *kiln.Context) !void {
    _ = self;
    _ = try ctx.connectSignal("pong");
}

pub fn update(self: *State, ctx: *kiln.Context) !void {
    _ = self;
    const ping = Ping{ .frame = ctx.frameIndex() };
    const bits = ctx.getVar(ctx.entity, "target", i64) catch 0;
    if (bits != 0) {
        ctx.logInfo("sent ping", .{});
        try ctx.emitSignal("ping", ping, @enumFromInt(@as(u64, @bitCast(bits))));
    }
    if (ctx.getVar(ctx.entity, "broadcast", bool) catch false) {
        ctx.logInfo("broadcast ping", .{});
        try ctx.emitSignal("ping", ping, .null);
    }
}

pub fn onSignal(self: *State, ctx: *kiln.Context, signal: kiln.Signal) void {
    self.pongs += 1;
    ctx.logInfo("got {s} #{d} from {d}", .{ signal.name, self.pongs, signal.sender.index() });
}
