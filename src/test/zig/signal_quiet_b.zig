//! Test script: signal_quiet.zig as a second library, so lane rounds go to two libraries (its
//! handler's log lines start with "b ", so a delivery run by the other library's code shows).
const kiln = @import("kiln");
const quiet = @import("signal_quiet.zig");
const mix = @import("signal_mix.zig");
pub const State = quiet.State;
pub const init = quiet.init;
pub const update = quiet.update;
pub fn onSignal(self: *State, ctx: *kiln.Context, signal: kiln.Signal) !void {
    return mix.onSignalAs(self, ctx, signal, "b ");
}
