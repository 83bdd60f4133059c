package dev.kiln.bench;

import dev.kiln.build.ScriptCompiler;
import dev.kiln.ecs.World;
import dev.kiln.engine.Engine;
import dev.kiln.engine.FrameStats;
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
 * Nanoseconds per script update, batched: {@value #INSTANCES} instances of one script in the
 * update phase, so one frame is one downcall into that library. Scores are per update
 * (frame time / {@value #INSTANCES}).
 *
 * <ul>
 *   <li>{@code downcallOnly}: the native side alone (see {@link DirectBatch}).
 *   <li>{@code engineStep}: a whole {@code Engine.step}: the same downcall plus collecting
 *       command ranges, applying the requests at the barrier and republishing the snapshot.
 * </ul>
 * bench_idle posts nothing, so its engineStep − downcallOnly is the runtime's per-instance
 * overhead; bench_move posts one translate per update, so the difference between the two
 * scripts' engineStep is what applying (and publishing) one request per entity costs.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ScriptUpdateBench {
    static final int INSTANCES = 10_000;

    /** An engine with one script attached to each of {@value #INSTANCES} entities. */
    @State(Scope.Benchmark)
    public static class EngineState {
        @Param({"bench_idle", "bench_move"})
        String script;
        @Param({"RELEASE_SAFE"})
        ScriptCompiler.Mode mode;

        final BenchLog log = new BenchLog();
        Engine engine;

        @Setup(Level.Trial)
        public void setUp() {
            engine = BenchScripts.newEngine(mode, log);
            BenchScripts.load(engine, script);
            for (long e : BenchScripts.spawnGrid(engine.world(), INSTANCES)) {
                engine.scripts().attach(e, script, 0, null);
            }
            FrameStats first = engine.step(BenchScripts.FRAME_SECONDS); // runs the inits too
            long expected = script.equals("bench_move") ? INSTANCES : 0;
            if (first.commandsApplied() != expected || first.scriptInstances() != INSTANCES) {
                throw new IllegalStateException("setup: " + first.summary() + ", expected " + expected + " requests");
            }
            log.requireQuiet(script);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            log.requireQuiet(script);
            engine.close();
        }
    }

    /** The same script and entity count driven directly, without the engine's runtime. */
    @State(Scope.Benchmark)
    public static class DirectState {
        @Param({"bench_idle", "bench_move"})
        String script;
        @Param({"RELEASE_SAFE"})
        ScriptCompiler.Mode mode;

        DirectBatch batch;

        @Setup(Level.Trial)
        public void setUp() {
            World world = new World();
            batch = new DirectBatch(BenchScripts.build(script, mode), world, BenchScripts.spawnGrid(world, INSTANCES));
            int expectedBytes = script.equals("bench_move") ? INSTANCES * 32 : 0;
            if (batch.recordBytesPerCall() != expectedBytes) {
                throw new IllegalStateException("setup: " + script + " appended " + batch.recordBytesPerCall()
                        + " bytes per call, expected " + expectedBytes);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            batch.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(INSTANCES)
    public int downcallOnly(DirectState s) {
        return s.batch.update();
    }

    @Benchmark
    @OperationsPerInvocation(INSTANCES)
    public FrameStats engineStep(EngineState s) {
        return s.engine.step(BenchScripts.FRAME_SECONDS);
    }
}
