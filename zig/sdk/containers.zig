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

/// A map from `K` to `V` in engine memory: its entries in a `List`, found by a linear scan (so
/// meant for up to a few hundred entries). Keys are compared by value (std.meta.eql). Migrates
/// on reload like a list of `struct { key: K, value: V }`.
pub fn Map(comptime K: type, comptime V: type) type {
    return extern struct {
        entries: List(Entry) = .{},

        const Self = @This();
        pub const Entry = struct { key: K, value: V };

        pub fn count(self: Self, ctx: *const kiln.Context) usize {
            return self.entries.len(ctx);
        }

        pub fn get(self: Self, ctx: *const kiln.Context, key: K) ?V {
            const i = self.indexOf(ctx, key) orelse return null;
            return self.entries.items(ctx)[i].value;
        }

        pub fn contains(self: Self, ctx: *const kiln.Context, key: K) bool {
            return self.indexOf(ctx, key) != null;
        }

        /// Sets `key` to `value`, adding the entry when new; error.OutOfMemory over the budget.
        pub fn put(self: *Self, ctx: *kiln.Context, key: K, value: V) kiln.Error!void {
            if (self.indexOf(ctx, key)) |i| {
                self.entries.items(ctx)[i].value = value;
                return;
            }
            return self.entries.append(ctx, .{ .key = key, .value = value });
        }

        /// Removes `key`; returns its value, or null when absent. Entry order is not kept.
        pub fn remove(self: *Self, ctx: *kiln.Context, key: K) ?V {
            const i = self.indexOf(ctx, key) orelse return null;
            return (self.entries.swapRemove(ctx, i) orelse return null).value;
        }

        /// Every entry, in no particular order: valid until the next change.
        pub fn items(self: Self, ctx: *const kiln.Context) []Entry {
            return self.entries.items(ctx);
        }

        pub fn clear(self: *Self, ctx: *kiln.Context) void {
            self.entries.clear(ctx);
        }

        pub fn deinit(self: *Self, ctx: *kiln.Context) void {
            self.entries.deinit(ctx);
        }

        fn indexOf(self: Self, ctx: *const kiln.Context, key: K) ?usize {
            for (self.entries.items(ctx), 0..) |e, i| {
                if (std.meta.eql(e.key, key)) return i;
            }
            return null;
        }
    };
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
    return ctx.heap;
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

/// What a container may hold: reload-safe data (reflect.checkReloadSafe), no containers
/// (nested containers are not migrated yet), of a size and alignment engine blocks hold.
fn checkElement(comptime T: type) void {
    reflect.checkReloadSafe(T, "container element " ++ @typeName(T));
    if (reflect.containsContainer(T)) @compileError("kiln containers cannot hold containers (" ++ @typeName(T) ++
        "): nested containers are not migrated on hot reload yet; use a List of plain structs");
    if (@sizeOf(T) == 0) @compileError("a kiln container of " ++ @typeName(T) ++ " holds no bytes");
    if (@sizeOf(T) > element_size_max) @compileError("kiln container elements are at most 64 KiB; " ++ @typeName(T) ++ " is larger");
    if (@alignOf(T) > element_align_max) @compileError("kiln container elements are aligned to at most 16 bytes");
}
