package dev.kiln.reload;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.build.BuildResult;
import dev.kiln.script.LogEntry;
import dev.kiln.script.ScriptInstance;
import dev.kiln.script.SwapResult;
import dev.kiln.state.StateValues;
import dev.kiln.testing.TestEngine;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * State migrated by name and type across real hot-reload swaps of compiled Zig scripts: every
 * value keeps its meaning or is reset to its default with a warning, never reinterpreted bytes.
 */
class StateTypeMigrationTest {
    /** The state-layout-change case: set at the first update, then the layout changes under it. */
    static final String KEEPER_V1 = """
            const kiln = @import("kiln");
            const Health = extern struct { hp: f32 = 100, max: f32 = 100 };
            const Mode = enum(u8) { idle, chase, flee };
            pub const State = struct { health: Health = .{}, mode: Mode = .idle, small: u8 = 0, delta: i64 = 0,
                                       big: u64 = 0, maybe: ?u32 = null, none: ?u32 = null, neg: i32 = 0 };
            pub fn update(self: *State, ctx: *kiln.Context) void {
                _ = ctx;
                self.health = .{ .hp = 25, .max = 100 };
                self.mode = .flee;
                self.small = 200;
                self.delta = -5;
                self.big = 1 << 40;
                self.maybe = 7;
                self.neg = -3;
            }
            """;

    /** Struct fields reordered, a tag inserted before flee, u8 → i8, i64 → u64, u64 → i16, ?u32 → ?f32. */
    static final String KEEPER_V2 = """
            const kiln = @import("kiln");
            const Health = extern struct { max: f32 = 100, hp: f32 = 100 };
            const Mode = enum(u8) { idle, patrol, chase, flee };
            pub const State = struct { health: Health = .{}, mode: Mode = .idle, small: i8 = 0, delta: u64 = 9,
                                       big: i16 = 0, maybe: ?f32 = null, none: ?f32 = 1.5, neg: ?u8 = 4 };
            pub fn update(self: *State, ctx: *kiln.Context) void { _ = self; _ = ctx; }
            """;

    /** The tag in use (flee) removed: the instance gets the default instead of a panic later. */
    static final String MODE_WITHOUT_FLEE = """
            const kiln = @import("kiln");
            const Mode = enum(u8) { idle, chase };
            pub const State = struct { mode: Mode = .chase, n: u32 = 0 };
            pub fn update(self: *State, ctx: *kiln.Context) void {
                self.n += 1;
                if (self.n == 1) ctx.logInfo("mode {s}", .{@tagName(self.mode)});
            }
            """;

    static final String POINTS_V1 = """
            const kiln = @import("kiln");
            const Point = struct { x: i32 = 0, y: i32 = 0 };
            pub const State = struct { path: [3]Point = @splat(.{}), last: [4]u8 = .{ 1, 2, 3, 4 } };
            pub fn update(self: *State, ctx: *kiln.Context) void {
                _ = ctx;
                for (&self.path, 0..) |*p, k| p.* = .{ .x = @intCast(k + 10), .y = @intCast(k + 20) };
            }
            """;

    /** Point gains a field (before the others), the path grows to 5, last shrinks to 2. */
    static final String POINTS_V2 = """
            const kiln = @import("kiln");
            const Point = struct { z: i32 = 99, x: i32 = 0, y: i32 = 0 };
            pub const State = struct { path: [5]Point = @splat(.{ .x = -1, .y = -1 }), last: [2]u8 = .{ 0, 0 } };
            pub fn update(self: *State, ctx: *kiln.Context) void { _ = self; _ = ctx; }
            """;

    @Test
    void aLayoutChangeKeepsEveryValuesMeaning(@TempDir Path dir) throws Exception {
        try (TestEngine t = new TestEngine()) {
            ScriptInstance i = start(t, dir, KEEPER_V1);
            SwapResult result = swap(t, dir, KEEPER_V2);
            Map<String, Object> state = state(i);
            assertThat(state.get("health")).isEqualTo(Map.of("max", 100.0, "hp", 25.0));
            assertThat(state.get("mode")).isEqualTo("flee");
            assertThat(state.get("small")).isEqualTo(127L);  // u8 200 → i8: saturated
            assertThat(state.get("delta")).isEqualTo(0L);    // i64 -5 → u64: saturated at 0, not 2^64-5
            assertThat(state.get("big")).isEqualTo(32767L);  // u64 2^40 → i16: saturated
            assertThat(state.get("maybe")).isEqualTo(7.0);   // ?u32 7 → ?f32 7.0, not the bits of 7
            assertThat(state.get("none")).isNull();          // null stays null
            assertThat(state.get("neg")).isEqualTo(0L);      // i32 -3 → ?u8: present, saturated
            assertThat(result.changes()).extracting(c -> c.field() + ":" + c.kind()).contains(
                    "mode:CONVERTED", "small:CONVERTED", "delta:CONVERTED", "health:KEPT");
        }
    }

    @Test
    void anEnumTagThatIsGoneResetsToTheDefaultWithAWarning(@TempDir Path dir) throws Exception {
        try (TestEngine t = new TestEngine()) {
            ScriptInstance i = start(t, dir, KEEPER_V1);
            swap(t, dir, MODE_WITHOUT_FLEE);
            assertThat(state(i).get("mode")).isEqualTo("chase"); // the new default
            assertThat(t.messages(LogEntry.Level.WARN)).anyMatch(m -> m.contains("'mode'") && m.contains("flee")
                    && m.contains("1 instance"));
            t.run(3);
            assertThat(t.messages(LogEntry.Level.ERROR)).isEmpty(); // no panic on a tag out of range
            assertThat(t.messages(LogEntry.Level.INFO)).contains("mode chase");
        }
    }

