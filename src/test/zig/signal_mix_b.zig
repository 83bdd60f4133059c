//! Test script: signal_mix.zig as a second library, so deliveries go to two libraries (its
//! handler's log lines start with "b ", so a delivery run by the other library's code shows).
const kiln = @import("kiln");
const mix = @import("signal_mix.zig");
pub const State = mix.State;
pub const init = mix.init;
pub const update = mix.update;
pub fn onSignal(self: *State, ctx: *kiln.Context, signal: kiln.Signal) !void {
    return mix.onSignalAs(self, ctx, signal, "b ");
}
