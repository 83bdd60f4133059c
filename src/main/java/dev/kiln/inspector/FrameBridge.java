package dev.kiln.inspector;

import dev.kiln.engine.Engine;
import dev.kiln.engine.FrameStats;
import dev.kiln.reload.HotReloadManager;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The inspector's only contact with engine state: a frame-boundary task (frame thread, between
 * frames, when no script runs and every request has been applied). It applies queued edits and,
 * at most every {@link #SNAPSHOT_INTERVAL_NANOS}, copies a {@link Snapshot}. It never waits on
 * the server: edits come in through a lock-free queue and snapshots go out through an atomic
 * reference the server thread reads.
 */
public final class FrameBridge implements Runnable {
    /** 10 snapshots a second: live enough to watch, cheap enough to leave on. */
    public static final long SNAPSHOT_INTERVAL_NANOS = 100_000_000L;
    /** Frames of timing history the frame-time graph shows (5 s at 60 fps). */
    public static final int FRAME_HISTORY = 300;

    private final Engine engine;
    private final SnapshotBuilder builder;
    private final ConcurrentLinkedQueue<Runnable> jobs = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Snapshot> latest = new AtomicReference<>();
    private volatile Set<Long> watched = Set.of();
    private final ArrayDeque<Snapshot.FrameSample> history = new ArrayDeque<>();
    private long lastRecordedFrame = -1;
    private long lastSnapshotNanos;
    private volatile boolean snapshotDue = true;

    public FrameBridge(Engine engine, HotReloadManager reloads) {
        this.engine = engine;
        this.builder = new SnapshotBuilder(engine, reloads);
        engine.scripts().timeLibraryCalls(true); // the scripts view's time per library
    }

    @Override
    public void run() {
        recordFrame(engine.lastStats());
        Runnable job;
        while ((job = jobs.poll()) != null) {
            job.run();
            snapshotDue = true; // show the edit's effect without waiting for the next interval
        }
        long now = System.nanoTime();
        if (snapshotDue || now - lastSnapshotNanos >= SNAPSHOT_INTERVAL_NANOS) {
            latest.set(builder.build(watched, List.copyOf(history)));
            lastSnapshotNanos = now;
            snapshotDue = false;
        }
    }

    /** Runs {@code work} on the frame thread at the next frame boundary; any thread may call. */
    public <T> CompletableFuture<T> submit(Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        jobs.add(() -> {
            if (result.isDone()) return; // the requester gave up (timed out): do not apply it late
            try {
                result.complete(work.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e); // reported to the client as a 500 with the message
            }
        });
        return result;
    }

    /** Entities whose full detail the next snapshots include (the clients' selections). */
    public void setWatched(Set<Long> ids) {
        watched = Set.copyOf(ids);
        snapshotDue = true;
    }

    /** The newest snapshot, or null before the first frame boundary. */
    public Snapshot latest() {
        return latest.get();
    }

    private void recordFrame(FrameStats s) {
        if (s == null || s.frameIndex() == lastRecordedFrame) return;
        lastRecordedFrame = s.frameIndex();
        long[] b = s.barrierNanos();
        history.addLast(new Snapshot.FrameSample(s.frameIndex(), s.totalNanos() / 1e6, s.phaseNanos()[0] / 1e6,
                s.phaseNanos()[1] / 1e6, s.phaseNanos()[2] / 1e6, (b[0] + b[1] + b[2]) / 1e6));
        if (history.size() > FRAME_HISTORY) history.removeFirst();
    }
}
