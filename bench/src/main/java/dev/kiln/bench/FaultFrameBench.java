package dev.kiln.bench;

import dev.kiln.build.KilnHome;
import dev.kiln.build.ScriptCompiler;
import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.World;
import dev.kiln.engine.Engine;
import dev.kiln.engine.FrameStats;
import dev.kiln.script.LogEntry;
import dev.kiln.script.LogSink;
import dev.kiln.script.ScriptInstance;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code ./kiln bench fault-frame}: what one contained fault costs the frame it happens in.
 * {@code instances} instances of the SDK's test script faulty.zig (src/test/zig/faulty.zig: one
 * translate, one ScriptVars read per update) run under the fault guard; each round makes one of
 * them fault (ScriptVars "fault" = {@code kind}, 1 = @panic) and times, with FrameStats:
 *
 * <ul>
 *   <li>normal frames;
 *   <li>a control frame after a ScriptVars write that faults nothing (the fault is triggered by
 *       a var write, which republishes the vars table: this separates that cost out);
 *   <li>the fault frame: the batch call stops at the culprit, the guard reports it, the call
 *       resumes after it, the instance is disabled and the phase tables are rebuilt;
 *   <li>the frame after it;
 *   <li>the frame after re-enabling the instance: a phase-table rebuild without a fault.
 * </ul>
 * Not JMH: each fault changes the engine's state, so one fault frame is one sample.
 */
public final class FaultFrameBench {
    static final String SCRIPT = "faulty";
    /** Unpaced frames run first, so the frame loop is JIT-compiled before anything is measured. */
    static final int JIT_WARMUP_FRAMES = 2_000;

    static final String USAGE = """
            usage: ./kiln bench fault-frame [--rounds 30] [--warmup 5] [--instances 10000] [--kind 1]
                                            [--culprit-at 0.5] [--normal-frames 20] [--mode RELEASE_SAFE]
              --kind: faulty.zig's fault (1 @panic, 2 integer overflow, 5 SIGSEGV, 7 division by zero)
              --culprit-at: where in the batch the faulting instance sits (0 first … 1 last)""";

    private record Options(int rounds, int warmupRounds, int instances, long kind, double culpritAt,
                           int normalFrames, ScriptCompiler.Mode mode) {
        static Options parse(String[] args) {
            BenchArgs o = BenchArgs.parse(args, USAGE, Set.of("--rounds", "--warmup", "--instances",
                    "--kind", "--culprit-at", "--normal-frames", "--mode"));
            int rounds = o.integer("--rounds", 30), warmup = o.integer("--warmup", 5);
            int instances = o.integer("--instances", 10_000), normal = o.integer("--normal-frames", 20);
            long kind = o.longValue("--kind", 1);
            double culpritAt = o.decimal("--culprit-at", 0.5);
            ScriptCompiler.Mode mode = o.mode();
            if (rounds < 1 || instances < 2 || normal < 1 || !(culpritAt >= 0 && culpritAt <= 1)) {
                throw new IllegalArgumentException("need rounds ≥ 1, instances ≥ 2, normal-frames ≥ 1, 0 ≤ culprit-at ≤ 1");
            }
            if (kind == 0 || kind == 3 || kind == 6 || kind == 8) {
                throw new IllegalArgumentException("kind " + kind + " is not measured here (0 faults nothing, 3 needs"
                        + " another var, 6 hangs until the watchdog, 8 overflows the stack)");
            }
            return new Options(rounds, warmup, instances, kind, culpritAt, normal, mode);
        }
    }

    /** Counts the engine's reports, so every round can check it saw exactly one fault. */
    private static final class FaultLog implements LogSink {
        long faults;
        long others;
        LogEntry lastOther;

        @Override
        public void log(LogEntry entry) {
            if (entry.message().startsWith("fault contained")) faults++;
            else {
                others++;
                lastOther = entry;
            }
        }
    }

    private final Options options;
    private final Engine engine;
    private final FaultLog log;
    private final Samples normal = new Samples(), normalUpdatePhase = new Samples(), normalPostPhase = new Samples(), control = new Samples(), fault = new Samples(),
            faultUpdatePhase = new Samples(), faultPostPhase = new Samples(), reenabledPrePhase = new Samples(), after = new Samples(), reenabled = new Samples();
    /** The JVM's first contained fault, when the recovery path has never run (not in the samples). */
    private FrameStats firstFault;

