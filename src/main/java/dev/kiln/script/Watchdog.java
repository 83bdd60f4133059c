package dev.kiln.script;

import dev.kiln.abi.ScriptCode;
import java.time.Duration;

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
    private volatile long callStartNanos;
    private volatile long callThread;
    private volatile ScriptCode callCode;
    private volatile boolean running = true;

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
        callStartNanos = System.nanoTime();
    }

    void end() {
        callStartNanos = 0;
    }

    private void watch(long pollMillis) {
        while (running) {
            long start = callStartNanos;
            if (start != 0 && System.nanoTime() - start > budgetNanos) {
                ScriptCode code = callCode;
                if (code != null && callStartNanos == start) code.stopCall(callThread);
                callStartNanos = 0; // one interrupt per overrun call
            }
            try {
                Thread.sleep(pollMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
