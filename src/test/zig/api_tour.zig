//! Test script: performs the API operation named by the ScriptVars value "op" (set by the test
//! before each frame) and reports results back through ScriptVars, so a test can drive every
//! API function and check its effect on the world after the barrier.

const kiln = @import("kiln");

pub const Health = extern struct {
    pub const component_name = "health";
    hp: f32,
    max: f32,
};

pub const Op = enum(i64) {
    none = 0,
    set_position = 1,
    translate = 2,
    set_scale = 3,
    set_velocity = 4,
    set_rotation = 5,
    rotate = 6,
    look_at = 7,
    spawn = 8,
    despawn = 9,
    add_component = 10,
    remove_component = 11,
    get_component = 12,
    read_target = 13,
    find_by_tag = 14,
    query_nearby = 15,
    read_time = 16,
    log = 17,
    translate_target = 18,
    add_tag = 19,
    remove_tag = 20,
    spawn_and_move = 21,
    flood = 22,
    nan_position = 23,
    spawn_flood = 24,
    absurd_sizes = 25,
    rotate_in_space = 26,
    set_rotation_euler = 27,
    read_euler = 28,
    rotate_euler = 29,
    transform_burst = 30,
    add_component_hp_only = 31,
    connect_from_target = 32,
    disconnect_slot = 33,
    emit_hello = 34,
    connect_any = 35,
    filtered_query = 36,
    _,
};

pub const State = struct {
    pending: kiln.Entity = .null,
    spawned: kiln.Entity = .null,
    /// Requests the last flood managed to post before the buffer was full.
    posted: i64 = 0,
    /// Signal connections by slot (ScriptVars "slot"), and what "hello" brought.
    conns: [2]kiln.Connection = @splat(.{}),
    hello_count: i64 = 0,
    hello_index_sum: i64 = 0,
    hello_published: i64 = 0,
};

pub fn onSignal(self: *State, ctx: *kiln.Context, signal: kiln.Signal) void {
    _ = ctx;
    if (!@import("std").mem.eql(u8, signal.name, "hello")) return;
    self.hello_count += 1;
    self.hello_index_sum += signal.sender.index();
}

fn slot(ctx: *kiln.Context) usize {
    return @intCast(@min(1, @max(0, ctx.getVar(ctx.entity, "slot", i64) catch 0)));
}

fn vec(ctx: *kiln.Context) kiln.Vec3 {
    return ctx.getVar(ctx.entity, "v", kiln.Vec3) catch .{};
}

fn target(ctx: *kiln.Context) kiln.Entity {
    const bits = ctx.getVar(ctx.entity, "target", i64) catch 0;
    return @enumFromInt(@as(u64, @bitCast(bits)));
}

fn reportStatus(ctx: *kiln.Context, result: kiln.Error!void) !void {
    try reportStatusAs(ctx, "status", result);
}

fn reportStatusAs(ctx: *kiln.Context, key: []const u8, result: kiln.Error!void) !void {
    const code: i64 = if (result) |_| 0 else |err| @intFromEnum(kiln.statusOf(err));
    try ctx.setVar(ctx.entity, key, code);
}

