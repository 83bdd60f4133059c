package dev.kiln.bench;

import dev.kiln.build.ScriptCompiler;
import dev.kiln.engine.Engine;
import dev.kiln.engine.FrameStats;
import dev.kiln.loader.FaultGuard;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the fault guard costs: a whole {@code Engine.step} with every batch call going through
 * kiln_guard_call (sigsetjmp, the watchdog's begin/end, a thread-local fault block) or called
 * directly ({@code faultGuard=false}).
 *
 * <ul>
 *   <li>{@code engineStep}: {@value #INSTANCES} instances of one script; score per script update
 *       (frame / {@value #INSTANCES}), comparable with ScriptUpdateBench.engineStep.
 *   <li>{@code oneInstanceStep}: one instance, so a frame is one batch call; score per frame, and
 *       guard on − guard off is the guard's price per batch call.
 * </ul>
 *
 * <p>The guard's signal handlers are process-wide and stay once installed, so every parameter
 * set must run in its own JVM: JMH forks one per benchmark and parameter set, and the setup
 * fails if a {@code faultGuard=false} trial finds a guard installed (e.g. with {@code -f 0}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FaultGuardBench {
    static final int INSTANCES = 10_000;

    /** {@value #INSTANCES} instances of {@code script}, guarded or not. */
    @State(Scope.Benchmark)
    public static class ManyInstances {
        @Param({"bench_idle", "bench_move"})
        String script;
        @Param({"true", "false"})
        boolean faultGuard;
        @Param({"RELEASE_SAFE"})
        ScriptCompiler.Mode mode;

        final BenchLog log = new BenchLog();
        Engine engine;

        @Setup(Level.Trial)
        public void setUp() {
            engine = start(script, faultGuard, mode, INSTANCES, log);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            log.requireQuiet(script);
            engine.close();
        }
    }

    /** One instance of bench_idle, guarded or not: a frame is one batch call. */
    @State(Scope.Benchmark)
    public static class OneInstance {
        @Param({"true", "false"})
        boolean faultGuard;
        @Param({"RELEASE_SAFE"})
        ScriptCompiler.Mode mode;

        final BenchLog log = new BenchLog();
        Engine engine;

        @Setup(Level.Trial)
        public void setUp() {
            engine = start("bench_idle", faultGuard, mode, 1, log);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            log.requireQuiet("bench_idle");
            engine.close();
        }
    }

    /** An engine running {@code count} instances of {@code script}, its first frame checked. */
    static Engine start(String script, boolean faultGuard, ScriptCompiler.Mode mode, int count, BenchLog log) {
        if (!faultGuard && FaultGuard.handlersInstalled()) {
            throw new IllegalStateException("a fault guard is already installed in this JVM: run faultGuard=false"
                    + " in a fork of its own (forks > 0)");
        }
        Engine engine = BenchScripts.newEngine(mode, log, faultGuard);
        if ((engine.scripts().faultGuard() != null) != faultGuard) {
            throw new IllegalStateException("setup: wanted faultGuard=" + faultGuard + ", the engine has "
                    + (engine.scripts().faultGuard() == null ? "none" : "one"));
        }
        BenchScripts.load(engine, script);
        for (long e : BenchScripts.spawnGrid(engine.world(), count)) engine.scripts().attach(e, script, 0, null);
        FrameStats first = engine.step(BenchScripts.FRAME_SECONDS);
        long expected = script.equals("bench_move") ? count : 0;
        if (first.commandsApplied() != expected || first.scriptInstances() != count) {
            throw new IllegalStateException("setup: " + first.summary() + ", expected " + expected + " requests");
        }
        log.requireQuiet(script);
        return engine;
    }

    @Benchmark
    @OperationsPerInvocation(INSTANCES)
    public FrameStats engineStep(ManyInstances s) {
        return s.engine.step(BenchScripts.FRAME_SECONDS);
    }

    @Benchmark
    public FrameStats oneInstanceStep(OneInstance s) {
        return s.engine.step(BenchScripts.FRAME_SECONDS);
    }
}
