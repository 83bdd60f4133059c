package dev.kiln.reload;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs builds of different scripts in parallel, at most one per core, each on a thread of its
 * own. A build that holds its slot longer than {@link #SLOW_BUILD} gives the slot up (it keeps
 * running under its own timeout): a hung compiler waits without computing, and it must never
 * keep another script's save from building.
 */
final class BuildSlots implements Executor {
    /** Many times a normal build (~5 s on 2 cores): past this a build is treated as stuck, not busy. */
    static final Duration SLOW_BUILD = Duration.ofSeconds(30);

    private final Semaphore slots;
    private final ScheduledExecutorService timers;
    private int active;

    BuildSlots(int parallel, ScheduledExecutorService timers) {
        this.slots = new Semaphore(parallel, true);
        this.timers = timers;
    }

    @Override
    public void execute(Runnable build) {
        synchronized (this) {
            active++;
        }
        Thread.ofPlatform().daemon().name("kiln-reload-build").start(() -> {
            try {
                runInSlot(build);
            } finally {
                synchronized (this) {
                    active--;
                    notifyAll();
                }
            }
        });
    }

    private void runInSlot(Runnable build) {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            return;
        }
        AtomicBoolean held = new AtomicBoolean(true);
        Runnable release = () -> {
            if (held.compareAndSet(true, false)) slots.release();
        };
        Future<?> giveUp;
        try {
            giveUp = timers.schedule(release, SLOW_BUILD.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            giveUp = null;
        }
        try {
            build.run();
        } finally {
            if (giveUp != null) giveUp.cancel(false);
            release.run();
        }
    }

    /** Waits until no build thread runs (after their builds were cancelled); false on timeout. */
    synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (active > 0) {
            long left = end - System.nanoTime();
            if (left <= 0) return false;
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
