package dev.kiln.engine;

import dev.kiln.abi.LibraryLoadException;
import dev.kiln.build.BuildResult;
import dev.kiln.build.KilnHome;
import dev.kiln.build.ScriptBuildException;
import dev.kiln.build.ScriptCompiler;
import dev.kiln.build.ZigToolchain;
import dev.kiln.dataplane.ChurnApply;
import dev.kiln.dataplane.HotApply;
import dev.kiln.dataplane.NativeSignals;
import dev.kiln.ecs.World;
import dev.kiln.isolate.IsolatedLibrary;
import dev.kiln.loader.FaultGuard;
import dev.kiln.rewind.Recorder;
import dev.kiln.rewind.Recording;
import dev.kiln.script.LogEntry;
import dev.kiln.script.Phase;
import dev.kiln.script.ScriptLibrary;
import dev.kiln.script.ScriptRuntime;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engine facade: a world, the scripts running on it, and the frame loop
 * pre-update → barrier → update → barrier (+ velocity integration) → post-update → barrier.
 */
public final class Engine implements AutoCloseable {
    private final World world = new World();
    private final ScriptRuntime scripts;
    private final EngineOptions options;
    private ScriptCompiler compiler;
    private Path hostProgram;
    private final List<Runnable> frameBoundaryTasks = new CopyOnWriteArrayList<>();
    private long frameIndex;
    private double time;
    /** Run control, set from any thread (the inspector's), read by the frame thread. */
    private volatile boolean paused;
    private final AtomicInteger stepsRequested = new AtomicInteger();
    private volatile boolean safeMode;
    private volatile FrameStats lastStats;
    /** Records scene runs for rewind and replay; null in a release run or with recording off. */
    private final Recorder recorder;

    public Engine(EngineOptions options) {
        this.options = options;
        FaultGuard guard = options.faultGuard() ? installFaultGuard() : null;
        this.scripts = new ScriptRuntime(world, options.cellSize(), options.commandBufferBytes(), options.callBudget(),
                options.log(), guard);
        scripts.setDefaultRequestQuota(options.requestQuotaBytes());
        if (NATIVE_APPLY) {
            scripts.setHotApply(installHotApply());
            scripts.setNativeSignals(NativeSignals.active());
        }
        scripts.setFloodPhasesToDisable(options.floodPhasesToDisable());
        scripts.setDefaultMemoryBudget(options.memoryBudgetBytes());
        scripts.setIsolatedLoader(library -> IsolatedLibrary.start(hostProgram(library), library,
                options.commandBufferBytes(), options.isolatedMemoryLimit()));
        this.recorder = options.records() ? new Recorder(world, scripts, () -> frameIndex,
                Recording.DEFAULT_BUDGET_BYTES) : null;
    }

    /** The isolated mode's host program, built on first use (cached by content like scripts). */
    private Path hostProgram(Path library) throws LibraryLoadException {
        if (hostProgram == null) {
            BuildResult host = compiler().buildHost();
            if (!host.ok()) {
                throw new LibraryLoadException(LibraryLoadException.Reason.NOT_LOADABLE, library,
                        "the isolated host program did not build: " + host.compilerOutput().strip());
            }
            hostProgram = host.library();
        }
        return hostProgram;
    }

    /**
     * The native apply path is on unless {@code -Dkiln.nativeApply=false}: the Java decoder then
     * applies every record, as it always can (A/B measurements, docs/performance.md).
     */
    private static final boolean NATIVE_APPLY = !"false".equals(System.getProperty("kiln.nativeApply"));
    /** The phases in order, once: Phase.values() copies its array on every call (a frame's garbage). */
    private static final Phase[] PHASES = Phase.values();

    /**
     * Builds (once, cached by content) and loads the native apply path; null when it did not
     * build (then every record is applied in Java: slower, the same results), said loudly.
     */
    private HotApply installHotApply() {
        if (HotApply.active() != null) return HotApply.active();
        BuildResult apply;
        try {
            apply = compiler().buildApply();
        } catch (IllegalStateException e) { // no Kiln home or no Zig: an engine that only loads built libraries
            options.log().log(new LogEntry(0, LogEntry.Level.WARN,
                    LogEntry.ENGINE, 0, "native apply path not built (" + e.getMessage()
                    + "): requests are applied in Java"));
            return null;
        }
        if (!apply.ok()) {
            options.log().log(new LogEntry(0, LogEntry.Level.WARN,
                    LogEntry.ENGINE, 0, "native apply path did not build, requests are applied in Java: "
                    + apply.compilerOutput().strip()));
            return null;
        }
        HotApply hot = HotApply.install(apply.library());
        NativeSignals.install(apply.library()); // signal routing lives in the same library
        ChurnApply.install(apply.library()); // so do plain spawns and despawns
        return hot;
    }

