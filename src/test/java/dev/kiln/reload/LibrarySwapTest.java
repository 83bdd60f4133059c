package dev.kiln.reload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.build.BuildResult;
import dev.kiln.loader.NativeLibrary;
import dev.kiln.loader.ScriptCode;
import dev.kiln.script.LogEntry;
import dev.kiln.script.ScriptInstance;
import dev.kiln.script.StateFields;
import dev.kiln.script.SwapResult;
import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Swapping a running script's library: new code, State kept by field name, all-or-nothing. */
class LibrarySwapTest {
    static final String V1 = """
            const kiln = @import("kiln");
            pub const State = struct { count: u32 = 0, speed: f32 = 1, doomed: bool = true, tag: kiln.Vec3 = .{} };
            pub fn update(self: *State, ctx: *kiln.Context) !void {
                self.count += 1;
                try ctx.translate(ctx.entity, kiln.vec3(self.speed, 0, 0));
            }
            """;

    /** Fields reordered, speed widened to f64, doomed removed, tag changed type, bonus added. */
    static final String V2 = """
            const kiln = @import("kiln");
            pub const State = struct { bonus: i32 = 42, speed: f64 = 5, tag: f32 = 7, count: u32 = 0 };
            pub fn update(self: *State, ctx: *kiln.Context) !void {
                self.count += 1;
                try ctx.translate(ctx.entity, kiln.vec3(0, @floatCast(self.speed), 0));
            }
            """;

    static final String FAILS_INIT = """
            const kiln = @import("kiln");
            pub const State = struct { count: u32 = 0 };
            pub fn init(self: *State, ctx: *kiln.Context) !void { _ = self; _ = ctx; return error.NotReady; }
            pub fn update(self: *State, ctx: *kiln.Context) !void { _ = ctx; self.count += 1000; }
            """;

    /** speed renamed to velocity_x (in different units): the author's migrate hook carries it. */
    static final String RENAMED = """
            const kiln = @import("kiln");
            pub const State = struct { count: u32 = 0, velocity_x: f32 = 0 };
            pub fn migrate(self: *State, old: kiln.OldState) void {
                if (old.get(f32, "speed")) |speed| self.velocity_x = speed * 2;
            }
            pub fn update(self: *State, ctx: *kiln.Context) !void {
                self.count += 1;
                try ctx.translate(ctx.entity, kiln.vec3(self.velocity_x, 0, 0));
            }
            """;

    /** V1 with an unload hook that says goodbye (through a log request). */
    static final String V1_WITH_UNLOAD = V1 + """
            pub fn unload(self: *State, ctx: *kiln.Context) void {
                ctx.logInfo("old version leaving after {d} updates", .{self.count});
            }
            """;

    /** A migrate hook that refuses the second instance it sees. */
    static final String REFUSING_MIGRATE = """
            const kiln = @import("kiln");
            pub const State = struct { count: u32 = 0 };
            var seen: u32 = 0;
            pub fn migrate(self: *State, old: kiln.OldState) !void {
                _ = self; _ = old;
                seen += 1;
                if (seen == 2) return error.InvalidArgument;
            }
            pub fn update(self: *State, ctx: *kiln.Context) void { _ = ctx; self.count += 1000; }
            """;

    static final String PANICS_IN_INIT = """
            const kiln = @import("kiln");
            pub const State = struct { count: u32 = 0 };
            pub fn init(self: *State, ctx: *kiln.Context) void { _ = ctx; self.count = 1; @panic("init exploded"); }
            pub fn update(self: *State, ctx: *kiln.Context) void { _ = ctx; self.count += 1000; }
            """;

    /** V1 that writes its State in its own format: count as u32, speed in hundredths as i32. */
    static final String V1_SERIALIZING = V1 + """
            pub fn serialize(self: *const State, out: *kiln.StateWriter) !void {
                try out.write(self.count);
                try out.write(@as(i32, @intFromFloat(self.speed * 100)));
            }
            """;

    /** A new layout that reads that format into renamed, re-typed fields. */
    static final String V2_DESERIALIZING = """
            const kiln = @import("kiln");
            pub const State = struct { ticks: u64 = 0, centi_speed: i32 = 0, fresh: bool = true };
            pub fn deserialize(self: *State, in: *kiln.StateReader) !void {
                self.ticks = try in.read(u32);
                self.centi_speed = try in.read(i32);
            }
            pub fn update(self: *State, ctx: *kiln.Context) void { _ = ctx; self.ticks += 1; }
            """;

