//! Test script: signal_mix.zig as a second library, so deliveries go to two libraries.
const mix = @import("signal_mix.zig");
pub const State = mix.State;
pub const init = mix.init;
pub const update = mix.update;
pub const onSignal = mix.onSignal;
