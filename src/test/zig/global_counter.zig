//! Test script that breaks replay on purpose: it counts updates in a file-scope `var`, which
//! no recording holds and no rewind restores (DeterminismLintTest expects the build's warning).
const kiln = @import("kiln");

var updates: u64 = 0;

pub const State = struct {
    seen: u64 = 0,
};

pub fn update(self: *State, ctx: *kiln.Context) !void {
    _ = ctx;
    updates += 1;
    self.seen = updates;
}
