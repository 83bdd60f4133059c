package dev.kiln.bench;

import dev.kiln.build.KilnHome;
import dev.kiln.build.ScriptCompiler;
import dev.kiln.engine.Engine;
import dev.kiln.engine.FrameStats;
import dev.kiln.reload.HotReloadManager;
import dev.kiln.reload.QuietPeriod;
import dev.kiln.reload.ReloadEvent;
import dev.kiln.script.ScriptInstance;
import dev.kiln.script.ScriptLibrary;
import dev.kiln.script.StateFields;
import dev.kiln.script.SwapResult;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code ./kiln bench reload}: save → new-code-running latency of hot reload, split into its
 * parts, and the frame pause the swap causes. Not JMH: one sample is one real save.
 *
 * <p>A script (reload_probe, written into target/kiln-bench-reload/) runs on {@code instances}
 * entities while the engine steps at {@code fps} frames per second on this thread, as a game
 * would. Each sample saves the file the way editors do (temp file renamed over it), alternating
 * two versions whose State layouts differ (a field added/removed, one converted f32 ↔ f64, so
 * migration does real work); a {@code revision} constant that changes every time and a
 * {@code run} constant unique to this run make the content hash change, so every sample is a
 * real Zig build, never a hit in the build dir's output cache (checked: the library swapped in
 * must have been written after the save). The
 * sample ends in the frame whose boundary swapped the library in; the next frames must see the
 * new revision in the instances' State, or the run fails.
 *
 * <p>Parts, from the moment the harness renamed the file ({@code write}):
 * watcher (write → change noticed), debounce (noticed → build started), build (zig), load
 * (ELF/ABI checks, off the frame thread), wait (until the next frame boundary), migrate
 * (health check, dry-run init, State migration of every instance) and swap (pointers switched,
 * old library closed). {@code noticed} is not exposed by the manager; it is derived as
 * (time the Reloaded event arrived − its savedToRunningNanos).
 */
public final class ReloadBench {
    static final String SCRIPT = "reload_probe";
    /** Unique per run: without it, revision N of an earlier run would be an output-cache hit. */
    static final long RUN_ID = System.currentTimeMillis();

    /** Version A: x_sum as f32, no bonus. */
    static final String VERSION_A = """
            //! Hot-reload benchmark probe, version A (written by ReloadBench; do not edit).
            const kiln = @import("kiln");
            const run: u64 = %d;
            const revision: u32 = %d;
            pub const State = struct { x_sum: f32 = 0, updates: u32 = 0, revision_seen: u32 = 0 };
            pub fn update(self: *State, ctx: *kiln.Context) !void {
                const position = try ctx.getPosition(ctx.entity);
                self.x_sum += position.x;
                self.updates += 1;
                self.revision_seen = revision;
            }
            """;

    /** Version B: fields reordered, x_sum widened to f64, bonus added. */
    static final String VERSION_B = """
            //! Hot-reload benchmark probe, version B (written by ReloadBench; do not edit).
            const kiln = @import("kiln");
            const run: u64 = %d;
            const revision: u32 = %d;
            pub const State = struct { revision_seen: u32 = 0, bonus: i32 = 42, updates: u32 = 0, x_sum: f64 = 0 };
            pub fn update(self: *State, ctx: *kiln.Context) !void {
                const position = try ctx.getPosition(ctx.entity);
                self.x_sum += position.x;
                self.updates += 1;
                self.revision_seen = revision;
            }
            """;

    /** Longest one sample may take (a cold Zig cache builds in ~10 s). */
    static final Duration SAMPLE_TIMEOUT = Duration.ofSeconds(120);
    /** Unpaced frames run first, so the frame loop is JIT-compiled before anything is measured. */
    static final int JIT_WARMUP_FRAMES = 2_000;
    /** Frames right after a swap frame that do not count as normal frames. */
    static final int FRAMES_SETTLING_AFTER_SWAP = 2;
    /** File mtimes and currentTimeMillis may disagree by a tick. */
    static final long CLOCK_SLACK_MILLIS = 20;

