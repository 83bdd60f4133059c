package dev.kiln.bench;

import dev.kiln.build.ScriptCompiler;
import dev.kiln.engine.Engine;
import dev.kiln.engine.FrameStats;
import dev.kiln.script.Phase;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Frame time of a layered frame: {@code entities} entities, each with three scripts, one per
 * phase and each at its own priority — bench_layer_pre (pre_update, steers: one setVelocity),
 * bench_layer_update (update, bobs: one translate), bench_layer_post (post_update, keeps the
 * entity in a box: reads only). One op is one full {@code Engine.step}.
 *
 * <p>At teardown it prints the engine's own per-phase timings (FrameStats) averaged over the
 * frames of the last iteration, to show which phase or barrier the time goes to.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LayeredFrameBench {
    /** The three scripts with the priority each is attached at (phase comes from the script). */
    static final String[] SCRIPTS = {"bench_layer_pre", "bench_layer_update", "bench_layer_post"};
    static final int[] PRIORITIES = {-10, 0, 10};

    @State(Scope.Benchmark)
    public static class EngineState {
        @Param({"10000"})
        int entities;
        @Param({"RELEASE_SAFE"})
        ScriptCompiler.Mode mode;

        final BenchLog log = new BenchLog();
        final long[] phaseNanosSum = new long[3];
        final long[] barrierNanosSum = new long[3];
        long frames;
        Engine engine;

        @Setup(Level.Trial)
        public void setUp() {
            engine = BenchScripts.newEngine(mode, log);
            for (String script : SCRIPTS) BenchScripts.load(engine, script);
            for (long e : BenchScripts.spawnGrid(engine.world(), entities)) {
                for (int s = 0; s < SCRIPTS.length; s++) engine.scripts().attach(e, SCRIPTS[s], PRIORITIES[s], null);
            }
            FrameStats first = engine.step(BenchScripts.FRAME_SECONDS);
            // pre posts a setVelocity and update a translate per entity; post only reads.
            if (first.commandsApplied() != 2L * entities || first.scriptInstances() != 3 * entities) {
                throw new IllegalStateException("setup: " + first.summary() + ", expected " + 2L * entities + " requests");
            }
            log.requireQuiet("layered frame");
        }

        /** Keeps the breakdown to one iteration, so the printed one is the last measured iteration's. */
        @Setup(Level.Iteration)
        public void resetBreakdown() {
            Arrays.fill(phaseNanosSum, 0);
            Arrays.fill(barrierNanosSum, 0);
            frames = 0;
        }

        void record(FrameStats stats) {
            for (int p = 0; p < 3; p++) {
                phaseNanosSum[p] += stats.phaseNanos()[p];
                barrierNanosSum[p] += stats.barrierNanos()[p];
            }
            frames++;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            log.requireQuiet("layered frame");
            engine.close();
            if (frames == 0) return;
            StringBuilder line = new StringBuilder("frame breakdown, mean of the last iteration's " + frames
                    + " frames (µs):");
            for (Phase p : Phase.values()) {
                line.append(String.format(Locale.ROOT, " %s %.1f + barrier %.1f |", p.spelling(),
                        phaseNanosSum[p.ordinal()] / 1e3 / frames, barrierNanosSum[p.ordinal()] / 1e3 / frames));
            }
            System.out.println(line);
        }
    }

    @Benchmark
    public FrameStats engineStep(EngineState s) {
        FrameStats stats = s.engine.step(BenchScripts.FRAME_SECONDS);
        s.record(stats);
        return stats;
    }
}
