//! Comparison W1 (movement): translate by velocity · dt plus a small wobble, one request per
//! update. Logic in compare_logic.zig, shared with the floor and the wasm module.

const kiln = @import("kiln");
const logic = @import("compare_logic.zig");

pub const State = struct {
    mover: logic.Mover = .{},
};

pub fn init(self: *State, ctx: *kiln.Context) !void {
    self.mover = logic.moverInit(ctx.entity.index());
}

pub fn update(self: *State, ctx: *kiln.Context) !void {
    const d = logic.moverStep(&self.mover, ctx.deltaTime());
    try ctx.translate(ctx.entity, kiln.vec3(d[0], d[1], d[2]));
}
