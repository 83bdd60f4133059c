//! Test script: faults on purpose, in the way named by ScriptVars "fault" (0: behave).

const std = @import("std");
const builtin = @import("builtin");
const kiln = @import("kiln");
const linux = std.os.linux;

pub const State = struct {
    updates: u32 = 0,
    small: u8 = 250,
    spin: u64 = 0,
};

var sink: u64 = 0;

fn recurse(depth: u64) u64 {
    var pad: [4096]u8 = undefined;
    pad[depth % 4096] = @truncate(depth);
    @as(*volatile u8, &pad[0]).* = 1;
    return recurse(depth + 1) + pad[depth % 4096];
}

pub fn init(self: *State, ctx: *kiln.Context) !void {
    _ = self;
    _ = try ctx.connectSignal("fault");
}

pub fn update(self: *State, ctx: *kiln.Context) !void {
    self.updates += 1;
    try ctx.translate(ctx.entity, kiln.vec3(1, 0, 0)); // posted before the fault: must be discarded
    try faultBy(self, ctx, ctx.getVar(ctx.entity, "fault", i64) catch 0);
}

/// A "fault" signal faults the handler the same ways, by ScriptVars "signal_fault": the SDK's
/// compact signal loop runs this hook inlined in optimized builds.
pub fn onSignal(self: *State, ctx: *kiln.Context, signal: kiln.Signal) !void {
    _ = signal;
    try ctx.translate(ctx.entity, kiln.vec3(0, 1, 0)); // posted before the fault: must be discarded
    try faultBy(self, ctx, ctx.getVar(ctx.entity, "signal_fault", i64) catch 0);
}

fn faultBy(self: *State, ctx: *kiln.Context, fault: i64) !void {
    switch (fault) {
        0 => {},
        1 => @panic("boom"),
        2 => {
            var i: u8 = 0;
            while (i < 10) : (i += 1) self.small += 1; // overflows past 255
        },
        3 => {
            const table = [_]u32{ 1, 2, 3 };
            const index: usize = @intCast(ctx.getVar(ctx.entity, "index", i64) catch 7);
            sink += table[index];
        },
        4 => unreachable,
        5 => {
            const address: usize = @intCast(ctx.getVar(ctx.entity, "address", i64) catch 16);
            @as(*volatile u32, @ptrFromInt(address)).* = 1; // SIGSEGV
        },
        6 => while (true) {
            self.spin +%= 1;
            @as(*volatile u64, &self.spin).* = self.spin;
        },
        7 => {
            const zero: u32 = @intCast(ctx.getVar(ctx.entity, "zero", i64) catch 0);
            sink += 10 / zero;
        },
        8 => sink += recurse(0),
        9 => @trap(), // SIGILL
        10 => sink += divideByZeroInHardware(), // SIGFPE
        11 => sink += readPastATruncatedFile(), // SIGBUS
        else => {},
    }
}

/// An integer division by zero the CPU itself traps on (SIGFPE): Zig's safety check would
/// turn a plain `/` into a panic first. (edx zeroed by xor, not `cltd`: Zig's own x86_64
/// backend, the development profile's, does not assemble `cltd`.)
fn divideByZeroInHardware() u64 {
    if (builtin.cpu.arch != .x86_64) {
        _ = linux.tkill(linux.gettid(), .FPE); // other CPUs do not trap on division by zero
        return 0;
    }
    return asm volatile (
        \\xorl %%ecx, %%ecx
        \\movl $1, %%eax
        \\xorl %%edx, %%edx
        \\idivl %%ecx
        : [ret] "={rax}" (-> u64),
        :
        : .{ .rcx = true, .rdx = true });
}

/// Reads a mapped page whose file was truncated under it: SIGBUS.
fn readPastATruncatedFile() u64 {
    const fd: i32 = @intCast(linux.memfd_create("kiln-faulty", 0));
    _ = linux.ftruncate(fd, 4096);
    const address = linux.mmap(null, 4096, .{ .READ = true }, .{ .TYPE = .SHARED }, fd, 0);
    _ = linux.ftruncate(fd, 0);
    return @as(*volatile u8, @ptrFromInt(address)).*;
}
