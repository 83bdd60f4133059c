//! The comparison workloads as a wasm32-freestanding module for Chicory: the same
//! compare_logic.zig as the Kiln scripts, behind a sandbox. The host (ChicoryImpl) copies the
//! positions it needs into this module's memory, calls one export per frame, and applies the
//! offsets the module wrote to `out` (the module's command buffer) to the world.

const logic = @import("compare_logic.zig");

const max_entities = 100_000;
const max_neighbours = 64;

var movers: [max_entities]logic.Mover = undefined;
/// Written by the host before w2_update: xyz per entity.
var positions: [max_entities * 3]f32 = undefined;
/// Written by the module: xyz offset to translate each entity by.
var out: [max_entities * 3]f32 = undefined;
var neighbours: [max_neighbours]u32 = undefined;

/// Host import: writes up to `cap` indices of the entities within `radius` of entity `index`
/// (itself excluded) to `dst` and returns how many matched.
extern "kiln" fn query_nearby(index: u32, radius: f32, dst: [*]u32, cap: u32) u32;

export fn positions_ptr() [*]f32 {
    return &positions;
}
export fn out_ptr() [*]f32 {
    return &out;
}

export fn movers_init(n: u32) void {
    for (movers[0..n], 0..) |*m, i| m.* = logic.moverInit(@intCast(i));
}

export fn w1_update(n: u32, dt: f32) void {
    for (movers[0..n], 0..) |*m, i| {
        const d = logic.moverStep(m, dt);
        out[i * 3] = d[0];
        out[i * 3 + 1] = d[1];
        out[i * 3 + 2] = d[2];
    }
}

export fn w2_update(n: u32, dt: f32) void {
    for (movers[0..n], 0..) |*m, i| {
        const found = @min(query_nearby(@intCast(i), logic.boids_radius, &neighbours, max_neighbours), max_neighbours);
        const mx = positions[i * 3];
        const mz = positions[i * 3 + 2];
        var sum_x: f32 = 0;
        var sum_z: f32 = 0;
        for (neighbours[0..found]) |j| {
            sum_x += positions[j * 3] - mx;
            sum_z += positions[j * 3 + 2] - mz;
        }
        const d = logic.boidsStep(m, sum_x, sum_z, found, dt);
        out[i * 3] = d[0];
        out[i * 3 + 1] = d[1];
        out[i * 3 + 2] = d[2];
    }
}
