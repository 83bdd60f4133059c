//! The SDK's panic handler. It writes the message to stderr with a raw syscall (std.debug.print
//! would add ~7 s to every rebuild) and stops with a trap. Containing a panic so that only the
//! faulty script stops is the job of the fault-containment layer (issue #6).

const std = @import("std");
const builtin = @import("builtin");

pub fn onPanic(message: []const u8, first_trace_address: ?usize) noreturn {
    _ = first_trace_address;
    writeStderr("kiln: script panic: ");
    writeStderr(message);
    writeStderr("\n");
    @trap();
}

fn writeStderr(bytes: []const u8) void {
    if (builtin.os.tag == .linux) _ = std.os.linux.write(2, bytes.ptr, bytes.len);
}
