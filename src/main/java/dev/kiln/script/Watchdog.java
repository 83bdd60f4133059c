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
    /**
     * The number of the call being watched, 0 when none: compare-and-set so one overrun is
     * handled once. The frame thread numbers its calls and reads no clock (a reading is 20–30 ns,
     * a per-call fixed cost with hundreds of library calls a frame); the watchdog times each call
     * from the poll that first sees it.
     */
    private final AtomicLong callNumber = new AtomicLong();
    /** The last number given to a call (frame thread). */
    private long calls;
    private volatile long callThread;
    private volatile ScriptCode callCode;
    private volatile boolean running = true;
    /**
     * The call the watchdog last saw, when it first saw it, and the process's resident bytes at
     * the reading taken before that: the previous poll's, so a watchdog that first sees a call
     * late (a loaded machine delays its wake-ups) still counts everything the call allocated.
     */
    private long observedCall;
    private long observedAtNanos;
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
        callThread = nativeThread;
        callCode = code;
        callNumber.set(++calls);
    }

    void end() {
        callNumber.set(0);
    }

    private void watch(long pollMillis) {
        while (running) {
            // Memory first, then the call: a call not yet seen began after the previous reading.
            long resident = ResidentMemory.bytes();
            long call = callNumber.get();
            long now = System.nanoTime();
            if (call != 0 && call != observedCall) { // a new call: it began at or before now
                observedCall = call;
                observedAtNanos = now;
                residentAtObserve = previousResident;
            }
            previousResident = resident;
            // Past the budget since it was first seen, so past it since it began: a call is
            // stopped after budget to budget + one poll, as when the frame thread read the clock.
            // Claiming the overrun call first: it is stopped once, and a call that already ended is not.
            if (call != 0 && now - observedAtNanos >= budgetNanos && callNumber.compareAndSet(call, 0)) {
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