    private FaultFrameBench(Options options, Engine engine, FaultLog log) {
        this.options = options;
        this.engine = engine;
        this.log = log;
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("kiln bench fault-frame: " + e.getMessage() + "\n" + USAGE);
            System.exit(2);
            return;
        }
        FaultLog log = new FaultLog();
        try (Engine engine = BenchScripts.newEngine(options.mode(), log, true)) {
            if (engine.scripts().faultGuard() == null) throw new IllegalStateException("the fault guard is not installed");
            new FaultFrameBench(options, engine, log).run();
        }
    }

    private void run() {
        Path source = KilnHome.locate().resolve("src/test/zig/" + SCRIPT + ".zig");
        BenchScripts.loadFile(engine, source);
        World world = engine.world();
        long[] entities = BenchScripts.spawnGrid(world, options.instances());
        List<ScriptInstance> instances = new ArrayList<>();
        for (long e : entities) instances.add(engine.scripts().attach(e, SCRIPT, 0, null));
        for (int i = 0; i <= JIT_WARMUP_FRAMES; i++) engine.step(BenchScripts.FRAME_SECONDS);
        requireFaults(0);

        int total = options.warmupRounds() + options.rounds();
        for (int round = 0; round < total; round++) {
            boolean measured = round >= options.warmupRounds();
            int culprit = (int) Math.round(options.culpritAt() * (options.instances() - 1));
            int bystander = (culprit + 1) % options.instances();
            for (int f = 0; f < options.normalFrames(); f++) {
                FrameStats stats = step();
                record(measured, normal, stats);
                if (measured) {
                    normalUpdatePhase.add(stats.phaseNanos()[1]);
                    normalPostPhase.add(stats.phaseNanos()[2]);
                }
            }

            world.setVar(entities[bystander], "fault", new VarValue.I64(0)); // a var write, no fault
            record(measured, control, step());

            world.setVar(entities[culprit], "fault", new VarValue.I64(options.kind()));
            FrameStats faultFrame = step();
            record(measured, fault, faultFrame);
            if (round == 0) firstFault = faultFrame;
            if (measured) {
                faultUpdatePhase.add(faultFrame.phaseNanos()[1]);
                faultPostPhase.add(faultFrame.phaseNanos()[2]);
            }
            requireFaults(round + 1);
            ScriptInstance faulted = instances.get(culprit);
            if (faulted.enabled() || faulted.fault() == null) throw new IllegalStateException(faulted + " did not fault");
            if (faultFrame.scriptInstances() != options.instances()) throw new IllegalStateException(faultFrame.summary());
            record(measured, after, step());

            world.setVar(entities[culprit], "fault", new VarValue.I64(0));
            engine.scripts().setEnabled(faulted, true);
            FrameStats rebuilt = step();
            record(measured, reenabled, rebuilt);
            if (measured) reenabledPrePhase.add(rebuilt.phaseNanos()[0]);
        }
        requireFaults(total);
        report();
    }

    private FrameStats step() {
        return engine.step(BenchScripts.FRAME_SECONDS);
    }

    private static void record(boolean measured, Samples into, FrameStats stats) {
        if (measured) into.add(stats.totalNanos());
    }

    private void requireFaults(long expected) {
        if (log.faults != expected || log.others != 0) {
            throw new IllegalStateException("expected " + expected + " contained faults and nothing else logged; got "
                    + log.faults + " faults, " + log.others + " other lines" + (log.lastOther == null ? ""
                    : ", last: " + log.lastOther));
        }
    }

    private void report() {
        long normalMedian = normal.percentile(50);
        System.out.printf(Locale.ROOT, "%nContained fault (kind %d) in one of %d instances of %s, at batch position %d:"
                        + " %d rounds (+%d warmup), %s%n%n", options.kind(), options.instances(), SCRIPT,
                Math.round(options.culpritAt() * (options.instances() - 1)), options.rounds(), options.warmupRounds(),
                options.mode());
        System.out.println("frames (FrameStats.totalNanos)");
        System.out.println(Samples.header());
        System.out.println(normal.row("normal frame", "us"));
        System.out.println(normalUpdatePhase.row("  its update phase", "us"));
        System.out.println(normalPostPhase.row("  its post_update phase", "us"));
        System.out.println(control.row("after a ScriptVars write (no fault)", "us"));
        System.out.println(fault.row("fault frame", "us"));
        System.out.println(faultUpdatePhase.row("  its update phase (calls + recovery)", "us"));
        System.out.println(faultPostPhase.row("  its post_update phase (phase tables rebuilt)", "us"));
        System.out.println(after.row("frame after the fault", "us"));
        System.out.println(reenabled.row("after re-enabling it (phase-table rebuild)", "us"));
        System.out.println(reenabledPrePhase.row("  its pre_update phase (phase tables rebuilt)", "us"));
        System.out.printf(Locale.ROOT, "%nfault frame − median normal frame: p50 %.1f us, p95 %.1f us%n",
                (fault.percentile(50) - normalMedian) / 1e3, (fault.percentile(95) - normalMedian) / 1e3);
        System.out.printf(Locale.ROOT, "rebuild frame − median normal frame: p50 %.1f us%n",
                (reenabled.percentile(50) - normalMedian) / 1e3);
        System.out.printf(Locale.ROOT, "first fault in this JVM (warmup round 1, not in the samples): frame %.1f us,"
                + " update phase %.1f us%n", firstFault.totalNanos() / 1e3, firstFault.phaseNanos()[1] / 1e3);
    }
}
