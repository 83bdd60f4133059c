//! Benchmark baseline for bench_map.zig: the same puts or lookups with a std.AutoHashMap in a
//! library global (it would not survive a hot reload). One instance only (the global is shared).

const std = @import("std");
const kiln = @import("kiln");

pub const entries = 10_000;

var map: std.AutoHashMapUnmanaged(u32, u64) = .empty;

pub const State = struct {
    sum: u64 = 0,
};

pub fn update(self: *State, ctx: *kiln.Context) !void {
    const lookups = (try ctx.getVar(ctx.entity, "op", i64)) == 1;
    var k: u32 = 0;
    if (!lookups or map.count() == 0) {
        map.clearRetainingCapacity();
        while (k < entries) : (k += 1) try map.put(std.heap.page_allocator, k *% 7919 % 10007, k);
        self.sum +%= map.count();
        if (!lookups) return;
    }
    var sum: u64 = 0;
    k = 0;
    while (k < entries) : (k += 1) sum +%= map.get(k *% 7877 % 10007 *% 7919 % 10007) orelse 1;
    self.sum +%= sum;
}
