//! Test script: signal_quiet.zig as a second library, so lane rounds go to two libraries.
const quiet = @import("signal_quiet.zig");
pub const State = quiet.State;
pub const init = quiet.init;
pub const update = quiet.update;
pub const onSignal = quiet.onSignal;
