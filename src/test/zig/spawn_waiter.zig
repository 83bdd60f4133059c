//! Test script: spawns one entity on its first update, then waits for the spawn's result and
//! logs "found" (or "not found" the first time it looks and it is missing).

const kiln = @import("kiln");

pub const State = struct {
    pending: kiln.Entity = .null,
    done: bool = false,
    looks: u32 = 0,
};

pub fn update(self: *State, ctx: *kiln.Context) !void {
    if (self.pending == .null) {
        self.pending = try ctx.spawn(.{ .position = kiln.vec3(1, 2, 3) });
        return;
    }
    if (self.done) return;
    self.looks += 1;
    if (ctx.spawnResult(self.pending)) |_| {
        self.done = true;
        ctx.logInfo("found", .{});
    } else |_| {
        if (self.looks == 1) ctx.logInfo("not found", .{});
    }
}
