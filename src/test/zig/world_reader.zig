//! EmbeddedWorldWritesReplayTest's script: folds what it reads of its entity every frame —
//! the transform, a tag, a component and a ScriptVar, all of which the host writes between
//! steps — into State, so a host write made before another frame than recorded (or not at
//! all) changes the State hash from that frame on, not only the world's tables. It writes a
//! ScriptVar of its own every frame, which the barrier applies: a write the recorder must leave out.
const kiln = @import("kiln");

pub const Armor = extern struct {
    pub const component_name = "armor";
    points: f32,
};

pub const State = struct {
    seen: f64 = 0,
    frames: i64 = 0,
};

pub fn update(self: *State, ctx: *kiln.Context) !void {
    const e = ctx.entity;
    const p = try ctx.getPosition(e);
    const r = try ctx.getRotation(e);
    const s = try ctx.getScale(e);
    const v = try ctx.getVelocity(e);
    var x: f64 = p.x + 2 * p.y + 3 * p.z;
    x += 5 * r.x + 7 * r.y + 11 * r.z + 13 * r.w;
    x += 17 * s.x + 19 * s.y + 23 * v.x + 29 * v.z;
    if (ctx.hasTag(e, "boost")) x += 31;
    if (ctx.hasComponent(e, Armor)) x += 37 * (try ctx.getComponent(e, Armor)).points;
    x += 41 * (ctx.getVar(e, "speed", f64) catch 0);
    self.seen = self.seen * 0.5 + x;
    // A write of the scripts' own (applied by the barrier in Java): the engine's, never recorded as the host's.
    self.frames += 1;
    try ctx.setVar(e, "frames", self.frames);
}