pub fn update(self: *State, ctx: *kiln.Context) !void {
    // Resolve a spawn requested in an earlier frame.
    if (self.pending != .null) {
        if (ctx.spawnResult(self.pending)) |real| {
            self.spawned = real;
            self.pending = .null;
            try ctx.setVar(ctx.entity, "spawned", @as(i64, @bitCast(real.bits())));
        } else |_| {}
    }
    if (self.hello_count != self.hello_published) {
        // only when a signal came: the flood tests count every byte this hook posts
        try ctx.setVar(ctx.entity, "hello_count", self.hello_count);
        try ctx.setVar(ctx.entity, "hello_index_sum", self.hello_index_sum);
        self.hello_published = self.hello_count;
    }
    const op: Op = @enumFromInt(ctx.getVar(ctx.entity, "op", i64) catch 0);
    const e = ctx.entity;
    switch (op) {
        .none => {},
        .set_position => try ctx.setPosition(e, vec(ctx)),
        .translate => try ctx.translate(e, vec(ctx)),
        .set_scale => try ctx.setScale(e, vec(ctx)),
        .set_velocity => try ctx.setVelocity(e, vec(ctx)),
        .set_rotation => try ctx.setRotation(e, kiln.math.quatFromAxisAngle(kiln.vec3(0, 1, 0), angle(ctx))),
        .rotate => try ctx.rotate(e, kiln.math.quatFromAxisAngle(kiln.vec3(0, 1, 0), angle(ctx)), .world),
        .rotate_in_space => try ctx.rotate(e, kiln.math.quatFromAxisAngle(vec(ctx), angle(ctx)), space(ctx)),
        .set_rotation_euler => try ctx.setRotationEuler(e, euler(ctx)),
        .rotate_euler => try ctx.rotateEuler(e, euler(ctx), space(ctx)),
        .transform_burst => {
            // Every transform request, in a known order (the physics route's test).
            const v = vec(ctx);
            try ctx.setPosition(e, v);
            try ctx.translate(e, kiln.vec3(1, 0, 0));
            try ctx.setScale(e, kiln.vec3(2, 2, 2));
            try ctx.setVelocity(e, v);
            try ctx.setRotation(e, kiln.math.quatFromAxisAngle(kiln.vec3(0, 1, 0), 0.5));
            try ctx.rotate(e, kiln.math.quatFromAxisAngle(kiln.vec3(1, 0, 0), 0.25), .local);
            try ctx.lookAt(e, kiln.vec3(0, 0, -10), kiln.vec3(0, 1, 0));
        },
        .read_euler => {
            const angles = kiln.math.quatToEuler(try ctx.getRotation(e));
            try ctx.setVar(e, "euler_out", kiln.vec3(angles.yaw, angles.pitch, angles.roll));
        },
        .look_at => try ctx.lookAt(e, vec(ctx), kiln.vec3(0, 1, 0)),
        .spawn => self.pending = try ctx.spawn(.{ .position = vec(ctx), .tags = "spawned,test" }),
        .despawn => try reportStatus(ctx, ctx.despawn(target(ctx))),
        .add_component => {
            const v = vec(ctx);
            try ctx.addComponent(e, Health{ .hp = v.x, .max = v.y });
        },
        .add_component_hp_only => {
            const v = vec(ctx);
            try ctx.addComponentFields(e, Health{ .hp = v.x, .max = v.y }, &.{"hp"});
        },
        .connect_from_target => {
            const c = try ctx.connectSignalFrom("hello", target(ctx));
            self.conns[slot(ctx)] = c;
            try ctx.setVar(e, "conn_id", @as(i64, @bitCast(c.id)));
        },
        .connect_any => {
            const c = try ctx.connectSignal("hello");
            self.conns[slot(ctx)] = c;
            try ctx.setVar(e, "conn_id", @as(i64, @bitCast(c.id)));
        },
        .disconnect_slot => try reportStatus(ctx, ctx.disconnectSignal(self.conns[slot(ctx)])),
        .emit_hello => try ctx.emitSignal("hello", {}, target(ctx)),
        .filtered_query => try filteredQuery(ctx),
        .remove_component => try reportStatus(ctx, ctx.removeComponent(e, Health)),
        .get_component => {
            if (ctx.getComponent(e, Health)) |h| {
                try ctx.setVar(e, "hp", @as(f64, h.hp));
                try ctx.setVar(e, "has_health", ctx.hasComponent(e, Health));
            } else |err| {
                try ctx.setVar(e, "status", @as(i64, @intFromEnum(kiln.statusOf(err))));
            }
        },
        .read_target => {
            const t = target(ctx);
            if (ctx.getPosition(t)) |p| {
                try ctx.setVar(e, "pos", p);
                try ctx.setVar(e, "vel", try ctx.getVelocity(t));
                try ctx.setVar(e, "scale", try ctx.getScale(t));
                try ctx.setVar(e, "rot_y", @as(f64, (try ctx.getRotation(t)).y));
                try ctx.setVar(e, "status", @as(i64, 0));
            } else |err| {
                try ctx.setVar(e, "status", @as(i64, @intFromEnum(kiln.statusOf(err))));
            }
        },
        .find_by_tag => try findByTag(ctx),
        .query_nearby => try queryNearby(ctx),
        .read_time => {
            try ctx.setVar(e, "dt", @as(f64, ctx.deltaTime()));
            try ctx.setVar(e, "time", ctx.time());
            try ctx.setVar(e, "frame", @as(i64, @intCast(ctx.frameIndex())));
        },
        .log => {
            ctx.logInfo("info {d}", .{1});
            ctx.logWarn("warn {s}", .{"two"});
            ctx.logError("error {d:.1}", .{3.0});
        },
        .translate_target => try reportStatus(ctx, ctx.translate(target(ctx), vec(ctx))),
        .add_tag => try ctx.addTag(e, "marked"),
        .remove_tag => try reportStatus(ctx, ctx.removeTag(e, "marked")),
        .spawn_and_move => {
            // Commands may target the pending handle in the phase that spawned it.
            const p = try ctx.spawn(.{ .tags = "child" });
            try ctx.setPosition(p, vec(ctx));
            try ctx.setVar(p, "born", true);
            self.pending = p;
        },
        .flood => {
            var posted: i64 = 0;
            var i: usize = 0;
            while (i < 100_000) : (i += 1) {
                ctx.translate(e, kiln.vec3(0.001, 0, 0)) catch |err| {
                    if (err == error.BufferFull) break;
                    return err;
                };
                posted += 1;
            }
            self.posted = posted;
        },
        .spawn_flood => {
            var posted: i64 = 0;
            while (posted < 1_000_000) : (posted += 1) {
                _ = ctx.spawn(.{}) catch |err| {
                    if (err == error.BufferFull) break;
                    return err;
                };
            }
            self.posted = posted;
        },
        .absurd_sizes => {
            // A name over 64 bytes, a payload over 256 bytes: refused at the call, with a status.
            const long_name = "a_script_vars_key_that_is_much_longer_than_the_sixty_four_bytes_allowed";
            try reportStatusAs(ctx, "key_status", ctx.setVar(e, long_name, @as(i64, 1)));
            const Big = extern struct { bytes: [300]u8 };
            try reportStatusAs(ctx, "payload_status", ctx.emitSignal("big", Big{ .bytes = @splat(0) }, e));
        },
        .nan_position => try reportStatus(ctx, ctx.setPosition(e, kiln.vec3(std_nan(), 0, 0))),
        _ => return error.InvalidArgument,
    }
}

