//! Containers a script may keep in its State: `kiln.List(T)`, `kiln.String` and `kiln.Map(K, V)`.
//!
//! State is copied into the new library on every hot reload, so it cannot hold pointers or
//! slices (reflect.checkReloadSafe refuses them). A container field holds only a handle (8 bytes,
//! abi.Handle); its elements live in memory the engine owns per instance (abi.Heap, through
//! `ctx.frame.heap`). So a container survives reloads, the engine migrates its elements when
//! the element type changes (docs/reload.md), counts them against the instance's memory budget,
//! and frees them when the instance detaches. Every call takes the hook's `ctx`, the way Zig's
//! unmanaged containers take their allocator.
//!
//! A slice from `items` is valid until the next call that may grow, shrink or free the same
//! container (or any container of the instance: growing may move the block table); never keep
//! it in State.

const std = @import("std");
const abi = @import("abi.zig");
const kiln = @import("kiln.zig");
const reflect = @import("reflect.zig");

/// Largest element the engine's blocks hold (bytes); larger elements are refused at compile time.
pub const element_size_max: usize = 64 * 1024;
/// Elements are aligned to at most this (the engine's blocks are 16-byte aligned).
pub const element_align_max: usize = 16;

/// A growable list of `T` in engine memory. The default value (`.{}`) is an empty list; nothing
/// is allocated until the first append.
pub fn List(comptime T: type) type {
    comptime checkElement(T);
    return extern struct {
        handle: abi.Handle = .{},

        const Self = @This();
        /// reflect.typeJson describes a State field of this type as {"t":"list", "elem": T}.
        pub const kiln_list_element = T;

        /// Elements in the list.
        pub fn len(self: Self, ctx: *const kiln.Context) usize {
            const b = blockOf(self.handle, ctx) orelse return 0;
            return b.len;
        }

        /// The elements, in order: valid until the next call that may change the container.
        pub fn items(self: Self, ctx: *const kiln.Context) []T {
            const b = blockOf(self.handle, ctx) orelse return &.{};
            const data = b.data orelse return &.{};
            const ptr: [*]T = @ptrCast(@alignCast(data));
            return ptr[0..b.len];
        }

        /// The element at `index`, or null past the end.
        pub fn get(self: Self, ctx: *const kiln.Context, index: usize) ?T {
            const all = self.items(ctx);
            return if (index < all.len) all[index] else null;
        }

        pub fn last(self: Self, ctx: *const kiln.Context) ?T {
            const all = self.items(ctx);
            return if (all.len == 0) null else all[all.len - 1];
        }

        /// Appends `value`; error.OutOfMemory over the instance's memory budget (logged).
        pub inline fn append(self: *Self, ctx: *kiln.Context, value: T) kiln.Error!void {
            const b = try self.room(ctx, 1, "append");
            const ptr: [*]T = @ptrCast(@alignCast(b.data.?));
            ptr[b.len] = value;
            b.len += 1;
        }

        pub fn appendSlice(self: *Self, ctx: *kiln.Context, values: []const T) kiln.Error!void {
            if (values.len == 0) return;
            const b = try self.room(ctx, values.len, "appendSlice");
            const ptr: [*]T = @ptrCast(@alignCast(b.data.?));
            @memcpy(ptr[b.len .. b.len + values.len], values);
            b.len += @intCast(values.len);
        }

        /// Appends `n` copies of `value`.
        pub fn appendNTimes(self: *Self, ctx: *kiln.Context, value: T, n: usize) kiln.Error!void {
            if (n == 0) return;
            const b = try self.room(ctx, n, "appendNTimes");
            const ptr: [*]T = @ptrCast(@alignCast(b.data.?));
            @memset(ptr[b.len .. b.len + n], value);
            b.len += @intCast(n);
        }

        /// Inserts `value` at `index` (≤ len), moving the later elements up.
        pub fn insert(self: *Self, ctx: *kiln.Context, index: usize, value: T) kiln.Error!void {
            const n = self.len(ctx);
            if (index > n) return fail(ctx, "insert", error.InvalidArgument);
            const b = try self.room(ctx, 1, "insert");
            const ptr: [*]T = @ptrCast(@alignCast(b.data.?));
            std.mem.copyBackwards(T, ptr[index + 1 .. n + 1], ptr[index..n]);
            ptr[index] = value;
            b.len += 1;
        }

        /// Removes and returns the last element, or null when empty.
        pub fn pop(self: *Self, ctx: *kiln.Context) ?T {
            const b = blockOf(self.handle, ctx) orelse return null;
            if (b.len == 0) return null;
            b.len -= 1;
            const ptr: [*]T = @ptrCast(@alignCast(b.data.?));
            return ptr[b.len];
        }

        /// Removes the element at `index`, keeping the order of the rest.
        pub fn orderedRemove(self: *Self, ctx: *kiln.Context, index: usize) ?T {
            const all = self.items(ctx);
            if (index >= all.len) return null;
            const value = all[index];
            std.mem.copyForwards(T, all[index .. all.len - 1], all[index + 1 ..]);
            blockOf(self.handle, ctx).?.len -= 1;
            return value;
        }

        /// Removes the element at `index` by moving the last one into its place (O(1)).
        pub fn swapRemove(self: *Self, ctx: *kiln.Context, index: usize) ?T {
            const all = self.items(ctx);
            if (index >= all.len) return null;
            const value = all[index];
            all[index] = all[all.len - 1];
            blockOf(self.handle, ctx).?.len -= 1;
            return value;
        }

        /// Keeps at most `n` elements (the first ones).
        pub fn shrink(self: *Self, ctx: *kiln.Context, n: usize) void {
            const b = blockOf(self.handle, ctx) orelse return;
            if (n < b.len) b.len = @intCast(n);
        }

        /// Empties the list, keeping its memory for later appends.
        pub fn clear(self: *Self, ctx: *kiln.Context) void {
            self.shrink(ctx, 0);
        }

        /// Makes room for `n` elements in total without further allocation.
        pub fn ensureTotalCapacity(self: *Self, ctx: *kiln.Context, n: usize) kiln.Error!void {
            const have = self.len(ctx);
            if (n > have) _ = try self.room(ctx, n - have, "ensureTotalCapacity");
        }

        /// Frees the list's memory (back to the instance's budget); the list is empty again.
        pub fn deinit(self: *Self, ctx: *kiln.Context) void {
            const heap = heapOf(ctx) orelse return;
            ctx.cached_block = null;
            _ = heap.release(heap, ctx.instance.instance_id, &self.handle);
            self.handle = .{};
        }

        /// The block with room for `extra` more elements. The common case (the same container
        /// as the last call, with room) reads the handle, the context's cache and the block;
        /// growing asks the engine, which may move the block table.
        inline fn room(self: *Self, ctx: *kiln.Context, extra: usize, comptime api: []const u8) kiln.Error!*abi.Block {
            comptime reflect.refuseNested(Self, null);
            if (ctx.cached_block) |b| {
                if (ctx.cached_handle == self.handle.bits() and b.capacity - b.len >= extra) return b;
            }
            return roomSlow(self, ctx, extra, api);
        }

        fn roomSlow(self: *Self, ctx: *kiln.Context, extra: usize, comptime api: []const u8) kiln.Error!*abi.Block {
            const heap = heapOf(ctx) orelse return fail(ctx, api, error.OutOfMemory);
            var have: usize = 0;
            if (heap.block(self.handle)) |b| {
                // Another instance's block (a handle edited into State) goes to the engine, which refuses it.
                if (b.owner == ctx.instance.instance_id and b.capacity - b.len >= extra) return remember(ctx, self.handle, b);
                have = b.len;
            }
            return grow(heap, ctx, &self.handle, have + extra, api);
        }

        fn grow(heap: *abi.Heap, ctx: *kiln.Context, handle: *abi.Handle, want: usize, comptime api: []const u8) kiln.Error!*abi.Block {
            ctx.cached_block = null; // the engine may move the block table
            if (want > std.math.maxInt(u32)) return fail(ctx, api, error.OutOfMemory);
            const status = heap.reserve(heap, ctx.instance.instance_id, handle, @sizeOf(T), @intCast(want));
            switch (status) {
                .ok => return remember(ctx, handle.*, heap.block(handle.*).?),
                .out_of_memory => return fail(ctx, api, error.OutOfMemory),
                else => return fail(ctx, api, error.InvalidArgument),
            }
        }

        // ---- String (List(u8)) ------------------------------------------------------------

        /// The text (String only): valid until the next call that may change it.
        pub fn slice(self: Self, ctx: *const kiln.Context) []const u8 {
            comptime requireBytes();
            return self.items(ctx);
        }

        /// Replaces the text (String only).
        pub fn set(self: *Self, ctx: *kiln.Context, text: []const u8) kiln.Error!void {
            comptime requireBytes();
            self.clear(ctx);
            return self.appendSlice(ctx, text);
        }

        /// Appends formatted text (String only), e.g. `try self.name.print(ctx, "hunter {d}", .{n})`.
        pub fn print(self: *Self, ctx: *kiln.Context, comptime fmt: []const u8, args: anytype) kiln.Error!void {
            comptime requireBytes();
            const n = std.fmt.count(fmt, args);
            const b = try self.room(ctx, n, "print");
            const ptr: [*]u8 = b.data.?;
            _ = std.fmt.bufPrint(ptr[b.len .. b.len + n], fmt, args) catch unreachable;
            b.len += @intCast(n);
        }

        pub fn eql(self: Self, ctx: *const kiln.Context, text: []const u8) bool {
            comptime requireBytes();
            return std.mem.eql(u8, self.items(ctx), text);
        }

        fn requireBytes() void {
            if (T != u8) @compileError("slice/set/print/eql are kiln.String's (a List(u8)), not List(" ++ @typeName(T) ++ ")'s");
        }

        // ---- Map(K, V) support -------------------------------------------------------------

        fn blockOf(handle: abi.Handle, ctx: *const kiln.Context) ?*abi.Block {
            comptime reflect.refuseNested(Self, null);
            if (ctx.cached_block) |b| {
                if (ctx.cached_handle == handle.bits()) return b;
            }
            const heap = heapOf(ctx) orelse return null;
            return heap.block(handle);
        }
    };
}

