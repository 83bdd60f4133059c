package dev.kiln.bench;

import dev.kiln.build.BuildResult;
import dev.kiln.build.KilnHome;
import dev.kiln.build.ScriptCompiler;
import dev.kiln.build.ZigToolchain;
import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.World;
import dev.kiln.loader.FaultGuard;
import dev.kiln.loader.NativeHeap;
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
 * Nanoseconds per element of kiln.List(u64).append plus one pass over the elements, against a
 * plain std.ArrayList(u64) in a library global (bench_list.zig, bench_arraylist.zig): one
 * instance refills {@value #ELEMENTS} elements and sums them per update downcall (capacity kept,
 * so this is steady-state append and iteration, not growth). The engine's runtime is left out
 * (see {@link DirectBatch}); the target is kiln.List within 1.5× of ArrayList.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ContainerBench {
    /** bench_list.zig's and bench_arraylist.zig's `elements`. */
    static final int ELEMENTS = 10_000;

    /** One script's instance run by a DirectBatch over its own engine heap. */
    public abstract static class ScriptBatch {
        NativeHeap heap;
        DirectBatch batch;

        /** {@code op}: the script's ScriptVar "op" (bench_map.zig's put or get), or null for none. */
        void open(String script, ScriptCompiler.Mode mode, Long op) {
            FaultGuard guard = installEngineLibrary(mode);
            heap = NativeHeap.create(guard, 64L << 20);
            World world = new World();
            long[] entities = BenchScripts.spawnGrid(world, 1);
            if (op != null) world.setVar(entities[0], "op", new VarValue.I64(op));
            batch = new DirectBatch(BenchScripts.build(script, mode), world, entities, heap, guard);
            if (batch.update() != 0) throw new IllegalStateException("setup: " + script + " update failed");
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            batch.close();
            heap.close();
        }
    }

    @State(Scope.Benchmark)
    public static class Lists extends ScriptBatch {
        @Param({"bench_list", "bench_arraylist"})
        String script;
        @Param({"RELEASE_SAFE", "RELEASE_FAST"})
        ScriptCompiler.Mode mode;

        @Setup(Level.Trial)
        public void setUp() {
            open(script, mode, null);
        }
    }

    /**
     * kiln.Map(u32, u64) against std.AutoHashMapUnmanaged(u32, u64) in a library global, at
     * {@value #ELEMENTS} entries: {@code put} empties the map (capacity kept) and puts every
     * entry again, {@code get} looks every key up (a few absent); ns per put or get.
     */
    @State(Scope.Benchmark)
    public static class Maps extends ScriptBatch {
        @Param({"bench_map", "bench_hashmap"})
        String script;
        @Param({"put", "get"})
        String op;
        @Param({"RELEASE_SAFE", "RELEASE_FAST"})
        ScriptCompiler.Mode mode;

        @Setup(Level.Trial)
        public void setUp() {
            open(script, mode, op.equals("get") ? 1L : 0L);
        }
    }

    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public int mapPutOrGet(Maps s) {
        return s.batch.update();
    }

    /** The engine's native library (fault guard and container memory), as an Engine installs it. */
    static FaultGuard installEngineLibrary(ScriptCompiler.Mode mode) {
        return FaultGuard.install(() -> {
            var home = KilnHome.locate();
            BuildResult guard = new ScriptCompiler(ZigToolchain.locate(home), home, BenchScripts.buildDir(), mode).buildGuard();
            if (!guard.ok()) throw new IllegalStateException("engine library did not build: " + guard.compilerOutput());
            return guard.library();
        });
    }

    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public int appendAndIterate(Lists s) {
        return s.batch.update();
    }
}
