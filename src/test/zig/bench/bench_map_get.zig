//! Benchmark script: `entries` lookups per update in a kiln.Map(u32, u64) of that many entries
//! (filled by the first update), in a scattered key order. Compared with bench_hashmap_get.zig.

const kiln = @import("kiln");

/// Entries in the map, and lookups per update.
pub const entries = 10_000;

pub const State = struct {
    map: kiln.Map(u32, u64) = .{},
    /// Kept so the loop cannot be optimised away.
    sum: u64 = 0,
};

pub fn update(self: *State, ctx: *kiln.Context) !void {
    var k: u32 = 0;
    if (self.map.count(ctx) == 0) {
        while (k < entries) : (k += 1) try self.map.put(ctx, k *% 7919 % 10007, k);
    }
    var sum: u64 = 0;
    k = 0;
    while (k < entries) : (k += 1) sum +%= self.map.get(ctx, k *% 7877 % 10007 *% 7919 % 10007) orelse 1;
    self.sum +%= sum;
}
