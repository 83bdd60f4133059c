//! Appending command records to the engine-owned buffer. Records are written in place:
//! no allocation, no call into the engine. A record that does not fit is dropped and counted,
//! and the caller gets error.BufferFull.

const std = @import("std");
const abi = @import("abi.zig");

pub const AppendError = error{ BufferFull, TooLong };

/// Reserves a record made of the fixed struct `Fixed` plus the concatenated `tails`, padded to
/// 8 bytes, and returns a pointer to its fixed part (header filled, tails copied).
pub fn append(
    buffer: *abi.CommandBuffer,
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
    const used: usize = buffer.used_bytes;
    if (used + size > buffer.capacity_bytes) {
        buffer.dropped_count +%= 1;
        return error.BufferFull;
    }
    const bytes = buffer.data[used .. used + size];
    @memset(bytes, 0);
    var cursor: usize = @sizeOf(Fixed);
    for (tails) |tail| {
        @memcpy(bytes[cursor .. cursor + tail.len], tail);
        cursor += tail.len;
    }
    const record: *align(8) Fixed = @ptrCast(@alignCast(bytes.ptr));
    record.header = .{
        .kind = kind,
        .size_bytes = @intCast(size),
        .source_instance = source_instance,
        .target = target,
    };
    buffer.used_bytes = @intCast(used + size);
    return record;
}
