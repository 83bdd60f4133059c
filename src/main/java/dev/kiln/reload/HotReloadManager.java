package dev.kiln.reload;

import dev.kiln.build.BuildInputs;
import dev.kiln.build.BuildResult;
import dev.kiln.build.ScriptCompiler;
import dev.kiln.engine.Engine;
import dev.kiln.script.ScriptLibrary;
import dev.kiln.script.SwapResult;
import dev.kiln.script.SwapWarmup;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Save a script, see the new code run with its state kept.
 *
 * <p>Pipeline: watch (the files the compiler read for each script, see {@link InputIndex}) →
 * quiet period, longer for a save still being written ({@link TransientSave}) → build, per
 * script by a {@link ScriptBuildSupervisor} (a newer save kills the running build), scripts in
 * parallel ({@link BuildSlots}) → load into a temporary slot off the frame thread (ABI, exports
 * and metadata checked) → a version that drops every State field waits for confirmation
 * ({@link FieldDropGuard}) → at the next frame boundary, on the frame thread: dry-run init, State
 * migration by field name and an all-or-nothing swap (ScriptRuntime.swapLibrary) → the old
 * library unloaded. Any failure leaves the running version in place and is reported as a
 * {@link ReloadEvent}. The last good versions of each script are kept ({@link VersionHistory});
 * {@link #revert} returns to the one before.
 *
 * <p>Threads: the watcher's ({@link ReloadWatch}, {@link ScriptWatcher}) notes saves; the
 * timers' thread runs each script's quiet period ({@link ScriptBuildSupervisor}); builder threads
 * ({@link BuildSlots}) build, load and prepare ({@link ReloadBuild}); the frame thread swaps at
 * the boundary ({@link #applyPending}), reports it and checks probation; the pruning thread
 * ({@link LibraryPruning}) tidies build/libs after each swap. Listeners are called on any of
 * these. Each script's reload state is a {@link TrackedScript}.
 */
public final class HotReloadManager implements AutoCloseable {
    /** Quiet time after the last change before building, whatever the change (see {@link QuietPeriod} for the default). */
    public static final Duration DEFAULT_DEBOUNCE = QuietPeriod.SETTLE_AFTER_WRITE;
    /** Builds at once even on one core: one stuck build must not hold back every other script. */
    private static final int PARALLEL_BUILDS_MIN = 2;
    /** How long close() waits for killed builds to return before dropping their results anyway. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final Engine engine;
    private final ScriptCompiler compiler;
    private final QuietPeriod quiet;
    private final ReloadListener listener;
    private final ScheduledExecutorService timers;
    private final BuildSlots builders;
    private final ReloadBuild builds;
    private final LibraryPruning pruning;
    private final Map<String, TrackedScript> byName = new LinkedHashMap<>();
    private final ConcurrentLinkedQueue<PendingSwap> atFrameBoundary = new ConcurrentLinkedQueue<>();
    /** Builds with warnings (what breaks replay), to log at the next frame boundary. */
    private final ConcurrentLinkedQueue<BuildResult> warningsAtFrameBoundary = new ConcurrentLinkedQueue<>();
    private final Runnable frameBoundaryTask = this::applyPending;
    private final ReloadWatch watch;
    private volatile boolean autoReload = true;
    /** The last failed build, load or swap per script; removed when the script next reloads. */
    private final Map<String, ReloadEvent> lastFailure = new ConcurrentHashMap<>();
    private final Probation probation = new Probation();
    private volatile boolean keepLastGood = true;

    /** A manager that waits {@code debounce} after any change before building. */
    public HotReloadManager(Engine engine, Duration debounce, ReloadListener listener) {
        this(engine, QuietPeriod.fixed(debounce), listener);
    }

    /** A manager that waits {@code quiet} after a change (by its kind) before building. */
    public HotReloadManager(Engine engine, QuietPeriod quiet, ReloadListener listener) {
        this.engine = engine;
        this.compiler = engine.compiler();
        this.quiet = quiet;
        this.listener = event -> {
            rememberFailure(event);
            listener.onEvent(event);
        };
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "kiln-reload-timers"));
        this.builders = new BuildSlots(Math.max(PARALLEL_BUILDS_MIN, Runtime.getRuntime().availableProcessors()), timers);
        this.watch = new ReloadWatch(this.listener, this::saved);
        this.pruning = new LibraryPruning(compiler.buildDir().resolve("libs"), this.listener);
        this.builds = new ReloadBuild(engine, this.listener, new ReloadBuild.Outlet() {
            public void inputsRead(TrackedScript t, List<Path> files, boolean addToKnown) {
                watch.index(t, files, addToKnown);
            }

            public void warned(BuildResult result) {
                warningsAtFrameBoundary.add(result);
            }

            public void queue(PendingSwap swap) {
                pruning.expect(); // before the swap can run: its pruning is polled for, not woken for
                atFrameBoundary.add(swap);
            }
        });
        for (ScriptLibrary library : engine.scripts().libraries()) track(library);
        engine.addFrameBoundaryTask(frameBoundaryTask);
    }

    private static Thread daemon(Runnable r, String name) {
        return Thread.ofPlatform().daemon().name(name).unstarted(r);
    }

    /** Starts following a loaded script built from a source file (prebuilt libraries are skipped). */
    public synchronized void track(ScriptLibrary library) {
        if (library.source() == null || byName.containsKey(library.name())) return;
        TrackedScript t = new TrackedScript(library.name(), library.source().toAbsolutePath().normalize(), library.isolated(),
                library.libraryPath(), library.info().sourceHash());
        t.supervisor = new ScriptBuildSupervisor(timers, builders,
                (generation, cancellation, noticed, changed, settled) ->
                        builds.build(t, generation, cancellation, noticed, changed, settled));
        byName.put(t.name, t);
        if (!library.isolated()) t.swapWarmUp = SwapWarmup.start(library.info(), engine.scripts().faultGuard()); // the first reload's swap runs compiled code
        if (!t.isC()) builders.execute(() -> compiler.warmUp(t.source)); // before the first save
        // What the compiler read for the running library; the source alone for an unrecorded one.
        watch.index(t, BuildInputs.of(library.libraryPath(), t.source.getParent()).orElse(List.of(t.source)), false);
    }

    /** Watches the folders of every tracked script (recursively) and of every input for saves. */
    public synchronized void watchSources() throws IOException {
        watch.watch(byName.values());
    }

    /**
     * Keep-last-good (on by default): a reloaded version that faults within the probation window
     * goes back to the previous good version automatically, State migrated back.
     */
    public void setKeepLastGood(boolean on) {
        keepLastGood = on;
    }

    /** Frames a freshly reloaded version is on probation ({@link Probation#DEFAULT_FRAMES} by default). */
    public void setProbationFrames(int frames) {
        probation.setFrames(frames);
    }

    /** True while auto-reload of {@code script} waits for a save of its source, after repeated rollbacks. */
    public boolean paused(String script) {
        return tracked(script).paused();
    }

    public void setAutoReload(boolean on) {
        autoReload = on;
    }

    public boolean autoReload() {
        return autoReload;
    }

    /** Builds and reloads {@code script} now, whatever auto-reload says. */
    public void reloadNow(String script) {
        tracked(script).supervisor.changed(null, Duration.ZERO);
    }

    /**
     * Swaps in the version of {@code script} held back because it drops every State field
     * (what saving the same content again does). Returns false when no version is held.
     */
    public boolean confirm(String script) {
        TrackedScript t = tracked(script);
        TrackedScript.Held held = t.takeHeld();
        if (held == null) return false;
        long noticed = System.nanoTime();
        builders.execute(() -> builds.loadAndQueueSwap(t, held.library(), held.hash(), 0, noticed, false, null, true, false));
        return true;
    }

    /**
     * Returns {@code script} to the version that ran before the current one, at the next frame
     * boundary. Returns false when there is no earlier good version.
     */
    public boolean revert(String script) {
        TrackedScript t = tracked(script);
        VersionHistory.StepBack back = t.history.stepBack();
        if (back == null) return false;
        long noticed = System.nanoTime();
        builders.execute(() -> builds.loadAndQueueSwap(t, back.previous(), null, 0, noticed, true, back.current(), true, false));
        return true;
    }

    private void rememberFailure(ReloadEvent event) {
        switch (event) {
            case ReloadEvent.BuildFailed e -> lastFailure.put(e.script(), e);
            case ReloadEvent.LoadFailed e -> lastFailure.put(e.script(), e);
            case ReloadEvent.SwapFailed e -> lastFailure.put(e.script(), e);
            case ReloadEvent.NeedsConfirmation e -> lastFailure.put(e.script(), e);
            case ReloadEvent.Reloaded e -> {
                // A rollback's own revert keeps the fault that caused it shown; any other reload clears.
                if (!e.reverted() || !(lastFailure.get(e.script()) instanceof ReloadEvent.RolledBack)) {
                    lastFailure.remove(e.script());
                }
            }
            case ReloadEvent.RolledBack e -> lastFailure.put(e.script(), e);
            case ReloadEvent.BuildStarted e -> { }
            case ReloadEvent.Settling e -> { }
            case ReloadEvent.Superseded e -> { }
            case ReloadEvent.Unchanged e -> lastFailure.remove(e.script()); // builds again, same code as running
        }
    }

    /**
     * Why {@code script}'s last reload failed (a BuildFailed with its diagnostics, a
     * LoadFailed, a SwapFailed or a NeedsConfirmation), or empty when it has built since
     * (reloaded, or fixed back to the running code) or never failed.
     */
    public Optional<ReloadEvent> lastFailure(String script) {
        return Optional.ofNullable(lastFailure.get(script));
    }

    /**
     * The swap warm-up started when {@code script} began to be tracked ({@link SwapWarmup}: its
     * swap's loops compiled and whole swaps rehearsed off the frame thread): done once the first
     * reload's swap frame will run warm code; its value is the number of swaps rehearsed (0 for an
     * isolated script or one without a State description, which are not warmed).
     */
    public Future<Integer> swapWarmUp(String script) {
        return tracked(script).swapWarmUp;
    }

    /** Names of the scripts followed for reload (built from source). */
    public synchronized List<String> trackedScripts() {
        return List.copyOf(byName.keySet());
    }

    /** Library files of {@code script} that ran successfully, oldest first, at most {@link VersionHistory#VERSIONS_KEPT}. */
    public List<Path> goodVersions(String script) {
        return tracked(script).history.list();
    }

    /** The files {@code script} is built from, as the compiler last reported them (missing ones included). */
    public Set<Path> inputs(String script) {
        return watch.inputsOf(tracked(script).name);
    }

    private synchronized TrackedScript tracked(String script) {
        TrackedScript t = byName.get(script);
        if (t == null) throw new IllegalArgumentException("script '" + script + "' is not tracked for hot reload");
        return t;
    }

    /** The watcher's thread: {@code file}, an input of {@code script}, was saved. */
    private void saved(String script, Path file, boolean renamedIn) {
        if (!autoReload) return;
        TrackedScript t;
        synchronized (this) {
            t = byName.get(script);
        }
        if (t == null) return;
        TrackedScript.SaveVerdict verdict = t.saved(file);
        if (verdict == TrackedScript.SaveVerdict.IGNORE) return; // paused after repeated rollbacks
        if (verdict == TrackedScript.SaveVerdict.RESUME_AND_BUILD) probation.forget(t.name); // the author is back: a fresh count
        t.supervisor.changed(file, quiet.after(renamedIn));
    }

    /**
     * The frame thread, between frames: swaps {@code p} in and reports it (in the frame whose
     * update runs the new code first); pruning build/libs is left to {@link LibraryPruning}.
     */
    private void swap(PendingSwap p) {
        TrackedScript t = p.tracked();
        SwapResult result = engine.scripts().swapLibrary(t.name, p.prepared());
        if (!result.ok()) {
            pruning.unexpect(); // nothing to prune: its thread stops polling now
            if (p.reverting() && p.abandoned() != null) t.history.add(p.abandoned()); // the revert did not happen
            listener.onEvent(new ReloadEvent.SwapFailed(t.name, result.error()));
            return;
        }
        if (!p.reverting()) t.history.add(p.library());
        t.running(p.hash() != null ? p.hash() : p.next().info().sourceHash());
        if (!p.reverting() && keepLastGood && engine.options().development()) {
            probation.start(t.name, engine.scripts().library(t.name), engine.frameIndex()); // the history holds one to go back to
        }
        listener.onEvent(new ReloadEvent.Reloaded(t.name, result, p.buildNanos(), p.loadNanos(),
                System.nanoTime() - p.noticed(), p.reverting()));
        pruning.prune(t);
    }

    /** Applies finished builds; the engine calls this on the frame thread between frames. */
    public void applyPending() {
        PendingSwap pending;
        BuildResult warned;
        while ((warned = warningsAtFrameBoundary.poll()) != null) engine.scripts().logBuildWarnings(warned);
        while ((pending = atFrameBoundary.poll()) != null) swap(pending);
        Probation.Verdict faulted = probation.check(engine.scripts(), engine.frameIndex());
        if (faulted != null) rollBack(faulted);
    }

    /** A version on probation faulted: back to the previous good one; paused after repeated rollbacks. */
    private void rollBack(Probation.Verdict v) {
        TrackedScript t = tracked(v.script());
        if (v.pause()) t.pause();
        listener.onEvent(new ReloadEvent.RolledBack(v.script(), v.reason(), v.framesRun(), v.pause()));
        revert(v.script());
    }

    /** True while any build, load or swap is in flight (for tests and tools that wait). */
    public synchronized boolean busy() {
        for (TrackedScript t : byName.values()) {
            if (t.supervisor.busy()) return true;
        }
        return !atFrameBoundary.isEmpty();
    }

    /** The source hash of {@code script}'s running version. */
    public Optional<String> runningHash(String script) {
        TrackedScript t;
        synchronized (this) {
            t = byName.get(script);
        }
        return t == null ? Optional.empty() : Optional.ofNullable(t.runningHash());
    }

    @Override
    public void close() throws IOException {
        watch.close();
        List<TrackedScript> all;
        synchronized (this) {
            all = List.copyOf(byName.values());
        }
        for (TrackedScript t : all) t.supervisor.close(); // kills running compilers
        try {
            // A build finishing now would queue a loaded library (for an isolated script, a
            // running host) after the queue below was drained: wait for the builds to return first.
            builders.awaitIdle(CLOSE_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timers.shutdownNow();
        engine.removeFrameBoundaryTask(frameBoundaryTask);
        PendingSwap pending;
        while ((pending = atFrameBoundary.poll()) != null) { // never swapped in
            engine.scripts().preparedSwapDropped(pending.prepared());
            pruning.unexpect();
            pending.next().close();
        }
        pruning.close(); // prunes after the swaps that ran
    }
}
