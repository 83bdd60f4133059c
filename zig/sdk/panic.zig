//! The SDK's panic handler. While the engine runs a script call under its fault guard, the
//! frame carries a `panic` hook: the handler passes the message to it, and the engine takes
//! control back (reporting the panic with the script and entity, and disabling the instance)
//! instead of the process aborting. Outside a guarded call it prints the message and traps.
//! It deliberately avoids std.debug.print, which adds ~7 s to every rebuild.

const std = @import("std");
const builtin = @import("builtin");
const abi = @import("abi.zig");

const Hook = *const fn (message: [*]const u8, length: usize, return_address: usize) callconv(.c) noreturn;

/// The engine's panic hook (kiln_frame.panic), kept by the export loops from the first guarded
/// call on. A plain global, not a thread-local: a thread-local of a dlopen'd library is a
/// __tls_get_addr call on every batch (≈ 15 ns, hundreds a frame with hundreds of libraries), and
/// an initial-exec one takes glibc's small static TLS reserve, which hundreds of libraries would
/// exhaust. One global is right for every thread because the hook is the fault guard's, the same
/// function for every guarded call in the process, and the guard itself knows (per thread)
/// whether the panicking thread is inside a guarded call: if it is not, it prints the message
/// and ends the process, as this handler does without a hook.
var panic_hook: ?Hook = null;

/// Called by the export loops at the start of every batch: keeps `frame`'s hook (a load and a
/// compare; the store only the first time).
pub inline fn enter(frame: *const abi.Frame) void {
    const hook = frame.panic orelse return;
    if (@atomicLoad(?Hook, &panic_hook, .monotonic) != hook) @atomicStore(?Hook, &panic_hook, hook, .monotonic);
}

pub fn onPanic(message: []const u8, first_trace_address: ?usize) noreturn {
    if (@atomicLoad(?Hook, &panic_hook, .monotonic)) |hook| {
        hook(message.ptr, message.len, first_trace_address orelse @returnAddress());
    }
    writeStderr("kiln: script panic: ");
    writeStderr(message);
    writeStderr("\n");
    @trap();
}

fn writeStderr(bytes: []const u8) void {
    if (builtin.os.tag == .linux) _ = std.os.linux.write(2, bytes.ptr, bytes.len);
}