    static final String UNHEALTHY = """
            const kiln = @import("kiln");
            pub const State = struct { count: u32 = 0 };
            pub fn healthCheck() bool { return false; }
            pub fn update(self: *State, ctx: *kiln.Context) void { _ = ctx; self.count += 1000; }
            """;

    /** IsolatedLibrarySwapTest runs these swaps with every version in isolated mode. */
    boolean isolated() {
        return false;
    }

    /** Writes version {@code source} of counter.zig into {@code dir} and loads it. */
    private Path loadCounter(TestEngine t, Path dir, String source) throws Exception {
        Path file = dir.resolve("counter.zig");
        Files.writeString(file, source);
        if (isolated()) t.loadIsolated(file);
        else t.load(file);
        return file;
    }

    private ScriptCode build(TestEngine t, Path file, String source) throws Exception {
        Files.writeString(file, source);
        BuildResult r = t.engine.compiler().build(file);
        assertThat(r.ok()).as("build: %s", r.compilerOutput()).isTrue();
        return t.engine.scripts().loadCode(r.library(), isolated());
    }

    @Test
    void anInstanceDetachedJustBeforeTheSwapGetsItsShutdownFromTheOldCode(@TempDir Path dir) throws Exception {
        try (TestEngine t = new TestEngine()) {
            Path file = loadCounter(t, dir, V1);
            ScriptInstance stays = t.engine.scripts().attach(t.engine.world().spawn(), "counter", 0, null);
            ScriptInstance leaves = t.engine.scripts().attach(t.engine.world().spawn(), "counter", 0, null);
            t.run(2);
            t.engine.scripts().detach(leaves); // its shutdown would run at the next barrier
            assertThat(t.engine.scripts().swapLibrary("counter", build(t, file, V2)).ok()).isTrue();
            t.run(2);
            // The shutdown ran before the old library was unloaded, not into unloaded code.
            assertThat(t.messages(LogEntry.Level.ERROR)).isEmpty();
            assertThat(StateFields.read(stays, "count")).isEqualTo(4L);
        }
    }

    /** V1's State, update counting by 2: a body edit, migrated as plain copies. */
    static final String V1_COUNTS_BY_TWO = V1.replace("self.count += 1;", "self.count += 2;");

    @Test
    void aSwapTakesTheScriptsInstancesInCanonicalOrderAfterAttachDetachAndPriorityChanges(@TempDir Path dir)
            throws Exception {
        try (TestEngine t = new TestEngine()) {
            Path file = loadCounter(t, dir, V1_WITH_UNLOAD);
            var scripts = t.engine.scripts();
            ScriptInstance a = scripts.attach(t.engine.world().spawn(), "counter", 0, null);
            t.run(1);
            ScriptInstance b = scripts.attach(t.engine.world().spawn(), "counter", 0, null);
            ScriptInstance gone = scripts.attach(t.engine.world().spawn(), "counter", 0, null);
            t.run(1);
            ScriptInstance c = scripts.attach(t.engine.world().spawn(), "counter", -1, null);
            t.run(1);
            scripts.detach(gone);
            scripts.setPriority(a, 5); // canonical order now c (-1), b (0), a (5)
            t.run(1);
            assertThat(List.of(StateFields.read(c, "count"), StateFields.read(b, "count"), StateFields.read(a, "count")))
                    .containsExactly(2L, 3L, 4L);

            SwapResult result = scripts.swapLibrary("counter", build(t, file, V1_COUNTS_BY_TWO));
            assertThat(result.ok()).as(result.error()).isTrue();
            assertThat(result.instances()).isEqualTo(3); // not the detached one
            t.run(1);
            // The old version's unload hook ran over them in canonical order.
            assertThat(t.messages(LogEntry.Level.INFO).stream()
                    .filter(m -> m.contains("old version leaving")).toList())
                    .containsExactly("old version leaving after 2 updates", "old version leaving after 3 updates",
                            "old version leaving after 4 updates");
            // Each kept its State (plain copies) and runs the new code.
            assertThat(List.of(StateFields.read(c, "count"), StateFields.read(b, "count"), StateFields.read(a, "count")))
                    .containsExactly(4L, 5L, 6L);
            assertThat(List.of(a.library(), b.library(), c.library())).containsOnly(scripts.library("counter"));
            assertThat(scripts.instances()).containsExactlyInAnyOrder(a, b, c); // the detached one is not swapped back in
        }
    }

