//! Benchmark baseline for bench_map_put.zig: the same puts into a std.AutoHashMap in a library
//! global (it would not survive a hot reload). One instance only (the global is shared).

const std = @import("std");
const kiln = @import("kiln");

pub const entries = 10_000;

var map: std.AutoHashMapUnmanaged(u32, u64) = .empty;

pub const State = struct {
    sum: u64 = 0,
};

pub fn update(self: *State, ctx: *kiln.Context) !void {
    _ = ctx;
    map.clearRetainingCapacity();
    var k: u32 = 0;
    while (k < entries) : (k += 1) try map.put(std.heap.page_allocator, k *% 7919 % 10007, k);
    self.sum +%= map.count();
}
