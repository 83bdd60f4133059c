package dev.kiln.reload;

import dev.kiln.script.HandoffThread;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Prunes build/libs after each swap ({@link LibraryPruner}), on a thread of its own that the
 * swap frame does not wake: the builder thread that queued the swap {@link #expect}s it, so the
 * frame thread's hand-over is a queue insert ({@link HandoffThread}). Handed to the manager's
 * timer thread before, the wake-up alone cost the swap frame 0.05–0.4 ms, measured at load 3–12.
 */
final class LibraryPruning implements AutoCloseable {
    /** Names the thread pruning runs on. */
    static final String THREAD_NAME = "kiln-reload-prune";

    private final HandoffThread thread = new HandoffThread(THREAD_NAME);
    /** build/libs. */
    private final Path libs;
    private final ReloadListener listener;

    LibraryPruning(Path libs, ReloadListener listener) {
        this.libs = libs;
        this.listener = listener;
    }

    /** A swap was queued for the frame boundary (builder thread): its pruning comes soon. */
    void expect() {
        thread.expect();
    }

    /** A queued swap will not prune (refused, or dropped unswapped): the thread stops polling for it. */
    void unexpect() {
        thread.unexpect();
    }

    /**
     * Frame thread, after a swap: {@code t}'s libraries but its history's (as it is now, at the
     * swap: a later revert or swap does not change what this prune keeps) and the newest are
     * deleted, later.
     */
    void prune(TrackedScript t) {
        List<Path> keep = t.history.list(); // a copy of a few paths; hashed into a set on the pruning thread
        thread.execute(() -> {
            try {
                LibraryPruner.prune(libs, t.name, Set.copyOf(keep));
            } catch (IOException e) {
                listener.onEvent(new ReloadEvent.LoadFailed(t.name, "could not prune old libraries in " + libs + ": "
                        + e.getMessage()));
            }
        });
    }

    /** Prunes what was handed over, then stops the thread. */
    @Override
    public void close() {
        thread.close();
    }
}
