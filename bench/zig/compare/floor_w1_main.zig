//! Standalone W1 floor program: 10,000 movers, `frames` frames of floor_w1_frame, prints the
//! time per entity update (best of 5 runs) and a checksum. Used for instruction counts
//! (valgrind --tool=callgrind / perf stat) and as a cross-check of the JMH floor figure.

const std = @import("std");
const floor = @import("floor_w1.zig");

const n: u32 = 10_000;
const frames: u32 = 1_000;

var movers: [n]floor.Mover = undefined;
var positions: [n * 3]f32 = undefined;

fn nowNanos() u64 {
    var ts: std.os.linux.timespec = undefined;
    _ = std.os.linux.clock_gettime(.MONOTONIC, &ts);
    return @as(u64, @intCast(ts.sec)) * 1_000_000_000 + @as(u64, @intCast(ts.nsec));
}

pub fn main() void {
    var best: u64 = std.math.maxInt(u64);
    var run: u32 = 0;
    while (run < 5) : (run += 1) {
        floor.floor_w1_init(&movers, n);
        @memset(&positions, 0);
        const start = nowNanos();
        var f: u32 = 0;
        while (f < frames) : (f += 1) floor.floor_w1_frame(&movers, &positions, n, 1.0 / 60.0);
        best = @min(best, nowNanos() - start);
    }
    var checksum: f64 = 0;
    for (positions) |p| checksum += p;
    const per_update = @as(f64, @floatFromInt(best)) / @as(f64, @floatFromInt(@as(u64, n) * frames));
    std.debug.print("floor_w1: {d} entities x {d} frames, best of 5: {d:.3} ns per entity update (checksum {d:.3})\n", .{ n, frames, per_update, checksum });
}
