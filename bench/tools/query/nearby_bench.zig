//! The SDK's neighbour query alone, without the engine or the JVM (docs/performance.md, "W2's
//! neighbour query"): W2's world — 10,000 live rows 2 units apart on a square in the XZ plane,
//! the engine's default 4-unit cells and its bucket count for 10,000 entities — and one query
//! of radius 3 around every entity, as cmp_w2_boids does. Prints the best of 20 rounds, in ns
//! per query, six times. Run with run.sh (builds it ReleaseSafe beside a copy of the tree's SDK).

const std = @import("std");
const abi = @import("abi.zig");
const snapshot = @import("snapshot.zig");

const entities = 10_000;
const side = 100;
const spacing = 2.0;
const cell_size = 4.0;
const radius = 3.0;
/// SpatialGrid.java: highestOneBit(max(BUCKETS_MIN, 2n - 1)) << 1 for n live entities.
const bucket_count: u32 = 32768;

const Counter = struct {
    visits: u64 = 0,
    sum: f32 = 0,
};

fn visit(counter: *Counter, handle: u64, distance_squared: f32) void {
    counter.visits += handle >> 32; // generation 1: one per visit
    counter.sum += distance_squared;
}

fn bucketOf(p: abi.Vec3) u32 {
    const inv = 1.0 / cell_size;
    const cx: i32 = @intFromFloat(@floor(p.x * inv));
    const cy: i32 = @intFromFloat(@floor(p.y * inv));
    const cz: i32 = @intFromFloat(@floor(p.z * inv));
    return snapshot.cellHash(cx, cy, cz) & (bucket_count - 1);
}

pub fn main() !void {
    const allocator = std.heap.page_allocator;
    const rows = try allocator.alloc(abi.EntityRow, entities);
    for (rows, 0..) |*row, i| {
        row.* = std.mem.zeroes(abi.EntityRow);
        row.generation = 1;
        row.flags = abi.row_alive;
        row.position = .{ .x = @as(f32, @floatFromInt(i % side)) * spacing, .y = 0, .z = @as(f32, @floatFromInt(i / side)) * spacing };
    }
    // The grid as SpatialGrid.java builds it: a counting sort of entity indices by bucket.
    const start = try allocator.alloc(u32, bucket_count + 1);
    @memset(start, 0);
    for (rows) |row| start[bucketOf(row.position) + 1] += 1;
    for (0..bucket_count) |b| start[b + 1] += start[b];
    const cursor = try allocator.alloc(u32, bucket_count);
    @memcpy(cursor, start[0..bucket_count]);
    const members = try allocator.alloc(u32, entities);
    for (rows, 0..) |row, i| {
        const b = bucketOf(row.position);
        members[cursor[b]] = @intCast(i);
        cursor[b] += 1;
    }
    var snap = std.mem.zeroes(abi.Snapshot);
    snap.entity_capacity = entities;
    snap.entities = rows.ptr;
    snap.grid = .{ .cell_size = cell_size, .bucket_count = bucket_count, .bucket_start = start.ptr, .bucket_entities = members.ptr, .entity_count = entities, .valid = 1 };

    for (0..6) |_| {
        var best: u64 = std.math.maxInt(u64);
        var counter = Counter{};
        for (0..20) |_| {
            const t0 = now();
            for (rows) |row| snapshot.forEachNearby(&snap, row.position, radius, &counter, visit);
            best = @min(best, now() - t0);
        }
        std.debug.print("{d:.1} ns per query ({d} entities visited per query)\n", .{
            @as(f64, @floatFromInt(best)) / entities, counter.visits / (20 * entities),
        });
    }
}

fn now() u64 {
    var ts: std.c.timespec = undefined;
    _ = std.c.clock_gettime(.MONOTONIC, &ts);
    return @intCast(ts.sec * 1_000_000_000 + ts.nsec);
}