/// Text in engine memory: a `List(u8)` with `slice`, `set`, `print` and `eql`.
pub const String = List(u8);

/// A map from `K` to `V` in engine memory, hashed: its entries in a `List` (iteration order is
/// insertion order, except that `remove` moves the last entry into the removed one's place) and
/// an open-addressing index in a second `List(u32)` (linear probing, at most half full: each slot
/// holds an entry's position + 1, 0 when free). Keys are compared by value (std.meta.eql) and
/// hashed by value (Wyhash, seed 0: the same on every run). Migrates on reload like a list of
/// `struct { key: K, value: V }`; the index is rebuilt by the next `put`/`remove` after a reload
/// that changed `K` (until then `get` scans the entries), keeping the first of any keys the
/// reload made equal.
pub fn Map(comptime K: type, comptime V: type) type {
    comptime checkKey(K);
    return extern struct {
        entries: List(Entry) = .{},
        index: List(u32) = .{},
        /// key_fingerprint when the index was built for this K: another value means rebuild.
        indexed_key: u64 = 0,
        /// Entries the index covers: differs from the entry count when migration reset them.
        indexed: u32 = 0,
        _pad: u32 = 0,

        const Self = @This();
        pub const Entry = struct { key: K, value: V };
        const key_fingerprint: u64 = std.hash.Wyhash.hash(map_index_version, reflect.typeJson(K));
        /// Slots of the first index; it doubles when more than half full.
        const min_slots: usize = 16;

        pub fn count(self: Self, ctx: *const kiln.Context) usize {
            return self.entries.len(ctx);
        }

        pub fn get(self: Self, ctx: *const kiln.Context, key: K) ?V {
            const v = self.view(ctx);
            const i = (if (v.valid) probe(v.all, v.slots, key).entry else self.scan(ctx, key)) orelse return null;
            return v.all[i].value;
        }

        pub fn contains(self: Self, ctx: *const kiln.Context, key: K) bool {
            return self.indexOf(ctx, key) != null;
        }

        /// Sets `key` to `value`, adding the entry when new; error.OutOfMemory over the budget.
        pub fn put(self: *Self, ctx: *kiln.Context, key: K, value: V) kiln.Error!void {
            var v = self.view(ctx);
            if (!v.valid or (v.all.len + 1) * 2 > v.slots.len) {
                try self.ensureIndex(ctx, v.all.len + 1);
                v = self.view(ctx);
            }
            const found = probe(v.all, v.slots, key);
            if (found.entry) |i| {
                v.all[i].value = value;
                return;
            }
            try self.entries.append(ctx, .{ .key = key, .value = value });
            const n: u32 = @intCast(v.all.len + 1);
            v.slots[found.slot] = n; // appending never moves the index's elements
            self.indexed = n;
        }

        /// Removes `key`; returns its value, or null when absent. The last entry takes its place.
        pub fn remove(self: *Self, ctx: *kiln.Context, key: K) ?V {
            self.ensureIndex(ctx, 0) catch {
                // No memory for the index: the same removal by a scan, the index left to rebuild.
                const i = self.scan(ctx, key) orelse return null;
                self.indexed = 0;
                return (self.entries.swapRemove(ctx, i) orelse return null).value;
            };
            const all = self.entries.items(ctx);
            const slots = self.index.items(ctx);
            const found = probe(all, slots, key);
            const i = found.entry orelse return null;
            const value = all[i].value;
            // Backward-shift deletion: later slots of the same run move into the hole.
            const mask = slots.len - 1;
            var hole = found.slot;
            var j = (hole + 1) & mask;
            while (slots[j] != 0) : (j = (j + 1) & mask) {
                const home = slotOf(all[slots[j] - 1].key, mask);
                const stays = if (hole <= j) hole < home and home <= j else hole < home or home <= j;
                if (stays) continue;
                slots[hole] = slots[j];
                hole = j;
            }
            slots[hole] = 0;
            const last = all.len - 1;
            if (i != last) {
                slots[probe(all, slots, all[last].key).slot] = @intCast(i + 1);
                all[i] = all[last];
            }
            _ = self.entries.pop(ctx);
            self.indexed = @intCast(last);
            return value;
        }

        /// Every entry, in insertion order (see `remove`): valid until the next change.
        pub fn items(self: Self, ctx: *const kiln.Context) []Entry {
            return self.entries.items(ctx);
        }

        pub fn clear(self: *Self, ctx: *kiln.Context) void {
            self.entries.clear(ctx);
            @memset(self.index.items(ctx), 0);
            self.indexed = 0;
        }

        pub fn deinit(self: *Self, ctx: *kiln.Context) void {
            self.entries.deinit(ctx);
            self.index.deinit(ctx);
            self.indexed = 0;
            self.indexed_key = 0;
        }

        fn indexOf(self: Self, ctx: *const kiln.Context, key: K) ?usize {
            const v = self.view(ctx);
            return if (v.valid) probe(v.all, v.slots, key).entry else self.scan(ctx, key);
        }

        fn scan(self: Self, ctx: *const kiln.Context, key: K) ?usize {
            for (self.entries.items(ctx), 0..) |e, i| {
                if (std.meta.eql(e.key, key)) return i;
            }
            return null;
        }

        /// Entries and index slots, read once per call; `valid`: the index covers these entries
        /// for this K (else it is rebuilt by the next put/remove, and lookups scan).
        const View = struct { all: []Entry, slots: []u32, valid: bool };

        fn view(self: Self, ctx: *const kiln.Context) View {
            const all = self.entries.items(ctx);
            const slots = self.index.items(ctx);
            return .{ .all = all, .slots = slots, .valid = self.indexed_key == key_fingerprint and
                self.indexed == all.len and slots.len >= min_slots };
        }

        fn indexValid(self: Self, ctx: *const kiln.Context) bool {
            return self.view(ctx).valid;
        }

        const Probe = struct { slot: usize, entry: ?usize };

        /// The slot holding `key`'s entry, or the free slot where it would go (a valid index).
        fn probe(all: []const Entry, slots: []const u32, key: K) Probe {
            const mask = slots.len - 1;
            var s = slotOf(key, mask);
            while (true) : (s = (s + 1) & mask) {
                const at = slots[s];
                if (at == 0) return .{ .slot = s, .entry = null };
                if (std.meta.eql(all[at - 1].key, key)) return .{ .slot = s, .entry = at - 1 };
            }
        }

        /// Makes the index valid with room for `want` entries at most half full (rebuilt when
        /// stale or too small). error.OutOfMemory over the budget.
        fn ensureIndex(self: *Self, ctx: *kiln.Context, want: usize) kiln.Error!void {
            const have = self.index.len(ctx);
            if (self.indexValid(ctx) and want * 2 <= have) return;
            var slots: usize = @max(min_slots, have);
            while (slots < @max(want, self.entries.len(ctx)) * 2) slots *= 2;
            self.index.clear(ctx);
            try self.index.appendNTimes(ctx, 0, slots);
            const index = self.index.items(ctx);
            const mask = slots - 1;
            var i: usize = 0;
            while (i < self.entries.len(ctx)) {
                const all = self.entries.items(ctx);
                var s = slotOf(all[i].key, mask);
                const duplicate = while (index[s] != 0) : (s = (s + 1) & mask) {
                    if (std.meta.eql(all[index[s] - 1].key, all[i].key)) break true;
                } else false;
                if (duplicate) {
                    // A reload made two keys equal: the first one stays.
                    _ = self.entries.orderedRemove(ctx, i);
                    continue;
                }
                index[s] = @intCast(i + 1);
                i += 1;
            }
            self.indexed = @intCast(self.entries.len(ctx));
            self.indexed_key = key_fingerprint;
        }

        fn slotOf(key: K, mask: usize) usize {
            // Keys whose bytes are their value (integers, enums, entities, structs of those
            // without padding) hash in one pass, as std.AutoHashMap does.
            if (comptime std.meta.hasUniqueRepresentation(K)) {
                return @intCast(std.hash.Wyhash.hash(0, std.mem.asBytes(&key)) & mask);
            }
            var h = std.hash.Wyhash.init(0);
            hashKey(&h, key);
            return @intCast(h.final() & mask);
        }
    };
}

