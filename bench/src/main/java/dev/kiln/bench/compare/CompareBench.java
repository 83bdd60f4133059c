package dev.kiln.bench.compare;

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
 * The same gameplay in Kiln and in what users would pick instead. One op is one
 * frame of the workload; the score is time per frame. {@code ./kiln compare} runs these and
 * writes the tables of docs/performance.md ("Against the alternatives"); see
 * {@link dev.kiln.bench.CompareMain}. Implementations: {@link Impl#NAMES}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CompareBench {
    /** Stands in where an implementation lacks the workload. */
    static final Impl NONE = new Impl() {
        @Override
        public void frame() {}

        @Override
        public float[] positions() {
            return new float[0];
        }

        @Override
        public void close() {}
    };

    /** Holds one implementation of one workload for a trial. */
    abstract static class Run {
        Impl running;

        void start(String name, Workload workload, int n) {
            running = Impl.create(name, workload, n);
            // A -p impl=... list can name one without this workload: a no-op CompareMain leaves out.
            if (running == null) running = NONE;
            running.frame(); // Kiln runs its scripts' init in the first frame
            running.requireHealthy();
        }

        @TearDown(Level.Trial)
        public void stop() {
            running.requireHealthy();
            running.close();
        }
    }

    @State(Scope.Benchmark)
    public static class W1 extends Run {
        @Param({"1000", "10000", "100000"})
        int n;
        @Param({"kiln", "floor", "java", "dominion", "luaj", "chicory"})
        String impl;

        @Setup(Level.Trial)
        public void setUp() {
            start(impl, Workload.W1, n);
        }
    }

    @State(Scope.Benchmark)
    public static class W2 extends Run {
        @Param({"10000"})
        int n;
        @Param({"kiln", "java", "luaj", "chicory"})
        String impl;

        @Setup(Level.Trial)
        public void setUp() {
            start(impl, Workload.W2, n);
        }
    }

    @State(Scope.Benchmark)
    public static class W3 extends Run {
        @Param({"10"})
        int n;
        @Param({"kiln", "java", "luaj", "chicory"})
        String impl;

        @Setup(Level.Trial)
        public void setUp() {
            start(impl, Workload.W3, n);
        }
    }

    @State(Scope.Benchmark)
    public static class W4 extends Run {
        @Param({"10000"})
        int n;
        @Param({"kiln", "java", "luaj", "chicory"})
        String impl;

        @Setup(Level.Trial)
        public void setUp() {
            start(impl, Workload.W4, n);
        }
    }

    @State(Scope.Benchmark)
    public static class W5 extends Run {
        @Param({"10000"})
        int n;
        @Param({"kiln", "java", "luaj", "chicory"})
        String impl;

        @Setup(Level.Trial)
        public void setUp() {
            start(impl, Workload.W5, n);
        }
    }

    @Benchmark
    public void w1(W1 s) {
        s.running.frame();
    }

    @Benchmark
    public void w2(W2 s) {
        s.running.frame();
    }

    @Benchmark
    public void w3(W3 s) {
        s.running.frame();
    }

    @Benchmark
    public void w4(W4 s) {
        s.running.frame();
    }

    @Benchmark
    public void w5(W5 s) {
        s.running.frame();
    }
}
