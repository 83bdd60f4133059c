package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.build.ScriptCompiler;
import dev.kiln.ecs.Entities;
import dev.kiln.ecs.Status;
import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.Vec3;
import dev.kiln.ecs.World;
import dev.kiln.engine.EngineOptions;
import dev.kiln.loader.NativeLibrary;
import dev.kiln.testing.TestEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A script that panics, crashes or hangs is reported with its name and entity and disabled;
 * every other script keeps running and the world stays consistent.
 */
class FaultContainmentTest {
    private record Scene(TestEngine t, long faultyEntity, ScriptInstance faulty, ScriptInstance neighbour,
                         long moverEntity) {}

    private static Scene scene(TestEngine t) {
        t.loadTest("faulty.zig");
        t.load(TestEngine.example("mover.zig"));
        World w = t.engine.world();
        long e1 = w.spawn(), e2 = w.spawn(), e3 = w.spawn();
        w.setName(e1, "crasher"); // as a scene names it: reports show the name beside the handle
        ScriptInstance faulty = t.engine.scripts().attach(e1, "faulty", 0, null);
        ScriptInstance neighbour = t.engine.scripts().attach(e2, "faulty", 1, null); // same library
        t.engine.scripts().attach(e3, "mover", 0, null);
        w.setVar(e1, "speed", new VarValue.F64(60));
        w.setVar(e3, "speed", new VarValue.F64(60));
        t.run(2);
        return new Scene(t, e1, faulty, neighbour, e3);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "1 | explicit @panic         | panic: boom",
            "2 | integer overflow        | panic: integer overflow",
            "3 | index out of bounds     | panic: index out of bounds: index 7, len 3",
            "4 | unreachable             | panic: reached unreachable code",
            "5 | null pointer write      | SIGSEGV (invalid memory access) at address 0x10",
            "7 | division by zero        | panic: division by zero",
            "8 | stack overflow          | SIGSEGV",
            "9 | @trap                   | SIGILL (illegal instruction, e.g. @trap)",
            "10 | hardware division by zero | SIGFPE (arithmetic fault)",
            "11 | read past a truncated file | SIGBUS (bus error) at address 0x",
    })
    void aFaultIsContainedReportedAndOnlyTheFaultyInstanceStops(int kind, String name, String expected) {
        checkContained(new TestEngine(), kind, expected, null);
    }

    /**
     * The same faults in the development profile watched runs build with (Debug, Zig's own
     * backend, the warm compiler): its safety checks are on, and the guard contains each.
     */
    @ParameterizedTest(name = "{1}")
    @MethodSource("faultCases")
    void aFaultInADevelopmentProfileBuildIsContainedToo(int kind, String name, String expected) {
        TestEngine t = new TestEngine(EngineOptions.defaults().withMode(ScriptCompiler.Mode.DEVELOPMENT));
        checkContained(t, kind, expected, "Debug");
    }

    /** The cases of {@link #aFaultIsContainedReportedAndOnlyTheFaultyInstanceStops}, one list for both profiles. */
    static Stream<Arguments> faultCases() throws NoSuchMethodException {
        CsvSource cases = FaultContainmentTest.class.getDeclaredMethod("aFaultIsContainedReportedAndOnlyTheFaultyInstanceStops",
                int.class, String.class, String.class).getAnnotation(CsvSource.class);
        return Arrays.stream(cases.value()).map(line -> line.split("\\|", 3)).map(p ->
                Arguments.of(Integer.parseInt(p[0].strip()), p[1].strip(), p[2].strip()));
    }

    /**
     * The same faults raised in a signal handler: delivered in a compact signal batch, whose loop
     * runs the hook inlined in an optimized build (ReleaseSafe, the default), the fault is
     * contained, named with the script's frames, and stops only the receiver.
     */
    @ParameterizedTest(name = "{1}")
    @MethodSource("faultCases")
    void aFaultInASignalHandlerIsContainedToo(int kind, String name, String expected) {
        try (TestEngine t = new TestEngine()) {
            Scene s = scene(t);
            assertThat(s.faulty().library().info().buildModeName()).isEqualTo("ReleaseSafe");
            World w = t.engine.world();
            Vec3 before = w.position(s.faultyEntity());
            w.setVar(s.faultyEntity(), "signal_fault", new VarValue.I64(kind));
            for (int frame = 0; frame < 3; frame++) {
                assertThat(t.engine.scripts().emitFromHost("fault", new byte[0], s.faultyEntity())).isEqualTo(Status.OK);
                t.run(1);
            }

            List<LogEntry> errors = t.logs.stream().filter(l -> l.level() == LogEntry.Level.ERROR).toList();
            assertThat(errors).hasSize(1);
            LogEntry report = errors.getFirst();
            assertThat(report.entity()).isEqualTo(s.faultyEntity());
            assertThat(report.message()).contains("fault contained: " + expected);
            assertThat(report.message().lines().findFirst().orElseThrow()).doesNotContain(" in ? (");
            assertThat(report.message()).containsPattern("\n    at [\\w.]+ \\+ 0x[0-9a-f]+ \\(libfaulty-[0-9a-f]+\\.so\\)");
            assertThat(s.faulty().enabled()).isFalse();
            // The handler's own request before the fault was discarded: no move along y.
            assertThat(w.position(s.faultyEntity()).y()).isEqualTo(before.y());
            assertThat((Long) StateFields.read(s.neighbour(), "updates")).isEqualTo(5L);
            assertThat(w.position(s.moverEntity()).x()).isEqualTo(5f);
        }
    }

    /** {@code buildMode}: the optimize mode the faulty library must have been built in (null: any). */
    private static void checkContained(TestEngine engine, int kind, String expected, String buildMode) {
        try (TestEngine t = engine) {
            Scene s = scene(t);
            if (buildMode != null) assertThat(s.faulty().library().info().buildModeName()).isEqualTo(buildMode);
            World w = t.engine.world();
            Vec3 before = w.position(s.faultyEntity());
            w.setVar(s.faultyEntity(), "fault", new VarValue.I64(kind));
            t.run(3);

            List<LogEntry> errors = t.logs.stream().filter(l -> l.level() == LogEntry.Level.ERROR).toList();
            assertThat(errors).hasSize(1);
            LogEntry report = errors.getFirst();
            assertThat(report.script()).isEqualTo("faulty");
            assertThat(report.entity()).isEqualTo(s.faultyEntity());
            assertThat(report.toString()).contains("faulty @ " + Entities.format(s.faultyEntity())
                    + " (crasher): fault contained: ");
            assertThat(report.message()).contains("fault contained: " + expected).contains("disabled");
            assertThat(report.message().lines().findFirst().orElseThrow()).doesNotContain(" in ? (");
            assertThat(s.faulty().enabled()).isFalse();
            assertThat(s.faulty().fault()).contains(expected);
            // The stack trace names frames of the script's library (its update is inlined into
            // the SDK's batch loop in ReleaseSafe), with offsets addr2line understands.
            assertThat(report.message()).containsPattern("\n    at [\\w.]+ \\+ 0x[0-9a-f]+ \\(libfaulty-[0-9a-f]+\\.so\\)");
            // The faulting call's own requests were discarded: the translate before the fault.
            assertThat(w.position(s.faultyEntity())).isEqualTo(before);
            // Its neighbour in the same library batch and the other script kept running.
            assertThat((Long) StateFields.read(s.neighbour(), "updates")).isEqualTo(5L);
            assertThat(w.position(s.moverEntity()).x()).isEqualTo(5f);
        }
    }

    @Test
    void aHangIsStoppedByTheWatchdogAndItsLibraryIsDisabled() {
        EngineOptions options = EngineOptions.defaults().withCallBudget(Duration.ofMillis(100));
        try (TestEngine t = new TestEngine(options)) {
            Scene s = scene(t);
            World w = t.engine.world();
            w.setVar(s.faultyEntity(), "fault", new VarValue.I64(6));
            String mask = blockedSignals();
            long start = System.nanoTime();
            t.step();
            assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(5).toNanos());
            t.run(2);
            // The jump back from the watchdog's signal leaves the frame thread's mask as it was.
            assertThat(blockedSignals()).isEqualTo(mask);
            assertThat(t.logs).anyMatch(l -> l.level() == LogEntry.Level.ERROR && l.script().equals("faulty")
                    && l.message().contains("ran past its 100 ms budget and was stopped"));
            assertThat(t.engine.scripts().library("faulty").poisoned()).isTrue();
            assertThat(s.faulty().enabled()).isFalse();
            assertThat(s.neighbour().enabled()).isFalse(); // the whole library stops
            assertThat(w.position(s.moverEntity()).x()).isEqualTo(5f); // others go on
        }
    }

    @Test
    void fixingTheSourceAndReloadingReEnablesTheFaultyInstances(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("flaky.zig");
        String broken = """
                const kiln = @import("kiln");
                pub const State = struct { updates: u32 = 0 };
                pub fn update(self: *State, ctx: *kiln.Context) !void {
                    self.updates += 1;
                    if (self.updates == 3) @panic("third time unlucky");
                    _ = ctx;
                }
                """;
        String fixed = broken.replace("if (self.updates == 3) @panic(\"third time unlucky\");\n    _ = ctx;",
                "try ctx.translate(ctx.entity, kiln.vec3(0, 1, 0));");
        try (TestEngine t = new TestEngine()) {
            Files.writeString(file, broken);
            t.load(file);
            long e = t.engine.world().spawn();
            ScriptInstance i = t.engine.scripts().attach(e, "flaky", 0, null);
            t.run(5);
            assertThat(i.enabled()).isFalse();
            assertThat(i.fault()).contains("third time unlucky");
            Files.writeString(file, fixed);
            var built = t.engine.compiler().build(file);
            var swap = t.engine.scripts().swapLibrary("flaky", NativeLibrary.load(built.library(),
                    t.engine.scripts().faultGuard()));
            assertThat(swap.ok()).as(swap.error()).isTrue();
            assertThat(i.enabled()).isTrue();
            assertThat(i.fault()).isNull();
            t.run(2);
            assertThat(t.engine.world().position(e).y()).isEqualTo(2f);
            assertThat(StateFields.read(i, "updates")).isEqualTo(5L); // the State it had at the fault, then 2 more
        }
    }

    @Test
    void anInstanceWhoseInitFailsIsDisabledWhileOthersRun(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("picky.zig");
        Files.writeString(file, """
                const kiln = @import("kiln");
                pub const State = struct { updates: u32 = 0 };
                pub fn init(self: *State, ctx: *kiln.Context) !void {
                    _ = self;
                    if (ctx.getVar(ctx.entity, "refuse", bool) catch false) return error.NotFound;
                }
                pub fn update(self: *State, ctx: *kiln.Context) void { _ = ctx; self.updates += 1; }
                """);
        try (TestEngine t = new TestEngine()) {
            t.load(file);
            long bad = t.engine.world().spawn(), good = t.engine.world().spawn();
            t.engine.world().setVar(bad, "refuse", new VarValue.Bool(true));
            ScriptInstance refused = t.engine.scripts().attach(bad, "picky", 0, null);
            ScriptInstance fine = t.engine.scripts().attach(good, "picky", 0, null);
            t.run(3);
            assertThat(refused.enabled()).isFalse();
            assertThat(refused.fault()).isEqualTo("init returned NOT_FOUND");
            assertThat(StateFields.read(fine, "updates")).isEqualTo(3L);
            // One line for one failure: the SDK's, naming the Zig error, completed by the engine.
            assertThat(t.messages(LogEntry.Level.ERROR)).containsExactly(
                    "init returned error.NotFound; this instance is disabled until the script is reloaded");
        }
    }

    @Test
    void manyContainedFaultsLeaveTheJvmHealthy() {
        try (TestEngine t = new TestEngine()) {
            t.loadTest("faulty.zig");
            World w = t.engine.world();
            long[] kinds = {1, 2, 3, 4, 5, 7};
            int faults = 0;
            String mask = blockedSignals();
            for (int round = 0; round < 50; round++) {
                for (long kind : kinds) {
                    long e = w.spawn();
                    w.setVar(e, "fault", new VarValue.I64(kind));
                    t.engine.scripts().attach(e, "faulty", 0, null);
                    faults++;
                }
                t.step();
                System.gc(); // the JVM's own SIGSEGV-based machinery keeps working between faults
            }
            long reports = t.logs.stream().filter(l -> l.message().startsWith("fault contained")).count();
            assertThat(reports).isEqualTo(faults);
            assertThat(blockedSignals()).as("signal mask after %d contained faults", faults).isEqualTo(mask);
            assertThat(t.engine.scripts().instances()).allMatch(i -> !i.enabled());
            Object nothing = null;
            assertThat(Assertions.catchThrowable(() -> nothing.hashCode()))
                    .isInstanceOf(NullPointerException.class); // implicit null checks still work
        }
    }

    @Test
    void aRecordInAnotherInstancesNameIsRefused() {
        try (TestEngine t = new TestEngine()) {
            t.load(TestEngine.example("mover.zig"));
            t.load(TestEngine.home().resolve("src/test/c/impostor.c"));
            World w = t.engine.world();
            ScriptInstance victim = t.engine.scripts().attach(w.spawn(), "mover", 0, null);
            ScriptInstance impostor = t.engine.scripts().attach(w.spawn(), "impostor", 0, null);
            assertThat(impostor.id()).isEqualTo(victim.id() + 1); // it posts as id - 1: the victim
            t.step();
            assertThat(t.logs).noneMatch(l -> l.message().contains("I am not who I say"));
            assertThat(t.logsOf("impostor")).singleElement().satisfies(l -> assertThat(l.message())
                    .contains("record names instance " + victim.id() + " as its source, but instance "
                            + impostor.id() + " wrote it"));
        }
    }

    /**
     * The calling thread's blocked signals (SigBlk of /proc/thread-self/status): the guard's jump
     * point does not save the mask, it sets the thread's own back after a fault.
     */
    private static String blockedSignals() {
        try {
            return Files.readAllLines(Path.of("/proc/thread-self/status")).stream()
                    .filter(l -> l.startsWith("SigBlk:")).findFirst().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