    /**
     * Builds (once per process, cached by content) and installs the process-wide fault guard
     * this engine's runtime calls scripts through; null when it did not build. Without it the
     * engine still runs, but a script's panic or crash ends the process: said loudly.
     */
    private FaultGuard installFaultGuard() {
        return FaultGuard.install(() -> {
            BuildResult guard = compiler().buildGuard();
            if (guard.ok()) return guard.library();
            options.log().log(new LogEntry(0, LogEntry.Level.ERROR,
                    LogEntry.ENGINE, 0, "fault guard did not build, scripts run unguarded: "
                    + guard.compilerOutput().strip()));
            return null;
        });
    }

    public World world() {
        return world;
    }

    public ScriptRuntime scripts() {
        return scripts;
    }

    public EngineOptions options() {
        return options;
    }

    /** The script compiler, located on first use (Zig is needed only when building). */
    public ScriptCompiler compiler() {
        if (compiler == null) {
            Path home = KilnHome.locate();
            compiler = new ScriptCompiler(ZigToolchain.locate(home), home, options.buildDir(), options.mode());
        }
        return compiler;
    }

    /** Builds a Zig (.zig) or C (.c) script and loads it into the engine's process. */
    public ScriptLibrary loadScript(Path source) throws ScriptBuildException, LibraryLoadException {
        return loadScript(source, false);
    }

    /**
     * Builds a Zig (.zig) or C (.c) script and loads it; {@code isolated} runs it in a host
     * process of its own (see docs/reliability.md, "Isolated mode").
     */
    public ScriptLibrary loadScript(Path source, boolean isolated) throws ScriptBuildException, LibraryLoadException {
        BuildResult result = source.toString().endsWith(".c") ? compiler().buildC(source) : compiler().build(source);
        if (!result.ok()) throw new ScriptBuildException(result);
        scripts.logBuildWarnings(result);
        return scripts.load(result.library(), result.source(), isolated);
    }

    /** Loads an already built library. */
    public ScriptLibrary loadLibrary(Path library) throws LibraryLoadException {
        return scripts.load(library, null);
    }

    /**
     * Runs {@code task} on the frame thread before every frame, when no script is running and
     * every request has been applied: where hot reload swaps libraries.
     */
    public void addFrameBoundaryTask(Runnable task) {
        frameBoundaryTasks.add(task);
    }

    public void removeFrameBoundaryTask(Runnable task) {
        frameBoundaryTasks.remove(task);
    }

    /**
     * Paused: {@link #step} runs only the frame-boundary tasks (so reloads and inspector edits
     * still apply) and no frame, until resumed or {@link #requestStep} asks for one frame.
     */
    public void setPaused(boolean paused) {
        this.paused = paused;
    }

    public boolean paused() {
        return paused;
    }

    /** While paused, lets exactly one more frame run (counted: two requests run two frames). */
    public void requestStep() {
        stepsRequested.incrementAndGet();
    }

    /**
     * Safe mode: scripts stay loaded and attached but no script code runs (no init, update or
     * signal handler); barriers, velocity integration and the frame boundary go on, so the
     * world still moves by its velocities and reloads still swap.
     */
    public void setSafeMode(boolean on) {
        this.safeMode = on;
    }

    public boolean safeMode() {
        return safeMode;
    }

    /**
     * The run's recorder (docs/rewind.md): on in development runs, null in a release run or
     * when {@link EngineOptions#recording} is off. It records once a scene is loaded at frame 0.
     */
    public Recorder recorder() {
        return recorder;
    }

    /** The last frame's timings, or null before the first frame. */
    public FrameStats lastStats() {
        return lastStats;
    }

