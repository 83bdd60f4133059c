//! Benchmark baseline for bench_list.zig: the same appends and sum with a plain std.ArrayList.
//! It lives in a library global, as State refuses slices: it would not survive a hot reload,
//! which is the point of kiln.List. One instance only (the global is shared).

const std = @import("std");
const kiln = @import("kiln");

pub const elements = 10_000;

var list: std.ArrayList(u64) = .empty;

pub const State = struct {
    sum: u64 = 0,
};

pub fn update(self: *State, ctx: *kiln.Context) !void {
    _ = ctx;
    list.clearRetainingCapacity();
    var k: u64 = 0;
    while (k < elements) : (k += 1) try list.append(std.heap.page_allocator, k);
    var sum: u64 = 0;
    for (list.items) |v| sum +%= v;
    self.sum +%= sum;
}
