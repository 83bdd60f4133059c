//! Benchmark script: a kiln.List(u64) in State (engine memory), refilled with `elements`
//! appends and summed every update. Compared with bench_arraylist.zig (a std.ArrayList in a
//! library global: what a script could do without reload-safety) by ContainerBench.

const kiln = @import("kiln");

/// Appends (and elements iterated) per update.
pub const elements = 10_000;

pub const State = struct {
    list: kiln.List(u64) = .{},
    /// Kept so neither loop can be optimised away.
    sum: u64 = 0,
};

pub fn update(self: *State, ctx: *kiln.Context) !void {
    self.list.clear(ctx); // keeps the capacity: steady state measures append, not growth
    var k: u64 = 0;
    while (k < elements) : (k += 1) try self.list.append(ctx, k);
    var sum: u64 = 0;
    for (self.list.items(ctx)) |v| sum +%= v;
    self.sum +%= sum;
}
