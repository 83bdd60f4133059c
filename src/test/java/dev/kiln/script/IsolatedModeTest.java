package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.Vec3;
import dev.kiln.ecs.World;
import dev.kiln.engine.EngineOptions;
import dev.kiln.testing.TestEngine;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What only isolated mode contains: a script that calls exit() or abort(), or writes through
 * wild pointers into memory that is valid, runs in a host process of its own
 * (src/test/zig/rogue.zig). Each test checks the report, that the engine and its other scripts
 * go on, and that the world is consistent.
 */
class IsolatedModeTest {
    private record Scene(TestEngine t, long rogueEntity, ScriptInstance rogue, long neighbourEntity,
                         ScriptInstance neighbour, long moverEntity) {}

    /** Two isolated rogue instances (one library, one host) and an in-process mover; 2 frames run. */
    private static Scene scene(TestEngine t) {
        ScriptLibrary rogue = t.loadIsolated(TestEngine.testScript("rogue.zig"));
        assertThat(rogue.isolated()).isTrue();
        t.load(TestEngine.example("mover.zig"));
        World w = t.engine.world();
        long e1 = w.spawn(), e2 = w.spawn(), e3 = w.spawn();
        ScriptInstance first = t.engine.scripts().attach(e1, "rogue", 0, null);
        ScriptInstance second = t.engine.scripts().attach(e2, "rogue", 1, null);
        t.engine.scripts().attach(e3, "mover", 0, null);
        w.setVar(e3, "speed", new VarValue.F64(60));
        t.run(2);
        assertThat(w.position(e1)).isEqualTo(new Vec3(2, 0, 0));
        return new Scene(t, e1, first, e2, second, e3);
    }

    private static List<LogEntry> errors(TestEngine t) {
        return t.logs.stream().filter(l -> l.level() == LogEntry.Level.ERROR).toList();
    }

    @Test
    void exitEndsOnlyTheHostAndTheScriptIsReportedAndStopped() {
        try (TestEngine t = new TestEngine()) {
            Scene s = scene(t);
            World w = t.engine.world();
            w.setVar(s.rogueEntity(), "rogue", new VarValue.I64(1));
            t.run(3);

            List<LogEntry> errors = errors(t);
            assertThat(errors).hasSize(1);
            LogEntry report = errors.getFirst();
            assertThat(report.script()).isEqualTo("rogue");
            assertThat(report.entity()).isEqualTo(s.rogueEntity()); // the instance running when it ended
            assertThat(report.message())
                    .contains("fault contained: the isolated host process of 'rogue' ended (exit status 3)")
                    .contains("every instance of this script is disabled");
            assertThat(s.rogue().enabled()).isFalse();
            assertThat(s.neighbour().enabled()).isFalse(); // its host is gone too
            assertThat(t.engine.scripts().library("rogue").poisoned()).isTrue();
            // The translate posted before exit() was discarded; nothing else moved the entity.
            assertThat(w.position(s.rogueEntity())).isEqualTo(new Vec3(2, 0, 0));
            assertThat(w.position(s.neighbourEntity())).isEqualTo(new Vec3(2, 0, 0));
            // The engine's process and the in-process script go on.
            assertThat(w.position(s.moverEntity()).x()).isEqualTo(5f);
        }
    }

    @Test
    void abortIsReportedWithItsSignal() {
        try (TestEngine t = new TestEngine()) {
            Scene s = scene(t);
            t.engine.world().setVar(s.rogueEntity(), "rogue", new VarValue.I64(2));
            t.run(3);
            assertThat(errors(t)).singleElement().satisfies(report -> assertThat(report.message())
                    .contains("the isolated host process of 'rogue' ended (killed by signal 6 (SIGABRT))"));
            assertThat(t.engine.world().position(s.moverEntity()).x()).isEqualTo(5f);
        }
    }

