package dev.kiln.script;

import dev.kiln.loader.ScriptCode;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stops a script call that runs past its time budget. The frame thread marks the start and end
 * of every guarded call; a daemon thread checks the clock and, past the budget, has the fault
 * code being called stop the call: the fault guard interrupts the frame thread, which jumps
 * out of the script, or an isolated library's host process is ended. A flag the script polls
 * would not stop `while (true) {}`; a signal does.
 */
final class Watchdog implements AutoCloseable {
    private final long budgetNanos;
    private final Thread thread;
    /** Start of the call being watched, 0 when none: compare-and-set so one overrun is handled once. */
    private final AtomicLong callStartNanos = new AtomicLong();
    private volatile long callThread;
    private volatile ScriptCode callCode;
    private volatile boolean running = true;
    /**
     * The call start the watchdog last saw, and the process's resident bytes at the reading taken
     * before that call began: the previous poll's, so a watchdog that first sees a call late (a
     * loaded machine delays its wake-ups) still counts everything the call allocated.
     */
    private long observedStart;
    private long residentAtObserve;
    /** The previous poll's reading of resident bytes (taken before any call it did not see). */
    private long previousResident = ResidentMemory.bytes();
    /** Resident bytes the process gained during the last call that overran (0: none measured). */
    private volatile long lastOverrunGrowthBytes;

    Watchdog(Duration budget) {
        this.budgetNanos = budget.toNanos();
        long pollMillis = Math.max(1, budget.toMillis() / 4);
        this.thread = Thread.ofPlatform().daemon().name("kiln-watchdog").start(() -> watch(pollMillis));
    }

    Duration budget() {
        return Duration.ofNanos(budgetNanos);
    }

    void begin(ScriptCode code, long nativeThread) {
        begin(code, nativeThread, System.nanoTime());
    }

    /**
     * As {@link #begin(ScriptCode, long)}, with the call's start {@code startNanos}
     * ({@link System#nanoTime()}, not 0) read by the caller just before: a library's batch loop
     * reads the clock once per library, for this and for the inspector's per-library time (a
     * reading is 20–30 ns, a per-library fixed cost with hundreds of libraries).
     */
    void begin(ScriptCode code, long nativeThread, long startNanos) {
        callThread = nativeThread;
        callCode = code;
        callStartNanos.set(startNanos);
    }

    void end() {
        callStartNanos.set(0);
    }

    private void watch(long pollMillis) {
        while (running) {
            // Memory first, then the call: a call not yet seen began after the previous reading.
            long resident = ResidentMemory.bytes();
            long start = callStartNanos.get();
            if (start != 0 && start != observedStart) { // a new call: its baseline, read off the frame thread
                observedStart = start;
                residentAtObserve = previousResident;
            }
            previousResident = resident;
            // Claiming the overrun call first: it is stopped once, and a call that already ended is not.
            if (start != 0 && System.nanoTime() - start > budgetNanos && callStartNanos.compareAndSet(start, 0)) {
                lastOverrunGrowthBytes = Math.max(0, resident - residentAtObserve);
                ScriptCode code = callCode;
                if (code != null) code.stopCall(callThread);
            }
            try {
                Thread.sleep(pollMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Resident bytes the process gained while the last overrunning call ran (from the watchdog's
     * reading before the call began to its reading when it stopped the call): a call that was
     * allocating and touching memory, rather than looping, shows gigabytes here.
     */
    long lastOverrunGrowthBytes() {
        return lastOverrunGrowthBytes;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
