package dev.kiln.reload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.script.LogEntry;
import dev.kiln.script.ScriptInstance;
import dev.kiln.testing.TestEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Type kinds beside the ones the state-layout-change case names, migrated across real swaps of
 * compiled Zig scripts: arrays of enums, optional structs, nested arrays, 128-bit and 1-bit
 * integers, f16 both ways, enums into optionals. Each value keeps its meaning or takes the
 * declared default, never reinterpreted bytes: a value migrated into an optional whose default
 * is null starts from the payload's declared defaults (the SDK describes them), so `?Point`
 * gaining a field gives it its default, and an enum without a tag 0 never reads as 0.
 */
class MigrationSiblingKindsTest {
    static final String V1 = """
            const kiln = @import("kiln");
            const Mode = enum(u8) { idle, chase, flee };
            const Point = struct { x: i32 = 0, y: i32 = 0 };
            pub const State = struct {
                modes: [3]Mode = @splat(.idle), spot: ?Point = null, grid: [2][3]u8 = @splat(@splat(0)),
                huge: i128 = 0, negative: i128 = 0, bit: u1 = 0, half: f16 = 0, single: f32 = 0,
                tag: Mode = .idle, maybe_modes: [2]?Mode = @splat(null), level: ?Level = null,
            };
            const Level = enum(u8) { low = 1, mid = 2, high = 3 };
            pub fn update(self: *State, ctx: *kiln.Context) void {
                _ = ctx;
                self.level = .mid;
                self.modes = .{ .flee, .idle, .chase };
                self.spot = .{ .x = 4, .y = -6 };
                self.grid = .{ .{ 1, 2, 200 }, .{ 4, 5, 6 } };
                self.huge = 1 << 100;
                self.negative = -(1 << 100);
                self.bit = 1;
                self.half = 1.5;
                self.single = 1.0e6;
                self.tag = .chase;
                self.maybe_modes = .{ .flee, null };
            }
            """;

    /** Tags inserted before the ones in use, Point's fields reordered with one added, the grid
     *  reshaped to [3][2]i8, i128 → i64 and → u128, u1 → bool, f16 → f64, f32 → f16 (too large). */
    static final String V2 = """
            const kiln = @import("kiln");
            const Mode = enum(u8) { patrol, idle, sleep, chase, flee };
            const Point = struct { z: i32 = 77, y: i32 = 0, x: i32 = 0 };
            pub const State = struct {
                modes: [4]Mode = @splat(.sleep), spot: ?Point = null, grid: [3][2]i8 = @splat(@splat(-1)),
                huge: i64 = 0, negative: u128 = 5, bit: bool = false, half: f64 = 0, single: f16 = 0,
                tag: ?Mode = null, maybe_modes: [2]?Mode = @splat(.patrol), level: ?Level = null,
            };
            const Level = enum(u8) { low = 1, high = 3 };
            pub fn update(self: *State, ctx: *kiln.Context) void { _ = self; _ = ctx; }
            """;

    @Test
    void siblingKindsKeepTheirMeaning(@TempDir Path dir) throws Exception {
        try (TestEngine t = new TestEngine()) {
            ScriptInstance i = StateTypeMigrationTest.start(t, dir, V1);
            StateTypeMigrationTest.swap(t, dir, V2);
            Map<String, Object> state = StateTypeMigrationTest.state(i);
            assertThat(state.get("modes")).isEqualTo(List.of("flee", "idle", "chase", "sleep"));
            assertThat(state.get("spot")).isEqualTo(Map.of("z", 77L, "y", -6L, "x", 4L));
            assertThat(state.get("grid")).isEqualTo(List.of(List.of(1L, 2L), List.of(4L, 5L), List.of(-1L, -1L)));
            assertThat(state.get("huge")).isEqualTo(Long.MAX_VALUE);
            assertThat(state.get("negative")).isEqualTo(0L);
            assertThat(state.get("bit")).isEqualTo(true);
            assertThat(state.get("half")).isEqualTo(1.5);
            assertThat(state.get("single")).isEqualTo(65504.0);
            assertThat(state.get("tag")).isEqualTo("chase");
            List<Object> maybe = new ArrayList<>();
            maybe.add("flee");
            maybe.add(null);
            assertThat(state.get("maybe_modes")).isEqualTo(maybe);
            // mid is gone and the field's default is null: a tag of Level (its first), never the 0 that is none.
            assertThat(state.get("level")).isEqualTo("low");
            t.run(2);
            assertThat(t.messages(LogEntry.Level.ERROR)).isEmpty();
        }
    }
}
