package dev.kiln.bench;

import dev.kiln.build.ScriptCompiler;
import dev.kiln.ecs.VarValue;
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
 * Requests per second: every frame carries {@value #REQUESTS_PER_FRAME} translate requests
 * from bench_requests, split as {@code requestsPerUpdate} requests from each of
 * {@value #REQUESTS_PER_FRAME}/{@code requestsPerUpdate} instances. With 100 per update the
 * dispatch is amortised and the barrier's apply cost dominates; with 1 per update the same
 * requests come with 100× the dispatches and dirty entities.
 *
 * <ul>
 *   <li>{@code downcallOnly}: requests posted per second (native side, nothing applied).
 *   <li>{@code engineStep}: requests posted and applied per second (a whole Engine.step).
 * </ul>
 * Time per applied request = 1/engineStep − 1/downcallOnly (BenchMain prints it).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RequestApplyBench {
    /** 100k records × 32 bytes = 3.2 MB: fits the default 8 MB command buffer with room to spare. */
    static final int REQUESTS_PER_FRAME = 100_000;
    static final String SCRIPT = "bench_requests";

    /** Spawns the entities, each with ScriptVars requests = {@code requestsPerUpdate}. */
    static long[] spawnWithRequestCount(World world, int requestsPerUpdate) {
        if (REQUESTS_PER_FRAME % requestsPerUpdate != 0) {
            throw new IllegalArgumentException("requestsPerUpdate must divide " + REQUESTS_PER_FRAME);
        }
        long[] entities = BenchScripts.spawnGrid(world, REQUESTS_PER_FRAME / requestsPerUpdate);
        for (long e : entities) world.setVar(e, "requests", new VarValue.I64(requestsPerUpdate));
        return entities;
    }

    @State(Scope.Benchmark)
    public static class EngineState {
        @Param({"1", "100"})
        int requestsPerUpdate;
        @Param({"RELEASE_SAFE"})
        ScriptCompiler.Mode mode;

        final BenchLog log = new BenchLog();
        Engine engine;

        @Setup(Level.Trial)
        public void setUp() {
            engine = BenchScripts.newEngine(mode, log);
            BenchScripts.load(engine, SCRIPT);
            for (long e : spawnWithRequestCount(engine.world(), requestsPerUpdate)) {
                engine.scripts().attach(e, SCRIPT, 0, null);
            }
            FrameStats first = engine.step(BenchScripts.FRAME_SECONDS);
            if (first.commandsApplied() != REQUESTS_PER_FRAME) {
                throw new IllegalStateException("setup: " + first.summary() + ", expected " + REQUESTS_PER_FRAME);
            }
            log.requireQuiet(SCRIPT);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            log.requireQuiet(SCRIPT);
            engine.close();
        }
    }

    @State(Scope.Benchmark)
    public static class DirectState {
        @Param({"1", "100"})
        int requestsPerUpdate;
        @Param({"RELEASE_SAFE"})
        ScriptCompiler.Mode mode;

        DirectBatch batch;

        @Setup(Level.Trial)
        public void setUp() {
            World world = new World();
            batch = new DirectBatch(BenchScripts.build(SCRIPT, mode), world, spawnWithRequestCount(world, requestsPerUpdate));
            int bytes = batch.recordBytesPerCall();
            if (bytes != REQUESTS_PER_FRAME * 32) {
                throw new IllegalStateException("setup: " + bytes + " bytes of records per call, expected "
                        + REQUESTS_PER_FRAME * 32);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            batch.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(REQUESTS_PER_FRAME)
    public int downcallOnly(DirectState s) {
        return s.batch.update();
    }

    @Benchmark
    @OperationsPerInvocation(REQUESTS_PER_FRAME)
    public FrameStats engineStep(EngineState s) {
        return s.engine.step(BenchScripts.FRAME_SECONDS);
    }
}
