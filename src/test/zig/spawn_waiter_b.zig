//! Test script: spawn_waiter.zig's logic as a second library.

const waiter = @import("spawn_waiter.zig");

pub const State = waiter.State;
pub const update = waiter.update;
