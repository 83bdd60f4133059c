//! Test script: logs each call (see order_common.zig).
const common = @import("order_common.zig");
pub const State = common.State;
pub const init = common.init;
pub const update = common.update;
pub const shutdown = common.shutdown;
