package dev.kiln.reload;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.build.BuildResult;
import dev.kiln.ecs.Quat;
import dev.kiln.ecs.Vec3;
import dev.kiln.engine.EngineOptions;
import dev.kiln.loader.NativeHeap;
import dev.kiln.scene.SceneLoader;
import dev.kiln.script.LogEntry;
import dev.kiln.script.ScriptInstance;
import dev.kiln.script.StateFields;
import dev.kiln.script.SwapResult;
import dev.kiln.state.StateValues;
import dev.kiln.testing.TestEngine;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kiln.List / String / Map in State on compiled scripts: elements live in engine memory, survive
 * hot reloads (migrated when the element type changes), count against the instance's budget,
 * and are freed when the instance goes.
 */
class ContainerReloadTest {
    /** The demo's hunter, with its history of sightings (zig/examples/follower.zig). */
    @Test
    void theFollowersHistoryKeepsEveryElementWhenTheElementGainsAField(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("follower.zig");
        String v1 = Files.readString(TestEngine.example("follower.zig"));
        Files.writeString(file, v1);
        try (TestEngine t = new TestEngine()) {
            t.load(file);
            long hunter = t.engine.world().spawn(new Vec3(0, 0, 0), Quat.IDENTITY, Vec3.ONE);
            ScriptInstance i = t.engine.scripts().attach(hunter, "follower", 0, null);
            t.step();
            List<Long> sparks = new ArrayList<>();
            for (int k = 0; k < 5; k++) { // one spark at a time: each becomes the next sighting
                long spark = t.engine.world().spawn(new Vec3(3 + k, 0, 0), Quat.IDENTITY, Vec3.ONE);
                t.engine.world().addTag(spark, "spark");
                sparks.add(spark);
                t.run(2);
                t.engine.scripts().despawn(spark);
            }
            List<Map<String, Object>> before = history(t, i);
            assertThat(before).extracting(s -> s.get("target")).containsExactlyElementsOf(sparks);

            String v2 = v1.replace("pub const Sighting = struct {\n", "pub const Sighting = struct {\n    hits: u32 = 7,\n");
            assertThat(v2).isNotEqualTo(v1);
            SwapResult result = swap(t, file, v2, "follower");
            assertThat(result.changes()).anyMatch(c -> c.field().equals("history") && c.kind().name().equals("CONVERTED"));

            List<Map<String, Object>> after = history(t, i);
            assertThat(after).hasSize(before.size());
            for (int k = 0; k < before.size(); k++) {
                assertThat(after.get(k).get("target")).isEqualTo(before.get(k).get("target"));
                assertThat(after.get(k).get("where")).isEqualTo(before.get(k).get("where"));
                assertThat(after.get(k).get("at")).isEqualTo(before.get(k).get("at"));
                assertThat(after.get(k).get("hits")).as("the new field's declared default").isEqualTo(7L);
            }
            t.run(3); // the new code runs on the migrated list
            assertThat(t.messages(LogEntry.Level.ERROR)).isEmpty();
        }
    }

    static final String HOARDER = """
            const kiln = @import("kiln");
            pub const State = struct { items: kiln.List(u64) = .{}, note: kiln.String = .{}, seen: kiln.Map(u32, f32) = .{} };
            pub fn update(self: *State, ctx: *kiln.Context) !void {
                var k: u64 = 0;
                while (k < 1000) : (k += 1) try self.items.append(ctx, k);
                try self.note.print(ctx, "{d} ", .{self.items.len(ctx)});
                try self.seen.put(ctx, @intCast(self.items.len(ctx) % 7), 1.5);
            }
            """;

