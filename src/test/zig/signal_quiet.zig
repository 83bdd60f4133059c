//! Test script: signal_mix.zig "quiet" — its updates post nothing but short signals to live
//! entities, so each phase's signal lane is all its batch left (NativeSignalEquivalenceTest's
//! lane rounds).
const kiln = @import("kiln");
const mix = @import("signal_mix.zig");
pub const State = mix.State;
pub const init = mix.init;
pub const onSignal = mix.onSignal;

pub fn update(self: *State, ctx: *kiln.Context) !void {
    return mix.updateMix(self, ctx, true);
}
