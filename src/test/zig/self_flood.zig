//! Test script: a signal handler that feeds itself. Each update sends "feed" to its own entity
//! `start` times (entity var, i64, default 64); each delivery sends it `per` more times (default
//! 100,000), stopping at the first refusal as a script using `try` would (without the log line
//! `try` would leave). With `per` 0 it only counts what it receives. Counts in State: the
//! deliveries received, the signals the SDK accepted and those it refused.

const kiln = @import("kiln");

pub const State = struct {
    start: i64 = 64,
    per: i64 = 100_000,
    deliveries: i64 = 0,
    ok: i64 = 0,
    full: i64 = 0,
};

pub fn init(self: *State, ctx: *kiln.Context) !void {
    self.start = ctx.getVar(ctx.entity, "start", i64) catch 64;
    self.per = ctx.getVar(ctx.entity, "per", i64) catch 100_000;
    _ = try ctx.connectSignal("feed");
}

pub fn update(self: *State, ctx: *kiln.Context) !void {
    feed(self, ctx, self.start);
}

pub fn onSignal(self: *State, ctx: *kiln.Context, signal: kiln.Signal) !void {
    _ = signal;
    self.deliveries += 1;
    feed(self, ctx, self.per);
}

fn feed(self: *State, ctx: *kiln.Context, count: i64) void {
    var i: i64 = 0;
    while (i < count) : (i += 1) {
        ctx.emitSignal("feed", {}, ctx.entity) catch {
            self.full += 1;
            return;
        };
        self.ok += 1;
    }
}
