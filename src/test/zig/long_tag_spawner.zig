//! Test script: on its first update asks for a spawn with a 65-byte tag (refused at the call with
//! error.TooLong, nothing posted: the engine would refuse the record as malformed and skip the
//! rest of this instance's requests), then moves its own entity and spawns with a 64-byte tag
//! (both applied). Its var "refused" is 1 when the call refused the long tag.

const kiln = @import("kiln");

const tag64: [64]u8 = @splat('t');

pub const State = struct {
    done: bool = false,
};

pub fn update(self: *State, ctx: *kiln.Context) !void {
    if (self.done) return;
    self.done = true;
    const refused = if (ctx.spawn(.{ .tags = "short, " ++ tag64 ++ "x" })) |_| false else |err| err == error.TooLong;
    try ctx.setVar(ctx.entity, "refused", @as(i64, if (refused) 1 else 0));
    try ctx.translate(ctx.entity, kiln.vec3(1, 0, 0));
    _ = try ctx.spawn(.{ .tags = "short, " ++ tag64 });
}
