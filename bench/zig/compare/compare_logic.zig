//! The gameplay logic of the comparison workloads (docs/performance.md, "Against the
//! alternatives"), as plain functions with no engine types. The Kiln scripts (cmp_*.zig), the
//! standalone floor (floor_w1.zig) and the wasm module run under Chicory (wasm_compare.zig) all
//! import this one file, so every Zig-built implementation runs the same source. The Java, Lua
//! and Dominion implementations transcribe it (dev.kiln.bench.compare.Logic).
//!
//! The engine's build cache keys a script by its own file and the SDK, not by files it imports;
//! CompareSupport.buildDir therefore builds into a directory named by the hash of this folder.

/// W1 per-entity state: a constant planar velocity and the phase of a small vertical wobble.
pub const Mover = extern struct {
    vx: f32 = 0,
    vz: f32 = 0,
    phase: f32 = 0,
};

/// Deterministic initial state of entity `index` (indices are 0..N-1 in spawn order).
pub fn moverInit(index: u32) Mover {
    return .{
        .vx = 1.0 + @as(f32, @floatFromInt(index % 7)) * 0.25,
        .vz = 0.5 - @as(f32, @floatFromInt(index % 5)) * 0.25,
        .phase = @as(f32, @floatFromInt(index % 16)) * 0.0625,
    };
}

/// W1: advances the wobble and returns the offset to translate by this frame:
/// velocity · dt plus a triangle-wave wobble of ±0.05 units/s on y.
pub fn moverStep(m: *Mover, dt: f32) [3]f32 {
    var p = m.phase + dt;
    if (p >= 1.0) p -= 1.0;
    m.phase = p;
    const wobble = (@abs(p * 2.0 - 1.0) - 0.5) * 0.1;
    return .{ m.vx * dt, wobble * dt, m.vz * dt };
}

/// W2: neighbour radius, in world units (entities start 2 units apart: ≈ 8 neighbours each).
pub const boids_radius: f32 = 3.0;
/// W2: how strongly an entity steers toward its neighbours' mean offset, per second.
pub const boids_cohesion: f32 = 0.5;
/// W2: velocity kept per frame.
pub const boids_damping: f32 = 0.99;

/// W2: steers `m`'s velocity by the summed offset (sum of neighbour − self positions) of
/// `count` neighbours, then returns the offset to translate by this frame.
pub fn boidsStep(m: *Mover, sum_x: f32, sum_z: f32, count: u32, dt: f32) [3]f32 {
    if (count > 0) {
        const inv = 1.0 / @as(f32, @floatFromInt(count));
        m.vx = (m.vx + sum_x * inv * boids_cohesion * dt) * boids_damping;
        m.vz = (m.vz + sum_z * inv * boids_cohesion * dt) * boids_damping;
    }
    return .{ m.vx * dt, 0, m.vz * dt };
}

/// W3: spawners, and entities each spawns per frame (1,000 spawned + 1,000 despawned a frame).
pub const churn_spawners: u32 = 10;
pub const churn_per_spawner: u32 = 100;

/// W3: where spawner `spawner` puts its `k`-th entity in frame `frame`.
pub fn churnPosition(spawner: u32, k: u32, frame: u64) [3]f32 {
    return .{
        @as(f32, @floatFromInt(spawner)) * 10.0,
        @as(f32, @floatFromInt(frame % 64)),
        @as(f32, @floatFromInt(k)) * 0.5,
    };
}

/// W4: signals each entity sends per frame (10,000 entities → 100,000 signals a frame).
pub const signals_per_entity: u32 = 10;

/// W4: the target of sender `index`'s `k`-th signal among `n` entities, and its payload.
pub fn signalTarget(index: u32, k: u32, n: u32) u32 {
    return (index + 1 + k * 97) % n;
}
pub fn signalValue(index: u32, k: u32) f32 {
    return @as(f32, @floatFromInt((index + k) % 13)) * 0.125;
}

/// W4: what an entity translates by (on x) for the signals it received last dispatch.
pub fn inboxOffset(inbox: f32, dt: f32) f32 {
    return inbox * 0.01 * dt;
}

/// W6 ("a real game's mix"): instances per library; library `l` runs on entities 5l .. 5l+4.
pub const mix_instances_per_library: u32 = 5;
/// W6: positions of other entities each instance reads per update.
pub const mix_reads: u32 = 3;
/// W6: how strongly an instance steers toward the mean offset of the entities it reads.
pub const mix_gain: f32 = 0.02;

/// W6: the phase library `l` runs in (0 pre_update, 1 update, 2 post_update).
pub fn mixPhase(library: u32) u32 {
    return library % 3;
}

/// W6: requests each instance of library `l` posts per update (1–3: translate, then
/// setVelocity, then setScale), so every phase has libraries of every request count.
pub fn mixRequests(library: u32) u32 {
    return 1 + (library / 3) % 3;
}

/// W6: the index of the `j`-th entity the instance on entity `index` reads, among `n`.
pub fn mixRead(index: u32, j: u32, n: u32) u32 {
    return (index + 1 + j * 131) % n;
}

/// W6: the translate of this update from the summed offset (others − self) of the
/// `mix_reads` entities read, plus the library's own drift.
pub fn mixOffset(library: u32, sum_x: f32, sum_z: f32, dt: f32) [3]f32 {
    const inv = 1.0 / @as(f32, @floatFromInt(mix_reads));
    const drift_x = 0.5 + @as(f32, @floatFromInt(library % 11)) * 0.01;
    const drift_z = -0.3 + @as(f32, @floatFromInt(library % 13)) * 0.01;
    return .{ (sum_x * inv * mix_gain + drift_x) * dt, 0, (sum_z * inv * mix_gain + drift_z) * dt };
}

/// W6: the velocity libraries with 2 or more requests set every update.
pub fn mixVelocity(library: u32) [3]f32 {
    return .{
        @as(f32, @floatFromInt(@as(i32, @intCast(library % 5)) - 2)) * 0.1,
        0,
        @as(f32, @floatFromInt(@as(i32, @intCast(library % 7)) - 3)) * 0.1,
    };
}

/// W6: the uniform scale libraries with 3 requests set every update.
pub fn mixScale(library: u32) f32 {
    return 1.0 + @as(f32, @floatFromInt(library % 4)) * 0.05;
}
