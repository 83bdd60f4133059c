//! Gives a spark a limited life: it despawns itself after `seconds`, or when a hunter sends it
//! the "caught" signal, in which case it broadcasts "spark_caught" with where it was caught.

const kiln = @import("kiln");

pub const Caught = extern struct { x: f32, y: f32, z: f32 };

pub const State = struct {
    seconds: f32 = 6.0,
    age: f32 = 0,
    caught: bool = false,
};

pub fn init(self: *State, ctx: *kiln.Context) !void {
    _ = self;
    _ = try ctx.connectSignal("caught");
}

pub fn update(self: *State, ctx: *kiln.Context) !void {
    self.age += ctx.deltaTime();
    if (self.age >= self.seconds and !self.caught) try ctx.despawn(ctx.entity);
}

pub fn onSignal(self: *State, ctx: *kiln.Context, signal: kiln.Signal) !void {
    if (self.caught) return; // two hunters in one frame: count it once
    self.caught = true;
    const p = try ctx.getPosition(ctx.entity);
    try ctx.emitSignal("spark_caught", Caught{ .x = p.x, .y = p.y, .z = p.z }, .null);
    try ctx.despawn(ctx.entity);
    _ = signal;
}
