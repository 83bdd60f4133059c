package dev.kiln.reload;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * One script followed for hot reload and the state its reloads move through besides the build
 * itself ({@link ScriptBuildSupervisor}): the version running (by source hash) and the good ones
 * before it, a version held back until the author confirms it drops every State field, and
 * whether auto-reload is paused after repeated rollbacks. Every change is one synchronized
 * method: the watcher, builder, frame and follow-up threads all reach it.
 */
final class TrackedScript {
    /** A built version held back because it drops every State field: swapped when confirmed. */
    record Held(Path library, String hash) {}

    final String name;
    final Path source;
    /** New versions load isolated too (a host process of their own) when the first did. */
    final boolean isolated;
    final VersionHistory history;
    /** Set once by HotReloadManager.track, before the script is reachable by any other thread. */
    ScriptBuildSupervisor supervisor;
    /** The swap warm-up started when tracking began (done: the first reload's swap runs warm code). */
    volatile Future<Integer> swapWarmUp = CompletableFuture.completedFuture(0);
    private String runningHash;
    private Held held;
    private boolean paused;

    TrackedScript(String name, Path source, boolean isolated, Path runningLibrary, String runningHash) {
        this.name = name;
        this.source = source;
        this.isolated = isolated;
        this.history = new VersionHistory(runningLibrary);
        this.runningHash = runningHash;
    }

    boolean isC() {
        return source.toString().endsWith(".c");
    }

    synchronized String runningHash() {
        return runningHash;
    }

    /** The version with source hash {@code hash} runs now. */
    synchronized void running(String hash) {
        runningHash = hash;
    }

    /** Holds {@code library} back until confirmed (the same content saved again, or HotReloadManager.confirm). */
    synchronized void hold(Path library, String hash) {
        held = new Held(library, hash);
    }

    /** The held version, now no longer held; null when none was. */
    synchronized Held takeHeld() {
        Held h = held;
        held = null;
        return h;
    }

    /** True when {@code hash} is the held version saved again; any other save forgets the held one. */
    synchronized boolean confirms(String hash) {
        boolean same = held != null && hash.equals(held.hash());
        held = null;
        return same;
    }

    synchronized boolean paused() {
        return paused;
    }

    /** Auto-reload waits for a save of the script's own source (after repeated rollbacks). */
    synchronized void pause() {
        paused = true;
    }

    /** What a save means for auto-reload: build it (not paused, or resumed by it), or not (still paused). */
    enum SaveVerdict { BUILD, RESUME_AND_BUILD, IGNORE }

    /** A save of {@code changedFile}: while paused, only a save of the script's own source resumes it. */
    synchronized SaveVerdict saved(Path changedFile) {
        if (!paused) return SaveVerdict.BUILD;
        if (!changedFile.equals(source)) return SaveVerdict.IGNORE;
        paused = false;
        return SaveVerdict.RESUME_AND_BUILD;
    }
}
