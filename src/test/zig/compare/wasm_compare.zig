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

// ---- W3 churn: spawn/despawn through host imports (requests applied by the host at once) ----

extern "kiln" fn spawn(x: f32, y: f32, z: f32) u64;
extern "kiln" fn despawn(handle: u64) void;

var churn: [logic.churn_spawners][logic.churn_per_spawner]u64 = undefined;
var churn_count: [logic.churn_spawners]u32 = @splat(0);

/// One frame of the spawner scripts: spawner s is entity index s.
export fn w3_update(frame: u64) void {
    for (&churn, &churn_count, 0..) |*mine, *count, s| {
        for (mine[0..count.*]) |handle| despawn(handle);
        for (mine, 0..) |*slot, k| {
            const p = logic.churnPosition(@intCast(s), @intCast(k), frame);
            slot.* = spawn(p[0], p[1], p[2]);
        }
        count.* = logic.churn_per_spawner;
    }
}

// ---- W4 messages: signals go out through a buffer, the host routes them and hands the
// deliveries back in one call (as Kiln batches kiln_script_signal per library) ----

const max_signals = max_entities * logic.signals_per_entity;
var inbox: [max_entities]f32 = @splat(0);
/// Written by w4_update: target entity index and payload of each signal sent this frame.
var signal_target: [max_signals]u32 = undefined;
var signal_value: [max_signals]f32 = undefined;
/// Written by the host before w4_deliver: receiving instance and payload of each delivery.
var delivery_instance: [max_signals]u32 = undefined;
var delivery_value: [max_signals]f32 = undefined;

export fn signal_target_ptr() [*]u32 {
    return &signal_target;
}
export fn signal_value_ptr() [*]f32 {
    return &signal_value;
}
export fn delivery_instance_ptr() [*]u32 {
    return &delivery_instance;
}
export fn delivery_value_ptr() [*]f32 {
    return &delivery_value;
}

/// Every entity's update: its offset to `out`, its signals to the signal buffer; returns how many.
export fn w4_update(n: u32, dt: f32) u32 {
    var q: u32 = 0;
    for (0..n) |i| {
        const index: u32 = @intCast(i);
        out[i * 3] = logic.inboxOffset(inbox[i], dt);
        out[i * 3 + 1] = 0;
        out[i * 3 + 2] = 0;
        inbox[i] = 0;
        var k: u32 = 0;
        while (k < logic.signals_per_entity) : (k += 1) {
            signal_target[q] = logic.signalTarget(index, k, n);
            signal_value[q] = logic.signalValue(index, k);
            q += 1;
        }
    }
    return q;
}

/// The onSignal handler over `count` deliveries.
export fn w4_deliver(count: u32) void {
    for (delivery_instance[0..count], delivery_value[0..count]) |instance, value| inbox[instance] += value;
}