/// Changes when the index layout or the hash does, so a map indexed by an older SDK rebuilds.
const map_index_version: u64 = 1;

/// Hashes a key by value, consistently with std.meta.eql: 0.0 and -0.0 alike, optionals by
/// presence then payload, structs and arrays field by field.
fn hashKey(h: *std.hash.Wyhash, key: anytype) void {
    const K = @TypeOf(key);
    switch (@typeInfo(K)) {
        .int, .bool, .@"enum" => std.hash.autoHash(h, key),
        .float => {
            const v = if (key == 0) 0 else key;
            std.hash.autoHash(h, @as(@Int(.unsigned, @bitSizeOf(K)), @bitCast(v)));
        },
        .optional => if (key) |v| {
            h.update(&.{1});
            hashKey(h, v);
        } else h.update(&.{0}),
        .array => for (key) |v| hashKey(h, v),
        .@"struct" => |s| if (s.layout == .@"packed")
            std.hash.autoHash(h, @as(@Int(.unsigned, @bitSizeOf(K)), @bitCast(key)))
        else inline for (s.field_names) |name| hashKey(h, @field(key, name)),
        .vector => |v| for (0..v.len) |i| hashKey(h, key[i]),
        else => @compileError("unreachable: checkKey refuses " ++ @typeName(K)),
    }
}

