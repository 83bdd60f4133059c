//! Reads from the snapshot tables the engine publishes after every barrier. Everything here is
//! a plain memory read; lookups are binary searches over tables the engine keeps sorted.

const std = @import("std");
const abi = @import("abi.zig");

pub fn entityIndex(handle: u64) u32 {
    return @truncate(handle);
}

pub fn entityGeneration(handle: u64) u32 {
    return @truncate(handle >> 32);
}

/// The snapshot struct_version from which the engine publishes live_generations.
pub const live_generations_version: u32 = 2;

/// True when `handle` names a live entity (the same answer as liveRow != null). On an engine that
/// publishes live_generations it reads that 4-byte entry, not the 64-byte row: the target check of
/// every request and signal, so a random target costs a line shared with 15 others.
pub fn isLive(snap: *const abi.Snapshot, handle: u64) bool {
    const generation = entityGeneration(handle);
    if (generation == 0 or generation == abi.pending_generation) return false;
    const index = entityIndex(handle);
    if (index >= snap.entity_capacity) return false;
    if (snap.struct_version >= live_generations_version) {
        // 0 for a dead row, and a live handle's generation is never 0: one compare says both.
        if (snap.live_generations) |table| return table[index] == generation;
    }
    return liveRow(snap, handle) != null;
}

/// The snapshot struct_version from which the engine publishes the position table.
pub const position_table_version: u32 = 3;

/// The position of the live entity `handle` names, or null when it is stale, null or out of
/// range: from the position table's entry (position and liveness in 16 bytes) when the engine
/// publishes one, else from its row. This library declares abi.reads_position_table, so the
/// engine may leave the rows' positions stale.
pub fn livePosition(snap: *const abi.Snapshot, handle: u64) ?abi.Vec3 {
    if (snap.struct_version >= position_table_version) {
        if (snap.positions) |table| {
            const generation = entityGeneration(handle);
            const index = entityIndex(handle);
            // a live entry's generation is never 0 or pending: one compare says both
            if (generation == abi.pending_generation or index >= snap.entity_capacity) return null;
            const entry = &table[index];
            return if (entry.generation == generation and generation != 0) entry.position else null;
        }
    }
    const row = liveRow(snap, handle) orelse return null;
    return row.position;
}

/// The row of a live handle, or null when the handle is stale, null or out of range.
pub fn liveRow(snap: *const abi.Snapshot, handle: u64) ?*const abi.EntityRow {
    const index = entityIndex(handle);
    const generation = entityGeneration(handle);
    if (generation == 0 or generation == abi.pending_generation) return null;
    if (index >= snap.entity_capacity) return null;
    const row = &snap.entities[index];
    if (row.flags & abi.row_alive == 0 or row.generation != generation) return null;
    return row;
}

/// Entities carrying a tag, sorted by index; empty when no entity has it.
pub fn tagged(snap: *const abi.Snapshot, tag_hash: u64) []const u64 {
    const buckets = snap.tag_buckets[0..snap.tag_bucket_count];
    if (buckets.len == 0) return &.{};
    // Halving the range, no early exit (a compare and a conditional move per step; no step at
    // all for a scene with one tag): the last bucket whose hash is at most tag_hash. The
    // indices stay below buckets.len by construction, so they are not checked again.
    var base: usize = 0;
    var len = buckets.len;
    while (len > 1) {
        @setRuntimeSafety(false);
        const half = len / 2;
        if (buckets[base + half].tag_hash <= tag_hash) base += half;
        len -= half;
    }
    const bucket = buckets[base];
    if (bucket.tag_hash != tag_hash) return &.{};
    return snap.tag_entities[bucket.first .. bucket.first + bucket.count];
}

pub fn hasTag(snap: *const abi.Snapshot, tag_hash: u64, handle: u64) bool {
    const list = tagged(snap, tag_hash);
    const index = entityIndex(handle);
    var lo: usize = 0;
    var hi: usize = list.len;
    while (lo < hi) {
        const mid = lo + (hi - lo) / 2;
        if (entityIndex(list[mid]) < index) lo = mid + 1 else hi = mid;
    }
    return lo < list.len and list[lo] == handle;
}

pub fn componentTable(snap: *const abi.Snapshot, type_hash: u64) ?*const abi.ComponentTable {
    for (snap.component_tables[0..snap.component_table_count]) |*table| {
        if (table.type_hash == type_hash) return table;
    }
    return null;
}

