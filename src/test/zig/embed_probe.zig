//! EmbeddingApiTest's script: moves its entity by the host's input, reports presses and the
//! pointer in signals to Java, and counts the "bonus" signals Java sends it.
const kiln = @import("kiln");

pub const State = struct {
    bonus: i32 = 0,
    conn: kiln.Connection = .{},
};

const Report = extern struct { presses: i32, bonus: i32, x: f32, pointer_x: f32 };

pub fn init(self: *State, ctx: *kiln.Context) !void {
    self.conn = try ctx.connectSignal("bonus");
}

pub fn update(self: *State, ctx: *kiln.Context) !void {
    const in = ctx.input();
    var dx: f32 = in.axis("move_x");
    if (in.held("right")) dx += 1;
    if (in.held("left")) dx -= 1;
    try ctx.translate(ctx.entity, kiln.vec3(dx, 0, 0));
    const p = try ctx.getPosition(ctx.entity);
    if (in.pressed("fire")) {
        try ctx.emitSignal("fired", Report{ .presses = 1, .bonus = self.bonus, .x = p.x, .pointer_x = in.pointer.x }, .null);
    }
}

pub fn onSignal(self: *State, ctx: *kiln.Context, signal: kiln.Signal) !void {
    _ = ctx;
    const amount = try signal.payloadAs(i32);
    self.bonus += amount;
}
