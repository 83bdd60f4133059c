package dev.kiln.reload;

import dev.kiln.abi.LibraryLoadException;
import dev.kiln.abi.ScriptCode;
import dev.kiln.build.BuildResult;
import dev.kiln.build.ScriptCompiler;
import dev.kiln.build.ScriptSources;
import dev.kiln.engine.Engine;
import dev.kiln.script.ScriptLibrary;
import dev.kiln.script.SwapResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Save a script, see the new code run with its state kept.
 *
 * <p>Pipeline: watch (create/modify/rename of a loaded script's source) → debounce → build
 * (one at a time per script; a save during a build queues exactly one more) → load into a
 * temporary slot off the frame thread (ABI, exports and metadata checked) → at the next frame
 * boundary, on the frame thread: dry-run init, State migration by field name and an
 * all-or-nothing swap (ScriptRuntime.swapLibrary) → the old library unloaded. Any failure
 * leaves the running version in place and is reported as a {@link ReloadEvent}. The last good
 * version of each script is kept; {@link #revert} returns to it.
 */
public final class HotReloadManager implements AutoCloseable {
    /** Quiet time after the last change before building: one save is one build. */
    public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(150);

    private final Engine engine;
    private final ScriptCompiler compiler;
    private final Duration debounce;
    private final ReloadListener listener;
    private final ScheduledExecutorService debouncer;
    private final ScheduledExecutorService builder;
    private final Map<Path, Tracked> bySource = new LinkedHashMap<>();
    /** Every file a tracked script is built from (the script and its imports) → those scripts. */
    private final Map<Path, java.util.Set<Tracked>> byInput = new LinkedHashMap<>();
    private final Map<String, Tracked> byName = new LinkedHashMap<>();
    private final ConcurrentLinkedQueue<PendingSwap> atFrameBoundary = new ConcurrentLinkedQueue<>();
    private final Runnable frameBoundaryTask = this::applyPending;
    private ScriptWatcher watcher;
    private volatile boolean autoReload = true;
    /** The last failed build, load or swap per script; removed when the script next reloads. */
    private final Map<String, ReloadEvent> lastFailure = new java.util.concurrent.ConcurrentHashMap<>();

    /** Per-script reload state. Guarded by the manager's lock except where noted. */
    private static final class Tracked {
        final String name;
        final Path source;
        /** New versions load isolated too (a host process of their own) when the first did. */
        final boolean isolated;
        /** Library files that ran successfully, newest last (the current one included). */
        final Deque<Path> goodVersions = new ArrayDeque<>();
        String runningHash;
        ScheduledFuture<?> pendingDebounce;
        boolean building;
        boolean buildAgain;
        long changeNoticedNanos;

        Tracked(String name, Path source, boolean isolated) {
            this.name = name;
            this.source = source;
            this.isolated = isolated;
        }
    }

    /** A library loaded and checked off the frame thread, waiting for the frame boundary. */
    private record PendingSwap(Tracked tracked, ScriptCode next, Path library, String hash, long buildNanos,
                               long loadNanos, long noticed, boolean reverting, Path abandoned) {}

    public HotReloadManager(Engine engine, Duration debounce, ReloadListener listener) {
        this.engine = engine;
        this.compiler = engine.compiler();
        this.debounce = debounce;
        this.listener = event -> {
            rememberFailure(event);
            listener.onEvent(event);
        };
        this.debouncer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "kiln-reload-debounce"));
        this.builder = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "kiln-reload-build"));
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
        bySource.put(t.source, t);
        byName.put(t.name, t);
        indexInputs(t);
    }

    /** (Re)reads which files {@code t} imports, so saving a helper file reloads the script. */
    private synchronized void indexInputs(Tracked t) {
        for (java.util.Set<Tracked> users : byInput.values()) users.remove(t);
        List<Path> inputs = t.source.toString().endsWith(".zig") ? ScriptSources.of(t.source) : List.of(t.source);
        for (Path input : inputs) byInput.computeIfAbsent(input, p -> new java.util.LinkedHashSet<>()).add(t);
        if (watcher != null) {
            for (Path dir : inputs.stream().map(Path::getParent).distinct().toList()) {
                try {
                    watcher.watch(dir); // an import from a folder not watched yet
                } catch (IOException e) {
                    listener.onEvent(new ReloadEvent.LoadFailed(t.name, "cannot watch " + dir + ": " + e.getMessage()));
                }
            }
        }
    }

    /** Watches the folders of every tracked script (recursively) for saves. */
    public synchronized void watchSources() throws IOException {
        if (watcher == null) watcher = new ScriptWatcher(this::onFileChanged);
        for (Path dir : byInput.keySet().stream().map(Path::getParent).distinct().toList()) watcher.watch(dir);
    }

    public void setAutoReload(boolean on) {
        autoReload = on;
    }

    public boolean autoReload() {
        return autoReload;
    }

    /** Builds and reloads {@code script} now, whatever auto-reload says. */
    public synchronized void reloadNow(String script) {
        Tracked t = tracked(script);
        t.changeNoticedNanos = System.nanoTime();
        scheduleBuild(t, 0);
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
        builder.execute(() -> loadAndQueueSwap(t, previous, null, 0, noticed, true, current));
        return true;
    }

    private void rememberFailure(ReloadEvent event) {
        switch (event) {
            case ReloadEvent.BuildFailed e -> lastFailure.put(e.script(), e);
            case ReloadEvent.LoadFailed e -> lastFailure.put(e.script(), e);
            case ReloadEvent.SwapFailed e -> lastFailure.put(e.script(), e);
            case ReloadEvent.Reloaded e -> lastFailure.remove(e.script());
            case ReloadEvent.BuildStarted e -> { }
            case ReloadEvent.Unchanged e -> lastFailure.remove(e.script()); // builds again, same code as running
        }
    }

    /**
     * Why {@code script}'s last reload failed (a BuildFailed with its diagnostics, a
     * LoadFailed or a SwapFailed), or empty when it has built since (reloaded, or
     * fixed back to the running code) or never failed.
     */
    public Optional<ReloadEvent> lastFailure(String script) {
        return Optional.ofNullable(lastFailure.get(script));
    }

    /** Names of the scripts followed for reload (built from source). */
    public synchronized List<String> trackedScripts() {
        return List.copyOf(byName.keySet());
    }

    /** Library files of {@code script} that ran successfully, oldest first. */
    public synchronized List<Path> goodVersions(String script) {
        return List.copyOf(tracked(script).goodVersions);
    }

    private Tracked tracked(String script) {
        Tracked t = byName.get(script);
        if (t == null) throw new IllegalArgumentException("script '" + script + "' is not tracked for hot reload");
        return t;
    }

    private synchronized void onFileChanged(Path path) {
        java.util.Set<Tracked> users = byInput.get(path.toAbsolutePath().normalize());
        if (users == null || !autoReload) return;
        for (Tracked t : users) {
            if (t.pendingDebounce == null) t.changeNoticedNanos = System.nanoTime();
            scheduleBuild(t, debounce.toMillis());
        }
    }

    /** (Re)starts the quiet period; when it ends, a build starts or is queued behind the running one. */
    private void scheduleBuild(Tracked t, long delayMillis) {
        if (t.pendingDebounce != null) t.pendingDebounce.cancel(false);
        t.pendingDebounce = debouncer.schedule(() -> startBuild(t), delayMillis, TimeUnit.MILLISECONDS);
    }

    private synchronized void startBuild(Tracked t) {
        t.pendingDebounce = null;
        if (t.building) {
            t.buildAgain = true; // exactly one more build after the running one
            return;
        }
        t.building = true;
        long noticed = t.changeNoticedNanos;
        builder.execute(() -> build(t, noticed));
    }

    /** Runs on the build thread. */
    private void build(Tracked t, long noticed) {
        listener.onEvent(new ReloadEvent.BuildStarted(t.name));
        long start = System.nanoTime();
        BuildResult result = t.source.toString().endsWith(".c") ? compiler.buildC(t.source) : compiler.build(t.source);
        long buildNanos = System.nanoTime() - start;
        indexInputs(t); // the save may have added or removed imports
        if (!result.ok()) {
            listener.onEvent(new ReloadEvent.BuildFailed(t.name, result.diagnostics(), result.compilerOutput()));
            finishBuild(t);
        } else if (result.sourceHash().equals(runningHash(t))) {
            listener.onEvent(new ReloadEvent.Unchanged(t.name));
            finishBuild(t);
        } else {
            loadAndQueueSwap(t, result.library(), result.sourceHash(), buildNanos, noticed, false, null);
        }
    }

    private synchronized String runningHash(Tracked t) {
        return t.runningHash;
    }

    /** Loads into a temporary slot (off the frame thread) and queues the swap for the frame boundary. */
    private void loadAndQueueSwap(Tracked t, Path library, String hash, long buildNanos, long noticed,
                                  boolean reverting, Path abandoned) {
        long start = System.nanoTime();
        ScriptCode next;
        try {
            next = engine.scripts().loadCode(library, t.isolated);
        } catch (LibraryLoadException e) {
            listener.onEvent(new ReloadEvent.LoadFailed(t.name, e.getMessage()));
            if (reverting) restoreAfterFailedRevert(t, abandoned);
            finishBuild(t);
            return;
        }
        long loadNanos = System.nanoTime() - start;
        atFrameBoundary.add(new PendingSwap(t, next, library, hash, buildNanos, loadNanos, noticed, reverting, abandoned));
    }

    /** Runs on the frame thread between frames. */
    private void swap(PendingSwap p) {
        Tracked t = p.tracked();
        String newHash = p.hash() != null ? p.hash() : p.next().info().sourceHash();
        SwapResult result = engine.scripts().swapLibrary(t.name, p.next());
        if (!result.ok()) {
            listener.onEvent(new ReloadEvent.SwapFailed(t.name, result.error()));
            if (p.reverting()) restoreAfterFailedRevert(t, p.abandoned());
        } else {
            synchronized (this) {
                if (!p.reverting()) t.goodVersions.add(p.library());
                t.runningHash = newHash;
            }
            listener.onEvent(new ReloadEvent.Reloaded(t.name, result, p.buildNanos(), p.loadNanos(),
                    System.nanoTime() - p.noticed(), p.reverting()));
        }
        finishBuild(t);
    }

    private synchronized void restoreAfterFailedRevert(Tracked t, Path abandoned) {
        if (abandoned != null) t.goodVersions.add(abandoned);
    }

    private synchronized void finishBuild(Tracked t) {
        t.building = false;
        if (t.buildAgain) {
            t.buildAgain = false;
            startBuild(t);
        }
    }

    /** Applies finished builds; the engine calls this on the frame thread between frames. */
    public void applyPending() {
        PendingSwap pending;
        while ((pending = atFrameBoundary.poll()) != null) swap(pending);
    }

    /** True while any build, load or swap is in flight (for tests and tools that wait). */
    public synchronized boolean busy() {
        for (Tracked t : byName.values()) {
            if (t.building || t.buildAgain || t.pendingDebounce != null) return true;
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
        debouncer.shutdownNow();
        builder.shutdownNow();
        try {
            // A build finishing now would queue a loaded library (for an isolated script, a
            // running host) after the queue below was drained: wait for it to stop first.
            builder.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        engine.removeFrameBoundaryTask(frameBoundaryTask);
        PendingSwap pending;
        while ((pending = atFrameBoundary.poll()) != null) pending.next().close(); // never swapped in
    }
}