pub fn findVar(snap: *const abi.Snapshot, entity_index: u32, key_hash: u64) ?*const abi.VarEntry {
    const vars = snap.vars[0..snap.var_count];
    var lo: usize = 0;
    var hi: usize = vars.len;
    while (lo < hi) {
        const mid = lo + (hi - lo) / 2;
        const v = vars[mid];
        const less = v.entity_index < entity_index or
            (v.entity_index == entity_index and v.key_hash < key_hash);
        if (less) lo = mid + 1 else hi = mid;
    }
    if (lo == vars.len) return null;
    const found = &vars[lo];
    if (found.entity_index != entity_index or found.key_hash != key_hash) return null;
    return found;
}

pub fn findSpawnResult(snap: *const abi.Snapshot, request_low_bits: u32) ?u64 {
    // Results are sorted by id (two frames' spawns: thousands for a spawner scene); ids wrap only
    // after 2^32 spawns.
    const results = snap.spawn_results[0..snap.spawn_result_count];
    if (results.len == 0) return null;
    // Ids are handed out one after another and every applied or failed spawn has a result, so
    // the table is usually dense: id - first id is the index. Checked, never trusted.
    const guess: usize = request_low_bits -% @as(u32, @truncate(results[0].request_id));
    if (guess < results.len and @as(u32, @truncate(results[guess].request_id)) == request_low_bits) {
        return results[guess].entity;
    }
    // Else the first id not below it, without a branch per step: a branchy search mispredicted
    // half its steps, most of a spawner script's time.
    var base: usize = 0;
    var len: usize = results.len;
    while (len > 1) {
        const half = len / 2;
        base += half * @intFromBool(@as(u32, @truncate(results[base + half].request_id)) < request_low_bits);
        len -= half;
    }
    base += @intFromBool(@as(u32, @truncate(results[base].request_id)) < request_low_bits);
    if (base == results.len or @as(u32, @truncate(results[base].request_id)) != request_low_bits) return null;
    return results[base].entity;
}

/// kiln_cell_hash of kiln.h.
pub fn cellHash(cx: i32, cy: i32, cz: i32) u32 {
    const ux: u32 = @bitCast(cx);
    const uy: u32 = @bitCast(cy);
    const uz: u32 = @bitCast(cz);
    return (ux *% 73856093) ^ (uy *% 19349663) ^ (uz *% 83492791);
}

/// Calls `visit(context, handle, distance_squared)` for every live entity within `radius` of
/// `center`. Each entity is visited once even when several cells share a bucket.
/// Queries spanning at most this many cells dedupe buckets instead of checking each candidate's cell.
const max_deduped_cells = 64;

/// A query's reader of each candidate entity: the position table's 16-byte entry (position and
/// liveness in one line), chosen once per query so each form has a loop of its own. Reading a
/// position from the table and liveness from live_generations, or choosing the table per
/// candidate, cost W2 a fifth to a third more than the 64-byte row did.
const TableCandidates = struct {
    table: [*]const abi.PositionEntry,

    /// The generation of the entity at `index` while it is alive, 0 when it is not.
    inline fn generation(self: TableCandidates, index: u32) u32 {
        return self.table[index].generation;
    }

    inline fn position(self: TableCandidates, index: u32) abi.Vec3 {
        return self.table[index].position;
    }
};

/// The rows, on an engine without the position table.
const RowCandidates = struct {
    rows: [*]const abi.EntityRow,

    inline fn generation(self: RowCandidates, index: u32) u32 {
        const row = &self.rows[index];
        return if (row.flags & abi.row_alive == 0) 0 else row.generation;
    }

    inline fn position(self: RowCandidates, index: u32) abi.Vec3 {
        return self.rows[index].position;
    }
};

pub fn forEachNearby(
    snap: *const abi.Snapshot,
    center: abi.Vec3,
    radius: f32,
    context: anytype,
    comptime visit: fn (@TypeOf(context), u64, f32) void,
) void {
    if (snap.struct_version >= position_table_version) {
        if (snap.positions) |table| return nearbyIn(snap, TableCandidates{ .table = table }, center, radius, context, visit);
    }
    nearbyIn(snap, RowCandidates{ .rows = snap.entities }, center, radius, context, visit);
}

