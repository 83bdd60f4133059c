package dev.kiln.reload;

import dev.kiln.build.BuildCancellation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The build state machine of one script: quiet period after a save, at most one build running,
 * and a newer request cancels (kills) the running build and builds the latest content once it
 * has stopped. Each request gets a generation number; a job whose generation is no longer the
 * latest must drop its result, so an older version can never be swapped in after a newer save.
 */
final class ScriptBuildSupervisor {
    /** The work of one build, run on a builder thread. */
    interface Job {
        /**
         * @param changed files saved since the last build (empty for an explicit reload)
         * @param settled true when those files were already found transient and have been quiet
         *                for {@link TransientSave#SETTLE} since
         */
        void run(long generation, BuildCancellation cancellation, long noticedNanos, Set<Path> changed, boolean settled);
    }

    private final ScheduledExecutorService timers;
    private final Executor builders;
    private final Job job;
    private final Set<Path> changed = new LinkedHashSet<>();
    private ScheduledFuture<?> pending;
    private long noticedNanos;
    private long requested;
    private boolean settled;
    private long runningGeneration = -1;
    private BuildCancellation running;
    private boolean closed;

    ScriptBuildSupervisor(ScheduledExecutorService timers, Executor builders, Job job) {
        this.timers = timers;
        this.builders = builders;
        this.job = job;
    }

    /** A file of the script was saved (null: an explicit reload): (re)starts the quiet period. */
    synchronized void changed(Path file, Duration quiet) {
        if (closed) return;
        if (pending == null) noticedNanos = System.nanoTime();
        else pending.cancel(false);
        if (file != null) changed.add(file);
        settled = false;
        pending = timers.schedule(this::request, quiet.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The job found the saved files still being written: build them once they stayed so for {@code settle}. */
    synchronized void waitToSettle(long generation, Set<Path> files, Duration settle) {
        if (closed || generation != requested || pending != null) return; // a newer save restarts anyway
        changed.addAll(files);
        settled = true;
        pending = timers.schedule(this::request, settle.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The quiet period ended: build now, or stop the running build and build after it. */
    private void request() {
        BuildCancellation stop;
        synchronized (this) {
            pending = null;
            if (closed) return;
            requested++;
            stop = running;
            if (stop == null) launch();
        }
        if (stop != null) stop.cancel(); // kills the compiler; finished() then starts the latest request
    }

    private void launch() {
        long generation = requested;
        BuildCancellation cancellation = new BuildCancellation();
        Set<Path> files = Set.copyOf(changed);
        boolean wasSettled = settled;
        changed.clear();
        settled = false;
        running = cancellation;
        runningGeneration = generation;
        long noticed = noticedNanos;
        builders.execute(() -> {
            try {
                job.run(generation, cancellation, noticed, files, wasSettled);
            } finally {
                finished(generation);
            }
        });
    }

    private synchronized void finished(long generation) {
        if (runningGeneration != generation) return;
        running = null;
        runningGeneration = -1;
        if (!closed && requested > generation) launch();
    }

    /** True while {@code generation} is the latest request: its result may be used. */
    synchronized boolean current(long generation) {
        return !closed && generation == requested;
    }

    synchronized boolean closed() {
        return closed;
    }

    /** A save waits for its quiet period, or a build runs. */
    synchronized boolean busy() {
        return pending != null || running != null;
    }

    /** Stops everything: no more builds start and the running compiler is killed. */
    void close() {
        BuildCancellation stop;
        synchronized (this) {
            closed = true;
            if (pending != null) pending.cancel(false);
            pending = null;
            stop = running;
        }
        if (stop != null) stop.cancel();
    }
}