    @Test
    void arraysMigrateElementWiseAndStructsInThemByFieldName(@TempDir Path dir) throws Exception {
        try (TestEngine t = new TestEngine()) {
            ScriptInstance i = start(t, dir, POINTS_V1);
            SwapResult result = swap(t, dir, POINTS_V2);
            assertThat(state(i).get("path")).isEqualTo(List.of(
                    Map.of("z", 99L, "x", 10L, "y", 20L), Map.of("z", 99L, "x", 11L, "y", 21L),
                    Map.of("z", 99L, "x", 12L, "y", 22L),
                    Map.of("z", 99L, "x", -1L, "y", -1L), Map.of("z", 99L, "x", -1L, "y", -1L)));
            assertThat(state(i).get("last")).isEqualTo(List.of(1L, 2L));
            assertThat(result.changes()).extracting(c -> c.field() + ":" + c.kind()).contains(
                    "path[].z:ADDED", "path:CONVERTED", "last:CONVERTED");
        }
    }

    /** Every kind the description has, written by the script itself: Java must read back exactly these. */
    static final String EVERY_KIND = """
            const kiln = @import("kiln");
            const Inner = struct { a: u3 = 0, b: f16 = 0, c: ?[2]u16 = null };
            const Kind = enum(i16) { low = -7, high = 300, _ };
            const Bits = packed struct { on: bool = false, level: u7 = 0 };
            const Either = union(enum) { n: u32, f: f32 };
            pub const State = struct {
                inner: Inner = .{}, kind: Kind = .low, unnamed: Kind = .low, bits: Bits = .{},
                either: Either = .{ .n = 0 }, who: kiln.Entity = .null, opt: ?Inner = null, flag: bool = false,
                wide: u128 = 0, small: i7 = 0, at: kiln.Vec3 = .{},
            };
            pub fn update(self: *State, ctx: *kiln.Context) void {
                self.inner = .{ .a = 5, .b = 1.5, .c = .{ 65535, 2 } };
                self.kind = .high;
                self.unnamed = @enumFromInt(12);
                self.bits = .{ .on = true, .level = 3 };
                self.who = ctx.entity;
                self.opt = .{ .a = 1, .b = -2, .c = null };
                self.flag = true;
                self.wide = (1 << 100) + 1;
                self.small = -64;
                self.at = kiln.vec3(1, 2, 3);
            }
            """;

    @Test
    void theDescribedTypeMatchesZigsOwnLayout(@TempDir Path dir) throws Exception {
        try (TestEngine t = new TestEngine()) {
            ScriptInstance i = start(t, dir, EVERY_KIND);
            Map<String, Object> state = state(i);
            assertThat(state.get("inner")).isEqualTo(Map.of("a", 5L, "b", 1.5, "c", List.of(65535L, 2L)));
            assertThat(state.get("kind")).isEqualTo("high");
            assertThat(state.get("unnamed")).isEqualTo(12L);
            assertThat(state.get("bits")).isInstanceOf(byte[].class); // packed: opaque, kept only when unchanged
            assertThat(state.get("either")).isInstanceOf(byte[].class);
            assertThat(state.get("who")).isEqualTo(i.entity());
            Map<String, Object> opt = new HashMap<>();
            opt.put("a", 1L);
            opt.put("b", -2.0);
            opt.put("c", null);
            assertThat(state.get("opt")).isEqualTo(opt);
            assertThat(state.get("flag")).isEqualTo(true);
            assertThat(state.get("wide")).isEqualTo(BigInteger.ONE.shiftLeft(100).add(BigInteger.ONE));
            assertThat(state.get("small")).isEqualTo(-64L);
            assertThat(state.get("at")).isEqualTo(Map.of("x", 1.0, "y", 2.0, "z", 3.0));
        }
    }

    /** keeper.zig from {@code source}, loaded and attached to a new entity, run 2 frames. */
    static ScriptInstance start(TestEngine t, Path dir, String source) throws Exception {
        Path file = dir.resolve("keeper.zig");
        Files.writeString(file, source);
        t.load(file);
        ScriptInstance i = t.engine.scripts().attach(t.engine.world().spawn(), "keeper", 0, null);
        t.run(2);
        return i;
    }

    /** keeper.zig rewritten to {@code source}, built and swapped in; the swap must succeed. */
    static SwapResult swap(TestEngine t, Path dir, String source) throws Exception {
        Path file = dir.resolve("keeper.zig");
        Files.writeString(file, source);
        BuildResult r = t.engine.compiler().build(file);
        assertThat(r.ok()).as("build: %s", r.compilerOutput()).isTrue();
        SwapResult result = t.engine.scripts().swapLibrary("keeper", t.engine.scripts().loadCode(r.library(), false));
        assertThat(result.ok()).as(result.error()).isTrue();
        return result;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> state(ScriptInstance i) {
        byte[] bytes = i.state().toArray(JAVA_BYTE);
        return (Map<String, Object>) StateValues.read(i.library().info().stateType(), bytes, 0);
    }
}
