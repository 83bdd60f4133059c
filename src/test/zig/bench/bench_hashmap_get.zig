//! Benchmark baseline for bench_map_get.zig: the same lookups in a std.AutoHashMap in a library
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
    var k: u32 = 0;
    if (map.count() == 0) {
        while (k < entries) : (k += 1) try map.put(std.heap.page_allocator, k *% 7919 % 10007, k);
    }
    var sum: u64 = 0;
    k = 0;
    while (k < entries) : (k += 1) sum +%= map.get(k *% 7877 % 10007 *% 7919 % 10007) orelse 1;
    self.sum +%= sum;
}