    private record Options(int samples, int warmupSamples, int instances, List<Integer> instanceCounts, int fps,
                           int gapFrames, QuietPeriod quiet, ScriptCompiler.Mode mode) {
        /** The same options for one run with {@code count} instances. */
        Options withInstances(int count) {
            return new Options(samples, warmupSamples, count, instanceCounts, fps, gapFrames, quiet, mode);
        }

        static Options parse(String[] args) {
            BenchArgs o = BenchArgs.parse(args, USAGE, Set.of("--samples", "--warmup", "--instances",
                    "--fps", "--gap-frames", "--debounce-ms", "--mode"));
            int samples = o.integer("--samples", 30), warmup = o.integer("--warmup", 2);
            List<Integer> counts = new ArrayList<>();
            for (String c : o.text("--instances", "10000,1").split(",")) counts.add(Integer.parseInt(c.strip()));
            int instances = counts.stream().mapToInt(Integer::intValue).min().orElse(0), fps = o.integer("--fps", 60);
            int gap = o.integer("--gap-frames", 20);
            long debounceMillis = o.longValue("--debounce-ms", -1);
            ScriptCompiler.Mode mode = o.mode(ScriptCompiler.Mode.DEVELOPMENT);
            if (samples < 1 || instances < 1 || fps < 1 || gap < FRAMES_SETTLING_AFTER_SWAP + 1) {
                throw new IllegalArgumentException("need samples ≥ 1, instances ≥ 1, fps ≥ 1, gap-frames ≥ "
                        + (FRAMES_SETTLING_AFTER_SWAP + 1));
            }
            QuietPeriod quiet = debounceMillis < 0 ? QuietPeriod.settleDetection()
                    : QuietPeriod.fixed(Duration.ofMillis(debounceMillis));
            return new Options(samples, warmup, counts.getFirst(), List.copyOf(counts), fps, gap, quiet, mode);
        }
    }

    static final String USAGE = """
            usage: ./kiln bench reload [--samples 30] [--warmup 2] [--instances 10000,1] [--fps 60]
                                       [--gap-frames 20] [--debounce-ms N] [--mode DEVELOPMENT]
              Saves a script --warmup + --samples times while the engine runs; prints save → new code
              running latency split into watcher, settle, build, load, wait, migrate, swap (p50/p95)
              and the pause of the frame that swaps vs normal frames, for body-only edits and for
              State-layout edits (every other save changes the layout), once per instance count.""";

    private final Options options;
    /** The {@code run} constant of this run's sources. */
    private final long run;
    private final Path file;
    private final Engine engine;
    private final BenchLog log = new BenchLog();
    private final ConcurrentLinkedQueue<Timed> events = new ConcurrentLinkedQueue<>();
    private final long frameNanos;
    private long nextFrameAt;
    /** Written by the frame-boundary tasks around the manager's (frame thread only). */
    private long boundaryStart;
    private long boundaryEnd;
    /**
     * The frame thread's CPU time at the same two points (ThreadMXBean): the task's own work,
     * without the time the thread waited for a core on a loaded machine.
     */
    private long boundaryStartCpu;
    private long boundaryEndCpu;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** The harness (frame) thread's CPU time in the last engine.step. */
    private long lastFrameCpu;
    /** The JVM's first reload, when the swap path has never run (a warmup sample unless --warmup 0). */
    private Sample first;
    private HotReloadManager reloads;

    private record Timed(ReloadEvent event, long atNanos) {}

    /** One sample's measurements, in nanoseconds. */
    private record Sample(long total, long watcher, long debounce, long build, long load, long boundaryWait, long migrate,
                          long swap, long savedToRunning, long boundaryTask, long boundaryTaskCpu, FrameStats swapFrame,
                          long swapFrameCpu, boolean layout,
                          SwapResult.Parts parts) {}

