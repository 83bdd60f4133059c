package dev.kiln.reload;

import dev.kiln.abi.LibraryLoadException;
import dev.kiln.build.BuildCancellation;
import dev.kiln.build.BuildInputs;
import dev.kiln.build.BuildResult;
import dev.kiln.build.Diagnostic;
import dev.kiln.build.ScriptCompiler;
import dev.kiln.engine.Engine;
import dev.kiln.loader.ScriptCode;
import dev.kiln.script.PreparedSwap;
import dev.kiln.script.ScriptLibrary;
import dev.kiln.script.SwapResult;
import dev.kiln.script.SwapWarmup;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

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
 * {@link ReloadEvent}. The last good version of each script is kept; {@link #revert} returns to it.
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
    private final Map<String, Tracked> byName = new LinkedHashMap<>();
    private final InputIndex inputs = new InputIndex();
    private final ConcurrentLinkedQueue<PendingSwap> atFrameBoundary = new ConcurrentLinkedQueue<>();
    /** Builds with warnings (what breaks replay), to log at the next frame boundary. */
    private final ConcurrentLinkedQueue<BuildResult> warningsAtFrameBoundary = new ConcurrentLinkedQueue<>();
    private final Runnable frameBoundaryTask = this::applyPending;
    private ScriptWatcher watcher;
    private volatile boolean autoReload = true;
    /** The last failed build, load or swap per script; removed when the script next reloads. */
    private final Map<String, ReloadEvent> lastFailure = new ConcurrentHashMap<>();
    private final Probation probation = new Probation();
    private volatile boolean keepLastGood = true;

    /** Per-script reload state. Guarded by the manager's lock. */
    private static final class Tracked {
        final String name;
        final Path source;
        /** New versions load isolated too (a host process of their own) when the first did. */
        final boolean isolated;
        /** Library files that ran successfully, newest last (the current one included). */
        final Deque<Path> goodVersions = new ArrayDeque<>();
        String runningHash;
        /** A built version held back because it drops every State field; swapped when confirmed. */
        Path heldLibrary;
        String heldHash;
        /** Auto-reload waits for a save of the script's own source (after repeated rollbacks). */
        boolean paused;
        ScriptBuildSupervisor supervisor;
        /** The swap warm-up started when tracking began (done: the first reload's swap runs warm code). */
        Future<Integer> swapWarmUp = CompletableFuture.completedFuture(0);

        Tracked(String name, Path source, boolean isolated) {
            this.name = name;
            this.source = source;
            this.isolated = isolated;
        }
    }

    /** A library loaded and checked off the frame thread, waiting for the frame boundary. */
    private record PendingSwap(Tracked tracked, ScriptCode next, PreparedSwap prepared, Path library, String hash,
                               long buildNanos, long loadNanos, long noticed, boolean reverting, Path abandoned) {}

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
        for (ScriptLibrary library : engine.scripts().libraries()) track(library);
        engine.addFrameBoundaryTask(frameBoundaryTask);
    }

    private static Thread daemon(Runnable r, String name) {
        return Thread.ofPlatform().daemon().name(name).unstarted(r);
    }

    /** Starts following a loaded script built from a source file (prebuilt libraries are skipped). */
    public synchronized void track(ScriptLibrary library) {
        if (library.source() == null || byName.containsKey(library.name())) return;
        Tracked t = new Tracked(library.name(), library.source().toAbsolutePath().normalize(), library.isolated());
        t.goodVersions.add(library.libraryPath());
        t.runningHash = library.info().sourceHash();
        t.supervisor = new ScriptBuildSupervisor(timers, builders,
                (generation, cancellation, noticed, changed, settled) ->
                        build(t, generation, cancellation, noticed, changed, settled));
        byName.put(t.name, t);
        if (!library.isolated()) t.swapWarmUp = SwapWarmup.start(library.info()); // the first reload's swap runs compiled code
        if (!t.source.toString().endsWith(".c")) builders.execute(() -> compiler.warmUp(t.source)); // before the first save
        // What the compiler read for the running library; the source alone for an unrecorded one.
        indexInputs(t, BuildInputs.of(library.libraryPath(), t.source.getParent()).orElse(List.of(t.source)), false);
    }

    /**
     * Follows {@code files} as {@code t}'s inputs. After a failed build they are added to the
     * known ones (the compiler may have stopped before reading them all); after a good build
     * they replace them.
     */
    private synchronized void indexInputs(Tracked t, List<Path> files, boolean addToKnown) {
        Set<Path> all = new LinkedHashSet<>(files);
        all.add(t.source);
        if (addToKnown) all.addAll(inputs.of(t.name));
        Set<Path> folders = inputs.set(t.name, all);
        if (watcher == null) return;
        for (Path dir : folders) {
            try {
                watcher.watchFolder(dir); // an input in a folder not watched yet (a link's target, a new import)
            } catch (IOException e) {
                listener.onEvent(new ReloadEvent.LoadFailed(t.name, "cannot watch " + dir + " for "
                        + t.source.getFileName() + "'s inputs: " + e.getMessage()));
            }
        }
    }

    /** Watches the folders of every tracked script (recursively) and of every input for saves. */
    public synchronized void watchSources() throws IOException {
        if (watcher == null) watcher = new ScriptWatcher(this::onFileChanged);
        for (Tracked t : byName.values()) {
            watcher.watch(t.source.getParent());
            indexInputs(t, List.copyOf(inputs.of(t.name)), false);
        }
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
    public synchronized boolean paused(String script) {
        return tracked(script).paused;
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
        Tracked t = tracked(script);
        Path library;
        String hash;
        synchronized (this) {
            library = t.heldLibrary;
            hash = t.heldHash;
            t.heldLibrary = null;
            t.heldHash = null;
        }
        if (library == null) return false;
        long noticed = System.nanoTime();
        builders.execute(() -> loadAndQueueSwap(t, library, hash, 0, noticed, false, null, true, false));
        return true;
    }

    /**
     * Returns {@code script} to the version that ran before the current one, at the next frame
     * boundary. Returns false when there is no earlier good version.
     */
    public synchronized boolean revert(String script) {
        Tracked t = tracked(script);
        if (t.goodVersions.size() < 2) return false;
        Path current = t.goodVersions.removeLast();
        Path previous = t.goodVersions.peekLast();
        long noticed = System.nanoTime();
        builders.execute(() -> loadAndQueueSwap(t, previous, null, 0, noticed, true, current, true, false));
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
    public synchronized Future<Integer> swapWarmUp(String script) {
        return tracked(script).swapWarmUp;
    }

    /** Names of the scripts followed for reload (built from source). */
    public synchronized List<String> trackedScripts() {
        return List.copyOf(byName.keySet());
    }

    /** Library files of {@code script} that ran successfully, oldest first. */
    public synchronized List<Path> goodVersions(String script) {
        return List.copyOf(tracked(script).goodVersions);
    }

    /** The files {@code script} is built from, as the compiler last reported them (missing ones included). */
    public Set<Path> inputs(String script) {
        return inputs.of(tracked(script).name);
    }

    private synchronized Tracked tracked(String script) {
        Tracked t = byName.get(script);
        if (t == null) throw new IllegalArgumentException("script '" + script + "' is not tracked for hot reload");
        return t;
    }

    private void onFileChanged(Path path, boolean renamedIn) {
        if (!autoReload) return;
        Path file = path.toAbsolutePath().normalize();
        for (String script : inputs.users(file)) {
            Tracked t;
            synchronized (this) {
                t = byName.get(script);
            }
            if (t == null || !resumes(t, file)) continue;
            t.supervisor.changed(file, quiet.after(renamedIn));
        }
    }

    /** False while {@code t} is paused after repeated rollbacks, until its own source is saved. */
    private synchronized boolean resumes(Tracked t, Path changedFile) {
        if (!t.paused) return true;
        if (!changedFile.equals(t.source)) return false;
        t.paused = false;
        probation.forget(t.name); // the author is back: a fresh count
        return true;
    }

    /** One build of {@code t}, on a builder thread (see {@link ScriptBuildSupervisor.Job}). */
    private void build(Tracked t, long generation, BuildCancellation cancellation, long noticed, Set<Path> changed,
                       boolean settled) {
        if (!settled && settling(t, generation, changed, TransientSave::quick)) return;
        listener.onEvent(new ReloadEvent.BuildStarted(t.name));
        long start = System.nanoTime();
        BuildResult result = t.source.toString().endsWith(".c")
                ? compiler.buildC(t.source, cancellation) : compiler.build(t.source, cancellation);
        long buildNanos = System.nanoTime() - start;
        indexInputs(t, result.inputs(), !result.ok()); // the save may have added, removed or broken imports
        if (result.cancelled() || !t.supervisor.current(generation)) {
            if (!t.supervisor.closed()) listener.onEvent(new ReloadEvent.Superseded(t.name)); // a newer save builds next
            return;
        }
        if (!result.ok() && !settled && settling(t, generation, changed, f -> TransientSave.unparseable(f, compiler.zig()))) {
            return; // a save still being written failed to build: built again once it settles
        }
        if (!result.ok()) {
            listener.onEvent(new ReloadEvent.BuildFailed(t.name, result.diagnostics(), result.compilerOutput()));
        } else if (result.sourceHash().equals(runningHash(t))) {
            listener.onEvent(new ReloadEvent.Unchanged(t.name));
        } else {
            if (result.diagnostics().stream().anyMatch(d -> d.severity() == Diagnostic.Severity.WARNING)) {
                warningsAtFrameBoundary.add(result); // logged on the frame thread, where the log is written
            }
            boolean confirmed = confirms(t, result.sourceHash());
            boolean zig = !t.source.toString().endsWith(".c");
            LibraryLoadException stale = loadAndQueueSwap(t, result.library(), result.sourceHash(), buildNanos,
                    noticed, false, null, confirmed, zig);
            if (stale == null) return;
            // The library described another build's State (STALE_METADATA): never migrated by. A
            // warm compiler's is forgotten and built again by a fresh compiler, the warm one next.
            if (!compiler.retireStale(t.source, result.library())) {
                listener.onEvent(new ReloadEvent.LoadFailed(t.name, stale.getMessage()));
                return;
            }
            BuildResult fresh = compiler.build(t.source, cancellation);
            buildNanos = System.nanoTime() - start;
            if (fresh.cancelled() || !t.supervisor.current(generation)) {
                if (!t.supervisor.closed()) listener.onEvent(new ReloadEvent.Superseded(t.name));
            } else if (!fresh.ok()) {
                listener.onEvent(new ReloadEvent.BuildFailed(t.name, fresh.diagnostics(), fresh.compilerOutput()));
            } else {
                loadAndQueueSwap(t, fresh.library(), fresh.sourceHash(), buildNanos, noticed, false, null, confirmed, false);
            }
        }
    }

    /**
     * True when one of the {@code changed} files looks like a save still being written ({@code
     * check} says why): reported, and the build waits until the files stay unchanged for
     * {@link TransientSave#SETTLE}.
     */
    private boolean settling(Tracked t, long generation, Set<Path> changed,
                             Function<Path, Optional<String>> check) {
        for (Path file : changed) {
            Optional<String> why = check.apply(file);
            if (why.isPresent()) {
                listener.onEvent(new ReloadEvent.Settling(t.name, file, why.get(), TransientSave.SETTLE));
                t.supervisor.waitToSettle(generation, changed, TransientSave.SETTLE);
                return true;
            }
        }
        return false;
    }

    private synchronized String runningHash(Tracked t) {
        return t.runningHash;
    }

    /** True when {@code hash} is the held version saved again: the author confirms dropping its fields. */
    private synchronized boolean confirms(Tracked t, String hash) {
        boolean same = hash.equals(t.heldHash);
        t.heldHash = null;
        t.heldLibrary = null;
        return same;
    }

    /**
     * Loads into a temporary slot (off the frame thread) and queues the swap for the frame
     * boundary; a version that would drop every State field is held instead, unless {@code confirmed}.
     * Null when the library was queued, held or its refusal reported; the refusal itself, not
     * reported, when {@code mayRebuildStale} and it was refused as STALE_METADATA (the caller
     * decides whether to build again).
     */
    private LibraryLoadException loadAndQueueSwap(Tracked t, Path library, String hash, long buildNanos, long noticed,
                                     boolean reverting, Path abandoned, boolean confirmed, boolean mayRebuildStale) {
        long start = System.nanoTime();
        ScriptCode next;
        try {
            next = engine.scripts().loadCode(library, t.isolated);
        } catch (LibraryLoadException e) {
            if (mayRebuildStale && e.reason() == LibraryLoadException.Reason.STALE_METADATA) return e;
            listener.onEvent(new ReloadEvent.LoadFailed(t.name, e.getMessage()));
            if (reverting) restoreAfterFailedRevert(t, abandoned);
            return null;
        }
        long loadNanos = System.nanoTime() - start;
        ScriptLibrary running = engine.scripts().library(t.name);
        List<String> dropped = confirmed || running == null ? List.of()
                : FieldDropGuard.dropsEveryField(running.info(), next);
        if (!dropped.isEmpty()) {
            next.close();
            synchronized (this) {
                t.heldLibrary = library;
                t.heldHash = hash;
            }
            listener.onEvent(new ReloadEvent.NeedsConfirmation(t.name, dropped));
            return null;
        }
        // The migration plan and the new States' block, worked out here rather than on the frame thread.
        PreparedSwap prepared = engine.scripts().prepareSwap(t.name, next);
        atFrameBoundary.add(new PendingSwap(t, next, prepared, library, hash, buildNanos, loadNanos, noticed, reverting,
                abandoned));
        return null;
    }

    /** Runs on the frame thread between frames. */
    private void swap(PendingSwap p) {
        Tracked t = p.tracked();
        String newHash = p.hash() != null ? p.hash() : p.next().info().sourceHash();
        SwapResult result = engine.scripts().swapLibrary(t.name, p.prepared());
        if (!result.ok()) {
            listener.onEvent(new ReloadEvent.SwapFailed(t.name, result.error()));
            if (p.reverting()) restoreAfterFailedRevert(t, p.abandoned());
        } else {
            Set<Path> keep;
            synchronized (this) {
                if (!p.reverting()) t.goodVersions.add(p.library());
                while (t.goodVersions.size() > LibraryPruner.RECENT_VERSIONS_KEPT) t.goodVersions.removeFirst();
                t.runningHash = newHash;
                keep = Set.copyOf(t.goodVersions);
            }
            pruneLibraries(t, keep);
            if (!p.reverting() && keepLastGood && engine.options().development() && goodVersions(t.name).size() >= 2) {
                probation.start(t.name, engine.scripts().library(t.name), engine.frameIndex());
            }
            listener.onEvent(new ReloadEvent.Reloaded(t.name, result, p.buildNanos(), p.loadNanos(),
                    System.nanoTime() - p.noticed(), p.reverting()));
        }
    }

    /** Off the frame thread: build/libs keeps the running, good and recent versions only. */
    private void pruneLibraries(Tracked t, Set<Path> keep) {
        Path libs = compiler.buildDir().resolve("libs");
        timers.execute(() -> {
            try {
                LibraryPruner.prune(libs, t.name, keep);
            } catch (IOException e) {
                listener.onEvent(new ReloadEvent.LoadFailed(t.name, "could not prune old libraries in " + libs + ": " + e.getMessage()));
            }
        });
    }

    private synchronized void restoreAfterFailedRevert(Tracked t, Path abandoned) {
        if (abandoned != null) t.goodVersions.add(abandoned);
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
        Tracked t = tracked(v.script());
        synchronized (this) {
            if (v.pause()) t.paused = true;
        }
        listener.onEvent(new ReloadEvent.RolledBack(v.script(), v.reason(), v.framesRun(), v.pause()));
        revert(v.script());
    }

    /** True while any build, load or swap is in flight (for tests and tools that wait). */
    public synchronized boolean busy() {
        for (Tracked t : byName.values()) {
            if (t.supervisor.busy()) return true;
        }
        return !atFrameBoundary.isEmpty();
    }

    public synchronized Optional<String> runningHash(String script) {
        Tracked t = byName.get(script);
        return t == null ? Optional.empty() : Optional.ofNullable(t.runningHash);
    }

    @Override
    public void close() throws IOException {
        if (watcher != null) watcher.close();
        List<Tracked> all;
        synchronized (this) {
            all = List.copyOf(byName.values());
        }
        for (Tracked t : all) t.supervisor.close(); // kills running compilers
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
        while ((pending = atFrameBoundary.poll()) != null) pending.next().close(); // never swapped in
    }
}
