//! Root of every script library the engine builds: pulls in the script and the build info
//! the engine generated, emits the C exports, and installs the SDK's small panic handler
//! (the std default handler makes each safe-mode rebuild take ~14 s instead of ~0.2 s).

const std = @import("std");
const kiln = @import("kiln");
const script = @import("script");
const build_info = @import("build_info");

comptime {
    kiln.exports.exportScript(script, .{
        .name = build_info.name,
        .source_hash = build_info.source_hash,
        .build_time_unix = build_info.build_time_unix,
        .source_commit = if (@hasDecl(build_info, "source_commit")) build_info.source_commit else null,
    });
}

pub const panic = std.debug.FullPanic(kiln.panic_handler.onPanic);
