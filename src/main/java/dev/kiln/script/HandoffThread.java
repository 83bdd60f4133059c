package dev.kiln.script;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.LockSupport;

/**
 * A thread of its own that runs work the frame thread hands it, in order, without the frame
 * thread waking it. Waking a parked thread costs the caller 0.05–1 ms on a loaded 2-core machine
 * (measured in the swap frame: the woken thread takes the core, or the wake-up contends), more
 * than the work handed over. So a thread that knows a hand-over is coming (the thread that
 * prepared a swap) {@link #expect}s it: this thread then polls every {@link #POLL} until it has
 * run what was expected, or for at most {@link #EXPECT_MAX}; a hand-over that finds it polling
 * is only a queue insert. One that finds it parked (nothing expected) wakes it, as an executor
 * would. Threads: {@link #execute} and {@link #expect} from any thread.
 */
public final class HandoffThread implements Executor, AutoCloseable {
    /** How often the thread looks for work while some is expected: ≈ 16 looks in a 60 Hz frame. */
    public static final Duration POLL = Duration.ofMillis(1);
    /** How long one {@link #expect} keeps the thread polling when nothing comes (a swap refused early, say). */
    public static final Duration EXPECT_MAX = Duration.ofSeconds(2);

    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    /** Hand-overs expected and not run yet. */
    private volatile int expected;
    /** System.nanoTime after which the thread stops polling for what is expected. */
    private volatile long expectUntil;
    /** True while the thread polls (or runs work): a hand-over then needs no wake-up. */
    private volatile boolean awake = true;
    private volatile boolean closed;

    /** Starts the thread (a daemon named {@code name}), parked until work is expected or handed over. */
    public HandoffThread(String name) {
        thread = Thread.ofPlatform().daemon().name(name).start(this::loop);
    }

    /**
     * One hand-over will come soon (call it from the thread that prepares it, not the frame
     * thread): the thread polls for it instead of being woken by it.
     */
    public void expect() {
        synchronized (this) { // the deadline with the count: the thread reads both under this lock
            expectUntil = System.nanoTime() + EXPECT_MAX.toNanos();
            expected++;
        }
        if (!awake) LockSupport.unpark(thread);
    }

    /**
     * A hand-over {@link #expect}ed will not come after all (a swap refused, a prepared swap
     * dropped): the thread stops polling for it now instead of after {@link #EXPECT_MAX}. Any thread.
     */
    public void unexpect() {
        synchronized (this) {
            if (expected > 0) expected--;
        }
    }

    /**
     * Runs {@code work} on the thread, after what was handed over before it. A queue insert when
     * the thread is polling; a wake-up otherwise. Refused once closed.
     */
    @Override
    public void execute(Runnable work) {
        synchronized (queue) { // with close(): work is either refused or added before the thread's last drain
            if (closed) throw new RejectedExecutionException("the hand-off thread " + thread.getName() + " is closed");
            queue.add(work);
        }
        if (!awake) LockSupport.unpark(thread); // read after the insert: the thread re-reads the queue after going to sleep
    }

    private void loop() {
        while (true) {
            Runnable work;
            while ((work = queue.poll()) != null) {
                try {
                    work.run();
                } catch (Throwable e) { // reported as an executor's thread would; the thread goes on, or
                    // every later hand-over (a retired library's close that a reload waits for) is lost
                    thread.getUncaughtExceptionHandler().uncaughtException(thread, e);
                }
                synchronized (this) {
                    if (expected > 0) expected--;
                }
            }
            if (closed && queue.isEmpty()) return; // execute refuses once closed is set: nothing can follow
            if (closed) continue;
            boolean polling;
            synchronized (this) {
                polling = expected > 0 && System.nanoTime() < expectUntil;
                if (!polling) expected = 0; // what did not come in time wakes the thread when it does
            }
            if (polling) {
                LockSupport.parkNanos(POLL.toNanos());
                continue;
            }
            awake = false;
            if (queue.isEmpty() && !closed) LockSupport.park(this);
            awake = true;
        }
    }

    /** Hand-overs expected and not run, cancelled or given up yet (what keeps the thread polling). */
    int expected() {
        return expected;
    }

    /** True on the thread itself (its work must not wait for its own queue). */
    public boolean isCurrent() {
        return Thread.currentThread() == thread;
    }

    /** Runs what was handed over, then stops the thread; waits for it. */
    @Override
    public void close() {
        synchronized (queue) {
            closed = true;
        }
        LockSupport.unpark(thread);
        if (Thread.currentThread() == thread) return; // closed by its own work: it stops after that
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