    /**
     * A swap prepared off the frame thread (plan and block of States for the instances then) is
     * still right when instances were attached and detached before the frame boundary.
     */
    @Test
    void aPreparedSwapIsStillRightAfterInstancesWereAttachedAndDetached(@TempDir Path dir) throws Exception {
        try (TestEngine t = new TestEngine()) {
            Path file = loadCounter(t, dir, V1);
            var scripts = t.engine.scripts();
            ScriptInstance first = scripts.attach(t.engine.world().spawn(), "counter", 0, null);
            ScriptInstance leaves = scripts.attach(t.engine.world().spawn(), "counter", 0, null);
            t.run(2);
            var smaller = scripts.prepareSwap("counter", build(t, file, V1_COUNTS_BY_TWO)); // for 2 instances
            List<ScriptInstance> later = List.of(scripts.attach(t.engine.world().spawn(), "counter", 0, null),
                    scripts.attach(t.engine.world().spawn(), "counter", 0, null));
            scripts.detach(leaves);
            t.run(1);
            SwapResult result = scripts.swapLibrary("counter", smaller);
            assertThat(result.ok()).as(result.error()).isTrue();
            assertThat(result.instances()).isEqualTo(3);
            t.run(1);
            assertThat(StateFields.read(first, "count")).isEqualTo(5L); // 3 on V1, then +2
            for (ScriptInstance i : later) assertThat(StateFields.read(i, "count")).isEqualTo(3L); // 1, then +2

            var larger = scripts.prepareSwap("counter", build(t, file, V2)); // a layout edit, for 3 instances
            scripts.detach(later.getFirst());
            t.run(1);
            result = scripts.swapLibrary("counter", larger);
            assertThat(result.ok()).as(result.error()).isTrue();
            assertThat(result.instances()).isEqualTo(2);
            assertThat(StateFields.read(first, "count")).isEqualTo(7L);
            assertThat(StateFields.read(first, "bonus")).isEqualTo(42); // added: its default
            assertThat(StateFields.read(later.getLast(), "count")).isEqualTo(5L);
        }
    }

    @Test
    void newCodeRunsWithStateMigratedByFieldName(@TempDir Path dir) throws Exception {
        try (TestEngine t = new TestEngine()) {
            Path file = loadCounter(t, dir, V1);
            long e = t.engine.world().spawn();
            ScriptInstance i = t.engine.scripts().attach(e, "counter", 0, null);
            t.run(3);
            assertThat(t.engine.world().position(e).x()).isEqualTo(3f);

            SwapResult result = t.engine.scripts().swapLibrary("counter", build(t, file, V2));
            assertThat(result.ok()).as(result.error()).isTrue();
            assertThat(StateFields.read(i, "count")).isEqualTo(3L);        // kept
            assertThat(StateFields.read(i, "speed")).isEqualTo(1.0);       // f32 → f64, value kept
            assertThat(StateFields.read(i, "bonus")).isEqualTo(42);        // added: its default
            assertThat(StateFields.read(i, "tag")).isEqualTo(7f);          // vec3 → f32: reset to default
            assertThat(result.changes()).extracting(c -> c.field() + ":" + c.kind()).containsExactlyInAnyOrder(
                    "bonus:ADDED", "speed:CONVERTED", "tag:RESET", "count:KEPT", "doomed:REMOVED");
            assertThat(t.messages(dev.kiln.script.LogEntry.Level.WARN)).anyMatch(m -> m.contains("'tag'"));

            t.run(2);
            assertThat(t.engine.world().position(e).y()).isEqualTo(2f);     // the new behaviour
            assertThat(t.engine.world().position(e).x()).isEqualTo(3f);
            assertThat(StateFields.read(i, "count")).isEqualTo(5L);
        }
    }

    /** The init-failed-reinit case: a version whose init fails, then a fixed one. */
    static final String INIT_FIXED = """
            const kiln = @import("kiln");
            pub const State = struct { count: u32 = 0, inited: bool = false };
            pub fn init(self: *State, ctx: *kiln.Context) void { _ = ctx; self.inited = true; }
            pub fn update(self: *State, ctx: *kiln.Context) void { _ = ctx; self.count += 1; }
            """;

    @Test
    void aReloadRunsInitAgainForAnInstanceWhoseInitFailed(@TempDir Path dir) throws Exception {
        try (TestEngine t = new TestEngine()) {
            Path file = loadCounter(t, dir, FAILS_INIT);
            ScriptInstance i = t.engine.scripts().attach(t.engine.world().spawn(), "counter", 0, null);
            t.run(2);
            assertThat(i.fault()).contains("init returned SCRIPT_FAILED");
            assertThat(i.initSucceeded()).isFalse();
            // No entity runs the failing init in the dry run's way: swap straight to the fix.
            SwapResult result = t.engine.scripts().swapLibrary("counter", build(t, file, INIT_FIXED));
            assertThat(result.ok()).as(result.error()).isTrue();
            t.run(3);
            assertThat(i.fault()).isNull();
            assertThat(i.initSucceeded()).isTrue();
            assertThat(StateFields.read(i, "inited")).isEqualTo(true); // the fixed init ran before its updates
            assertThat(StateFields.read(i, "count")).isEqualTo(3L);
        }
    }