fn nearbyIn(
    snap: *const abi.Snapshot,
    candidates: anytype,
    center: abi.Vec3,
    radius: f32,
    context: anytype,
    comptime visit: fn (@TypeOf(context), u64, f32) void,
) void {
    const grid = snap.grid;
    if (!(radius >= 0)) return;
    // The engine keeps the grid built only while scripts query it: every query says so.
    @as(*volatile u32, @constCast(&snap.grid_wanted)).* = 1;
    if (grid.valid == 0 or grid.bucket_count == 0) {
        // Stale (nobody queried for a while): scan the rows this time, correct but slower.
        const r2 = radius * radius;
        var index: u32 = 0;
        while (index < snap.entity_capacity) : (index += 1) visitIndex(candidates, index, center, r2, context, visit);
        return;
    }
    const inv = 1.0 / grid.cell_size;
    const lo_x = cellCoord(center.x - radius, inv);
    const hi_x = cellCoord(center.x + radius, inv);
    const lo_y = cellCoord(center.y - radius, inv);
    const hi_y = cellCoord(center.y + radius, inv);
    const lo_z = cellCoord(center.z - radius, inv);
    const hi_z = cellCoord(center.z + radius, inv);
    const r2 = radius * radius;
    const cells_wide: i64 = (@as(i64, hi_x) - lo_x + 1) * (@as(i64, hi_y) - lo_y + 1) * (@as(i64, hi_z) - lo_z + 1);
    if (cells_wide > grid.bucket_count) {
        // The query covers more cells than there are buckets: scan every bucket once instead.
        for (grid.bucket_entities[0..grid.entity_count]) |index| {
            visitIndex(candidates, index, center, r2, context, visit);
        }
        return;
    }
    if (cells_wide <= max_deduped_cells) {
        // Scan each distinct bucket of the query's cells once and let the distance test reject
        // entities of other cells hashed into it: no per-candidate cell computation (which was
        // over half of a neighbour query's time), and no entity visited twice.
        // `seen_bits` has bit (bucket mod 64) of every bucket seen: a bucket whose bit is clear
        // is new without searching `seen` (the search was ~n²/2 compares per query).
        var seen: [max_deduped_cells]u32 = undefined;
        var seen_count: usize = 0;
        var seen_bits: u64 = 0;
        var bx = lo_x;
        while (bx <= hi_x) : (bx += 1) {
            var by = lo_y;
            while (by <= hi_y) : (by += 1) {
                var bz = lo_z;
                cells: while (bz <= hi_z) : (bz += 1) {
                    const bucket = cellHash(bx, by, bz) & (grid.bucket_count - 1);
                    const bit = @as(u64, 1) << @intCast(bucket & 63);
                    if (seen_bits & bit != 0) {
                        for (seen[0..seen_count]) |b| if (b == bucket) continue :cells;
                    }
                    seen_bits |= bit;
                    seen[seen_count] = bucket;
                    seen_count += 1;
                    const start = grid.bucket_start[bucket];
                    const end = grid.bucket_start[bucket + 1];
                    for (grid.bucket_entities[start..end]) |index| visitIndex(candidates, index, center, r2, context, visit);
                }
            }
        }
        return;
    }
    var cx = lo_x;
    while (cx <= hi_x) : (cx += 1) {
        var cy = lo_y;
        while (cy <= hi_y) : (cy += 1) {
            var cz = lo_z;
            while (cz <= hi_z) : (cz += 1) {
                const bucket = cellHash(cx, cy, cz) & (grid.bucket_count - 1);
                const start = grid.bucket_start[bucket];
                const end = grid.bucket_start[bucket + 1];
                for (grid.bucket_entities[start..end]) |index| {
                    // Several cells can share a bucket: take an entity only from its own cell,
                    // so each is visited once.
                    const p = candidates.position(index);
                    if (cellCoord(p.x, inv) != cx or cellCoord(p.y, inv) != cy or
                        cellCoord(p.z, inv) != cz) continue;
                    visitIndex(candidates, index, center, r2, context, visit);
                }
            }
        }
    }
}

/// Inline: out of line (as the compiler chose for a query's visitor with real work) it was a
/// call per candidate entity, ≈ 12 % of W2's script time.
inline fn visitIndex(
    candidates: anytype,
    index: u32,
    center: abi.Vec3,
    r2: f32,
    context: anytype,
    comptime visit: fn (@TypeOf(context), u64, f32) void,
) void {
    const generation = candidates.generation(index);
    if (generation == 0) return;
    const p = candidates.position(index);
    const dx = p.x - center.x;
    const dy = p.y - center.y;
    const dz = p.z - center.z;
    const d2 = dx * dx + dy * dy + dz * dz;
    if (d2 <= r2) visit(context, (@as(u64, generation) << 32) | index, d2);
}

