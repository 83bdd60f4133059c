package dev.kiln.testing;

import dev.kiln.reload.HotReloadManager;
import dev.kiln.reload.ReloadEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * A test engine with hot reload watching its scripts' sources, the reload events it reported,
 * and the waits reload tests share: frames run while waiting, because a swap happens at a
 * frame boundary. Closing stops the watcher (the engine is the test's to close).
 */
public final class ReloadSession implements AutoCloseable {
    /** How long a wait lasts before it fails: builds on a loaded 2-core machine take seconds. */
    private static final Duration WAIT_LIMIT = Duration.ofSeconds(120);
    /** The quiet period of the reloads in these tests. */
    private static final Duration QUIET = Duration.ofMillis(100);

    private final TestEngine t;
    /** The manager under test. */
    public final HotReloadManager reloads;
    /** Every event it reported, in order (written by its threads). */
    public final List<ReloadEvent> events = new CopyOnWriteArrayList<>();

    private ReloadSession(TestEngine t) {
        this.t = t;
        this.reloads = new HotReloadManager(t.engine, QUIET, events::add);
    }

    /** Reloads watching every loaded script's sources. */
    public static ReloadSession watching(TestEngine t) throws IOException {
        ReloadSession session = new ReloadSession(t);
        session.reloads.watchSources();
        return session;
    }

    /** Saves like editors do: write a temp file beside it, then rename it over the original. */
    public static void save(Path file, String source) throws IOException {
        Path temp = file.resolveSibling("." + file.getFileName() + ".swp");
        Files.writeString(temp, source);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Runs frames until an event of {@code type} matches; fails after {@link #WAIT_LIMIT}. */
    public <E extends ReloadEvent> E await(Class<E> type, Predicate<E> match) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            t.step();
            for (ReloadEvent e : events) {
                if (type.isInstance(e) && match.test(type.cast(e))) return type.cast(e);
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no " + type.getSimpleName() + " event; got " + events);
    }

    public <E extends ReloadEvent> E await(Class<E> type) throws InterruptedException {
        return await(type, e -> true);
    }

    /** Runs frames until {@code done}; fails after {@link #WAIT_LIMIT} naming {@code what}. */
    public void await(BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            t.step();
            if (done.getAsBoolean()) return;
            Thread.sleep(5);
        }
        throw new AssertionError("never reached " + what + "; events " + events);
    }

    @Override
    public void close() throws IOException {
        reloads.close();
    }
}
