package dev.kiln.bench;

import dev.kiln.build.ScriptCompiler;
import dev.kiln.embed.Kiln;
import dev.kiln.embed.KilnConfig;
import dev.kiln.engine.EngineOptions;
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
 * A game's render loop on the embedding API: {@code entities} entities tagged "unit", each
 * moved by bench_move. One op is one frame.
 *
 * <ul>
 *   <li>{@code engineStepOnly}: {@code Engine.step} alone, the baseline.
 *   <li>{@code embeddedFrame}: what a game does per frame: write input (an action toggled, an
 *       axis and the pointer changed, so the input component really is rewritten), {@code Kiln.step},
 *       then {@code copyPositions} of every unit into the game's arrays.
 * </ul>
 * Run with {@code ./kiln bench EmbeddingRender -prof gc}: the difference of
 * {@code gc.alloc.rate.norm} between the two is what the embedding allocates per frame, and it
 * must not grow with {@code entities} (docs/embedding.md, docs/performance.md).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class EmbeddingRenderBench {
    @Param({"1000", "10000"})
    int entities;

    final BenchLog log = new BenchLog();
    Kiln kiln;
    float[] xyz;
    long[] handles;
    long frame;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        EngineOptions d = EngineOptions.defaults();
        EngineOptions options = new EngineOptions(BenchScripts.buildDir(), d.cellSize(), d.commandBufferBytes(),
                ScriptCompiler.Mode.RELEASE_SAFE, log, d.faultGuard(), d.callBudget(), d.isolatedMemoryLimit());
        kiln = Kiln.create(KilnConfig.defaults().withEngine(options));
        kiln.loadScript(BenchScripts.source("bench_move"));
        for (long e : BenchScripts.spawnGrid(kiln.world(), entities)) {
            kiln.world().addTag(e, "unit");
            kiln.attach(e, "bench_move");
        }
        xyz = new float[3 * entities];
        handles = new long[entities];
        kiln.step(BenchScripts.FRAME_SECONDS);
        if (kiln.transforms().copyPositions("unit", xyz, handles) != entities) {
            throw new IllegalStateException("setup: expected " + entities + " units");
        }
        log.requireQuiet("embedding render loop");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        kiln.close();
    }

    @Benchmark
    public Object engineStepOnly() {
        return kiln.engine().step(BenchScripts.FRAME_SECONDS);
    }

    @Benchmark
    public int embeddedFrame() {
        boolean odd = (frame++ & 1) == 1;
        kiln.input().set("fire", odd);
        kiln.input().axis("move_x", odd ? 1 : -1);
        kiln.input().pointer(odd ? 1 : 2, 0, 0);
        kiln.step(BenchScripts.FRAME_SECONDS);
        return kiln.transforms().copyPositions("unit", xyz, handles);
    }
}
