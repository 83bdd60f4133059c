//! Posts through its Context, through a copy of it, and fails a call in between (the failure's
//! log line is appended by the SDK's out-of-line path): every request must land after the one
//! before it, none over another (the SDK's batch loop keeps the buffer's cursor in a register
//! shared by every copy). ContextCursorTest checks the sum of the three moves and the log line.

const kiln = @import("kiln");

pub const State = struct {};

pub fn update(_: *State, ctx: *kiln.Context) !void {
    try ctx.translate(ctx.entity, kiln.vec3(1, 0, 0));
    var copy = ctx.*;
    try copy.translate(ctx.entity, kiln.vec3(0, 10, 0));
    const gone: kiln.Entity = @enumFromInt((@as(u64, 7) << 32) | 1_000_000); // past every table: stale
    ctx.translate(gone, kiln.vec3(5, 5, 5)) catch {};
    try ctx.translate(ctx.entity, kiln.vec3(0, 0, 100));
}
