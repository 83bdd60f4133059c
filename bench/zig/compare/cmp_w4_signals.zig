//! Comparison W4 (messages): every entity moves by what it received, then sends
//! signals_per_entity "ping" signals (an f32 payload) to other entities' scripts.

const kiln = @import("kiln");
const logic = @import("compare_logic.zig");

pub const State = struct {
    inbox: f32 = 0,
};

/// Handles of a fresh world: generation 1 (the harness checks that no request fails).
fn handleOf(index: u32) kiln.Entity {
    return @enumFromInt((@as(u64, 1) << 32) | index);
}

pub fn init(self: *State, ctx: *kiln.Context) !void {
    _ = self;
    _ = try ctx.connectSignal("ping");
}

pub fn update(self: *State, ctx: *kiln.Context) !void {
    const x = logic.inboxOffset(self.inbox, ctx.deltaTime());
    self.inbox = 0;
    try ctx.translate(ctx.entity, kiln.vec3(x, 0, 0));
    const n: u32 = @intCast(ctx.countByTag("w4"));
    const index = ctx.entity.index();
    var k: u32 = 0;
    while (k < logic.signals_per_entity) : (k += 1) {
        const value: f32 = logic.signalValue(index, k);
        try ctx.emitSignal("ping", value, handleOf(logic.signalTarget(index, k, n)));
    }
}

pub fn onSignal(self: *State, ctx: *kiln.Context, signal: kiln.Signal) !void {
    _ = ctx;
    self.inbox += try signal.payloadAs(f32);
}
