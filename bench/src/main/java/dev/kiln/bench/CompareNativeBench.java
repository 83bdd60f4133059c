package dev.kiln.bench;

import dev.kiln.bench.compare.CompareSupport;
import dev.kiln.build.BuildResult;
import dev.kiln.build.KilnHome;
import dev.kiln.build.ScriptCompiler;
import dev.kiln.build.ZigToolchain;
import dev.kiln.ecs.World;
import java.nio.file.Path;
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
 * The native side alone of the comparison scripts (W1 cmp_w1_move, W2 cmp_w2_boids): one
 * kiln_script_update downcall over {@code n} instances through {@link DirectBatch}, nothing
 * applied or republished. With CompareBench's Kiln figure it splits a frame into native and
 * engine time. One op is one frame; see docs/performance.md, "Against the alternatives".
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CompareNativeBench {
    @State(Scope.Benchmark)
    public static class Batch {
        @Param({"cmp_w1_move", "cmp_w2_boids"})
        String script;
        @Param({"10000"})
        int n;

        DirectBatch batch;

        @Setup(Level.Trial)
        public void setUp() {
            Path home = KilnHome.locate();
            BuildResult built = new ScriptCompiler(ZigToolchain.locate(home), home, CompareSupport.buildDir(),
                    ScriptCompiler.Mode.RELEASE_SAFE).build(CompareSupport.compareZig(script + ".zig"));
            if (!built.ok()) throw new IllegalStateException(built.compilerOutput());
            World world = new World();
            batch = new DirectBatch(built.library(), world, CompareSupport.spawnGrid(world, n));
            if (batch.recordBytesPerCall() != 32 * n) {
                throw new IllegalStateException(script + " appended " + batch.recordBytesPerCall() + " bytes");
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            batch.close();
        }
    }

    @Benchmark
    public int downcallOnly(Batch s) {
        return s.batch.update();
    }
}
