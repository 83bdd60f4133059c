package dev.kiln.bench;

import dev.kiln.bench.compare.CompareBenchScale;
import dev.kiln.bench.compare.Workload;
import dev.kiln.build.KilnHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The data plane's targets (docs/performance.md, "The data plane"): met or missed, with the
 * ratio, from one {@code ./kiln compare} run's figures. CompareMain writes these under each
 * workload's table beside the comparison's first targets. "Stretch" marks the targets the
 * data plane is not closed without either meeting or explaining by a profile.
 */
public final class DataPlaneTargets {
    /** W5's frame target, µs. */
    static final double W5_FRAME_MICROS = 350;
    /** W6's frame target, µs: 200 libraries × 5 instances. */
    static final double W6_FRAME_MICROS = 100;
    /** The demo scene's average frame target, µs (inspector and watcher off). */
    static final double DEMO_FRAME_MICROS = 30;
    /** W7's memory target: resident bytes per entity beyond its State. */
    static final double W7_BYTES_PER_ENTITY = 256;
    /** W7's size. */
    static final int MILLION = 1_000_000;

    private DataPlaneTargets() {}

    /** The verdict lines for workload {@code w} (none when the rows they need are missing). */
    public static List<String> lines(Workload w, List<CompareMain.Row> rows) {
        List<String> out = new ArrayList<>();
        switch (w) {
            case W1 -> {
                CompareMain.Row kiln = find(rows, "kiln", 10_000);
                ratioAtMost(out, "W1 10k ≤ 3× the floor (stretch)", kiln, find(rows, "floor", 10_000), 3);
                fasterBy(out, "W1 10k ≥ 2× faster than Chicory", kiln, find(rows, "chicory", 10_000), 2);
                fasterBy(out, "W1 10k at least as fast as plain Java", kiln, find(rows, "java", 10_000), 1);
                ratioAtMost(out, "W1 100k ≤ 4× the floor (stretch)", find(rows, "kiln", 100_000),
                        find(rows, "floor", 100_000), 4);
            }
            case W2 -> fasterBy(out, "W2 ≥ 2× faster than Chicory (stretch)", find(rows, "kiln", null),
                    find(rows, "chicory", null), 2);
            case W3 -> fasterBy(out, "W3 ≥ 2× faster than Chicory", find(rows, "kiln", null),
                    find(rows, "chicory", null), 2);
            case W4 -> fasterBy(out, "W4 at least as fast as Chicory", find(rows, "kiln", null),
                    find(rows, "chicory", null), 1);
            case W5 -> {
                CompareMain.Row kiln = find(rows, "kiln", null);
                frameAtMost(out, "W5", kiln, W5_FRAME_MICROS);
                fasterBy(out, "W5 ≥ 1.5× faster than Chicory", kiln, find(rows, "chicory", null), 1.5);
            }
            case W6 -> frameAtMost(out, "W6 (200 libraries × 5 instances)", find(rows, "kiln", null), W6_FRAME_MICROS);
            case DEMO -> frameAtMost(out, "the demo scene (inspector and watcher off), on average",
                    find(rows, "kiln", null), DEMO_FRAME_MICROS);
            case W7 -> {
                CompareMain.Row kiln = find(rows, "kiln", MILLION);
                if (kiln != null) {
                    // CompareBenchScale.w7 fails the trial on a frame that applied fewer: a row means all.
                    out.add(verdict(true, "W7 1M: every request applied in every measured frame (checked per frame)"));
                }
                ratioAtMost(out, "W7 1M ≤ 12× the floor (stretch)", kiln, find(rows, "floor", MILLION), 12);
                Double bytes = kilnBytesPerEntity();
                if (kiln != null && bytes != null) {
                    out.add(verdict(bytes <= W7_BYTES_PER_ENTITY, String.format(Locale.ROOT,
                            "W7 1M resident memory ≤ %.0f bytes per entity beyond State (stretch): %.0f bytes",
                            W7_BYTES_PER_ENTITY, bytes)));
                }
            }
        }
        return out;
    }

    private static CompareMain.Row find(List<CompareMain.Row> rows, String impl, Integer n) {
        return rows.stream().filter(r -> r.impl().equals(impl) && (n == null || r.n() == n)).findFirst().orElse(null);
    }

    /** Kiln's time at most {@code most} × {@code other}'s. */
    private static void ratioAtMost(List<String> out, String what, CompareMain.Row kiln, CompareMain.Row other, double most) {
        if (kiln == null || other == null) return;
        double ratio = kiln.micros() / other.micros();
        out.add(verdict(ratio <= most, String.format(Locale.ROOT, "%s: %.1f×", what, ratio)));
    }

    /** Kiln at least {@code factor} × faster than {@code other} (other's time ÷ Kiln's). */
    private static void fasterBy(List<String> out, String what, CompareMain.Row kiln, CompareMain.Row other, double factor) {
        if (kiln == null || other == null) return;
        double ratio = other.micros() / kiln.micros();
        out.add(verdict(ratio >= factor, String.format(Locale.ROOT, "%s: %.2f× (%s ÷ Kiln's time)", what, ratio,
                other.impl())));
    }

    private static void frameAtMost(List<String> out, String what, CompareMain.Row kiln, double micros) {
        if (kiln == null) return;
        out.add(verdict(kiln.micros() <= micros, String.format(Locale.ROOT, "%s frame ≤ %.0f µs: %.1f µs", what, micros,
                kiln.micros())));
    }

    private static String verdict(boolean met, String text) {
        return (met ? "Target met — " : "**Target missed** — ") + text;
    }

    /** The last Kiln line of {@link CompareBenchScale#MEMORY_FILE} at 1M, or null. */
    static Double kilnBytesPerEntity() {
        Path file = memoryFile();
        if (!Files.isRegularFile(file)) return null;
        try {
            Double last = null;
            for (String line : Files.readAllLines(file)) {
                String[] f = line.trim().split(" ");
                if (f.length >= 3 && f[0].equals("kiln") && f[1].equals(Integer.toString(MILLION))) last = Double.parseDouble(f[2]);
            }
            return last;
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    static Path memoryFile() {
        return KilnHome.locate().resolve(CompareBenchScale.MEMORY_FILE);
    }
}