/// What a Map key may be: what hashKey hashes (numbers, bool, enums, entities, optionals,
/// arrays and structs of those).
fn checkKey(comptime K: type) void {
    switch (@typeInfo(K)) {
        .int, .bool, .@"enum", .float => {},
        .optional => |o| checkKey(o.child),
        .array => |a| checkKey(a.child),
        .vector => |v| checkKey(v.child),
        .@"struct" => |s| if (s.layout != .@"packed") for (s.field_types) |F| checkKey(F),
        else => @compileError("a kiln.Map key cannot be " ++ @typeName(K) ++
            ": use a number, bool, enum, kiln.Entity, or an optional, array or struct of those"),
    }
}

/// `ctx.frameAllocator()`: bump allocation from the engine's scratch memory for the current
/// call (abi.scratch_bytes shared by the whole batch call); the engine takes all of it back after
/// the call, so free is a no-op and nothing may be kept past the hook.
pub const scratch_vtable = std.mem.Allocator.VTable{
    .alloc = scratchAlloc,
    .resize = std.mem.Allocator.noResize,
    .remap = std.mem.Allocator.noRemap,
    .free = std.mem.Allocator.noFree,
};

fn scratchAlloc(context: *anyopaque, len: usize, alignment: std.mem.Alignment, ret_addr: usize) ?[*]u8 {
    _ = ret_addr;
    const ctx: *kiln.Context = @ptrCast(@alignCast(context));
    const heap = heapOf(ctx) orelse return null;
    return heap.scratch(heap, ctx.instance.instance_id, len, @intCast(alignment.toByteUnits()));
}

