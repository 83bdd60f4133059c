package dev.kiln.script;

import dev.kiln.dataplane.GrowableSegment;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;

/**
 * Library versions a hot-reload swap replaced, closed on a thread of their own rather than on
 * the frame thread: closing one is its shared arena's close (which waits for every JVM thread to
 * acknowledge it), its State slab's when no later version took the slab over (another such
 * close), {@code dlclose} (or the end of an isolated host) and the unload check, 0.3–1.1
 * ms of the swap frame as measured. A swap hands a library here only once nothing of the runtime
 * can call it any more (every instance switched to the new version; its phase-table, lifecycle
 * and signal entries forgotten), so the close races no call. What the unload check finds is
 * logged on the frame thread (where the log is written), at the next frame, once per script.
 */
final class RetiredLibraries implements AutoCloseable {
    /** Names the thread closes run on (one at a time, in the order the swaps retired them). */
    static final String THREAD_NAME = "kiln-library-close";

    /** A closed library and why it did not leave the process (null: it did). */
    private record Closed(String script, String stuck) {}

    /** Started now, not by the first swap on the frame thread; the swap frame does not wake it (see HandoffThread). */
    private final HandoffThread own = new HandoffThread(THREAD_NAME);
    private Executor closeOn = own;
    private final ConcurrentLinkedQueue<Closed> closed = new ConcurrentLinkedQueue<>();

    /** A swap is being prepared (off the frame thread): its old version will be retired soon. */
    void expectRetirement() {
        own.expect();
    }

    /** A swap {@link #expectRetirement} announced retires nothing (refused, or dropped unswapped). */
    void retirementCancelled() {
        own.unexpect();
    }

    /** Retirements announced and not handed over or cancelled yet (what keeps the closing thread polling). */
    int expectedRetirements() {
        return own.expected();
    }

    /** Libraries retired and not closed yet, by path (a path may be retired twice). Guarded by this. */
    private final Map<Path, Integer> pending = new HashMap<>();
    /** Scripts already reported for a library that did not unload: said once, not per reload (frame thread). */
    private final Set<String> reportedStuck = new HashSet<>();

    /**
     * Closes {@code old}, and {@code memory} (its entries in the runtime's batches), off the frame
     * thread. Call only once no instance, phase table, lifecycle batch or signal route of the
     * runtime names it.
     */
    void retire(ScriptLibrary old, List<GrowableSegment> memory) {
        Path path = old.libraryPath().toAbsolutePath().normalize();
        synchronized (this) {
            pending.merge(path, 1, Integer::sum);
        }
        Runnable close = () -> {
            try {
                closeNow(old, memory);
            } finally {
                closed(path);
            }
        };
        try {
            closeOn.execute(close);
        } catch (RejectedExecutionException e) {
            close.run(); // the closing thread is gone (the runtime is closing): close it here
        }
    }

    private synchronized void closed(Path path) {
        pending.computeIfPresent(path, (p, n) -> n == 1 ? null : n - 1);
        notifyAll();
    }

    /** Closes {@code old} on the calling thread (a library unloaded outside a swap); reported as a retired one. */
    void closeNow(ScriptLibrary old, List<GrowableSegment> memory) {
        String stuck = null;
        for (GrowableSegment m : memory) {
            try {
                m.close();
            } catch (RuntimeException e) { // the library is closed all the same
                stuck = old.libraryPath().getFileName() + ": its batch entries could not be freed: " + e;
            }
        }
        try {
            old.close(); // its code, and its State slab unless a later version took the slab over
            String problem = old.code().unloadProblem();
            if (problem != null) stuck = problem;
        } catch (RuntimeException e) {
            stuck = old.libraryPath().getFileName() + " could not be closed: " + e;
        }
        closed.add(new Closed(old.name(), stuck));
    }

    /** Frame thread: logs each closed library that stayed mapped, once per script. */
    void report(ScriptReports reports) {
        Closed c;
        while ((c = closed.poll()) != null) {
            if (c.stuck() != null && reportedStuck.add(c.script())) {
                reports.logEngine(LogEntry.Level.WARN, "script '" + c.script() + "': " + c.stuck());
            }
        }
    }

    /** Blocks until every library retired so far is closed. */
    synchronized void awaitClosed() {
        awaitWhile(() -> !pending.isEmpty());
    }

    /**
     * Blocks until no retired library at {@code path} waits to be closed: loading a path that is
     * still mapped would get the old mapping back (the same handle, its globals as they were),
     * not a fresh one — a revert to a version, or a rewind's swap back to it, loads its path again.
     */
    synchronized void awaitClosed(Path path) {
        Path key = path.toAbsolutePath().normalize();
        awaitWhile(() -> pending.containsKey(key));
    }

    private synchronized void awaitWhile(BooleanSupplier waiting) {
        boolean interrupted = false;
        while (waiting.getAsBoolean()) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true; // the closes are short and must finish: the libraries go with the runtime
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /** Where closes run from now on (tests hold them back to look at a swap before its old library closes). */
    void closeOn(Executor executor) {
        closeOn = executor;
    }

    /** Waits for every retired library to be closed, then stops the closing thread. */
    @Override
    public void close() {
        awaitClosed();
        own.close();
    }
}
