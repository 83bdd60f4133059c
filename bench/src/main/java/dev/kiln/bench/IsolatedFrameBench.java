package dev.kiln.bench;

import dev.kiln.build.ScriptCompiler;
import dev.kiln.engine.Engine;
import dev.kiln.engine.FrameStats;
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
 * What isolated mode costs: a whole frame of {@code instances} bench_move instances (one
 * translate each), the library in the engine's process or in a host process of its own. With
 * one instance the difference is the fixed cost of a round trip to the host per phase; with
 * 10,000 it adds the copies (snapshot tables, instance array, records) per call.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class IsolatedFrameBench {
    @Param({"false", "true"})
    boolean isolated;
    @Param({"1", "10000"})
    int instances;

    private final BenchLog log = new BenchLog();
    private Engine engine;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        engine = BenchScripts.newEngine(ScriptCompiler.Mode.RELEASE_SAFE, log);
        engine.loadScript(BenchScripts.source("bench_move"), isolated);
        for (long e : BenchScripts.spawnGrid(engine.world(), instances)) engine.scripts().attach(e, "bench_move", 0, null);
        FrameStats first = engine.step(BenchScripts.FRAME_SECONDS);
        if (first.commandsApplied() != instances) throw new IllegalStateException("setup: " + first.summary());
        log.requireQuiet("bench_move");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        log.requireQuiet("bench_move");
        engine.close();
    }

    @Benchmark
    public FrameStats frame() {
        return engine.step(BenchScripts.FRAME_SECONDS);
    }
}
