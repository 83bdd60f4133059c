//! Benchmark script: a kiln.Map(u32, u64) of `entries` entries in State. With ScriptVar "op" 0
//! each update empties it (capacity kept) and puts every entry again in a scattered key order;
//! with 1 it looks every key up (a few absent). Compared with bench_hashmap.zig (the same with
//! std.AutoHashMap in a library global) by ContainerBench.

const kiln = @import("kiln");

/// Entries, and puts or lookups per update.
pub const entries = 10_000;

pub const State = struct {
    map: kiln.Map(u32, u64) = .{},
    /// Kept so neither loop can be optimised away.
    sum: u64 = 0,
};

pub fn update(self: *State, ctx: *kiln.Context) !void {
    const lookups = (try ctx.getVar(ctx.entity, "op", i64)) == 1;
    var k: u32 = 0;
    if (!lookups or self.map.count(ctx) == 0) {
        self.map.clear(ctx);
        while (k < entries) : (k += 1) try self.map.put(ctx, k *% 7919 % 10007, k);
        self.sum +%= self.map.count(ctx);
        if (!lookups) return;
    }
    var sum: u64 = 0;
    k = 0;
    while (k < entries) : (k += 1) sum +%= self.map.get(ctx, k *% 7877 % 10007 *% 7919 % 10007) orelse 1;
    self.sum +%= sum;
}
