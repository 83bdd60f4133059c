//! Test script: random signal traffic for NativeSignalEquivalenceTest. Every update emits 0–3
//! signals (`a_name`, `b_name` or "c", a u32 payload) to pseudo-random entities of the first
//! ScriptVars "n" indices (generation 1: some are stale by then), or broadcasts; now and then
//! despawns one. ScriptVars "broadcasts" = 0 turns broadcasts off (rounds that one library
//! receives whole). signal_quiet.zig runs it "quiet": only "d" and "e" to live entities (no record
//! at all: the update call's signal lane whole, no despawns, no broadcasts, nothing logged). It receives `a_name`, "a" (the replies) and
//! "d" from anyone, `b_name` and "e" only from the entity in ScriptVars "from" (if any), and never
//! "c"; each delivery is logged with its name and payload and some are answered with "a" (a
//! cascade of dispatch rounds). "c", "d" and "e" fit the signal lane (a name and a u32 in 8
//! bytes): an update's signals go there until its first record (a long name, a broadcast, a
//! despawn), then as records, so one hook posts both.
//! The names' lengths are chosen so that name + payload is 5 ("a"), 12 (`a_name`) and 21 bytes
//! (`b_name`): the native queue copies up to 8, up to 16 and longer in three different ways.
//! Now and then a handler fails (an error status, logged) or faults (a panic: the engine
//! reports the instance and disables it, and the other deliveries of its batch still run); run
//! quiet, an update now and then faults after its signals.

const kiln = @import("kiln");

pub const State = struct { rng: u64 = 0, got: i64 = 0 };

const a_name = "a.medium";
const b_name = "b.from-one-sender";

fn next(self: *State) u64 {
    // xorshift64: the same sequence in both engines of the test.
    var x = self.rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    self.rng = x;
    return x;
}

fn handleOf(index: u64) kiln.Entity {
    return @enumFromInt((@as(u64, 1) << 32) | index);
}

pub fn init(self: *State, ctx: *kiln.Context) !void {
    const seed: u64 = @bitCast(ctx.getVar(ctx.entity, "seed", i64) catch 1);
    self.rng = ((@as(u64, ctx.entity.index()) + 1) *% 0x9E3779B97F4A7C15) ^ seed ^ 0x5DEECE66D;
    _ = try ctx.connectSignal("a");
    _ = try ctx.connectSignal(a_name);
    _ = try ctx.connectSignal("d");
    const from = ctx.getVar(ctx.entity, "from", i64) catch 0;
    if (from != 0) {
        _ = try ctx.connectSignalFrom(b_name, @enumFromInt(@as(u64, @bitCast(from))));
        _ = try ctx.connectSignalFrom("e", @enumFromInt(@as(u64, @bitCast(from))));
    }
}

pub fn update(self: *State, ctx: *kiln.Context) !void {
    return updateMix(self, ctx, false);
}

/// The update; `quiet` (signal_quiet.zig): nothing but short signals to live entities, and nothing
/// at all from a script whose entity was despawned under it (its getVar would log).
pub fn updateMix(self: *State, ctx: *kiln.Context, comptime quiet: bool) !void {
    if (quiet and !ctx.isAlive(ctx.entity)) return;
    const n: u64 = @intCast(ctx.getVar(ctx.entity, "n", i64) catch 1);
    const broadcasts = !quiet and (ctx.getVar(ctx.entity, "broadcasts", i64) catch 1) != 0;
    var k = next(self) % 4;
    while (k > 0) : (k -= 1) {
        const r = next(self);
        const name: []const u8 = if (quiet) (if (r % 3 == 0) "e" else "d") else switch (r % 8) {
            0, 1 => a_name,
            2, 3 => b_name,
            4 => "c",
            5, 6 => "d",
            else => "e",
        };
        const target: kiln.Entity = if (broadcasts and (r >> 8) % 7 == 0) .null else handleOf((r >> 16) % (n + 2));
        // quiet: a stale target is skipped rather than logged (a log line is a record)
        if (quiet and !ctx.isAlive(target)) continue;
        const value: u32 = @truncate(r >> 32);
        ctx.emitSignal(name, value, target) catch {}; // a stale target: the SDK says so in the log
    }
    const d = next(self);
    if (!quiet and d % 97 == 0) ctx.despawn(handleOf((d >> 16) % n)) catch {};
    // quiet: now and then an update faults after its signals (the engine discards them with the
    // instance's range, disables it and runs the rest of the call: the lane goes on after the
    // signals of the updates before it)
    if (quiet and d % 53 == 5) @panic("signal_quiet: an update faults after its signals");
}

pub fn onSignal(self: *State, ctx: *kiln.Context, signal: kiln.Signal) !void {
    return onSignalAs(self, ctx, signal, "");
}

/// onSignal whose log lines start with `tag`: the second library's (signal_mix_b, signal_quiet_b)
/// say which library's code ran a delivery, so one delivered by the wrong library's handler loop
/// shows in the log even though both do the same.
pub fn onSignalAs(self: *State, ctx: *kiln.Context, signal: kiln.Signal, comptime tag: []const u8) !void {
    self.got += 1;
    const v = try signal.payloadAs(u32);
    ctx.logInfo(tag ++ "{s} {d} from {d} to {d} #{d}", .{ signal.name, v, signal.sender.index(), signal.target.index(), self.got });
    if (v % 3 == 0 and v > 0 and signal.sender != .null) try ctx.emitSignal("a", v / 3, signal.sender);
    if (v % 23 == 7) return error.ScriptFailed;
    if (v % 89 == 11) @panic("signal_mix: a handler faults");
}
