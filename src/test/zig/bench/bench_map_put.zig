//! Benchmark script: a kiln.Map(u32, u64) in State, emptied (capacity kept) and refilled with
//! `entries` puts in a scattered key order every update. Compared with bench_hashmap_put.zig
//! (std.AutoHashMap in a library global) by ContainerBench.

const kiln = @import("kiln");

/// Puts per update.
pub const entries = 10_000;

pub const State = struct {
    map: kiln.Map(u32, u64) = .{},
    /// Kept so the loop cannot be optimised away.
    sum: u64 = 0,
};

pub fn update(self: *State, ctx: *kiln.Context) !void {
    self.map.clear(ctx);
    var k: u32 = 0;
    while (k < entries) : (k += 1) try self.map.put(ctx, k *% 7919 % 10007, k);
    self.sum +%= self.map.count(ctx);
}
