package dev.kiln.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * Durations in nanoseconds collected by the non-JMH harnesses (reload, fault-frame), with
 * nearest-rank percentiles: p95 of 30 samples is the 29th smallest, so it is a real sample,
 * never an interpolation.
 */
final class Samples {
    private long[] values = new long[64];
    private int count;

    void add(long nanos) {
        if (count == values.length) values = Arrays.copyOf(values, count * 2);
        values[count++] = nanos;
    }

    int count() {
        return count;
    }

    /** Nearest-rank percentile, {@code p} in (0, 100]. */
    long percentile(double p) {
        if (count == 0) throw new IllegalStateException("no samples");
        long[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * count);
        return sorted[Math.max(0, Math.min(count, rank) - 1)];
    }

    long min() {
        return percentile(Double.MIN_VALUE);
    }

    long max() {
        return percentile(100);
    }

    /** "p50 p95 min max" in {@code unit} ("ms" or "us") with {@code name} left of it. */
    String row(String name, String unit) {
        if (count == 0) return String.format(Locale.ROOT, "%-44s %10s", name, "(none)");
        double div = unit.equals("ms") ? 1e6 : 1e3;
        String f = unit.equals("ms") ? "%10.2f" : "%10.1f";
        return String.format(Locale.ROOT, "%-44s " + f + " " + f + " " + f + " " + f + "  %s  (n=%d)", name,
                percentile(50) / div, percentile(95) / div, min() / div, max() / div, unit, count);
    }

    static String header() {
        return String.format(Locale.ROOT, "%-44s %10s %10s %10s %10s", "", "p50", "p95", "min", "max");
    }
}