/// Engine memory for this call (an isolated script's: its host's), or null (an engine older
/// than frame struct_version 3, or run without its native library).
fn heapOf(ctx: *const kiln.Context) ?*abi.Heap {
    return ctx.heap();
}

/// Notes `b` as the block of `handle` for the rest of this call (Context.cached_block).
fn remember(ctx: *kiln.Context, handle: abi.Handle, b: *abi.Block) *abi.Block {
    ctx.cached_handle = handle.bits();
    ctx.cached_block = b;
    return b;
}

fn fail(ctx: *kiln.Context, comptime api: []const u8, err: kiln.Error) kiln.Error {
    switch (err) {
        error.OutOfMemory => if (heapOf(ctx) == null)
            ctx.logError("container " ++ api ++ " failed: OutOfMemory (the engine gives this call no container memory: " ++
                "an engine older than frame struct_version 3, or one run without its native library)", .{})
        else
            ctx.logError("container " ++ api ++ " failed: OutOfMemory (over this instance's memory budget)", .{}),
        else => ctx.logError("container " ++ api ++ " failed: {s}", .{@errorName(err)}),
    }
    return err;
}

/// What a container may hold: reload-safe data (reflect.checkReloadSafe) of a size and alignment
/// engine blocks hold. Containers inside are refused where the path is known: by the State
/// check (reflect.refuseNested, naming the field) or, for a container outside State, at its
/// first use (blockOf and room); not here, as this runs before the State check could name it.
fn checkElement(comptime T: type) void {
    if (reflect.nestedContainerPath(T, "") == null) reflect.checkReloadSafe(T, "container element " ++ @typeName(T));
    if (@sizeOf(T) == 0) @compileError("a kiln container of " ++ @typeName(T) ++ " holds no bytes");
    if (@sizeOf(T) > element_size_max) @compileError("kiln container elements are at most 64 KiB; " ++ @typeName(T) ++ " is larger");
    if (@alignOf(T) > element_align_max) @compileError("kiln container elements are aligned to at most 16 bytes");
}