    private ReloadBench(Options options, Path file, Engine engine, long run) {
        this.options = options;
        this.run = run;
        this.file = file;
        this.engine = engine;
        this.frameNanos = 1_000_000_000L / options.fps();
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("kiln bench reload: " + e.getMessage() + "\n" + USAGE);
            System.exit(2);
            return;
        }
        Path dir = KilnHome.locate().resolve("target/kiln-bench-reload");
        Files.createDirectories(dir);
        Path file = dir.resolve(SCRIPT + ".zig");
        for (int runIndex = 0; runIndex < options.instanceCounts().size(); runIndex++) {
            Options one = options.withInstances(options.instanceCounts().get(runIndex));
            long run = RUN_ID * 10 + runIndex; // each run's revisions are new content, never a cache hit
            Files.writeString(file, VERSION_A.formatted(run, 0));
            BenchLog log = new BenchLog();
            try (Engine engine = BenchScripts.newEngine(one.mode(), log)) {
                new ReloadBench(one, file, engine, run).run(log);
            }
        }
    }

    private void run(BenchLog engineLog) throws Exception {
        BenchScripts.loadFile(engine, file);
        List<ScriptInstance> probes = new ArrayList<>();
        for (long e : BenchScripts.spawnGrid(engine.world(), options.instances())) {
            probes.add(engine.scripts().attach(e, SCRIPT, 0, null));
        }
        engine.step(BenchScripts.FRAME_SECONDS);
        for (int i = 0; i < JIT_WARMUP_FRAMES; i++) engine.step(BenchScripts.FRAME_SECONDS);
        engineLog.requireQuiet("reload bench setup");

        engine.addFrameBoundaryTask(() -> { // before the manager's task
            boundaryStart = System.nanoTime();
            boundaryStartCpu = THREADS.getCurrentThreadCpuTime();
        });
        try (HotReloadManager manager = new HotReloadManager(engine, options.quiet(),
                e -> events.add(new Timed(e, System.nanoTime())))) {
            reloads = manager;
            engine.addFrameBoundaryTask(() -> { // after it
                boundaryEndCpu = THREADS.getCurrentThreadCpuTime();
                boundaryEnd = System.nanoTime();
            });
            reloads.watchSources();
            awaitWarm();
            Samples normalFrames = new Samples(), normalFramesCpu = new Samples();
            List<Sample> samples = new ArrayList<>();
            nextFrameAt = System.nanoTime();
            int total = options.warmupSamples() + options.samples();
            for (int revision = 1; revision <= total; revision++) {
                for (int f = 0; f < options.gapFrames(); f++) {
                    FrameStats stats = stepPaced();
                    if (revision > options.warmupSamples() && f >= FRAMES_SETTLING_AFTER_SWAP) {
                        normalFrames.add(stats.totalNanos());
                        normalFramesCpu.add(lastFrameCpu);
                    }
                }
                Sample s = sample(revision, probes);
                if (revision > options.warmupSamples()) samples.add(s);
                if (revision == 1) first = s;
            }
            engineLog.requireQuiet("reload bench");
            System.out.printf(Locale.ROOT, "%nHot reload of %s: %d samples (+%d warmup), %d instances, %d fps, quiet %d ms"
                            + " after a write / %d ms after a rename, %s%n", SCRIPT, samples.size(), options.warmupSamples(),
                    options.instances(), options.fps(), options.quiet().afterWrite().toMillis(),
                    options.quiet().afterRename().toMillis(), options.mode());
            report("body-only edits (State layout unchanged)", samples.stream().filter(s -> !s.layout()).toList(),
                    normalFrames, normalFramesCpu);
            report("State-layout edits (fields added/removed/reordered, one f32 ↔ f64)",
                    samples.stream().filter(Sample::layout).toList(), normalFrames,
                    normalFramesCpu);
            System.out.printf(Locale.ROOT, "%nfirst reload in this JVM (%s): total %.1f ms (build %.1f, migrate %.1f, swap %.1f),"
                            + " swap frame %.1f ms%n", first.layout() ? "a layout edit" : "a body edit", first.total() / 1e6,
                    first.build() / 1e6, first.migrate() / 1e6, first.swap() / 1e6, first.swapFrame().totalNanos() / 1e6);
            long[] byPart = partsOf(first);
            StringBuilder parts = new StringBuilder("  its swap's parts, us:");
            for (int k = 0; k < SWAP_PARTS.length; k++) parts.append(String.format(Locale.ROOT, " %s %.0f;", SWAP_PARTS[k], byPart[k] / 1e3));
            System.out.println(parts);
        }
    }

    /** Longest the wait for the compiler's warm-up may take before the first sample. */
    static final Duration WARM_UP_TIMEOUT = Duration.ofSeconds(60);
    /**
     * The first save comes at least this long after watching started, as a user's would: the
     * swap warm-up (a background thread started with watching, ≈ 1 s of CPU under load) has
     * ended by then instead of competing with the first build.
     */
    static final Duration FIRST_SAVE_AFTER = Duration.ofSeconds(3);

    /**
     * Steps frames until the warm compiler has answered its priming update, the swap warm-up
     * (loops compiled, swaps rehearsed: {@link HotReloadManager#swapWarmUp}) has ended and
     * {@link #FIRST_SAVE_AFTER} has passed (what a user's first save finds a few seconds after
     * start-up), so the first sample measures a warm first reload, not a save racing the
     * start-up. Other modes keep no compiler and start no warm-up of it: only the swap warm-up.
     */
    private void awaitWarm() {
        long deadline = System.nanoTime() + WARM_UP_TIMEOUT.toNanos();
        long start = System.nanoTime();
        nextFrameAt = start;
        boolean development = options.mode() == ScriptCompiler.Mode.DEVELOPMENT;
        long swapWarm = 0;
        while ((development && engine.compiler().warmCompiler(file).map(w -> w.updates() < 2).orElse(true))
                || !reloads.swapWarmUp(SCRIPT).isDone()
                || (development && System.nanoTime() - start < FIRST_SAVE_AFTER.toNanos())) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("not warm in " + WARM_UP_TIMEOUT);
            if (swapWarm == 0 && reloads.swapWarmUp(SCRIPT).isDone()) swapWarm = System.nanoTime() - start;
            stepPaced();
        }
        if (swapWarm == 0) swapWarm = System.nanoTime() - start;
        System.out.printf(Locale.ROOT, "warm compiler primed, swap warm-up done %.0f ms after watching started;"
                + " first save %.0f ms after it%n", swapWarm / 1e6, (System.nanoTime() - start) / 1e6);
    }

    private FrameStats stepPaced() {
        long now = System.nanoTime();
        if (now < nextFrameAt) LockSupport.parkNanos(nextFrameAt - now);
        nextFrameAt = Math.max(nextFrameAt + frameNanos, System.nanoTime() - frameNanos); // no catch-up burst
        long cpu = THREADS.getCurrentThreadCpuTime();
        FrameStats stats = engine.step(BenchScripts.FRAME_SECONDS);
        lastFrameCpu = THREADS.getCurrentThreadCpuTime() - cpu;
        return stats;
    }

    /**
     * The layout revision {@code revision} has: B for 1, 2, A for 3, 4, B for 5, 6, ... from A at
     * 0, so odd revisions change the State layout and even ones only the code.
     */
    static boolean layoutOf(int revision) {
        return ((revision + 1) / 2) % 2 == 1;
    }

    static boolean changesLayout(int revision) {
        return layoutOf(revision) != layoutOf(revision - 1);
    }

    /** Saves revision {@code revision} and runs frames until it is swapped in; checks it runs. */
    private Sample sample(int revision, List<ScriptInstance> probes) throws IOException {
        events.clear();
        String source = (layoutOf(revision) ? VERSION_B : VERSION_A).formatted(run, revision);
        Path temp = file.resolveSibling("." + file.getFileName() + ".swp");
        Files.writeString(temp, source);
        long writeMillis = System.currentTimeMillis();
        long write = System.nanoTime();
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        long deadline = write + SAMPLE_TIMEOUT.toNanos();
        // The swap frame is the one whose boundary put a new library in (seen here, on the frame
        // thread); the Reloaded event comes from the manager's reporting thread, a frame or so later.
        ScriptLibrary before = engine.scripts().library(SCRIPT);
        FrameStats swapFrame = null;
        long swapFrameCpu = 0;
        long[] swapBoundary = null; // the swap frame's manager task: {start, end, CPU time}
        while (true) {
            FrameStats stats = stepPaced();
            if (swapFrame == null && engine.scripts().library(SCRIPT) != before) {
                swapFrame = stats;
                swapFrameCpu = lastFrameCpu;
                swapBoundary = new long[] {boundaryStart, boundaryEnd, boundaryEndCpu - boundaryStartCpu};
                requireRunning(revision, probes);
            }
            Timed reloaded = null;
            Timed buildStarted = null;
            for (Timed t : events) {
                switch (t.event()) {
                    case ReloadEvent.BuildStarted _ -> buildStarted = t;
                    case ReloadEvent.Reloaded _ -> reloaded = t;
                    case ReloadEvent.Unchanged _ -> throw new IllegalStateException("revision " + revision
                            + " built as unchanged: the content hash did not change");
                    default -> throw new IllegalStateException("revision " + revision + ": " + t.event());
                }
            }
            if (reloaded != null) {
                if (buildStarted == null) throw new IllegalStateException("Reloaded without BuildStarted");
                if (swapFrame == null) throw new IllegalStateException("Reloaded, but no frame swapped the library");
                requireFreshBuild(revision, writeMillis);
                return measure(write, buildStarted, reloaded, swapFrame, swapFrameCpu, swapBoundary, changesLayout(revision));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("revision " + revision + " not running after " + SAMPLE_TIMEOUT);
            }
        }
    }

    /** The library now running was built after the save, not found in the output cache. */
    private void requireFreshBuild(int revision, long writeMillis) throws IOException {
        Path library = reloads.goodVersions(SCRIPT).getLast();
        long builtMillis = Files.getLastModifiedTime(library).toMillis();
        if (builtMillis < writeMillis - CLOCK_SLACK_MILLIS) {
            throw new IllegalStateException("revision " + revision + " was not rebuilt: " + library
                    + " is older than the save (an output-cache hit would measure no build)");
        }
    }

    /** The frame that swapped already ran the new code: every instance saw the new revision. */
    private static void requireRunning(int revision, List<ScriptInstance> probes) {
        for (ScriptInstance p : List.of(probes.getFirst(), probes.getLast())) {
            Object seen = StateFields.read(p, "revision_seen");
            if (!Long.valueOf(revision).equals(seen)) {
                throw new IllegalStateException(p + " saw revision " + seen + " after the swap, expected " + revision);
            }
        }
    }

    /**
     * One sample's parts. The swap ended at the end of the manager's frame-boundary task in the
     * swap frame ({@code boundary}: its start and end, then its CPU time): save → running ends
     * there, not when the event was reported.
     */
    private Sample measure(long write, Timed buildStarted, Timed reloadedAt, FrameStats swapFrame, long swapFrameCpu,
                           long[] boundary, boolean layout) {
        ReloadEvent.Reloaded r = (ReloadEvent.Reloaded) reloadedAt.event();
        if (!r.swap().ok() || r.swap().instances() != options.instances()) {
            throw new IllegalStateException("swap: " + r.swap());
        }
        long swapped = boundary[1];
        long noticed = swapped - r.savedToRunningNanos();
        long loaded = buildStarted.atNanos() + r.buildNanos() + r.loadNanos();
        return new Sample(swapped - write, noticed - write, buildStarted.atNanos() - noticed,
                r.buildNanos(), r.loadNanos(), boundary[0] - loaded, r.swap().migrateNanos(), r.swap().swapNanos(),
                r.savedToRunningNanos(), boundary[1] - boundary[0], boundary[2], swapFrame, swapFrameCpu,
                layout, r.swap().parts());
    }

    private void report(String kind, List<Sample> samples, Samples normalFrames, Samples normalFramesCpu) {
        Samples total = new Samples(), watcher = new Samples(), debounce = new Samples(), build = new Samples(),
                load = new Samples(), wait = new Samples(), migrate = new Samples(), swap = new Samples(),
                savedToRunning = new Samples(), boundary = new Samples(), boundaryCpu = new Samples(), swapFrame = new Samples(),
                pauseCpu = new Samples(),
                swapFramePre = new Samples(), swapFrameUpdate = new Samples(), pause = new Samples();
        Samples[] parts = new Samples[SWAP_PARTS.length];
        for (int k = 0; k < parts.length; k++) parts[k] = new Samples();
        long normalMedian = normalFrames.percentile(50);
        long normalCpuMedian = normalFramesCpu.percentile(50);
        for (Sample s : samples) {
            total.add(s.total());
            watcher.add(s.watcher());
            debounce.add(s.debounce());
            build.add(s.build());
            load.add(s.load());
            wait.add(s.boundaryWait());
            migrate.add(s.migrate());
            swap.add(s.swap());
            savedToRunning.add(s.savedToRunning());
            boundary.add(s.boundaryTask());
            boundaryCpu.add(s.boundaryTaskCpu());
            pauseCpu.add(s.swapFrameCpu() - normalCpuMedian);
            swapFrame.add(s.swapFrame().totalNanos());
            swapFramePre.add(s.swapFrame().phaseNanos()[0]);
            swapFrameUpdate.add(s.swapFrame().phaseNanos()[1]);
            pause.add(s.swapFrame().totalNanos() - normalMedian);
            long[] byPart = partsOf(s);
            for (int k = 0; k < parts.length; k++) parts[k].add(byPart[k]);
        }
        System.out.println();
        System.out.println("== " + kind + ", " + options.instances() + " instances, " + samples.size() + " samples");
        System.out.println("save → new code running (harness rename → swap done)");
        System.out.println(Samples.header());
        System.out.println(total.row("total", "ms"));
        System.out.println(watcher.row("  watch event (rename → change noticed)", "ms"));
        System.out.println(debounce.row("  settle (noticed → build started)", "ms"));
        System.out.println(build.row("  build (zig build-lib, " + options.mode() + ")", "ms"));
        System.out.println(load.row("  load (dlopen, ELF/ABI/exports checks)", "ms"));
        System.out.println(wait.row("  wait for the next frame boundary", "ms"));
        System.out.println(migrate.row("  migrate (health, dry-run init, States)", "ms"));
        System.out.println(swap.row("  swap (switch, close old library)", "ms"));
        System.out.println(savedToRunning.row("manager's savedToRunningNanos (from noticed)", "ms"));
        System.out.println();
        System.out.println("frames (FrameStats.totalNanos; the swap runs inside the frame it delays)");
        System.out.println(Samples.header());
        System.out.println(normalFrames.row("normal frame", "us"));
        System.out.println(normalFramesCpu.row("normal frame, the frame thread's CPU time (step)", "us"));
        System.out.println(swapFrame.row("swap frame", "us"));
        System.out.println(pause.row("  pause: swap frame − median normal frame", "us"));
        System.out.println(boundary.row("  reload's frame-boundary task", "us"));
        System.out.println(pauseCpu.row("  pause in the frame thread's CPU time (swap − median normal)", "us"));
        System.out.println(boundaryCpu.row("  reload's frame-boundary task, CPU time", "us"));
        System.out.println(swapFramePre.row("  pre_update phase (phase tables rebuilt)", "us"));
        System.out.println(swapFrameUpdate.row("  update phase (first calls of the new code)", "us"));
        for (int k = 0; k < parts.length; k++) System.out.println(parts[k].row("  boundary task: " + SWAP_PARTS[k], "us"));
    }

    /** A sample's swap by part, nanoseconds, in the order of {@link #SWAP_PARTS}. */
    private static long[] partsOf(Sample s) {
        SwapResult.Parts p = s.parts();
        return new long[] {p.instances(), p.dryRun(), p.migrate(), p.unloadHook(), p.switchInstances(), p.relink(), p.close(),
                s.boundaryTask() - s.migrate() - s.swap()};
    }

    /** The swap's parts on the frame thread (SwapResult.Parts), then the boundary task's rest. */
    static final String[] SWAP_PARTS = {"instances in order", "health + dry-run init", "allocate + migrate States",
            "old version's unload hook", "switch instances", "relink phase tables", "close old library",
            "manager's bookkeeping (task − swap)"};
}
