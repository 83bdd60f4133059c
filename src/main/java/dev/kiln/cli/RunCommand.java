package dev.kiln.cli;

import dev.kiln.engine.Engine;
import dev.kiln.engine.EngineOptions;
import dev.kiln.engine.FrameStats;
import dev.kiln.inspector.InspectorServer;
import dev.kiln.inspector.LogRing;
import dev.kiln.reload.HotReloadManager;
import dev.kiln.reload.QuietPeriod;
import dev.kiln.reload.ReloadReport;
import dev.kiln.rewind.Recording;
import dev.kiln.rewind.RecordingFile;
import dev.kiln.scene.LoadedScene;
import dev.kiln.scene.Scene;
import dev.kiln.scene.SceneException;
import dev.kiln.scene.SceneLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `kiln run <scene>`: runs a scene headless for N frames, or in real time until Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a scene: headless for --frames N as fast as possible, or in real time until Ctrl-C.")
final class RunCommand extends VerboseCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "Scene file (JSON).")
    Path scene;

    @Option(names = "--frames", defaultValue = "0", description = "Run this many frames as fast as possible, then stop (0: real time until Ctrl-C).")
    int frames;

    @Option(names = "--dt", description = "Seconds per frame (default: the scene's settings.fixed_dt).")
    Double dt;

    @Option(names = "--summary-every", defaultValue = "60", description = "Print a frame summary every N frames (default: ${DEFAULT-VALUE}).")
    int summaryEvery;

    @Option(names = "--build-dir", description = "Where script libraries and Zig caches go (default: <kiln home>/build).")
    Path buildDir;

    @Option(names = "--release", description = "A release run: scripts built ReleaseFast, no hot reload, no inspector edits.")
    boolean release;

    @Option(names = "--no-watch", description = "Do not watch script sources (by default a save hot-reloads the script).")
    boolean noWatch;

    @Option(names = "--warm-compiler", negatable = true, defaultValue = "false", fallbackValue = "true",
            description = "While watching, keep one incremental Zig compiler per script (./kiln demo does): a save runs "
            + "in about 0.12 s instead of 0.6 s, builds are Debug (every safety check on); each compiler holds 100-180 "
            + "MiB and stops after 5 minutes without a build, or sooner while all hold over 1 GiB. Without it (the "
            + "default): ReleaseSafe builds by a fresh compiler each, no compiler left running between saves.")
    boolean warmCompiler;

    @Option(names = "--no-inspector", description = "Do not start the live web inspector (by default a real-time run starts it on 127.0.0.1 and prints its URL).")
    boolean noInspector;

    @Option(names = "--inspector-port", defaultValue = "0", description = "Port of the inspector (default: any free port).")
    int inspectorPort;

    @Option(names = "--record", description = "When the run ends, save its recording (every frame's inputs and hash) to this file; `kiln replay` plays it back (not with --release, which records nothing).")
    Path record;

    @Spec
    CommandSpec spec;

    /** Counted down when the run has printed its report and closed the engine (Ctrl-C waits for it). */
    private final CountDownLatch finished = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        try {
            return runScene();
        } finally {
            finished.countDown();
        }
    }

    private int runScene() throws Exception {
        RunOptionBounds.check(spec.commandLine(), frames, dt, summaryEvery, inspectorPort);
        if (record != null && release) {
            throw new UserError("--record cannot be used with --release: a release run records nothing (docs/rewind.md)");
        }
        if (record != null) RecordPathCheck.requireWritable(record);
        Scene.Settings settings;
        try {
            settings = SceneLoader.readSettings(scene);
        } catch (SceneException e) {
            System.err.println("kiln run: " + e.getMessage());
            return 2;
        }
        Path home = Toolchain.home();
        Toolchain.requireZig(home);
        Path builds = buildDir != null ? buildDir : home.resolve("build");
        BuildDirCheck.requireWritable(builds, buildDir != null);
        EngineOptions defaults = settings.applyTo(EngineOptions.defaults().withBuildDir(builds));
        LogRing logs = new LogRing(defaults.log()); // the console still gets every line
        EngineOptions options = RunProfile.options(defaults.withLog(logs), release, !noWatch, warmCompiler);
        double frameSeconds = dt != null ? dt : settings.fixedDt();
        try (Engine engine = new Engine(options)) {
            System.out.println("kiln: building and loading " + scene + " ...");
            long start = System.nanoTime();
            LoadedScene loaded;
            try (LoadProgress progress = new LoadProgress()) {
                loaded = SceneLoader.load(engine, scene);
            } catch (SceneException e) {
                System.err.println("kiln run: " + e.getMessage());
                return 2;
            }
            System.out.printf(Locale.ROOT, "kiln: loaded %d entities and %d scripts (%s) in %.1f s%n",
                    loaded.entities().size(), loaded.libraries().size(),
                    String.join(", ", loaded.libraries().stream().map(l -> l.name()).toList()),
                    (System.nanoTime() - start) / 1e9);
            FrameLoop loop = new FrameLoop(engine, frameSeconds, summaryEvery);
            if (release) System.out.println("kiln: release run: scripts built ReleaseFast; no hot reload, no inspector edits");
            try (HotReloadManager reloads = noWatch || release ? null : startWatching(engine)) {
                if (frames > 0) {
                    loop.runHeadless(frames);
                } else {
                    try (InspectorServer inspector = noInspector ? null : startInspector(engine, reloads, logs)) {
                        runUntilInterrupted(loop);
                    }
                }
            }
            System.out.println(loop.report());
            if (record != null) saveRecording(engine);
        }
        return 0;
    }

    private void saveRecording(Engine engine) {
        Recording recording = engine.recorder().recording();
        if (recording == null) {
            System.err.println("kiln run: nothing was recorded (the log says why), so " + record + " was not written");
            return;
        }
        try {
            RecordingFile.save(recording, record);
        } catch (IOException e) {
            throw new UserError("--record " + record + " cannot be written (" + e.getMessage()
                    + "): pass a path in a folder you can write", e);
        }
        System.out.println("kiln: recording of " + recording.size() + " frames saved to " + record
                + " (kiln replay " + record + " plays it back)");
    }

    private static HotReloadManager startWatching(Engine engine) throws IOException {
        HotReloadManager reloads = new HotReloadManager(engine, QuietPeriod.settleDetection(),
                event -> System.out.println(ReloadReport.describe(event)));
        reloads.watchSources();
        System.out.println("kiln: watching script sources; save a script to reload it (--no-watch turns this off)");
        return reloads;
    }

    private InspectorServer startInspector(Engine engine, HotReloadManager reloads, LogRing logs) {
        InspectorServer inspector;
        try {
            inspector = InspectorServer.start(engine, reloads, logs, inspectorPort);
        } catch (InspectorServer.PortUnavailable e) {
            throw new UserError("--inspector-port " + inspectorPort + " cannot be used (" + e.getMessage()
                    + "): pass another port, 0 for any free one, or --no-inspector", e);
        }
        System.out.println("kiln: inspector at " + inspector.url() + " (--no-inspector turns it off)");
        return inspector;
    }

    private void runUntilInterrupted(FrameLoop loop) throws InterruptedException {
        AtomicBoolean running = new AtomicBoolean(true);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.set(false);
            try {
                finished.await(5, TimeUnit.SECONDS); // let the frame finish and the report print
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        System.out.println("kiln: running in real time; press Ctrl-C to stop");
        loop.runRealTime(running);
    }

    /** Steps the engine and keeps the figures the summary prints. */
    static final class FrameLoop {
        private final Engine engine;
        private final double frameSeconds;
        private final int summaryEvery;
        private long framesRun;
        private long totalNanos;
        private long worstNanos;
        private long requests;
        private long intervalNanos;
        private long intervalWorstNanos;

        FrameLoop(Engine engine, double frameSeconds, int summaryEvery) {
            this.engine = engine;
            this.frameSeconds = frameSeconds;
            this.summaryEvery = Math.max(1, summaryEvery);
        }

        void runHeadless(int frames) {
            for (int i = 0; i < frames; i++) step();
        }

        void runRealTime(AtomicBoolean running) throws InterruptedException {
            long frameNanos = (long) (frameSeconds * 1e9);
            long next = System.nanoTime();
            while (running.get()) {
                step();
                next += frameNanos;
                long sleep = next - System.nanoTime();
                if (sleep > 0) TimeUnit.NANOSECONDS.sleep(sleep);
                else next = System.nanoTime(); // behind: don't try to catch up in a burst
            }
        }

        private void step() {
            FrameStats stats = engine.step(frameSeconds);
            if (stats == null) return; // paused from the inspector: only the frame boundary ran
            framesRun++;
            totalNanos += stats.totalNanos();
            worstNanos = Math.max(worstNanos, stats.totalNanos());
            requests += stats.commandsApplied();
            intervalNanos += stats.totalNanos();
            intervalWorstNanos = Math.max(intervalWorstNanos, stats.totalNanos());
            if (framesRun % summaryEvery == 0) {
                System.out.printf(Locale.ROOT, "%s | last %d frames: avg %.3f ms, worst %.3f ms%n", stats.summary(),
                        summaryEvery, intervalNanos / 1e6 / summaryEvery, intervalWorstNanos / 1e6);
                intervalNanos = 0;
                intervalWorstNanos = 0;
            }
        }

        String report() {
            double avgMs = framesRun == 0 ? 0 : totalNanos / 1e6 / framesRun;
            return String.format(Locale.ROOT,
                    "kiln: %d frames (%.1f s of game time), frame time avg %.3f ms, worst %.3f ms; "
                            + "%d requests applied; %d entities and %d script instances at the end",
                    framesRun, framesRun * frameSeconds, avgMs, worstNanos / 1e6, requests,
                    engine.world().aliveCount(), engine.scripts().instances().size());
        }
    }
}
