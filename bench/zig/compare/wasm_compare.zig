//! The comparison workloads as a wasm32-freestanding module for Chicory: the same
//! compare_logic.zig as the Kiln scripts, behind a sandbox. The host (ChicoryImpl) copies the
//! positions it needs into this module's memory, calls one export per frame, and applies the
//! offsets the module wrote to `out` (the module's command buffer) to the world.

const logic = @import("compare_logic.zig");

const entities_max = 100_000;
const max_neighbours = 64;

var movers: [entities_max]logic.Mover = undefined;
/// Written by the host before w2_update: xyz per entity.
var positions: [entities_max * 3]f32 = undefined;
/// Written by the module: xyz offset to translate each entity by.
var out: [entities_max * 3]f32 = undefined;
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

const signals_max = entities_max * logic.signals_per_entity;
var inbox: [entities_max]f32 = @splat(0);
/// Written by w4_update: target entity index and payload of each signal sent this frame.
var signal_target: [signals_max]u32 = undefined;
var signal_value: [signals_max]f32 = undefined;
/// Written by the host before w4_deliver: receiving instance and payload of each delivery.
var delivery_instance: [signals_max]u32 = undefined;
var delivery_value: [signals_max]f32 = undefined;

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

// ---- W5 layered: the three bench_layer scripts (bench/zig/bench/bench_layer_*.zig) per
// entity, each with its own State; the host applies each phase's output before the next ----

const LayerPre = struct { turn_rate: f32 = 0.5, speed: f32 = 1 };
const LayerUpdate = struct { bob_speed: f32 = 0.25, rest_height: f32 = 0 };
const LayerPost = struct { half_extent: f32 = 500, corrections: u32 = 0 };

var layer_pre: [entities_max]LayerPre = undefined;
var layer_update: [entities_max]LayerUpdate = undefined;
var layer_post: [entities_max]LayerPost = undefined;
/// Written by w5_post: 1 where the entity is to be put back at the origin.
var reset: [entities_max]u8 = undefined;

export fn reset_ptr() [*]u8 {
    return &reset;
}

export fn w5_init(n: u32) void {
    for (0..n) |i| {
        layer_pre[i] = .{};
        layer_update[i] = .{};
        layer_post[i] = .{};
    }
}

/// pre_update: each entity's velocity to `out`.
export fn w5_pre(n: u32, time: f64) void {
    for (layer_pre[0..n], 0..) |*self, i| {
        const heading: f32 = @floatCast(time * self.turn_rate);
        out[i * 3] = @cos(heading) * self.speed;
        out[i * 3 + 1] = 0;
        out[i * 3 + 2] = @sin(heading) * self.speed;
    }
}

/// update: reads positions (written by the host), each entity's translate to `out`.
export fn w5_update(n: u32, dt: f32) void {
    for (layer_update[0..n], 0..) |*self, i| {
        const direction: f32 = if (positions[i * 3 + 1] > self.rest_height) -1 else 1;
        out[i * 3] = 0;
        out[i * 3 + 1] = direction * self.bob_speed * dt;
        out[i * 3 + 2] = 0;
    }
}

/// post_update: reads positions again, marks entities outside the box in `reset`.
export fn w5_post(n: u32) void {
    for (layer_post[0..n], 0..) |*self, i| {
        const h = self.half_extent;
        const x = positions[i * 3];
        const y = positions[i * 3 + 1];
        const z = positions[i * 3 + 2];
        const inside = @abs(x) <= h and @abs(y) <= h and @abs(z) <= h;
        reset[i] = if (inside) 0 else 1;
        if (!inside) self.corrections += 1;
    }
}