    @Test
    void aLibraryWhoseInitFailsIsRefusedAndTheOldOneKeepsRunning(@TempDir Path dir) throws Exception {
        try (TestEngine t = new TestEngine()) {
            Path file = loadCounter(t, dir, V1);
            long e1 = t.engine.world().spawn(), e2 = t.engine.world().spawn();
            ScriptInstance i1 = t.engine.scripts().attach(e1, "counter", 0, null);
            t.engine.scripts().attach(e2, "counter", 0, null);
            t.run(2);
            SwapResult result = t.engine.scripts().swapLibrary("counter", build(t, file, FAILS_INIT));
            assertThat(result.ok()).isFalse();
            assertThat(result.error()).contains("dry-run init").contains("SCRIPT_FAILED");
            t.run(2);
            assertThat(StateFields.read(i1, "count")).isEqualTo(4L);
            assertThat(t.engine.world().position(e2).x()).isEqualTo(4f);
        }
    }

    @Test
    void theAuthorsMigrateHookCarriesARenamedField(@TempDir Path dir) throws Exception {
        try (TestEngine t = new TestEngine()) {
            Path file = loadCounter(t, dir, V1);
            long e = t.engine.world().spawn();
            ScriptInstance i = t.engine.scripts().attach(e, "counter", 0, null);
            t.run(2);
            SwapResult result = t.engine.scripts().swapLibrary("counter", build(t, file, RENAMED));
            assertThat(result.ok()).as(result.error()).isTrue();
            assertThat(StateFields.read(i, "velocity_x")).isEqualTo(2f);
            assertThat(StateFields.read(i, "count")).isEqualTo(2L);
        }
    }

    @Test
    void aMigrateHookRefusingOneInstanceRollsBackAllOfThem(@TempDir Path dir) throws Exception {
        try (TestEngine t = new TestEngine()) {
            Path file = loadCounter(t, dir, V1);
            ScriptInstance first = t.engine.scripts().attach(t.engine.world().spawn(), "counter", 0, null);
            ScriptInstance second = t.engine.scripts().attach(t.engine.world().spawn(), "counter", 0, null);
            t.run(1);
            SwapResult result = t.engine.scripts().swapLibrary("counter", build(t, file, REFUSING_MIGRATE));
            assertThat(result.ok()).isFalse();
            assertThat(result.error()).contains("the migrate hook for counter#2").contains("returned INVALID_ARGUMENT")
                    .contains("no instance was swapped");
            t.run(1);
            assertThat(StateFields.read(first, "count")).isEqualTo(2L); // both still on version one
            assertThat(StateFields.read(second, "count")).isEqualTo(2L);
            assertThat(first.library()).isSameAs(second.library());
        }
    }

    @Test
    void theOldLibrarysUnloadHookRunsForEveryInstanceBeforeItIsUnloaded(@TempDir Path dir) throws Exception {
        try (TestEngine t = new TestEngine()) {
            Path file = loadCounter(t, dir, V1_WITH_UNLOAD);
            t.engine.scripts().attach(t.engine.world().spawn(), "counter", 0, null);
            t.engine.scripts().attach(t.engine.world().spawn(), "counter", 1, null);
            t.run(3);
            assertThat(t.engine.scripts().swapLibrary("counter", build(t, file, V2)).ok()).isTrue();
            t.step(); // the goodbye requests apply at the next barrier
            assertThat(t.logsOf("counter")).extracting(dev.kiln.script.LogEntry::message)
                    .containsExactly("old version leaving after 3 updates", "old version leaving after 3 updates");
        }
    }

    @Test
    void aCrashInTheNewVersionsInitIsContainedAndRefusesTheSwap(@TempDir Path dir) throws Exception {
        try (TestEngine t = new TestEngine()) {
            Path file = loadCounter(t, dir, V1);
            ScriptInstance i = t.engine.scripts().attach(t.engine.world().spawn(), "counter", 0, null);
            t.run(1);
            SwapResult result = t.engine.scripts().swapLibrary("counter", build(t, file, PANICS_IN_INIT));
            assertThat(result.ok()).isFalse();
            assertThat(result.error()).contains("dry-run init of the new library faulted: panic: init exploded");
            t.run(1);
            assertThat(StateFields.read(i, "count")).isEqualTo(2L);
            assertThat(i.enabled()).isTrue();
        }
    }