/// kiln_cell_coord of kiln.h, step for step: floor(value * inv_cell) in f32, clamped to ±1e9,
/// a NaN product giving 0 (a query's center may be anything).
pub fn cellCoord(value: f32, inv_cell: f32) i32 {
    const scaled = value * inv_cell;
    if (scaled != scaled) return 0; // NaN: no cast of it (not defined)
    if (scaled <= -1.0e9) return -1000000000;
    if (scaled >= 1.0e9) return 1000000000;
    const truncated: i32 = @intFromFloat(scaled); // toward zero; floor is one less below zero
    return if (@as(f32, @floatFromInt(truncated)) > scaled) truncated - 1 else truncated;
}

test "findSpawnResult finds what a linear search finds, in dense tables and in tables with gaps" {
    // Run by SpawnResultLookupTest (zig test zig/sdk/snapshot.zig); not compiled into scripts.
    var prng = std.Random.DefaultPrng.init(42);
    const r = prng.random();
    var buf: [300]abi.SpawnResult = undefined;
    var snap: abi.Snapshot = std.mem.zeroes(abi.Snapshot);
    var trial: usize = 0;
    while (trial < 3000) : (trial += 1) {
        const n = r.uintLessThan(usize, buf.len);
        var id: u32 = r.int(u32) % 50 + @as(u32, if (r.boolean()) 0 else 0x7FFF_FF00);
        const gaps = r.boolean();
        for (buf[0..n], 0..) |*e, i| {
            id += if (gaps and r.uintLessThan(u32, 4) == 0) 1 + r.uintLessThan(u32, 3) else 1;
            e.* = .{ .request_id = id, .entity = i + 1 };
        }
        snap.spawn_results = &buf;
        snap.spawn_result_count = @intCast(n);
        var k: usize = 0;
        while (k < 50) : (k += 1) {
            const near = n > 0 and r.boolean();
            const key: u32 = if (near) @as(u32, @truncate(buf[r.uintLessThan(usize, n)].request_id)) +% r.uintLessThan(u32, 2) else r.int(u32);
            var want: ?u64 = null;
            for (buf[0..n]) |e| {
                if (@as(u32, @truncate(e.request_id)) == key) {
                    want = e.entity;
                    break;
                }
            }
            try std.testing.expectEqual(want, findSpawnResult(&snap, key));
        }
    }
}

test "tagged finds what a linear search finds, for every number of buckets" {
    // Run by SpawnResultLookupTest (zig test zig/sdk/snapshot.zig); not compiled into scripts.
    var prng = std.Random.DefaultPrng.init(7);
    const r = prng.random();
    var buckets: [40]abi.TagBucket = undefined;
    var entities: [64]u64 = undefined;
    for (&entities, 0..) |*e, i| e.* = i + 1;
    var snap: abi.Snapshot = std.mem.zeroes(abi.Snapshot);
    snap.tag_buckets = &buckets;
    snap.tag_entities = &entities;
    var trial: usize = 0;
    while (trial < 2000) : (trial += 1) {
        const n = r.uintLessThan(usize, buckets.len + 1);
        var hash: u64 = r.uintLessThan(u64, 8);
        for (buckets[0..n]) |*b| {
            hash += 1 + r.uintLessThan(u64, if (r.boolean()) 3 else 1 << 40); // strictly ascending
            const first = r.uintLessThan(u32, entities.len);
            b.* = .{ .tag_hash = hash, .first = first, .count = r.uintLessThan(u32, @intCast(entities.len - first + 1)) };
        }
        snap.tag_bucket_count = @intCast(n);
        var k: usize = 0;
        while (k < 40) : (k += 1) {
            const key: u64 = if (n > 0 and r.boolean()) buckets[r.uintLessThan(usize, n)].tag_hash +% r.uintLessThan(u64, 3) -% 1 else r.int(u64);
            var want: []const u64 = &.{};
            for (buckets[0..n]) |b| {
                if (b.tag_hash == key) want = entities[b.first .. b.first + b.count];
            }
            const got = tagged(&snap, key);
            try std.testing.expectEqual(want.len, got.len);
            if (want.len > 0) try std.testing.expectEqual(want.ptr, got.ptr);
        }
    }
}
