package dev.kiln;

import java.time.Duration;
import java.util.Map;

/**
 * A number as the docs write it — "32,768", "8 MiB", "4 Mi", "500 ms", "5 minutes", "3 %" —
 * compared with a constant of the code: a count or byte size (int, long), a Duration, or a
 * fraction (double, written as a percentage).
 */
final class Quantity {
    /**
     * A stated number and its unit as two groups; no letter or further digit may follow, so "16k"
     * is not read as 16.
     */
    static final String PATTERN =
            "(-?\\d[\\d,]*(?:\\.\\d+)?)(?: ?(KiB|MiB|GiB|Ki|Mi|ms|µs|s|seconds?|minutes?|%))?(?!\\w|[.,]\\d)";

    private static final Map<String, Long> FACTORS = Map.ofEntries(
            Map.entry("KiB", 1L << 10), Map.entry("MiB", 1L << 20), Map.entry("GiB", 1L << 30),
            Map.entry("Ki", 1L << 10), Map.entry("Mi", 1L << 20));
    private static final Map<String, Duration> TIME_UNITS = Map.of(
            "µs", Duration.ofNanos(1_000), "ms", Duration.ofMillis(1), "s", Duration.ofSeconds(1),
            "second", Duration.ofSeconds(1), "seconds", Duration.ofSeconds(1),
            "minute", Duration.ofMinutes(1), "minutes", Duration.ofMinutes(1));

    private Quantity() {}

    /** Whether {@code stated} ("8 MiB", "2 s", "3 %", "1024") is {@code value}. */
    static boolean matches(Object value, String stated) {
        String[] parts = stated.strip().split(" ", 2);
        String number = parts[0].replace(",", "");
        String unit = parts.length == 2 ? parts[1] : "";
        if (value instanceof Duration d) {
            Duration per = TIME_UNITS.get(unit);
            return per != null && d.toNanos() == Math.round(Double.parseDouble(number) * per.toNanos());
        }
        if (value instanceof Double || value instanceof Float) {
            double v = ((Number) value).doubleValue();
            double n = Double.parseDouble(number);
            return unit.equals("%") ? Math.abs(v * 100 - n) < 1e-9 : unit.isEmpty() && v == n;
        }
        if (value instanceof Number n) {
            if (TIME_UNITS.containsKey(unit) || unit.equals("%")) return false;
            long factor = unit.isEmpty() ? 1 : FACTORS.get(unit);
            return n.longValue() == Math.round(Double.parseDouble(number) * factor);
        }
        return false;
    }
}