    @Test
    void wildWritesIntoValidMemoryDamageOnlyTheHostsCopies() {
        try (TestEngine t = new TestEngine()) {
            Scene s = scene(t);
            World w = t.engine.world();
            w.setVar(s.rogueEntity(), "rogue", new VarValue.I64(3));
            t.step(); // scribbles over every entity row, the command buffer header and its instance
            // What reached the engine was garbage in memory the host shares with it: every report
            // is the rogue's — about its own records, a fault contained in its host, or its second
            // instance's read of the rows the first scribbled over in the host's copy — never about
            // the engine. (The SDK appends from its own cursor, not from the buffer header's
            // used_bytes, so the scribbled header no longer makes the host fault.)
            assertThat(errors(t)).isNotEmpty().allSatisfy(e -> {
                assertThat(e.script()).isEqualTo("rogue");
                assertThat(e.message()).containsAnyOf("malformed command record", "fault contained", "failed: StaleEntity");
            });
            w.setVar(s.rogueEntity(), "rogue", new VarValue.I64(0));
            t.run(2);

            // The engine's world and snapshot are untouched: the in-process mover reads its own
            // position from the engine's snapshot every frame and kept moving. (In the scribble
            // frame the host's claimed records may fill the engine's command buffer up to the
            // engine's own capacity, so the mover's translate, posted after it, can be refused as
            // for any flood.)
            assertThat(w.position(s.moverEntity()).x()).isBetween(4f, 5f);
            assertThat(w.position(s.moverEntity()).y()).isZero();
            // No garbage transform reached any entity.
            for (long e : new long[] {s.rogueEntity(), s.neighbourEntity(), s.moverEntity()}) {
                assertThat(w.isAlive(e)).isTrue();
                assertThat(w.position(e).y()).isZero();
                assertThat(w.position(e).z()).isZero();
                assertThat(w.position(e).x()).isBetween(2f, 5f);
            }
        }
    }

    @Test
    void aPanicInAnIsolatedScriptStopsOnlyItsInstanceWithANamedTrace() {
        try (TestEngine t = new TestEngine()) {
            Scene s = scene(t);
            World w = t.engine.world();
            w.setVar(s.rogueEntity(), "rogue", new VarValue.I64(4));
            t.run(3);
            LogEntry report = errors(t).getFirst();
            assertThat(errors(t)).hasSize(1);
            assertThat(report.entity()).isEqualTo(s.rogueEntity());
            assertThat(report.message()).contains("fault contained: panic: rogue panic")
                    .containsPattern("\n    at [\\w.]+ \\+ 0x[0-9a-f]+ \\(librogue-[0-9a-f]+\\.so, isolated\\)");
            assertThat(s.rogue().enabled()).isFalse();
            assertThat(s.neighbour().enabled()).isTrue(); // the host survived: the guard runs there too
            assertThat(w.position(s.neighbourEntity())).isEqualTo(new Vec3(5, 0, 0));
            assertThat(w.position(s.rogueEntity())).isEqualTo(new Vec3(2, 0, 0));
        }
    }

    @Test
    void aHangEndsTheHostAtTheBudgetAndTheFrameLoopGoesOn() {
        EngineOptions options = EngineOptions.defaults().withCallBudget(Duration.ofMillis(100));
        try (TestEngine t = new TestEngine(options)) {
            Scene s = scene(t);
            t.engine.world().setVar(s.rogueEntity(), "rogue", new VarValue.I64(5));
            t.run(3);
            assertThat(errors(t)).singleElement().satisfies(report -> assertThat(report.message())
                    .contains("a call ran past its 100 ms budget and was stopped"));
            assertThat(t.engine.scripts().library("rogue").poisoned()).isTrue();
            assertThat(t.engine.world().position(s.moverEntity()).x()).isEqualTo(5f);
        }
    }

    @Test
    void reloadingAfterTheHostEndedStartsANewHostWithTheStateFromTheRegion() throws Exception {
        try (TestEngine t = new TestEngine()) {
            Scene s = scene(t);
            World w = t.engine.world();
            w.setVar(s.rogueEntity(), "rogue", new VarValue.I64(1));
            t.step();
            assertThat(s.rogue().enabled()).isFalse();
            long updatesBefore = (Long) StateFields.read(s.neighbour(), "updates");

            w.setVar(s.rogueEntity(), "rogue", new VarValue.I64(0)); // "fixed"
            ScriptLibrary dead = t.engine.scripts().library("rogue");
            SwapResult swap = t.engine.scripts().swapLibrary("rogue",
                    t.engine.scripts().loadCode(dead.libraryPath(), true));
            assertThat(swap.ok()).as(swap.toString()).isTrue();
            assertThat(t.engine.scripts().library("rogue").isolated()).isTrue();
            t.run(2);

            assertThat(s.rogue().enabled()).isTrue();
            assertThat(s.neighbour().enabled()).isTrue();
            assertThat((Long) StateFields.read(s.neighbour(), "updates")).isEqualTo(updatesBefore + 2);
            assertThat(w.position(s.rogueEntity())).isEqualTo(new Vec3(4, 0, 0));
        }
    }

