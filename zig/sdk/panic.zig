//! The SDK's panic handler. While the engine runs a script call under its fault guard, the
//! frame carries a `panic` hook: the handler passes the message to it, and the engine takes
//! control back (reporting the panic with the script and entity, and disabling the instance)
//! instead of the process aborting. Outside a guarded call it prints the message and traps.
//! It deliberately avoids std.debug.print, which adds ~7 s to every rebuild.

const std = @import("std");
const builtin = @import("builtin");
const abi = @import("abi.zig");

/// The frame of the call this thread is running, set by the export loops.
pub threadlocal var current_frame: ?*const abi.Frame = null;

pub fn onPanic(message: []const u8, first_trace_address: ?usize) noreturn {
    if (current_frame) |frame| {
        if (frame.panic) |hook| hook(message.ptr, message.len, first_trace_address orelse @returnAddress());
    }
    writeStderr("kiln: script panic: ");
    writeStderr(message);
    writeStderr("\n");
    @trap();
}

fn writeStderr(bytes: []const u8) void {
    if (builtin.os.tag == .linux) _ = std.os.linux.write(2, bytes.ptr, bytes.len);
}
