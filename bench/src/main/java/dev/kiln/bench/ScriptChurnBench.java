package dev.kiln.bench;

import dev.kiln.build.ScriptCompiler;
import dev.kiln.ecs.Quat;
import dev.kiln.ecs.Vec3;
import dev.kiln.engine.Engine;
import dev.kiln.engine.FrameStats;
import dev.kiln.script.ScriptInstance;
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
 * What one attach or detach costs the frame after it, with {@code instances} bench_idle
 * instances already running. Any attach, detach, enable/disable, contained fault or reload
 * marks the phase tables dirty, and the next phase rebuilds them for every instance
 * (PhaseTables.rebuild): {@code churnStep} − {@code steadyStep} is that price
 * (plus one init or shutdown call). Score per frame.
 *
 * <ul>
 *   <li>{@code steadyStep}: a frame with nothing attached or detached (baseline).
 *   <li>{@code churnStep}: attaches bench_idle to a spare entity, or detaches it again
 *       (alternating), then a frame — as a scene that spawns or removes one scripted entity
 *       per frame would.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ScriptChurnBench {
    static final String SCRIPT = "bench_idle";

    @State(Scope.Benchmark)
    public static class EngineState {
        @Param({"1000", "10000"})
        int instances;
        @Param({"RELEASE_SAFE"})
        ScriptCompiler.Mode mode;

        final BenchLog log = new BenchLog();
        Engine engine;
        long spare;
        ScriptInstance churned;

        @Setup(Level.Trial)
        public void setUp() {
            engine = BenchScripts.newEngine(mode, log);
            BenchScripts.load(engine, SCRIPT);
            for (long e : BenchScripts.spawnGrid(engine.world(), instances)) engine.scripts().attach(e, SCRIPT, 0, null);
            spare = engine.world().spawn(new Vec3(-10, 0, -10), Quat.IDENTITY, Vec3.ONE);
            FrameStats first = engine.step(BenchScripts.FRAME_SECONDS);
            if (first.scriptInstances() != instances) throw new IllegalStateException("setup: " + first.summary());
            log.requireQuiet(SCRIPT);
        }

        /** Attaches to the spare entity, or detaches what was attached there. */
        void churn() {
            if (churned == null) {
                churned = engine.scripts().attach(spare, SCRIPT, 0, null);
            } else {
                engine.scripts().detach(churned);
                churned = null;
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            log.requireQuiet(SCRIPT);
            engine.close();
        }
    }

    @Benchmark
    public FrameStats steadyStep(EngineState s) {
        return s.engine.step(BenchScripts.FRAME_SECONDS);
    }

    @Benchmark
    public FrameStats churnStep(EngineState s) {
        s.churn();
        return s.engine.step(BenchScripts.FRAME_SECONDS);
    }
}