    @Test
    void aHundredHostsEndedAndReplacedLeaveNoProcessFileOrThreadBehind() throws Exception {
        try (TestEngine t = new TestEngine()) {
            Scene s = scene(t);
            World w = t.engine.world();
            long fdsBefore = 0;
            int threadsBefore = 0;
            for (int round = 1; round <= 100; round++) {
                w.setVar(s.rogueEntity(), "rogue", new VarValue.I64(round % 2 == 0 ? 1 : 2)); // exit, abort
                t.step();
                assertThat(t.engine.scripts().library("rogue").poisoned()).as("round %d", round).isTrue();
                w.setVar(s.rogueEntity(), "rogue", new VarValue.I64(0));
                ScriptLibrary dead = t.engine.scripts().library("rogue");
                assertThat(t.engine.scripts().swapLibrary("rogue", t.engine.scripts().loadCode(dead.libraryPath(), true))
                        .ok()).isTrue();
                t.step();
                if (round == 10) {
                    fdsBefore = openFiles();
                    threadsBefore = Thread.activeCount();
                }
            }
            assertThat(errors(t)).hasSize(100);
            assertThat(s.neighbour().enabled()).isTrue();
            t.engine.scripts().awaitClosedLibraries(); // replaced hosts end off the frame thread
            assertThat(TestEngine.isolatedHosts()).isEqualTo(1);
            assertThat(openFiles()).isLessThanOrEqualTo(fdsBefore + 2);
            assertThat(Thread.activeCount()).isLessThanOrEqualTo(threadsBefore + 2);
        }
        assertThat(TestEngine.isolatedHosts()).as("after the engine closed").isZero();
    }

    private static long openFiles() throws Exception {
        try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void theLibraryCanNeitherShrinkTheSharedRegionNorLeaveAForkBehind() throws Exception {
        long grandchild;
        try (TestEngine t = new TestEngine()) {
            t.loadIsolated(TestEngine.home().resolve("src/test/c/escape_artist.c"));
            t.load(TestEngine.example("mover.zig"));
            long e = t.engine.world().spawn(), m = t.engine.world().spawn();
            t.engine.scripts().attach(e, "escape_artist", 0, null);
            t.engine.scripts().attach(m, "mover", 0, null);
            t.engine.world().setVar(m, "speed", new VarValue.F64(60));
            t.run(3);
            // The region is sealed before the library is loaded: a shrunk mapping would have
            // made the engine's next access to it fault.
            assertThat(t.logsOf("escape_artist")).extracting(LogEntry::message).containsExactly("truncate refused: sealed");
            assertThat(t.engine.world().position(m).x()).isEqualTo(3f);
            ProcessHandle host = ProcessHandle.current().children()
                    .filter(p -> p.info().command().orElse("").contains("kiln_host")).findFirst().orElseThrow();
            grandchild = host.children().findFirst().orElseThrow().pid();
        }
        // Closing the engine ended the host's whole process group, the library's fork with it.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (ProcessHandle.of(grandchild).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(ProcessHandle.of(grandchild).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void anIsolatedScriptsAllocationsAreCappedByItsMemoryLimit() {
        EngineOptions options = EngineOptions.defaults().withIsolatedMemoryLimit(256L << 20);
        try (TestEngine t = new TestEngine(options)) {
            Scene s = scene(t);
            World w = t.engine.world();
            w.setVar(s.rogueEntity(), "rogue", new VarValue.I64(6));
            w.setVar(s.rogueEntity(), "bytes", new VarValue.I64(16L << 20));
            t.step(); // within the limit: granted
            w.setVar(s.rogueEntity(), "bytes", new VarValue.I64(1L << 30));
            t.step(); // 1 GiB against 256 MiB beyond the host's region: refused, as an error it can handle
            assertThat(t.logsOf("rogue")).extracting(LogEntry::message)
                    .containsExactly("allocation granted", "allocation refused");
            assertThat(s.rogue().enabled()).isTrue();
            assertThat(w.position(s.moverEntity()).x()).isEqualTo(4f);
        }
    }
}
