package dev.kiln.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Prints that the scene's scripts are still building while they do: the first build in a fresh
 * build dir compiles Zig's std and the SDK once (tens of seconds on a busy machine), and a
 * silent console that long looks hung.
 */
final class LoadProgress implements AutoCloseable {
    /** The first line comes within this: a user sees progress within a second. */
    static final Duration FIRST = Duration.ofMillis(900);
    static final Duration EVERY = Duration.ofSeconds(5);

    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r ->
            Thread.ofPlatform().daemon().name("kiln-load-progress").unstarted(r));
    private final long start = System.nanoTime();

    LoadProgress() {
        ticker.scheduleAtFixedRate(this::tick, FIRST.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tick() {
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "kiln: still building scripts (%.0f s; the first build in a build dir"
                + " compiles Zig's std and the Kiln SDK once, later builds take a fraction of a second)%n", seconds);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
