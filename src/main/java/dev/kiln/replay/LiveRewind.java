package dev.kiln.replay;

import dev.kiln.abi.LibraryLoadException;
import dev.kiln.engine.Engine;
import dev.kiln.engine.FrameStats;
import dev.kiln.loader.ScriptCode;
import dev.kiln.rewind.Divergence;
import dev.kiln.rewind.FrameHasher;
import dev.kiln.rewind.FrameRecord;
import dev.kiln.rewind.HostEdit;
import dev.kiln.rewind.Recorder;
import dev.kiln.rewind.Recording;
import dev.kiln.script.ScriptLibrary;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rewind, replay and resume on the live run, in place (the inspector's timeline): keyframes of
 * the running engine in a ring, taken at frame boundaries; {@link #rewindTo} restores the
 * nearest one (the scripts swapped back to the code they ran then) and re-simulates the
 * recorded frames after it with the recorded code, leaving the engine paused exactly there;
 * {@link #replayTo} runs the recorded frames on with the code loaded now (a fix swapped in by a
 * hot reload while paused); {@link #resume} lets the engine run live from where it stands.
 *
 * <p>The recording stays the run's history: a rewind drops the frames after the keyframe from
 * it ({@link Recorder#rewound}) and every re-simulated or replayed frame is recorded again as it
 * runs, with the recorded inputs (delta time, edits); the frames rewound over are kept aside as
 * what {@link #replayTo} replays and what re-simulated hashes are checked against.
 *
 * <p>Keyframes are those of {@link Keyframe}: the world's tables, the instance table and every
 * State slab copied whole, so a restore re-creates instances attached or detached since (a
 * scene whose scripts attach as they run rewinds like any other). The interval adapts: at
 * least {@link #KEYFRAME_INTERVAL} frames, and long enough that taking them costs at most
 * {@link #KEYFRAME_BUDGET_FRACTION} of the frame on average.
 *
 * <p>Threads: {@link #run} is the engine's frame-boundary task; every other method is called on
 * the frame thread between frames too (the inspector submits them as frame-boundary jobs).
 */
public final class LiveRewind implements Runnable {
    /** Fewest frames between two live keyframes (1 s at 60 Hz): a rewind re-simulates fewer than the interval. */
    public static final int KEYFRAME_INTERVAL = Replay.KEYFRAME_INTERVAL;
    /** Most frames between two live keyframes (10 s at 60 Hz), whatever a keyframe costs. */
    public static final int KEYFRAME_INTERVAL_MAX = 600;
    /** The share of the frame taking keyframes may cost on average (0.02: 2 %). */
    public static final double KEYFRAME_BUDGET_FRACTION = 0.02;
    /**
     * Heap bytes the live keyframes may hold (64 MiB): at 10k entities × 3 scripts a keyframe is
     * ~1.1 MB besides the instance rows they share (docs/performance.md), so about fifty; the
     * oldest go first, except frame 0's.
     */
    public static final long KEYFRAME_BUDGET_BYTES = Replay.KEYFRAME_BUDGET_BYTES;

    private final Engine engine;
    private final KeyframeRing keyframes = new KeyframeRing(KEYFRAME_BUDGET_BYTES);
    private final FrameHasher hasher = new FrameHasher();
    private int interval = KEYFRAME_INTERVAL;
    private long lastTakeNanos = -1;
    /**
     * The last {@link #TAKE_SAMPLES} keyframes' costs in the frame thread's CPU time, which
     * leaves out the time the OS gave other processes: the interval follows their median. Wall
     * time, on a loaded 2-core machine (load 5–13), measured keyframes of 0.15 ms CPU at 0.3–25
     * ms, and its mean (or even median) stretched the interval to 300–600 frames, a rewind then
     * re-simulating as many, for preemptions the run pays wherever they fall, keyframe or not.
     * The run's first keyframe (which reads every instance's row, JIT-cold) is not counted.
     */
    private final long[] takeSamples = new long[TAKE_SAMPLES];
    private int takeCount;
    private boolean firstTaken;
    /** Nanoseconds spent taking keyframes since attached, for benchmarks. */
    private long totalTakeNanos;
    private static final int TAKE_SAMPLES = 8;
    /** The recorded frames a rewind went back over, replayed from; null when running live. */
    private Recording rewoundOver;

    private LiveRewind(Engine engine) {
        this.engine = engine;
    }

    /**
     * Starts keyframing {@code engine}'s live run (a frame-boundary task); null when the engine
     * does not record (a release run, or recording off), since a rewind replays the recording.
     */
    public static LiveRewind attach(Engine engine) {
        if (engine.recorder() == null) return null;
        LiveRewind live = new LiveRewind(engine);
        engine.addFrameBoundaryTask(live);
        return live;
    }

    /** Stops keyframing (the keyframes held are dropped with this object). */
    public void detach() {
        engine.removeFrameBoundaryTask(this);
    }

    /**
     * Frame boundary: takes a keyframe when the interval has passed since the last one. A run
     * unpaused by other means than {@link #resume} (the inspector's own Resume) is live again.
     */
    @Override
    public void run() {
        if (rewoundOver != null && !engine.paused()) rewoundOver = null;
        maybeKeyframe();
    }

    private void maybeKeyframe() {
        Recording recording = engine.recorder().recording();
        if (recording == null || recording.size() != engine.frameIndex()) return; // not recording this run's history
        long at = engine.frameIndex(), last = keyframes.newestFrame();
        if (last >= 0 && at - last < interval) return;
        // A game's spawn, attach or signal made before this boundary is already in the engine and
        // recorded for the next frame: a keyframe now would have it twice after a restore.
        if (!engine.recorder().pendingEditsRepeatable()) return;
        long t0 = System.nanoTime(), cpu0 = cpuNanos();
        Keyframe k = Keyframe.take(engine);
        if (k == null) return; // not a quiet boundary: the next one is tried
        keyframes.add(k);
        long cpu = cpuNanos() - cpu0;
        lastTakeNanos = System.nanoTime() - t0;
        totalTakeNanos += lastTakeNanos;
        if (!firstTaken) firstTaken = true; // see takeSamples
        else takeSamples[takeCount++ % TAKE_SAMPLES] = cpu0 < 0 ? lastTakeNanos : cpu;
        FrameStats frame = engine.lastStats();
        long typical = medianKeyframeNanos();
        if (frame != null && typical >= 0) interval = interval(typical, frame.totalNanos());
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean CPU_TIME = THREADS.isCurrentThreadCpuTimeSupported();

    /** The frame thread's CPU time in nanoseconds, or -1 where the JVM cannot tell (then wall time is used). */
    private static long cpuNanos() {
        return CPU_TIME ? THREADS.getCurrentThreadCpuTime() : -1;
    }

    /** Frames between keyframes that keeps taking one ({@code takeNanos}) within the budget's share of a frame. */
    static int interval(long takeNanos, long frameNanos) {
        double k = Math.ceil(takeNanos / (KEYFRAME_BUDGET_FRACTION * Math.max(frameNanos, 1)));
        return (int) Math.max(KEYFRAME_INTERVAL, Math.min(KEYFRAME_INTERVAL_MAX, k));
    }

    /** Keyframes held, oldest first: their frames. */
    public long[] keyframeFrames() {
        return keyframes.frames();
    }

    /** Heap bytes the keyframes hold, roughly. */
    public long keyframeBytes() {
        return keyframes.bytes();
    }

    /** Nanoseconds the last keyframe took to take (-1 before the first): for benchmarks. */
    public long lastKeyframeNanos() {
        return lastTakeNanos;
    }

    /**
     * The median CPU nanoseconds of the last eight keyframes taken, the run's first not counted:
     * what the interval follows (-1 before the second keyframe).
     */
    public long medianKeyframeNanos() {
        int n = Math.min(takeCount, TAKE_SAMPLES);
        if (n == 0) return -1;
        long[] sorted = Arrays.copyOf(takeSamples, n);
        Arrays.sort(sorted);
        return sorted[n / 2];
    }

    /** Wall nanoseconds spent taking keyframes since attached (the first too): their share of the run, for benchmarks. */
    public long totalKeyframeNanos() {
        return totalTakeNanos;
    }

    /** Frames between two keyframes now. */
    public int keyframeInterval() {
        return interval;
    }

    /** True between a {@link #rewindTo} and {@link #resume}: the engine stands paused in the recorded past. */
    public boolean rewound() {
        return rewoundOver != null;
    }

    /** The last frame {@link #replayTo} can reach: the end of what a rewind went back over (the engine's frame when running live). */
    public long replayableTo() {
        return rewoundOver == null ? engine.frameIndex() : Math.max(rewoundOver.size(), engine.frameIndex());
    }

    /**
     * Puts the live run at the boundary before {@code frame} and pauses it there: the newest
     * keyframe at or before it is restored (scripts swapped back to the library files they ran
     * then), the recording is cut back to it, and the recorded frames from there to {@code frame}
     * are re-simulated with their recorded code, delta times and edits, each hashed frame
     * checked against the recorded hash.
     *
     * @return the first re-simulated frame whose hash differs from the recorded one (the engine
     *         then stands just after it), or null when all matched
     * @throws IllegalArgumentException {@code frame} is negative or past what was recorded
     * @throws IllegalStateException    nothing is recorded, or no keyframe at or before
     *                                  {@code frame} applies to the engine (the message says why)
     * @throws LibraryLoadException     a recorded library file can no longer be loaded
     */
    public Divergence rewindTo(long frame) throws LibraryLoadException {
        Recording recording = engine.recorder().recording();
        if (recording == null) throw new IllegalStateException("the run is not being recorded (its budget was spent, or a second scene loaded)");
        // Rewinding again while rewound: the frames first rewound over stay what is replayed.
        Recording history = rewoundOver != null ? rewoundOver : recording.copy();
        if (frame < 0 || frame > history.size()) {
            throw new IllegalArgumentException("cannot rewind to frame " + frame + ": frames 0 to " + history.size() + " are recorded");
        }
        Keyframe k = keyframes.nearest(frame, engine, false);
        if (k == null) {
            throw new IllegalStateException("no keyframe at or before frame " + frame + " applies to the live run (keyframes at "
                    + Arrays.toString(keyframes.frames()) + "; a keyframe needs every script it ran still loaded, with the"
                    + " same State layout once swapped back to its library file: docs/rewind.md, \"Keyframes\")");
        }
        // Every library the keyframe ran is loaded before anything changes: a file that can no
        // longer be loaded leaves the live run as it was, running.
        Map<String, ScriptCode> codes = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Path> e : k.libraries().entrySet()) {
                ScriptLibrary now = engine.scripts().library(e.getKey());
                if (now != null && !now.libraryPath().equals(e.getValue())) {
                    codes.put(e.getKey(), engine.scripts().loadCode(e.getValue(), now.isolated()));
                }
            }
        } catch (LibraryLoadException | RuntimeException failed) {
            codes.values().forEach(ScriptCode::close);
            throw failed;
        }
        engine.setPaused(true);
        for (Map.Entry<String, ScriptCode> e : codes.entrySet()) Replay.swapIn(engine, e.getKey(), e.getValue());
        k.restoreInto(engine);
        engine.recorder().rewound(k.frame);
        keyframes.dropAfter(k.frame);
        rewoundOver = history;
        return run(frame, true);
    }

    /**
     * Runs the recorded frames from where the engine stands to the boundary before {@code frame}
     * with the code loaded now (the recorded reloads are skipped: they would put the old code
     * back), their recorded delta times and edits; the engine stays paused there.
     *
     * @return the first frame whose hash differs from the recorded one (the fix changed it from
     *         there; the engine then stands just after it), or null when all matched
     * @throws IllegalArgumentException {@code frame} is behind the engine or past what was recorded
     * @throws IllegalStateException    the run is live, not rewound
     */
    public Divergence replayTo(long frame) throws LibraryLoadException {
        if (rewoundOver == null) throw new IllegalStateException("the run is live: rewind it first");
        return run(frame, false);
    }

    /** Lets the engine run live from where it stands; the recording goes on from this frame. */
    public void resume() {
        rewoundOver = null;
        engine.setPaused(false);
    }

    private Divergence run(long frame, boolean recordedCode) throws LibraryLoadException {
        if (frame < engine.frameIndex() || frame > rewoundOver.size()) {
            throw new IllegalArgumentException("cannot run to frame " + frame + ": the run is at frame " + engine.frameIndex()
                    + " and the recording held frames 0 to " + (rewoundOver.size() - 1));
        }
        Divergence first = null;
        long earliest = engine.frameIndex(); // frames before it are known to match
        while (engine.frameIndex() < frame) {
            maybeKeyframe();
            long at = engine.frameIndex();
            FrameRecord r = rewoundOver.frame(at);
            if (recordedCode) {
                for (FrameRecord.Reload reload : r.reloads()) {
                    ScriptLibrary now = engine.scripts().library(reload.script());
                    if (now == null) {
                        throw new IllegalStateException("frame " + at + " reloads script '" + reload.script()
                                + "', which is no longer loaded in the live run");
                    }
                    if (!now.libraryPath().equals(reload.library())) Replay.swapTo(engine, reload.script(), reload.library());
                }
            }
            for (HostEdit edit : r.edits()) {
                if (edit.apply(engine.world(), engine.scripts()) == null) engine.recorder().noteEdit(edit);
            }
            engine.simulateFrame(r.dt());
            if (first != null || !r.hashed()) continue;
            if (hasher.hash(engine.world(), engine.scripts()) == r.hash()) {
                earliest = at + 1;
            } else {
                first = Divergence.sinceLastMatch(earliest, at);
                if (recordedCode) return first; // the recorded code did not reproduce its run: stop there
            }
        }
        maybeKeyframe();
        return first;
    }
}
