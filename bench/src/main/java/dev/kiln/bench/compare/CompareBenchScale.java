package dev.kiln.bench.compare;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * The comparison workloads about scale (docs/performance.md, "Against the alternatives"): W6, a
 * real game's mix of 200 libraries; W7, a million entities; the demo scene's frame. Kept apart
 * from {@link CompareBench} (W1–W5) so the two grow independently; {@code ./kiln compare} runs
 * both (its default include, "CompareBench", matches this class too) and tables both. One op
 * is one frame.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CompareBenchScale {
    /**
     * Where W7 trials append their resident-memory line (impl, n, bytes per entity beyond
     * State, RSS with 0 and with n entities), for CompareMain's W7 verdict.
     */
    public static final String MEMORY_FILE = "target/compare-w7-memory.txt";
    /** Bytes of cmp_w1_move's State (logic.Mover: three f32), which the memory target excludes. */
    public static final int MOVER_STATE_BYTES = 12;
    /** Frames the zero-entity engine runs before its RSS is read (JIT and allocations settled). */
    static final int BASELINE_FRAMES = 200;

    @State(Scope.Benchmark)
    public static class W6 extends CompareBench.Run {
        @Param({"1000"})
        int n;
        @Param({"kiln", "java"})
        String impl;

        @Setup(Level.Trial)
        public void setUp() {
            start(impl, Workload.W6, n);
        }
    }

    /**
     * W7 at n entities. Kiln's frames are checked: every one must apply n requests (one
     * translate per entity), or the trial fails. At teardown the resident memory per entity is
     * printed and appended to {@link #MEMORY_FILE}: RSS now minus RSS of the same workload
     * with 0 entities, read in this JVM (same -Xmx) before the n entities were made, divided by
     * n, less the State's {@value #MOVER_STATE_BYTES} bytes. The zero-entity engine stays open
     * until the end, so its fixed costs are in the baseline and the n-entity engine's own
     * fixed costs (a few MiB) count against the entities: the figure errs high.
     */
    @State(Scope.Benchmark)
    public static class W7 extends CompareBench.Run {
        @Param({"1000000"})
        int n;
        @Param({"kiln", "floor", "java"})
        String impl;
        Impl zero;
        long rssZero;
        /** RSS after the latest measured iteration (read before the trial's teardown closes anything). */
        long rssLoaded;

        @Setup(Level.Trial)
        public void setUp() {
            zero = Impl.create(impl, Workload.W7, 0);
            if (zero != null) {
                for (int f = 0; f < BASELINE_FRAMES; f++) zero.frame();
                System.gc();
            }
            rssZero = residentBytes();
            start(impl, Workload.W7, n);
        }

        /** After each measured frame: Kiln applied every request (nothing dropped for capacity). */
        void check() {
            if (running instanceof ProductImpl p && p.last.commandsApplied() != n) {
                throw new IllegalStateException("W7: " + p.last.commandsApplied() + " of " + n
                        + " requests applied in frame " + p.last.frameIndex());
            }
        }

        @TearDown(Level.Iteration)
        public void readMemory() {
            rssLoaded = residentBytes();
        }

        @TearDown(Level.Trial)
        public void memory() {
            if (running == CompareBench.NONE || rssLoaded == 0) return;
            long rss = rssLoaded;
            double perEntity = (rss - rssZero) / (double) n - (impl.equals("kiln") ? MOVER_STATE_BYTES : 0);
            String line = String.format(Locale.ROOT, "%s %d %.1f %d %d%n", impl, n, perEntity, rssZero, rss);
            System.out.printf(Locale.ROOT, "%nW7 %s: resident memory %.1f bytes per entity beyond State "
                    + "(RSS %,d KiB at 0 entities, %,d KiB at %,d)%n", impl, perEntity, rssZero >> 10, rss >> 10, n);
            try {
                Path file = CompareSupport.home().resolve(MEMORY_FILE);
                Files.createDirectories(file.getParent());
                Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (zero != null) zero.close();
        }
    }

    @State(Scope.Benchmark)
    public static class Demo extends CompareBench.Run {
        /** Not a size: the scene decides (≈ 30 entities, 35 scripts, 6 libraries). */
        @Param({"1"})
        int n;
        @Param({"kiln"})
        String impl;

        @Setup(Level.Trial)
        public void setUp() {
            start(impl, Workload.DEMO, n);
        }
    }

    /** The process's resident set, from /proc/self/statm (4 KiB pages; 0 where unreadable). */
    static long residentBytes() {
        try {
            String[] fields = Files.readString(Path.of("/proc/self/statm")).trim().split(" ");
            return Long.parseLong(fields[1]) * 4096;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    @Benchmark
    public void w6(W6 s) {
        s.running.frame();
    }

    @Benchmark
    public void w7(W7 s) {
        s.running.frame();
        s.check();
    }

    @Benchmark
    public void demo(Demo s) {
        s.running.frame();
    }
}
