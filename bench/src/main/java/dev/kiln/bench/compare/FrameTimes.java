package dev.kiln.bench.compare;

import java.util.Arrays;

/**
 * Per-frame wall times of one implementation of one workload, for a machine others are using:
 * JMH's mean over 1 s iterations counts every preemption, while the lowest frames and the low
 * percentiles are the frames no other process interrupted (docs/performance.md, "The fused
 * barrier and the SDK's per-update work").
 *
 * <p>Arguments: implementation (as {@code ./kiln compare -p impl=}), workload ({@code W1}...),
 * entities, frames measured; {@code -Dwarm=N} warm-up frames first (default: as many as
 * measured). Prints the lowest, 10th-percentile and median frame in µs. Run on the classpath
 * {@code ./kiln compare} builds: {@code java --enable-native-access=ALL-UNNAMED -Dkiln.home=.
 * -cp bench/target/classes:$(cat bench/target/bench.classpath)
 * dev.kiln.bench.compare.FrameTimes kiln W1 10000 5000}.
 */
public final class FrameTimes {
    private FrameTimes() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: FrameTimes <impl> <workload> <entities> <frames>");
            System.exit(2);
        }
        String impl = args[0];
        Workload workload = Workload.valueOf(args[1]);
        int n = Integer.parseInt(args[2]);
        int frames = Integer.parseInt(args[3]);
        try (Impl i = Impl.create(impl, workload, n)) {
            if (i == null) throw new IllegalArgumentException(impl + " does not implement " + workload);
            for (int f = 0, warm = Integer.getInteger("warm", frames); f < warm; f++) i.frame();
            long[] nanos = new long[frames];
            for (int f = 0; f < frames; f++) {
                long t0 = System.nanoTime();
                i.frame();
                nanos[f] = System.nanoTime() - t0;
            }
            i.requireHealthy();
            Arrays.sort(nanos);
            System.out.printf("%s %s n=%d: lowest %.1f  p10 %.1f  median %.1f us (%d frames)%n", impl, workload, n,
                    nanos[0] / 1e3, nanos[frames / 10] / 1e3, nanos[frames / 2] / 1e3, frames);
        }
    }
}
