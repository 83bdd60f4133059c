package dev.kiln.bench;

import dev.kiln.build.KilnHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Entry point of {@code ./kiln bench [--quick] [JMH options] [regex]}: runs the JMH benchmarks
 * of this package, prints a summary table and writes JMH's JSON to target/bench-results.json.
 * Two harnesses that are not JMH benchmarks (a sample changes the engine's state) are
 * subcommands: {@code ./kiln bench reload} ({@link ReloadBench}) and
 * {@code ./kiln bench fault-frame} ({@link FaultFrameBench}).
 *
 * <p>Every standard JMH option passes through (a benchmark regex, {@code -p name=value},
 * {@code -prof gc}, {@code -f}, {@code -i}, ...); an option not given gets the defaults below,
 * which are modest on purpose: the benchmark machine has two cores shared with other builds.
 */
public final class BenchMain {
    /**
     * Defaults: 1 fork, 5 warmup + 5 measurement iterations of 1 s each. Five warmups, not
     * three: the engineStep benchmarks were still getting faster in warmup 3 (the JIT was still
     * compiling the barrier's decode/apply path), see docs/performance.md.
     */
    static final int FORKS = 1;
    static final int WARMUP_ITERATIONS = 5;
    static final int MEASUREMENT_ITERATIONS = 5;
    static final TimeValue ITERATION_TIME = TimeValue.seconds(1);
    /** --quick: a smoke run (1 warmup + 2 measurement iterations of 0.5 s), not for figures. */
    static final int QUICK_WARMUP_ITERATIONS = 1;
    static final int QUICK_MEASUREMENT_ITERATIONS = 2;
    static final TimeValue QUICK_ITERATION_TIME = TimeValue.milliseconds(500);
    /** A fixed heap, so GC sizing does not drift between runs and forks. */
    static final String[] FORK_JVM_ARGS = {"-Xms1g", "-Xmx1g"};

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("reload")) {
            ReloadBench.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("fault-frame")) {
            FaultFrameBench.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("rewind")) {
            RewindBench.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("inspector-cost")) {
            InspectorCostBench.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        boolean quick = Arrays.asList(args).contains("--quick");
        String[] jmhArgs = Arrays.stream(args).filter(a -> !a.equals("--quick")).toArray(String[]::new);
        CommandLineOptions cmd;
        try {
            cmd = new CommandLineOptions(jmhArgs);
        } catch (CommandLineOptionException e) {
            System.err.println("kiln bench: " + e.getMessage() + " (./kiln bench -h lists the options)");
            System.exit(2);
            return;
        }
        if (cmd.shouldHelp()) {
            System.out.println("usage: ./kiln bench [--quick] [JMH options] [benchmark regex]\n"
                    + "       ./kiln bench reload [options]       hot-reload latency and swap pause (-h for options)\n"
                    + "       ./kiln bench fault-frame [options]  cost of a contained fault (-h for options)\n"
                    + "       ./kiln bench inspector-cost         frame time with the inspector off, on, and a page connected\n"
                    + "       ./kiln bench rewind                 recording overhead and memory, rewind time (10k entities x 3 scripts)\n"
                    + "  --quick   smoke run: 1 warmup + 2 measurement iterations of 0.5 s (figures not comparable)\n"
                    + "JMH options follow.\n");
            cmd.showHelp();
            return;
        }
        if (cmd.shouldList() || cmd.shouldListWithParams()) {
            new Runner(cmd).list();
            return;
        }
        if (cmd.shouldListProfilers()) {
            cmd.listProfilers();
            return;
        }
        Path resultFile = KilnHome.locate().resolve("target/bench-results.json");
        Files.createDirectories(resultFile.getParent());
        try {
            Collection<RunResult> results = new Runner(withDefaults(cmd, quick, resultFile)).run();
            ResultTable.print(results, System.out);
            if (cmd.getResult().hasValue()) System.out.println("results: " + cmd.getResult().get());
            else System.out.println("results (JMH JSON): " + resultFile);
        } catch (NoBenchmarksException e) {
            System.err.println("kiln bench: no benchmark matches " + cmd.getIncludes() + " (./kiln bench -l lists them)");
            System.exit(2);
        } catch (RunnerException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            System.err.println("kiln bench: the run failed: " + cause);
            System.exit(1);
        }
    }

    /** {@code cmd} with our defaults filled in wherever the command line left a setting open. */
    static Options withDefaults(CommandLineOptions cmd, boolean quick, Path resultFile) {
        ChainedOptionsBuilder b = new OptionsBuilder().parent(cmd);
        int warmups = quick ? QUICK_WARMUP_ITERATIONS : WARMUP_ITERATIONS;
        int measurements = quick ? QUICK_MEASUREMENT_ITERATIONS : MEASUREMENT_ITERATIONS;
        TimeValue time = quick ? QUICK_ITERATION_TIME : ITERATION_TIME;
        // The comparison suite (CompareBench) takes ~15 min; it runs through ./kiln compare.
        if (cmd.getIncludes().isEmpty()) b.exclude("CompareBench");
        if (!cmd.getForkCount().hasValue()) b.forks(FORKS);
        if (!cmd.getWarmupIterations().hasValue()) b.warmupIterations(warmups);
        if (!cmd.getWarmupTime().hasValue()) b.warmupTime(time);
        if (!cmd.getMeasurementIterations().hasValue()) b.measurementIterations(measurements);
        if (!cmd.getMeasurementTime().hasValue()) b.measurementTime(time);
        if (!cmd.getResultFormat().hasValue()) b.resultFormat(ResultFormatType.JSON);
        if (!cmd.getResult().hasValue()) b.result(resultFile.toString());
        if (!cmd.shouldFailOnError().hasValue()) b.shouldFailOnError(true);
        // Appended to the JVM args the forks inherit from this JVM (-Dkiln.home, -Dkiln.zig,
        // --enable-native-access), which JMH passes on when no -jvmArgs is given.
        if (!cmd.getJvmArgsAppend().hasValue()) b.jvmArgsAppend(FORK_JVM_ARGS);
        return b.build();
    }
}