    @Test
    void goingOverTheBudgetIsOutOfMemoryReportedWithScriptAndEntity(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("hoarder.zig");
        Files.writeString(file, HOARDER);
        try (TestEngine t = new TestEngine()) {
            t.load(file);
            t.engine.scripts().setMemoryBudget("hoarder", 64L * 1024);
            ScriptInstance i = t.engine.scripts().attach(t.engine.world().spawn(), "hoarder", 0, null);
            t.run(20);
            NativeHeap.Usage usage = t.engine.scripts().memoryOf(i);
            assertThat(usage.budgetBytes()).isEqualTo(64L * 1024);
            assertThat(usage.usedBytes()).isLessThanOrEqualTo(64L * 1024).isGreaterThan(32L * 1024);
            assertThat(usage.blocks()).isEqualTo(4); // items, note, and the map's entries and index
            LogEntry refused = t.logs.stream().filter(l -> l.message().contains("OutOfMemory")).findFirst().orElseThrow();
            assertThat(refused.script()).isEqualTo("hoarder");
            assertThat(refused.entity()).isEqualTo(i.entity());
            assertThat(refused.message()).contains("container append failed: OutOfMemory (over this instance's memory budget)");
            // and the engine's own warning, with the numbers, once per barrier that saw refusals
            LogEntry warning = t.logs.stream().filter(l -> l.level() == LogEntry.Level.WARN
                    && l.message().contains("refused: over its memory budget of 65536 bytes")).findFirst().orElseThrow();
            assertThat(warning.script()).isEqualTo("hoarder");
            assertThat(warning.entity()).isEqualTo(i.entity());
            assertThat(warning.message()).containsPattern("\\d+ in use, \\d+ asked for");
        }
    }

    @Test
    void detachingOrDespawningFreesEveryContainer(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("hoarder.zig");
        Files.writeString(file, HOARDER);
        try (TestEngine t = new TestEngine()) {
            t.load(file);
            NativeHeap heap = t.engine.scripts().heap();
            ScriptInstance a = t.engine.scripts().attach(t.engine.world().spawn(), "hoarder", 0, null);
            long entity = t.engine.world().spawn();
            t.engine.scripts().attach(entity, "hoarder", 0, null);
            t.run(3);
            assertThat(heap.liveBlocks()).isEqualTo(8); // 4 each: items, note, the map's entries and index
            assertThat(heap.totalBytes()).isGreaterThan(2 * 3000 * 8);
            t.engine.scripts().detach(a);
            t.step();
            assertThat(heap.liveBlocks()).isEqualTo(4);
            t.engine.scripts().despawn(entity);
            t.step();
            assertThat(heap.liveBlocks()).isZero();
            assertThat(heap.totalBytes()).isZero();
        }
    }

    static final String POINTS_V1 = """
            const kiln = @import("kiln");
            pub const State = struct { points: kiln.List(kiln.Vec3) = .{}, gone: kiln.List(u8) = .{}, n: u32 = 0 };
            pub fn update(self: *State, ctx: *kiln.Context) !void {
                if (self.n == 0) {
                    try self.points.append(ctx, kiln.vec3(1, 2, 3));
                    try self.gone.append(ctx, 9);
                }
                self.n += 1;
            }
            """;

    /** Vec3 → f32 cannot be converted; the field `gone` is removed. */
    static final String POINTS_V2 = """
            const kiln = @import("kiln");
            pub const State = struct { points: kiln.List(f32) = .{}, n: u32 = 0 };
            pub fn update(self: *State, ctx: *kiln.Context) !void { _ = self; _ = ctx; }
            """;

