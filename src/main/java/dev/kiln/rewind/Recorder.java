package dev.kiln.rewind;

import dev.kiln.ecs.World;
import dev.kiln.ecs.WorldWrites;
import dev.kiln.script.LogEntry;
import dev.kiln.script.PhysicsHandler;
import dev.kiln.script.ScriptLibrary;
import dev.kiln.script.ScriptRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Records a development run: once a scene is loaded into an engine at frame 0, every frame's
 * delta time, the library swaps before it (hot reloads, reverts, rollbacks: seen as a script's
 * library file changing between frames), the inspector's edits before it ({@link #noteEdit}) and
 * the {@link FrameHasher hash} it leaves, every K-th frame.
 *
 * <p>K adapts to the run: the first {@value #WARMUP_HASHES} frames are all hashed (so the JIT
 * compiles the hash early), then the recorder times each frame (a running average) and each hash
 * (the mean of the last {@value #HASH_SAMPLES}) and picks the smallest K that keeps the hash's
 * average share of the frame within {@link #HASH_BUDGET_FRACTION}, at most {@link #HASH_INTERVAL_MAX}; frame 0 is always hashed.
 * A replay checks the hashed frames and finds the exact first divergent frame between two of
 * them by comparing two engines frame by frame (docs/rewind.md), so skipped hashes lose no
 * precision, only make a divergence's report cost a re-simulation of up to K frames more.
 *
 * <p>The engine calls {@link #frameStarting} and {@link #frameEnded} around each frame it runs
 * (not while paused), on the frame thread; nothing else here runs per frame.
 *
 * <p><b>Writes between steps:</b> the recorder observes the world ({@link World#observeWrites})
 * from its creation on, and every write made through the world's methods is recorded as an
 * edit of the next frame (or of the prelude, before a scene): what a game or a program writes
 * between steps. The engine's own writes are not: a step, a scene load and the embedding's own
 * recorded calls run inside {@link #engineWrites()}, which takes the observer out for their
 * duration, so a frame's barriers cost one null check a write. A game's physics handler, which
 * writes the world inside the barrier, is recorded by {@link #tapPhysics}.
 */
public final class Recorder {
    /**
     * The share of the frame the hash may take on average (0.03: 3 %), leaving the rest of the
     * recorder's 5 % target (docs/performance.md) to timing and the per-frame record.
     */
    public static final double HASH_BUDGET_FRACTION = 0.03;
    /**
     * The most frames between two hashes (five seconds at 60 Hz): bounds a divergence search
     * (two re-simulations of up to this many frames) and how closely a change the recording
     * does not hold can be placed. At 10k entities × 3 scripts the hash costs 1–4 ms against a
     * 0.4–0.8 ms frame (docs/performance.md), which needs K of 80–300 to stay within budget.
     */
    public static final int HASH_INTERVAL_MAX = 300;
    /** Weight of the newest sample in the running average of the frame's cost (sampled every frame). */
    private static final double SMOOTHING = 0.2;
    /**
     * Hash samples the hash's cost is the mean of: the latest only, since hashes are rare (every
     * K-th frame) and a running average would keep the first, JIT-cold samples (tens of ms) for
     * hundreds of frames. The mean, not the median: on a loaded machine a few hashes are
     * preempted and take many times the median, and what the run pays is the mean (with the
     * median, the recorder's measured share of the frame was 19 % at load 8 while K was set
     * for 3 %).
     */
    private static final int HASH_SAMPLES = 8;
    /**
     * The first frames of a recording are all hashed, whatever K says. A hash every K-th frame
     * (K of 100–300 at 10k × 3) stays cold for the JIT for thousands of frames: measured at 10k
     * entities × 3 scripts, 5–8 ms a hash inside the frame then against ~0.1–0.2 ms once compiled,
     * and a cold hash's cost pushes K up, which keeps it cold. 64 hashes at the start (about a
     * second at 60 Hz) get it compiled; they also check the start of the run closely.
     */
    static final int WARMUP_HASHES = 64;

    private final World world;
    private final ScriptRuntime scripts;
    /** The engine's frame index: recording starts only with a scene loaded before the first frame. */
    private final LongSupplier frameIndex;
    private final long budgetBytes;
    private final FrameHasher hasher = new FrameHasher();
    private Recording recording;
    private final Map<String, Path> running = new LinkedHashMap<>();
    private List<FrameRecord.Reload> reloads = List.of();
    /** Edits made since the last frame, recorded with the next one. */
    private final List<HostEdit> edits = new ArrayList<>();
    /** Requests this frame handed to the game's physics handler, with its writes. */
    private final List<FrameRecord.Handled> physics = new ArrayList<>();
    /** The tap around the game's physics handler installed last, or null ({@link #replayPhysics}). */
    private PhysicsTap physicsTap;
    /** Edits made before the scene loaded (frame 0, no recording yet): the recording's prelude. */
    private final List<HostEdit> prelude = new ArrayList<>();
    /** The prelude reached {@link #PRELUDE_EDITS_MAX} and an edit was left out (warned once, when a scene loads). */
    private boolean preludeOverflowed;
    private double dt;
    /** Frames between hashes now (K), and whether {@link #hashEvery} fixed it. */
    private int hashInterval = 1;
    private boolean fixedInterval;
    private long lastHashed = Long.MIN_VALUE / 2;
    private long frameStartNanos;
    /** Running averages in nanoseconds; negative until the first sample. */
    private double frameNanos = -1, hashNanos = -1;
    private final long[] hashSamples = new long[HASH_SAMPLES];
    private int hashSampleCount;
    private long costNanos;

    /**
     * A recorder of {@code world} and {@code scripts} (one engine's), whose recordings may hold
     * {@code budgetBytes} of heap; {@code frameIndex} reads the engine's frame index.
     */
    public Recorder(World world, ScriptRuntime scripts, LongSupplier frameIndex, long budgetBytes) {
        this.world = world;
        this.scripts = scripts;
        this.frameIndex = frameIndex;
        this.budgetBytes = budgetBytes;
        world.observeWrites(new HostWrites(world, this::listening, this::noteWrite));
    }

    /** The engine is writing the world until the returned scope closes: those writes are not recorded. */
    @FunctionalInterface
    public interface EngineWrites extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Takes the world's observer out until the returned scope is closed (then put back as it
     * was): the engine's own writes between frames (a step and its boundary tasks, a scene load,
     * a rewind, the embedding's calls that record themselves) are not host writes. Scopes nest.
     * Frame thread.
     */
    public EngineWrites engineWrites() {
        WorldWrites was = world.observeWrites(null);
        return () -> world.observeWrites(was);
    }

    /** {@link #engineWrites()} of {@code recorder}, or a scope that does nothing when there is none (a release run). */
    public static EngineWrites engineWrites(Recorder recorder) {
        return recorder == null ? () -> { } : recorder.engineWrites();
    }

    /**
     * {@code game}'s handler as a recording run installs it ({@code null} stays null): each
     * request it is handed is recorded with the writes it made to the world meanwhile, as the
     * frame's physics (docs/rewind.md). Frame thread.
     */
    public PhysicsHandler tapPhysics(PhysicsHandler game) {
        if (game == null) return null;
        physicsTap = new PhysicsTap(game, world, this, new RecordedPhysics(world, scripts));
        return physicsTap;
    }

    /**
     * While a live rewind re-simulates a recorded frame: the physics handler makes that frame's
     * recorded writes ({@code frame}) instead of calling the game's code; null when done. Frame thread.
     */
    public void replayPhysics(List<FrameRecord.Handled> frame) {
        if (physicsTap != null) physicsTap.replay(frame);
    }

    /** A request the game's physics handler was handed in this frame, with what it wrote. */
    void notePhysics(FrameRecord.Handled handled) {
        if (recording != null) physics.add(handled);
    }

    /**
     * A scene was loaded: recording starts if the engine has not run a frame yet (a replay
     * starts from the scene). A second scene ends the recording: a replay loads one scene.
     */
    public void sceneLoaded(Path scene, long seed) {
        if (recording != null) {
            stop("a second scene was loaded, and a replay starts from one scene");
            return;
        }
        if (frameIndex.getAsLong() != 0) return;
        running.clear();
        for (ScriptLibrary l : scripts.libraries()) running.put(l.name(), l.libraryPath());
        recording = new Recording(scene.toAbsolutePath().normalize(), seed, running, prelude, budgetBytes);
        prelude.clear();
        if (preludeOverflowed) {
            scripts.logEngine(LogEntry.Level.WARN, "the recording's prelude is full (" + PRELUDE_EDITS_MAX
                    + " edits made before the scene loaded): later ones are not recorded, so a replay of this run"
                    + " may diverge; load the scene before editing the world from the host");
        }
    }

    /** The recording so far (appended to as frames run), or null when nothing is recorded. */
    public Recording recording() {
        return recording;
    }

    /**
     * A change made from outside the scripts between frames (an inspector edit, a game's input,
     * already applied): a replay makes it again before the same frame. One made before a scene
     * is loaded into a fresh engine goes into the recording's prelude, which a replay makes
     * before loading the scene. Frame thread only.
     */
    public void noteEdit(HostEdit edit) {
        note(edit, false);
    }

    /** A write a host made to the world between frames, noted as {@link #noteEdit} does (merged with the last when it sets the same value again). */
    private void noteWrite(HostEdit edit) {
        note(edit, true);
    }

    private void note(HostEdit edit, boolean merged) {
        List<HostEdit> to;
        if (recording != null) {
            to = edits;
        } else if (frameIndex.getAsLong() == 0) {
            if (prelude.size() >= PRELUDE_EDITS_MAX) {
                preludeOverflowed = true; // said when a scene loads: only then does the prelude matter
                return;
            }
            to = prelude;
        } else {
            return;
        }
        if (merged) HostWrites.addMerged(to, edit);
        else to.add(edit);
    }

    /** True when a write noted now would be kept (a recording runs, or a scene may still start one). */
    private boolean listening() {
        return recording != null || frameIndex.getAsLong() == 0;
    }

    /**
     * True when every edit noted since the last frame could be made again without effect
     * ({@link HostEdit#repeatable}): a live keyframe taken now, after them, restores into a run
     * that makes them again before the frame. Frame thread.
     */
    public boolean pendingEditsRepeatable() {
        for (HostEdit e : edits) if (!e.repeatable()) return false;
        return true;
    }

    /**
     * Most edits kept before a scene loads: a host that edits a fresh engine for long without
     * ever loading a scene (which is when recording starts) must not grow this without bound.
     * The embedding's own setup is four.
     */
    public static final int PRELUDE_EDITS_MAX = 4096;

    /** Before a frame runs: notes its delta time and the library swaps since the last frame. */
    public void frameStarting(long frame, double deltaSeconds) {
        if (recording == null) return;
        long entered = System.nanoTime();
        dt = deltaSeconds;
        List<FrameRecord.Reload> swapped = null;
        for (ScriptLibrary l : scripts.libraries()) {
            Path was = running.get(l.name());
            if (!l.libraryPath().equals(was)) {
                if (swapped == null) swapped = new ArrayList<>();
                swapped.add(new FrameRecord.Reload(l.name(), l.libraryPath()));
                running.put(l.name(), l.libraryPath());
            }
        }
        reloads = swapped == null ? List.of() : swapped;
        physics.clear();
        frameStartNanos = System.nanoTime();
        costNanos += frameStartNanos - entered;
    }

    /**
     * Nanoseconds this recorder has spent in the frames it recorded (noting reloads, hashing,
     * appending): its own cost, measured in place, for benchmarks.
     */
    public long costNanos() {
        return costNanos;
    }

    /**
     * Fixes K: every {@code frames}-th frame is hashed from now on (1: every frame), instead of
     * adapting K to the hash's cost. For tests and benchmarks that need a known interval.
     *
     * @throws IllegalArgumentException {@code frames} is not in 1..{@link #HASH_INTERVAL_MAX}
     */
    public void hashEvery(int frames) {
        if (frames < 1 || frames > HASH_INTERVAL_MAX) {
            throw new IllegalArgumentException("a hash interval is 1 to " + HASH_INTERVAL_MAX + " frames, found " + frames);
        }
        hashInterval = frames;
        fixedInterval = true;
    }

    /** What the interval is chosen from, in ns: {hash (mean of the last 8), frame without the recorder (running average)}; -1 before a sample. */
    public double[] meanNanos() {
        return new double[] {hashNanos, frameNanos};
    }

    /** K now: frames between two hashed frames. */
    public int hashInterval() {
        return hashInterval;
    }

    /** After the frame: appends its record; past the budget, recording stops with a warning. */
    public void frameEnded(long frame) {
        if (recording == null) return;
        long ended = System.nanoTime();
        frameNanos = average(frameNanos, ended - frameStartNanos);
        boolean hashed = (frame < WARMUP_HASHES && !fixedInterval) || frame - lastHashed >= hashInterval;
        long hash = 0;
        if (hashed) {
            hash = hasher.hash(world, scripts);
            hashSamples[hashSampleCount++ % HASH_SAMPLES] = System.nanoTime() - ended;
            int n = Math.min(hashSampleCount, HASH_SAMPLES);
            long total = 0;
            for (int s = 0; s < n; s++) total += hashSamples[s];
            hashNanos = (double) total / n;
            lastHashed = frame;
            if (!fixedInterval) hashInterval = interval(hashNanos, frameNanos);
        }
        FrameRecord record = new FrameRecord(frame, dt, reloads, edits, physics, hash, hashed);
        edits.clear();
        physics.clear();
        costNanos += System.nanoTime() - ended;
        if (!recording.append(record) && recording.full()) {
            scripts.logEngine(LogEntry.Level.WARN, "recording stopped at frame " + frame + ": its budget of "
                    + (recording.budgetBytes() >> 20) + " MiB is spent; the " + recording.size()
                    + " frames before stay replayable");
            recording = null;
        }
    }

    private static double average(double mean, long sample) {
        return mean < 0 ? sample : mean + SMOOTHING * (sample - mean);
    }

    /** The smallest K for which a hash every K frames costs at most the budget's share of the frame. */
    static int interval(double hashNanos, double frameNanos) {
        double k = Math.ceil(hashNanos / (HASH_BUDGET_FRACTION * Math.max(frameNanos, 1)));
        return (int) Math.max(1, Math.min(HASH_INTERVAL_MAX, k));
    }

    /**
     * The live run was rewound to the boundary before {@code frame} (its world and States put
     * back as they were there: dev.kiln.replay.LiveRewind): frames from {@code frame} on are
     * dropped from the recording, which goes on from there as the run's history, and the edits
     * noted since the last frame are forgotten (the state they changed is gone). Frame thread.
     *
     * @throws IllegalStateException nothing is being recorded
     */
    public void rewound(long frame) {
        if (recording == null) throw new IllegalStateException("the run is not being recorded");
        running.clear();
        running.putAll(recording.librariesAt(frame));
        recording.truncate(frame);
        edits.clear();
        physics.clear();
        lastHashed = Long.MIN_VALUE / 2; // the first frame after a rewind is hashed
    }

    /** Ends the recording (the frames so far stay in {@link Recording} objects already taken). */
    public void stop() {
        recording = null;
    }

    private void stop(String why) {
        scripts.logEngine(LogEntry.Level.WARN, "recording stopped: " + why);
        recording = null;
    }
}
