package dev.kiln.build;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Kills a process and everything it spawned (zig runs clang, lld and its own sub-builds). */
final class ProcessTree {
    /** How long to wait for killed processes to be gone before giving up on them. */
    private static final Duration REAP_WAIT = Duration.ofSeconds(10);

    private ProcessTree() {}

    static void kill(ProcessHandle root) {
        // Collect the children first: once the parent dies they are re-parented and no longer
        // its descendants. Then the parent, so it cannot start new ones, then the children.
        List<ProcessHandle> children = root.descendants().toList();
        root.destroyForcibly();
        for (ProcessHandle child : children) child.destroyForcibly();
        // A child that forked after the snapshot above is caught by a second pass.
        for (ProcessHandle late : root.descendants().toList()) late.destroyForcibly();
        awaitExit(root);
        for (ProcessHandle child : children) awaitExit(child);
    }

    private static void awaitExit(ProcessHandle p) {
        try {
            p.onExit().get(REAP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // nothing more to do: it was sent SIGKILL
        }
    }
}
