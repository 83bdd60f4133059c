//! Appending command records to the engine-owned buffer. Records are written in place:
//! no allocation, no call into the engine. A record over the calling instance's request quota,
//! or that does not fit in the buffer, is dropped and counted, and the caller gets
//! error.BufferFull.

const std = @import("std");
const abi = @import("abi.zig");

pub const AppendError = error{ BufferFull, TooLong };

/// Where the calling hook's records must end (its request quota, from its cmd_offset) and
/// what counts a record refused for it. The default: no quota, only the buffer's capacity.
pub const Bound = struct {
    end: u64 = std.math.maxInt(u64),
    refused: ?*u32 = null,

    inline fn refuses(self: Bound, end: usize) bool {
        if (end <= self.end) return false;
        if (self.refused) |counter| counter.* +%= 1;
        return true;
    }
};

/// The batch room protocol (abi/kiln.h, frame struct_version >= 2): an instance stops when the
/// buffer lacks room for its whole quota plus the log reserve. The instance is then marked
/// .stopped_for_room, and the batch loop returns .needs_room at once without running it: the
/// engine makes room and calls again from this instance. What it reads of the frame is taken
/// once per batch call (`of`): the engine changes neither the struct version nor the buffer's
/// capacity during a call, and the compiler, which must assume any store may change them,
/// reloaded both for every instance.
pub const RoomCheck = struct {
    /// Where an instance's quota may end at most: the buffer's capacity less the log reserve
    /// (frame struct_version >= 2), or no bound before the room protocol.
    limit: u64,
    /// limit - used (saturating) for `used` == `at`: the largest quota that fits. Recomputed only
    /// when a hook appended (most do not), so each instance costs a load and a compare.
    left: u64,
    at: u32,

    /// The check for a call whose loop starts at `used`.
    pub fn of(frame: *const abi.Frame, used: u32) RoomCheck {
        const limit: u64 = if (frame.struct_version < 2) std.math.maxInt(u64) else frame.commands.capacity_bytes -| abi.log_reserve_bytes;
        return .{ .limit = limit, .left = limit -| used, .at = used };
    }

    /// Whether `instance` stops (`used`: the loop's copy of the buffer's used_bytes):
    /// capacity - used < quota + reserve, as quota > limit - used (a quota of 0 never stops).
    pub inline fn stops(self: *RoomCheck, instance: *abi.Instance, used: u32) bool {
        if (used != self.at) {
            self.at = used;
            self.left = self.limit -| used;
        }
        if (instance.cmd_quota > self.left) {
            @branchHint(.cold);
            instance.status = .stopped_for_room;
            return true;
        }
        return false;
    }
};

/// Reserves a record made of the fixed struct `Fixed` plus the concatenated `tails`, padded to
/// 8 bytes, and returns a pointer to its fixed part (header filled, tails copied). `cursor` is
/// the caller's copy of buffer.used_bytes: read instead of the field, and both are advanced.
pub fn append(
    buffer: *abi.CommandBuffer,
    cursor: *u32,
    bound: Bound,
    comptime Fixed: type,
    kind: abi.CommandKind,
    source_instance: u32,
    target: u64,
    tails: []const []const u8,
) AppendError!*align(8) Fixed {
    var extra: usize = 0;
    for (tails) |tail| extra += tail.len;
    const size = std.mem.alignForward(usize, @sizeOf(Fixed) + extra, 8);
    if (size > std.math.maxInt(u16)) return error.TooLong;
    const used: usize = cursor.*;
    if (bound.refuses(used + size)) return error.BufferFull;
    if (used + size > buffer.capacity_bytes) {
        buffer.dropped_count +%= 1;
        return error.BufferFull;
    }
    const bytes = buffer.data[used .. used + size];
    @memset(bytes, 0);
    var tail_at: usize = @sizeOf(Fixed);
    for (tails) |tail| {
        @memcpy(bytes[tail_at .. tail_at + tail.len], tail);
        tail_at += tail.len;
    }
    const record: *align(8) Fixed = @ptrCast(@alignCast(bytes.ptr));
    record.header = .{
        .kind = kind,
        .size_bytes = @intCast(size),
        .source_instance = source_instance,
        .target = target,
    };
    cursor.* = @intCast(used + size);
    buffer.used_bytes = cursor.*;
    return record;
}

/// `name` then `payload` in 8 bytes, zeros after them (name.len + payload.len <= 8): a short
/// signal's tail (ShortSignal) and a lane entry's bytes (abi.LaneSignal).
pub fn shortBytes(name: []const u8, payload: []const u8) [8]u8 {
    var tail: [8]u8 = @splat(0);
    // Byte loops, not @memcpy: a few bytes, and no overlap check (the destination is local).
    for (name, 0..) |c, i| tail[i] = c;
    for (payload, 0..) |c, i| tail[name.len + i] = c;
    return tail;
}