    @Test
    void authorSerializeAndDeserializeHooksReplaceMigrationByName(@TempDir Path dir) throws Exception {
        try (TestEngine t = new TestEngine()) {
            Path file = loadCounter(t, dir, V1_SERIALIZING);
            ScriptInstance i = t.engine.scripts().attach(t.engine.world().spawn(), "counter", 0, null);
            t.run(3);
            SwapResult result = t.engine.scripts().swapLibrary("counter", build(t, file, V2_DESERIALIZING));
            assertThat(result.ok()).as(result.error()).isTrue();
            assertThat(StateFields.read(i, "ticks")).isEqualTo(3L);
            assertThat(StateFields.read(i, "centi_speed")).isEqualTo(100);
            assertThat(StateFields.read(i, "fresh")).isEqualTo(true); // untouched by the hook: its default
        }
    }

    @Test
    void aFailingHealthCheckRefusesTheSwap(@TempDir Path dir) throws Exception {
        try (TestEngine t = new TestEngine()) {
            Path file = loadCounter(t, dir, V1);
            ScriptInstance i = t.engine.scripts().attach(t.engine.world().spawn(), "counter", 0, null);
            t.run(1);
            SwapResult result = t.engine.scripts().swapLibrary("counter", build(t, file, UNHEALTHY));
            assertThat(result.error()).contains("health check returned SCRIPT_FAILED");
            t.run(1);
            assertThat(StateFields.read(i, "count")).isEqualTo(2L);
        }
    }

    @Test
    void twoHundredSwapsLeaveNoLibraryMappedButTheCurrentOne(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("counter.zig");
        try (TestEngine t = new TestEngine()) {
            Files.writeString(file, V1);
            Path v1 = t.engine.compiler().build(file).library();
            Files.writeString(file, V2);
            Path v2 = t.engine.compiler().build(file).library();
            t.engine.scripts().load(copy(v1, dir, 0), null, isolated());
            long e = t.engine.world().spawn();
            ScriptInstance i = t.engine.scripts().attach(e, "counter", 0, null);
            t.step();
            long rssBefore = 0;
            for (int cycle = 1; cycle <= 200; cycle++) {
                Path next = copy(cycle % 2 == 0 ? v1 : v2, dir, cycle);
                assertThat(t.engine.scripts().swapLibrary("counter", t.engine.scripts().loadCode(next, isolated())).ok())
                        .isTrue();
                t.step();
                t.engine.scripts().awaitClosedLibraries(); // the old version closes off the frame thread
                Files.delete(next); // the mapping, not the file, is what must go away
                if (isolated()) {
                    // The engine never maps an isolated library; it maps one region, and one host runs.
                    assertThat(mappedCopies(dir)).as("cycle %d", cycle).isZero();
                    assertThat(TestEngine.isolatedRegionsMapped()).as("cycle %d", cycle).isEqualTo(1);
                    assertThat(TestEngine.isolatedHosts()).as("cycle %d", cycle).isEqualTo(1);
                } else {
                    assertThat(mappedCopies(dir)).as("cycle %d", cycle).isEqualTo(1);
                }
                if (cycle == 50) rssBefore = rssAfterGcKib();
            }
            assertThat(StateFields.read(i, "count")).isEqualTo(201L);
            // Resident memory stays flat after warm-up: the JVM's own heap and JIT noise is within
            // 32 MiB here, while leaking the ~1 MiB library of each cycle would add 150 MiB.
            assertThat(rssAfterGcKib() - rssBefore).isLessThan(32 * 1024);
        }
        if (isolated()) assertThat(TestEngine.isolatedHosts()).as("after the engine closed").isZero();
    }

    private static Path copy(Path library, Path dir, int cycle) throws Exception {
        Path target = dir.resolve("libcounter-cycle" + cycle + ".so");
        Files.copy(library, target, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    /** Distinct libcounter-cycle*.so files this process still has mapped. */
    private static long mappedCopies(Path dir) throws Exception {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(l -> l.contains(dir.toString()) && l.contains("libcounter-cycle"))
                .map(l -> l.substring(l.indexOf('/')))
                .distinct().count();
    }

    private static long rssAfterGcKib() throws Exception {
        System.gc();
        return rssKib();
    }

    private static long rssKib() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
        }
        throw new IllegalStateException("no VmRSS");
    }
}
