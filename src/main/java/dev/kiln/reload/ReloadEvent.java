package dev.kiln.reload;

import dev.kiln.build.Diagnostic;
import dev.kiln.script.SwapResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** What the hot-reload pipeline reports, in order, for one script. */
public sealed interface ReloadEvent {
    String script();

    /** A change was seen and a build started. */
    record BuildStarted(String script) implements ReloadEvent {}

    /**
     * The build was stopped (its compiler killed) or its result dropped because a newer save
     * of the script came in: the newer save's build reports next. Not a failure.
     */
    record Superseded(String script) implements ReloadEvent {}

    /** The build failed; the running version stays. */
    record BuildFailed(String script, List<Diagnostic> diagnostics, String compilerOutput) implements ReloadEvent {}

    /** The new library was refused (ABI, exports, metadata); the running version stays. */
    record LoadFailed(String script, String message) implements ReloadEvent {}

    /** The swap was refused (dry-run init, migration); the running version stays. */
    record SwapFailed(String script, String message) implements ReloadEvent {}

    /** The new code runs. Timings in nanoseconds, from the save being noticed. */
    record Reloaded(String script, SwapResult swap, long buildNanos, long loadNanos, long savedToRunningNanos,
                    boolean reverted) implements ReloadEvent {}

    /**
     * A saved file looks like a save still in progress (missing, empty, or not parsing): the
     * build waits until it has not changed for {@code settle}.
     */
    record Settling(String script, Path file, String why, Duration settle) implements ReloadEvent {}

    /**
     * The new version built and loaded but would drop every State field of the running one
     * ({@code dropped}); it is swapped in only when confirmed (the same content saved again, or
     * HotReloadManager.confirm). The running version stays.
     */
    record NeedsConfirmation(String script, List<String> dropped) implements ReloadEvent {}

    /**
     * A version on probation faulted {@code framesRun} frames after its reload ({@code reason}):
     * it goes back to the previous good version (a Reloaded with reverted=true follows).
     * {@code paused}: it was the second rollback in a row, so auto-reload of the script waits
     * for its next save.
     */
    record RolledBack(String script, String reason, long framesRun, boolean paused) implements ReloadEvent {}

    /** The source did not change in content (e.g. a save without edits): nothing to do. */
    record Unchanged(String script) implements ReloadEvent {}
}