    /**
     * Runs one frame of {@code deltaSeconds}. Returns null when paused (only the frame-boundary
     * tasks ran): callers pacing real time just keep calling.
     */
    public FrameStats step(double deltaSeconds) {
        FrameTime.check(deltaSeconds); // a NaN or huge step would poison every position it moves
        long start = System.nanoTime(); // a reload's swap pause counts in the frame it delays
        // The boundary's work and the frame are the engine's writes, not the host's (rewind records those).
        try (Recorder.EngineWrites engineWrites = Recorder.engineWrites(recorder)) {
            for (Runnable task : frameBoundaryTasks) task.run();
            if (paused && !takeStepRequest()) return null;
            return runFrame(deltaSeconds, start);
        }
    }

    /**
     * Runs one frame of {@code deltaSeconds} now, paused or not, without the frame-boundary
     * tasks: a rewind of the live run re-simulating recorded frames (dev.kiln.replay.LiveRewind)
     * does this from inside a boundary task, where {@link #step} would run the tasks again.
     * Frame thread, between frames.
     */
    public FrameStats simulateFrame(double deltaSeconds) {
        FrameTime.check(deltaSeconds);
        try (Recorder.EngineWrites engineWrites = Recorder.engineWrites(recorder)) {
            return runFrame(deltaSeconds, System.nanoTime());
        }
    }

    private FrameStats runFrame(double deltaSeconds, long start) {
        long appliedBefore = scripts.commandsApplied();
        if (recorder != null) recorder.frameStarting(frameIndex, deltaSeconds);
        scripts.beginFrame(frameIndex, deltaSeconds, time);
        long[] phaseNanos = new long[3];
        long[] barrierNanos = new long[3];
        // One clock read per boundary (a phase starts where the last barrier ended): each read is a
        // clock_gettime, ~1.5 % of W3's frame at eleven a frame.
        long t0 = System.nanoTime();
        for (Phase phase : PHASES) {
            if (!safeMode) scripts.runPhase(phase);
            long t1 = System.nanoTime();
            scripts.barrier(phase);
            long t2 = System.nanoTime();
            phaseNanos[phase.ordinal()] = t1 - t0;
            barrierNanos[phase.ordinal()] = t2 - t1;
            t0 = t2;
        }
        if (recorder != null) recorder.frameEnded(frameIndex);
        long end = recorder == null ? t0 : System.nanoTime();
        FrameStats stats = new FrameStats(frameIndex, phaseNanos, barrierNanos, end - start,
                scripts.commandsApplied() - appliedBefore, world.aliveCount(), scripts.instances().size());
        frameIndex++;
        time += deltaSeconds;
        lastStats = stats;
        return stats;
    }

    private boolean takeStepRequest() {
        return stepsRequested.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    /** Runs {@code frames} frames of fixed {@code deltaSeconds}; returns the last frame's stats. */
    public FrameStats run(int frames, double deltaSeconds) {
        FrameStats last = null;
        for (int i = 0; i < frames; i++) {
            FrameStats stats = step(deltaSeconds);
            if (stats != null) last = stats;
        }
        return last;
    }

    private boolean closed;

    /**
     * Sets the frame clock to a rewind keyframe's: the next frame runs as frame {@code frame}
     * at {@code time} seconds. Only for restoring a keyframe (dev.kiln.replay), whose world and
     * States are put back alongside; frame thread, between frames.
     *
     * @throws IllegalArgumentException {@code frame} is negative or {@code time} not finite or negative
     */
    public void rewindClock(long frame, double time) {
        if (frame < 0 || !(time >= 0) || Double.isInfinite(time)) {
            throw new IllegalArgumentException("a keyframe's clock is frame >= 0 at a finite time >= 0, found frame "
                    + frame + " at " + time + " s");
        }
        this.frameIndex = frame;
        this.time = time;
    }

    public long frameIndex() {
        return frameIndex;
    }

    public double time() {
        return time;
    }

    /**
     * Ends the run: every script instance's shutdown runs (under the fault guard and the
     * watchdog, see {@link ScriptRuntime#shutdownAll}), then every library is unloaded. Call on
     * the thread that steps the engine; a second call does nothing.
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            scripts.shutdownAll();
        } finally {
            try {
                scripts.close();
            } finally {
                if (compiler != null) compiler.close(); // warm compilers (development builds) stop with the engine
            }
        }
    }
}
