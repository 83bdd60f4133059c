package dev.kiln.build;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lets another thread stop a build: a newer save of the same script, or the engine closing.
 * Cancelling kills the compiler's whole process tree at once; a build not started yet never
 * starts its compiler.
 */
public final class BuildCancellation {
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private volatile Process process;

    /** A cancellation nobody triggers: for builds that only the timeout bounds. */
    public static BuildCancellation none() {
        return new BuildCancellation();
    }

    public void cancel() {
        cancelled.set(true);
        Process p = process;
        if (p != null) ProcessTree.kill(p.toHandle());
    }

    public boolean cancelled() {
        return cancelled.get();
    }

    /** Registers the running compiler; kills it at once when the build was cancelled meanwhile. */
    void attach(Process p) {
        process = p;
        if (cancelled.get()) ProcessTree.kill(p.toHandle());
    }

    void detach() {
        process = null;
    }
}