    @Test
    void aContainerWhoseElementsCannotBeConvertedIsEmptiedWithAWarningAndItsMemoryFreed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("points.zig");
        Files.writeString(file, POINTS_V1);
        try (TestEngine t = new TestEngine()) {
            t.load(file);
            ScriptInstance i = t.engine.scripts().attach(t.engine.world().spawn(), "points", 0, null);
            t.run(2);
            assertThat(t.engine.scripts().memoryOf(i).blocks()).isEqualTo(2);
            swap(t, file, POINTS_V2, "points");
            assertThat(state(t, i).get("points")).isEqualTo(List.of());
            assertThat(t.engine.scripts().memoryOf(i).blocks()).as("both blocks freed").isZero();
            assertThat(t.messages(LogEntry.Level.WARN)).anyMatch(m -> m.contains("'points'") && m.contains("emptied"));
        }
    }

    static final String DYING = """
            const std = @import("std");
            const kiln = @import("kiln");
            pub const State = struct { items: kiln.List(u32) = .{}, n: u32 = 0 };
            pub fn update(self: *State, ctx: *kiln.Context) !void {
                try self.items.append(ctx, self.n);
                self.n += 1;
                if (self.n == 5) std.process.exit(3);
            }
            """;

    @Test
    @SuppressWarnings("unchecked")
    void aDeadHostsContainersComeBackEmptyWithAWarning(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("dying.zig");
        Files.writeString(file, DYING);
        try (TestEngine t = new TestEngine()) {
            t.loadIsolated(file);
            ScriptInstance i = t.engine.scripts().attach(t.engine.world().spawn(), "dying", 0, null);
            t.run(8);
            assertThat(t.messages(LogEntry.Level.ERROR)).anyMatch(m -> m.contains("ended"));
            Files.writeString(file, DYING.replace("std.process.exit(3);", "{}"));
            BuildResult r = t.engine.compiler().build(file);
            assertThat(r.ok()).as(r.compilerOutput()).isTrue();
            SwapResult result = t.engine.scripts().swapLibrary("dying", t.engine.scripts().loadCode(r.library(), true));
            assertThat(result.ok()).as(result.error()).isTrue();
            Map<String, Object> state = (Map<String, Object>) StateValues.read(i.library().info().stateType(),
                    i.state().toArray(JAVA_BYTE), 0, t.engine.scripts().containerReader(i));
            assertThat(state.get("n")).isEqualTo(5L); // the State survived in the region
            assertThat(state.get("items")).isEqualTo(List.of()); // the elements died with the host
            assertThat(t.messages(LogEntry.Level.WARN)).anyMatch(m -> m.contains("'items'") && m.contains("emptied"));
            t.run(2);
            assertThat(t.engine.scripts().memoryOf(i).blocks()).isEqualTo(1); // growing again in the new host
        }
    }

    static final String ISOLATED_V1 = """
            const kiln = @import("kiln");
            pub const Item = struct { id: u32 = 0, weight: f32 = 0 };
            pub const State = struct { items: kiln.List(Item) = .{}, name: kiln.String = .{}, n: u32 = 0 };
            pub fn update(self: *State, ctx: *kiln.Context) !void {
                if (self.n < 50) try self.items.append(ctx, .{ .id = self.n, .weight = @floatFromInt(self.n * 2) });
                if (self.n == 0) try self.name.set(ctx, "isolated");
                const scratch = try ctx.frameAllocator().alloc(u8, 1000); // the host's scratch
                scratch[0] = 1;
                self.n += 1;
            }
            """;

    /** Item gains a field and widens; the String is unchanged but moves to the new host too. */
    static final String ISOLATED_V2 = """
            const kiln = @import("kiln");
            pub const Item = struct { tag: u8 = 7, id: u32 = 0, weight: f64 = 0 };
            pub const State = struct { name: kiln.String = .{}, items: kiln.List(Item) = .{}, n: u32 = 0 };
            pub fn update(self: *State, ctx: *kiln.Context) !void {
                if (!self.name.eql(ctx, "isolated")) return error.NotFound;
                try self.items.append(ctx, .{ .id = 1000 });
                self.n += 1;
            }
            """;

    /** Isolated scripts keep their containers in their host process; a reload moves them to the new host. */
    @Test
    void anIsolatedScriptsContainersLiveInItsHostAndMoveWithAReload(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("iso.zig");
        Files.writeString(file, ISOLATED_V1);
        try (TestEngine t = new TestEngine()) {
            t.loadIsolated(file);
            ScriptInstance i = t.engine.scripts().attach(t.engine.world().spawn(), "iso", 0, null);
            t.run(60);
            assertThat(t.messages(LogEntry.Level.ERROR)).isEmpty();
            assertThat(t.engine.scripts().heap().liveBlocks()).as("nothing in the engine's heap").isZero();
            assertThat(t.engine.scripts().memoryOf(i).blocks()).isEqualTo(2);

            Files.writeString(file, ISOLATED_V2);
            BuildResult r = t.engine.compiler().build(file);
            assertThat(r.ok()).as(r.compilerOutput()).isTrue();
            SwapResult result = t.engine.scripts().swapLibrary("iso", t.engine.scripts().loadCode(r.library(), true));
            assertThat(result.ok()).as(result.error()).isTrue();
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> items = (List<Map<String, Object>>) ((Map<String, Object>) StateValues.read(
                    i.library().info().stateType(), i.state().toArray(JAVA_BYTE), 0, t.engine.scripts().containerReader(i)))
                    .get("items");
            assertThat(items).hasSize(50);
            assertThat(items.get(49)).isEqualTo(Map.of("tag", 7L, "id", 49L, "weight", 98.0));
            t.run(2);
            assertThat(t.messages(LogEntry.Level.ERROR)).isEmpty();
            assertThat(t.engine.scripts().memoryOf(i).blocks()).isEqualTo(2);
            assertThat(t.engine.scripts().memoryOf(i).budgetBytes()).isEqualTo(t.engine.scripts().memoryBudgetOf("iso"));
            t.engine.scripts().detach(i);
            t.step();
            assertThat(t.engine.scripts().memoryOf(i).blocks()).as("freed in the host").isZero();
        }
    }

    static final String SCRATCH = """
            const std = @import("std");
            const kiln = @import("kiln");
            pub const State = struct { sum: u64 = 0, refused: u32 = 0 };
            pub fn update(self: *State, ctx: *kiln.Context) !void {
                const a = ctx.frameAllocator();
                const numbers = try a.alloc(u64, 100_000); // 800 KB: fits once per call, not twice
                for (numbers, 0..) |*n, k| n.* = k;
                var text: std.ArrayList(u8) = .empty;
                try text.print(a, "{d}", .{numbers.len});
                for (numbers) |n| self.sum += n;
                _ = a.alloc(u64, 100_000) catch { self.refused += 1; };
            }
            """;

    @Test
    void theFrameAllocatorIsTakenBackAfterEveryCall(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("scratcher.zig");
        Files.writeString(file, SCRATCH);
        try (TestEngine t = new TestEngine()) {
            t.load(file);
            ScriptInstance i = t.engine.scripts().attach(t.engine.world().spawn(), "scratcher", 0, null);
            t.run(50);
            Map<String, Object> state = state(t, i);
            assertThat(state.get("sum")).isEqualTo(50L * (100_000L * 99_999L / 2)); // every frame had its 800 KB
            assertThat(state.get("refused")).isEqualTo(50L); // but never 1.6 MB in one call
            assertThat(t.messages(LogEntry.Level.ERROR)).isEmpty();
        }
    }

    static final String SCORES_V1 = """
            const kiln = @import("kiln");
            pub const Score = struct { points: i32 = 0 };
            pub const State = struct { name: kiln.String = .{}, scores: kiln.Map(u32, Score) = .{}, n: u32 = 0 };
            pub fn update(self: *State, ctx: *kiln.Context) !void {
                if (self.n == 0) {
                    try self.name.set(ctx, "keeper");
                    try self.name.print(ctx, " #{d}", .{42});
                    var k: u32 = 0;
                    while (k < 5) : (k += 1) try self.scores.put(ctx, k, .{ .points = @intCast(k * 10) });
                    try self.scores.put(ctx, 2, .{ .points = -7 }); // replaces
                    _ = self.scores.remove(ctx, 0);
                    if (self.scores.get(ctx, 3).?.points != 30 or self.scores.contains(ctx, 0)) return error.NotFound;
                }
                self.n += 1;
            }
            """;

    /** The map's value type gains a field and widens; the String is unchanged. */
    static final String SCORES_V2 = """
            const kiln = @import("kiln");
            pub const Score = struct { bonus: u8 = 3, points: i64 = 0 };
            pub const State = struct { scores: kiln.Map(u32, Score) = .{}, name: kiln.String = .{}, n: u32 = 0 };
            pub fn update(self: *State, ctx: *kiln.Context) !void {
                if (!self.name.eql(ctx, "keeper #42")) return error.NotFound;
                if (self.scores.get(ctx, 2).?.points != -7 or self.scores.get(ctx, 4).?.bonus != 3) return error.NotFound;
                try self.name.print(ctx, "!", .{});
            }
            """;

    @Test
    void aStringAndAMapKeepTheirContentsWhenTheMapsValueTypeChanges(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("scores.zig");
        Files.writeString(file, SCORES_V1);
        try (TestEngine t = new TestEngine()) {
            t.load(file);
            ScriptInstance i = t.engine.scripts().attach(t.engine.world().spawn(), "scores", 0, null);
            t.run(2);
            swap(t, file, SCORES_V2, "scores");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> entries = (List<Map<String, Object>>) ((Map<String, Object>) state(t, i).get("scores")).get("entries");
            assertThat(entries).extracting(e -> e.get("key") + "=" + ((Map<?, ?>) e.get("value")).get("points") + "/"
                    + ((Map<?, ?>) e.get("value")).get("bonus")).containsExactly("4=40/3", "1=10/3", "2=-7/3", "3=30/3");
            t.step();
            assertThat(t.messages(LogEntry.Level.ERROR)).isEmpty();
            @SuppressWarnings("unchecked")
            List<Long> name = (List<Long>) state(t, i).get("name");
            assertThat(new String(name.stream().map(Long::byteValue).collect(ByteArrayOutputStream::new,
                    (o, b) -> o.write(b), (a, b) -> a.writeBytes(b.toByteArray())).toByteArray())).isEqualTo("keeper #42!");
        }
    }

    @Test
    void aContainerOfSlicesOrOfContainersIsRefusedWhenBuilt(@TempDir Path dir) throws Exception {
        try (TestEngine t = new TestEngine()) {
            Path file = dir.resolve("bad.zig");
            Files.writeString(file, "const kiln = @import(\"kiln\");\n"
                    + "pub const State = struct { names: kiln.List([]const u8) = .{} };\n");
            BuildResult r = t.engine.compiler().build(file);
            assertThat(r.ok()).isFalse();
            assertThat(r.compilerOutput()).contains("container element").contains("slice").contains("hot reload");
            Files.writeString(file, "const kiln = @import(\"kiln\");\n"
                    + "pub const State = struct { nested: kiln.List(kiln.String) = .{} };\n");
            r = t.engine.compiler().build(file);
            assertThat(r.ok()).isFalse();
            assertThat(r.compilerOutput()).contains("State field `nested` is a kiln.List(containers.List(u8)) whose elements hold a container");
        }
    }

    /** The ABI is plain C: src/test/c/c_list.c grows a list with kiln_heap.reserve and frees it with release. */
    @Test
    void aCScriptUsesEngineMemoryThroughTheHeader() throws Exception {
        try (TestEngine t = new TestEngine()) {
            t.load(TestEngine.home().resolve("src/test/c/c_list.c"));
            ScriptInstance i = t.engine.scripts().attach(t.engine.world().spawn(), "c_list", 0, null);
            t.run(40);
            NativeHeap heap = t.engine.scripts().heap();
            List<NativeHeap.Block> blocks = heap.blocksOf(i.id());
            assertThat(blocks).singleElement().satisfies(b -> {
                assertThat(b.len()).isEqualTo(40);
                assertThat(b.elemSize()).isEqualTo(4);
            });
            byte[] elements = heap.elements(blocks.getFirst());
            assertThat(ByteBuffer.wrap(elements).order(ByteOrder.LITTLE_ENDIAN).getInt(39 * 4)).isEqualTo(40);
            // A reload keeps it although the engine cannot see the handle (a flat field table, no state_type).
            Path copy = Files.createTempDirectory("c-list").resolve("libc_list-v2.so");
            Files.copy(i.library().libraryPath(), copy);
            SwapResult swapped = t.engine.scripts().swapLibrary("c_list", t.engine.scripts().loadCode(copy, false));
            assertThat(swapped.ok()).as(swapped.error()).isTrue();
            assertThat(heap.blocksOf(i.id())).singleElement().satisfies(b -> assertThat(b.len()).isEqualTo(40));
            t.run(70); // past 100 updates it releases the list
            assertThat(heap.blocksOf(i.id())).isEmpty();
            assertThat(StateFields.read(i, "last_status")).isEqualTo(0);
        }
    }

    static final String CHURN = """
            const kiln = @import("kiln");
            pub const State = struct { list: kiln.List(u64) = .{} };
            pub fn update(self: *State, ctx: *kiln.Context) !void {
                while (true) { // grows and frees without end: the watchdog stops it, maybe inside the heap
                    try self.list.append(ctx, 1);
                    if (self.list.len(ctx) > 100_000) self.list.deinit(ctx);
                }
            }
            """;

    @Test
    void aHangStoppedByTheWatchdogWhileGrowingLeavesTheHeapUsable(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("churn.zig"), CHURN);
        Files.writeString(dir.resolve("hoarder.zig"), HOARDER);
        try (TestEngine t = new TestEngine(EngineOptions.defaults().withCallBudget(Duration.ofMillis(100)))) {
            t.load(dir.resolve("churn.zig"));
            t.load(dir.resolve("hoarder.zig"));
            ScriptInstance churn = t.engine.scripts().attach(t.engine.world().spawn(), "churn", 0, null);
            t.engine.scripts().attach(t.engine.world().spawn(), "hoarder", 1, null);
            t.run(3);
            assertThat(churn.library().poisoned() || churn.fault() != null).as("stopped as a hang").isTrue();
            t.engine.scripts().detach(churn);
            t.run(3); // the heap (and malloc) still work: the other script keeps growing its lists
            assertThat(t.engine.scripts().heap().liveBlocks()).isEqualTo(4);
            long[] big = new long[1 << 20]; // and so does the JVM
            assertThat(big).hasSize(1 << 20);
        }
    }

    @Test
    void aScenesScriptEntrySetsItsMemoryBudget(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("hoarder.zig"), HOARDER);
        Files.writeString(dir.resolve("scene.json"), """
                { "kiln_scene": 1,
                  "scripts": { "hoarder": { "source": "hoarder.zig", "memory_budget": 20000 } },
                  "entities": [ { "name": "h", "scripts": [ { "script": "hoarder" } ] } ] }
                """);
        try (TestEngine t = new TestEngine()) {
            SceneLoader.load(t.engine, dir.resolve("scene.json"));
            assertThat(t.engine.scripts().memoryBudgetOf("hoarder")).isEqualTo(20000L);
            t.run(3);
            ScriptInstance i = t.engine.scripts().scriptsOn(t.engine.world().findByName("h")).getFirst();
            assertThat(t.engine.scripts().memoryOf(i).budgetBytes()).isEqualTo(20000L);
            assertThat(t.engine.scripts().memoryOf(i).usedBytes()).isLessThanOrEqualTo(20000L);
            assertThat(t.messages(LogEntry.Level.ERROR)).anyMatch(m -> m.contains("OutOfMemory"));
        }
    }

    static final String BIG_INIT = """
            const kiln = @import("kiln");
            pub const State = struct { big: kiln.List(u64) = .{} };
            pub fn init(self: *State, ctx: *kiln.Context) !void {
                var k: u64 = 0;
                while (k < 3_000_000) : (k += 1) try self.big.append(ctx, k); // 24 MB: over the default budget
            }
            """;

    /** The reload's dry-run init gets the script's budget, not the default. */
    @Test
    void aReloadWhoseInitNeedsMoreThanTheDefaultBudgetGetsItsScriptsBudget(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("big.zig");
        Files.writeString(file, BIG_INIT);
        try (TestEngine t = new TestEngine()) {
            t.load(file);
            t.engine.scripts().setMemoryBudget("big", 40L << 20);
            ScriptInstance i = t.engine.scripts().attach(t.engine.world().spawn(), "big", 0, null);
            t.run(2);
            assertThat(t.messages(LogEntry.Level.ERROR)).isEmpty();
            swap(t, file, BIG_INIT + "\n// v2\n", "big");
            assertThat(t.engine.scripts().memoryOf(i).blocks()).isEqualTo(1);
            assertThat(t.engine.scripts().heap().liveBlocks()).as("the probe's list freed").isEqualTo(1);
        }
    }

    static SwapResult swap(TestEngine t, Path file, String source, String name) throws Exception {
        Files.writeString(file, source);
        BuildResult r = t.engine.compiler().build(file);
        assertThat(r.ok()).as("build: %s", r.compilerOutput()).isTrue();
        SwapResult result = t.engine.scripts().swapLibrary(name, t.engine.scripts().loadCode(r.library(), false));
        assertThat(result.ok()).as(result.error()).isTrue();
        return result;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> state(TestEngine t, ScriptInstance i) {
        byte[] bytes = i.state().toArray(JAVA_BYTE);
        return (Map<String, Object>) StateValues.read(i.library().info().stateType(), bytes, 0, t.engine.scripts().containerReader());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> history(TestEngine t, ScriptInstance i) {
        return (List<Map<String, Object>>) state(t, i).get("history");
    }
}