fn std_nan() f32 {
    return @import("std").math.nan(f32);
}

fn space(ctx: *kiln.Context) kiln.Space {
    return if ((ctx.getVar(ctx.entity, "space", i64) catch 0) == 1) .world else .local;
}

/// ScriptVars "euler": (yaw, pitch, roll) in radians.
fn euler(ctx: *kiln.Context) kiln.Euler {
    const v = ctx.getVar(ctx.entity, "euler", kiln.Vec3) catch kiln.Vec3{};
    return .{ .yaw = v.x, .pitch = v.y, .roll = v.z };
}

fn angle(ctx: *kiln.Context) f32 {
    return @floatCast(ctx.getVar(ctx.entity, "angle", f64) catch 0);
}

fn findByTag(ctx: *kiln.Context) !void {
    const e = ctx.entity;
    const count = ctx.countByTag("findme");
    try ctx.setVar(e, "count", @as(i64, @intCast(count)));
    var small: [1]kiln.Entity = undefined;
    const small_ok = if (ctx.findByTag("findme", &small)) |_| true else |_| false;
    try ctx.setVar(e, "small_ok", small_ok);
    var big: [64]kiln.Entity = undefined;
    const found = try ctx.findByTag("findme", &big);
    var sum: i64 = 0;
    for (found) |f| sum += @intCast(f.index());
    try ctx.setVar(e, "index_sum", sum);
}

