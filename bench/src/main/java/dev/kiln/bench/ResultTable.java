package dev.kiln.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * The summary table BenchMain prints: one row per benchmark and parameter set, every score also
 * converted to nanoseconds per op (per update or per request), the allocation per op when run
 * with {@code -prof gc}, and the engine's share (engineStep − downcallOnly) for benchmarks
 * that measure both.
 */
final class ResultTable {
    private static final String DOWNCALL = "downcallOnly";
    private static final String STEP = "engineStep";
    private static final String ALLOC_NORM = "gc.alloc.rate.norm";

    private ResultTable() {}

    static void print(Collection<RunResult> results, PrintStream out) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Benchmark", "Params", "Score", "± Error", "Unit", "ns/op", "alloc B/op"});
        Map<String, Double> nanosByKey = new LinkedHashMap<>();
        for (RunResult r : results) {
            Result<?> primary = r.getPrimaryResult();
            double nanos = nanosPerOp(primary);
            nanosByKey.put(name(r.getParams()) + "|" + params(r.getParams()), nanos);
            rows.add(new String[] {name(r.getParams()), params(r.getParams()), number(primary.getScore()),
                    number(primary.getScoreError()), primary.getScoreUnit(), number(nanos), allocPerOp(r)});
        }
        out.println();
        out.println("Kiln benchmarks (ns/op: per script update, per request, or per frame, as each benchmark says)");
        printAligned(rows, out);
        printEngineShare(nanosByKey, out);
    }

    /** engineStep − downcallOnly per parameter set: what the Java side adds to each op. */
    private static void printEngineShare(Map<String, Double> nanosByKey, PrintStream out) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Engine share (engineStep − downcallOnly)", "Params", "ns/op", "ops/s"});
        for (var e : nanosByKey.entrySet()) {
            String[] key = e.getKey().split("\\|", -1);
            if (!key[0].endsWith("." + STEP)) continue;
            String classPart = key[0].substring(0, key[0].length() - STEP.length());
            Double downcall = nanosByKey.get(classPart + DOWNCALL + "|" + key[1]);
            if (downcall == null) continue;
            double share = e.getValue() - downcall;
            String benchmarkClass = classPart.substring(0, classPart.length() - 1);
            rows.add(new String[] {benchmarkClass, key[1], number(share), number(1e9 / share)});
        }
        if (rows.size() == 1) return;
        out.println();
        printAligned(rows, out);
    }

    private static String name(BenchmarkParams p) {
        String full = p.getBenchmark();
        int method = full.lastIndexOf('.');
        int type = full.lastIndexOf('.', method - 1);
        return full.substring(type + 1);
    }

    private static String params(BenchmarkParams p) {
        List<String> parts = new ArrayList<>();
        for (String key : p.getParamsKeys()) parts.add(key + "=" + p.getParam(key));
        return String.join(" ", parts);
    }

    /** Nanoseconds per op from a time-per-op or an ops-per-time score. */
    static double nanosPerOp(Result<?> result) {
        String unit = result.getScoreUnit();
        if (unit.startsWith("ops/")) return nanosOf(unit.substring(4)) / result.getScore();
        if (unit.endsWith("/op")) return result.getScore() * nanosOf(unit.substring(0, unit.length() - 3));
        return Double.NaN;
    }

    private static double nanosOf(String timeUnit) {
        return switch (timeUnit) {
            case "ns" -> 1;
            case "us" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "min" -> 60e9;
            default -> Double.NaN;
        };
    }

    private static String allocPerOp(RunResult r) {
        for (var e : r.getSecondaryResults().entrySet()) {
            if (e.getKey().endsWith(ALLOC_NORM)) return number(e.getValue().getScore());
        }
        return "";
    }

    private static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return "";
        double a = Math.abs(v);
        String format = a >= 1000 ? "%,.0f" : a >= 10 ? "%.1f" : a >= 0.1 ? "%.3f" : "%.4f";
        return String.format(Locale.ROOT, format, v);
    }

    private static void printAligned(List<String[]> rows, PrintStream out) {
        int columns = rows.getFirst().length;
        int[] width = new int[columns];
        for (String[] row : rows) for (int c = 0; c < columns; c++) width[c] = Math.max(width[c], row[c].length());
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                // Text columns left-aligned, numbers right-aligned.
                boolean text = c < 2 || row == rows.getFirst() || c == 4;
                String cell = text ? pad(row[c], width[c], false) : pad(row[c], width[c], true);
                line.append(cell).append(c + 1 < columns ? "  " : "");
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static String pad(String s, int width, boolean left) {
        String fill = " ".repeat(width - s.length());
        return left ? fill + s : s + fill;
    }
}