/// An EMIT_SIGNAL record whose name and payload fit in its first 8 tail bytes (1 to 8 of them):
/// exactly the 40 bytes `append` writes for it (kiln_cmd_signal, then the name, the payload and
/// zeros up to 8), as one fixed struct so that `appendFixed` writes it in one store.
pub const ShortSignal = extern struct {
    header: abi.CommandHeader,
    name_hash: u64,
    name_len: u16,
    payload_size: u16,
    reserved0: u32 = 0,
    tail: [8]u8,

    comptime {
        std.debug.assert(@sizeOf(ShortSignal) == @sizeOf(abi.CmdSignal) + 8);
        std.debug.assert(@offsetOf(ShortSignal, "tail") == @sizeOf(abi.CmdSignal));
    }

    /// The record of `name` (hash `name_hash`) and `payload`; name.len + payload.len in 1..8.
    pub fn of(name_hash: u64, name: []const u8, payload: []const u8) ShortSignal {
        const tail = shortBytes(name, payload);
        return .{
            .header = undefined, // appendFixed writes it
            .name_hash = name_hash,
            .name_len = @intCast(name.len),
            .payload_size = @intCast(payload.len),
            .tail = tail,
        };
    }
};

/// True when `T` (and every struct inside it) has no padding bytes: assigning a whole `T`
/// then defines every byte of it.
fn hasNoPadding(comptime T: type) bool {
    const info = @typeInfo(T);
    if (info != .@"struct") return true;
    var sum: usize = 0;
    for (info.@"struct".field_types) |F| {
        if (!hasNoPadding(F)) return false;
        sum += @sizeOf(F);
    }
    return sum == @sizeOf(T);
}

/// Appends a record that is only its fixed struct (no tails), written in one store of the
/// whole struct: no memset, no separate header write. `Fixed` must have no padding bytes (its
/// reserved fields default to 0), so every byte of the record is still defined.
pub fn appendFixed(
    buffer: *abi.CommandBuffer,
    cursor: *u32,
    bound: Bound,
    kind: abi.CommandKind,
    source_instance: u32,
    target: u64,
    record: anytype,
) AppendError!void {
    const Fixed = @TypeOf(record);
    if (comptime !hasNoPadding(Fixed) or @sizeOf(Fixed) % 8 != 0) {
        @compileError(@typeName(Fixed) ++ " has padding or is not a multiple of 8 bytes: use append");
    }
    const size = @sizeOf(Fixed);
    const used: usize = cursor.*;
    if (bound.refuses(used + size)) return error.BufferFull;
    if (used + size > buffer.capacity_bytes) {
        buffer.dropped_count +%= 1;
        return error.BufferFull;
    }
    const out: *align(8) Fixed = @ptrCast(@alignCast(buffer.data + used));
    var full = record;
    full.header = .{ .kind = kind, .size_bytes = size, .source_instance = source_instance, .target = target };
    out.* = full;
    cursor.* = @intCast(used + size);
    buffer.used_bytes = cursor.*;
}

test "a ShortSignal is byte for byte the record append writes, for every name and payload length that fits" {
    // Run by ShortSignalRecordTest (zig test zig/sdk/commands.zig); not compiled into scripts.
    const text = "abcdefgh";
    const payload = [_]u8{ 0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7 };
    var general: [64]u8 align(8) = @splat(0xAA);
    var short: [64]u8 align(8) = @splat(0x55);
    for (1..9) |name_len| {
        for (0..9 - name_len) |payload_len| {
            const name = text[0..name_len];
            const bytes = payload[0..payload_len];
            var a = abi.CommandBuffer{ .struct_version = 1, .capacity_bytes = 64, .used_bytes = 0, .dropped_count = 0, .next_request_id = 0, .data = &general, .reserved = .{ 0, 0 } };
            var b = a;
            b.data = &short;
            var cursor_a: u32 = 0;
            var cursor_b: u32 = 0;
            const record = try append(&a, &cursor_a, .{}, abi.CmdSignal, .emit_signal, 7, 0x1_0000_0003, &.{ name, bytes });
            record.name_hash = abi.hashName(name);
            record.name_len = @intCast(name.len);
            record.payload_size = @intCast(bytes.len);
            try appendFixed(&b, &cursor_b, .{}, .emit_signal, 7, 0x1_0000_0003, ShortSignal.of(abi.hashName(name), name, bytes));
            try std.testing.expectEqual(@as(u32, 40), a.used_bytes);
            try std.testing.expectEqual(cursor_a, cursor_b);
            try std.testing.expectEqual(a.used_bytes, b.used_bytes);
            try std.testing.expectEqualSlices(u8, general[0..40], short[0..40]);
        }
    }
}
