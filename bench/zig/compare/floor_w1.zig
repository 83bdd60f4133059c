//! The W1 floor: the same per-entity loop as cmp_w1_move.zig (compare_logic.zig), over plain
//! arrays, with no engine: no requests, no barrier, no snapshot. Built two ways:
//!   - as a shared library exporting floor_w1_frame, driven by one FFM downcall per frame from
//!     JMH (FloorW1), so it is timed exactly like the other implementations;
//!   - as a standalone program (floor_w1_main.zig) for instruction counts and a timing cross-check.

const logic = @import("compare_logic.zig");

pub const Mover = logic.Mover;

/// Initialises `n` movers as the scripts' init does.
pub export fn floor_w1_init(movers: [*]Mover, n: u32) void {
    for (movers[0..n], 0..) |*m, i| m.* = logic.moverInit(@intCast(i));
}

/// One frame of W1 over `n` entities: positions are xyz triples.
pub export fn floor_w1_frame(movers: [*]Mover, positions: [*]f32, n: u32, dt: f32) void {
    for (movers[0..n], 0..) |*m, i| {
        const d = logic.moverStep(m, dt);
        positions[i * 3] += d[0];
        positions[i * 3 + 1] += d[1];
        positions[i * 3 + 2] += d[2];
    }
}
