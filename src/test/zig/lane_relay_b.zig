//! Test script: lane_relay.zig as a second library, its handler's log lines tagged "b ".
const kiln = @import("kiln");
const relay = @import("lane_relay.zig");
pub const State = relay.State;
pub const init = relay.init;
pub const update = relay.update;
pub fn onSignal(self: *State, ctx: *kiln.Context, signal: kiln.Signal) !void {
    return relay.relayed(self, ctx, signal, "b ");
}
