//! Test script for isolated mode: misbehaves, in the way named by ScriptVars "rogue", in ways
//! the in-process fault guard cannot contain. Never load it in the engine's own process with
//! "rogue" set: 1 and 2 end the process, 3 corrupts memory without a fault.
//!   1: exit(3)   2: abort()   3: wild writes into valid memory   4: @panic   5: hang
//!   6: asks the system for ScriptVars "bytes" of memory and logs whether it got them
//!   7: asks for ScriptVars "bytes" of memory and writes every byte of it (slow for gigabytes)

const std = @import("std");
const kiln = @import("kiln");

pub const State = struct {
    updates: u32 = 0,
};

pub fn update(self: *State, ctx: *kiln.Context) !void {
    self.updates += 1;
    try ctx.translate(ctx.entity, kiln.vec3(1, 0, 0)); // posted before misbehaving
    const rogue = ctx.getVar(ctx.entity, "rogue", i64) catch 0;
    switch (rogue) {
        1 => std.process.exit(3),
        2 => std.process.abort(),
        3 => scribble(ctx),
        4 => @panic("rogue panic"),
        5 => while (true) {
            @as(*volatile u32, &self.updates).* +%= 1;
        },
        6 => {
            const bytes: usize = @intCast(ctx.getVar(ctx.entity, "bytes", i64) catch 1 << 30);
            if (std.heap.page_allocator.alloc(u8, bytes)) |block| {
                std.heap.page_allocator.free(block);
                ctx.logInfo("allocation granted", .{});
            } else |_| ctx.logInfo("allocation refused", .{});
        },
        7 => {
            const bytes: usize = @intCast(ctx.getVar(ctx.entity, "bytes", i64) catch 1 << 30);
            if (std.heap.page_allocator.alloc(u8, bytes)) |block| {
                @memset(block, 0xAB);
                std.heap.page_allocator.free(block);
                ctx.logInfo("allocation written", .{});
            } else |_| ctx.logInfo("allocation refused", .{});
        },
        else => {},
    }
}

/// Memory that is valid, so nothing faults: every entity row the script can see, the
/// command buffer's header (its size and record pointer), and this batch's instance entries.
fn scribble(ctx: *kiln.Context) void {
    const snapshot: *kiln.abi.Snapshot = @constCast(ctx.frame.snapshot);
    const rows: [*]u8 = @ptrCast(@constCast(snapshot.entities));
    @memset(rows[0 .. snapshot.entity_capacity * @sizeOf(kiln.abi.EntityRow)], 0xAB);
    const commands = ctx.frame.commands;
    // Claims 2 GiB of records in a buffer it says holds 2 GiB: the engine must trust neither.
    commands.used_bytes = 0x7FFF_FF00;
    commands.capacity_bytes = 0x7FFF_FFF0;
    commands.next_request_id = 0;
    const me: [*]u8 = @ptrCast(ctx.instance);
    @memset(me[0..@sizeOf(kiln.abi.Instance)], 0xCD);
}
