//! Test script for the own-transform column (abi/kiln.h kiln_own_transform): each update makes a
//! request mix chosen by its entity's index and the frame — an own transform alone, before or
//! after records, a second own-entity transform (a record), a non-finite one (refused), one whose
//! result overflows (reported at the barrier), a despawn of another entity before that one's own
//! transform ("other", i64 var: its handle bits; at frame "despawn_at"), a panic after an own
//! transform ("panic_at": the frame) — so that a run with the column and one without (records
//! only) can be compared request for request (OwnTransformEquivalenceTest).

const std = @import("std");
const kiln = @import("kiln");

pub const State = struct {
    updates: u32 = 0,
};

fn other(ctx: *kiln.Context) kiln.Entity {
    const bits = ctx.getVar(ctx.entity, "other", i64) catch 0;
    return @enumFromInt(@as(u64, @bitCast(bits)));
}

pub fn update(self: *State, ctx: *kiln.Context) !void {
    self.updates += 1;
    const frame = ctx.frameIndex();
    const pick = (ctx.entity.index() *% 7 +% @as(u32, @truncate(frame)) *% 3) % 10;
    const v = kiln.vec3(@floatFromInt(pick), 0.5, -0.25);
    if (frame == @as(u64, @bitCast(ctx.getVar(ctx.entity, "despawn_at", i64) catch -1))) {
        try ctx.despawn(other(ctx)); // a record first: the own-entity translate after it is one too
        try ctx.translate(ctx.entity, v);
        return;
    }
    switch (pick) {
        0 => try ctx.translate(ctx.entity, v),
        1 => {
            try ctx.setPosition(ctx.entity, v);
            try ctx.translate(ctx.entity, v); // the second: a record
        },
        2 => {
            try ctx.setVelocity(other(ctx), v); // a record of another entity first
            try ctx.translate(ctx.entity, v);
        },
        3 => try ctx.translate(ctx.entity, kiln.vec3(std.math.nan(f32), 0, 0)), // refused: the hook fails
        4 => {
            try ctx.setScale(ctx.entity, kiln.vec3(1, 2, 3));
            ctx.log(.info, "scaled at update {d}", .{self.updates});
        },
        5 => try ctx.setVelocity(ctx.entity, v),
        6 => {},
        7 => { // the second overflows at the barrier: reported there
            try ctx.translate(ctx.entity, kiln.vec3(3.0e38, 3.0e38, 0));
            try ctx.translate(ctx.entity, kiln.vec3(3.0e38, 3.0e38, 0));
        },
        8 => {
            try ctx.translate(ctx.entity, v);
            _ = try ctx.spawn(.{ .position = v });
        },
        else => try ctx.translate(ctx.entity, v),
    }
    if (frame == @as(u64, @bitCast(ctx.getVar(ctx.entity, "panic_at", i64) catch -1))) @panic("own_mixer: a fault after its requests");
}