fn queryNearby(ctx: *kiln.Context) !void {
    const e = ctx.entity;
    const radius: f32 = @floatCast(ctx.getVar(e, "radius", f64) catch 1);
    const filter = kiln.NearbyFilter{ .exclude = e, .tag = "" };
    const count = ctx.countNearby(vec(ctx), radius, filter);
    try ctx.setVar(e, "count", @as(i64, @intCast(count)));
    var small: [1]kiln.Entity = undefined;
    const small_ok = if (ctx.queryNearby(vec(ctx), radius, filter, &small)) |_| true else |_| false;
    try ctx.setVar(e, "small_ok", small_ok);
    var big: [256]kiln.Entity = undefined;
    const found = try ctx.queryNearby(vec(ctx), radius, filter, &big);
    var sum: i64 = 0;
    for (found) |f| sum += @intCast(f.index());
    try ctx.setVar(e, "index_sum", sum);
    const tagged = ctx.countNearby(vec(ctx), radius, .{ .exclude = e, .tag = "findme" });
    try ctx.setVar(e, "tagged_count", @as(i64, @intCast(tagged)));
}

const filter_tags = [_][]const u8{ "a", "b", "c" };
const filter_components = [_][]const u8{ Health.component_name, "armor" };

/// The names of `names` whose bit is set in ScriptVars `key`.
fn pick(ctx: *kiln.Context, key: []const u8, names: []const []const u8, buf: *[3][]const u8) []const []const u8 {
    const mask = ctx.getVar(ctx.entity, key, i64) catch 0;
    var n: usize = 0;
    for (names, 0..) |name, i| {
        if (mask & (@as(i64, 1) << @intCast(i)) != 0) {
            buf[n] = name;
            n += 1;
        }
    }
    return buf[0..n];
}

fn maskOf(found: []const kiln.Entity) i64 {
    var mask: i64 = 0;
    for (found) |f| mask |= @as(i64, 1) << @intCast(f.index() & 63);
    return mask;
}

/// queryNearby / countNearby / findByComponent / countByComponent with the filter the test
/// describes in ScriptVars (bit masks over filter_tags and filter_components); results as masks
/// of entity indices.
fn filteredQuery(ctx: *kiln.Context) !void {
    const e = ctx.entity;
    var b1: [3][]const u8 = undefined;
    var b2: [3][]const u8 = undefined;
    var b3: [3][]const u8 = undefined;
    var b4: [3][]const u8 = undefined;
    const filter = kiln.QueryFilter{
        .exclude = e,
        .with_tags = pick(ctx, "req_tags", &filter_tags, &b1),
        .without_tags = pick(ctx, "ex_tags", &filter_tags, &b2),
        .with_components = pick(ctx, "req_comps", &filter_components, &b3),
        .without_components = pick(ctx, "ex_comps", &filter_components, &b4),
    };
    const radius: f32 = @floatCast(ctx.getVar(e, "radius", f64) catch 1);
    const count = ctx.countNearby(vec(ctx), radius, filter);
    try ctx.setVar(e, "count", @as(i64, @intCast(count)));
    var small: [1]kiln.Entity = undefined;
    const too_small = if (ctx.queryNearby(vec(ctx), radius, filter, &small)) |_| false else |err| err == error.BufferTooSmall;
    try ctx.setVar(e, "too_small", too_small);
    var big: [128]kiln.Entity = undefined;
    try ctx.setVar(e, "found_mask", maskOf(try ctx.queryNearby(vec(ctx), radius, filter, &big)));
    try ctx.setVar(e, "comp_count", @as(i64, @intCast(ctx.countByComponent(Health, filter))));
    try ctx.setVar(e, "comp_mask", maskOf(try ctx.findByComponent(Health, filter, &big)));
}
