package dev.kiln.bench;

import dev.kiln.build.KilnHome;
import dev.kiln.engine.Engine;
import dev.kiln.engine.EngineOptions;
import dev.kiln.replay.LiveRewind;
import dev.kiln.replay.Replay;
import dev.kiln.rewind.Divergence;
import dev.kiln.rewind.FrameHasher;
import dev.kiln.rewind.Recording;
import dev.kiln.scene.SceneLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@code ./kiln bench rewind}: the recorder's cost on the W5-shaped frame (10k entities × the
 * three layered scripts, loaded from a generated scene, since recording starts with a scene),
 * its memory for 600 frames (10 s at 60 Hz), and the time to rewind to frame 600 (a fresh engine
 * loading the scene with the recorded libraries, then re-simulating 600 frames with hash checks).
 *
 * <p>The overhead is measured as two engines from the same scene, one recording and one made
 * with recording off ({@link EngineOptions#withRecording}), stepped in alternating blocks so load drifts hit both alike. Not a JMH
 * benchmark: a rewind changes engines, and the blocks need the same warm JIT for both.
 */
public final class RewindBench {
    static final int ENTITIES = 10_000;
    static final int BLOCK_FRAMES = 200;
    static final int BLOCKS = 6;
    static final int REWIND_FRAMES = 600;
    static final int REWINDS = 3;
    static final int HASH_SAMPLES = 21;
    /** Frames the live run is keyframed for before its rewinds (20 s at 60 Hz). */
    static final int LIVE_FRAMES = 1200;

    private RewindBench() {}

    public static void main(String[] args) throws Exception {
        Path scene = writeScene(KilnHome.locate().resolve("target/rewind-bench"));
        BenchLog log = new BenchLog();
        EngineOptions options = EngineOptions.defaults().withBuildDir(BenchScripts.buildDir()).withLog(log);
        try (Engine recording = new Engine(SceneLoader.readSettings(scene).applyTo(options));
             Engine plain = new Engine(SceneLoader.readSettings(scene).applyTo(options.withRecording(false)))) {
            SceneLoader.load(recording, scene);
            SceneLoader.load(plain, scene);
            for (int i = 0; i < BLOCK_FRAMES; i++) { // warm-up of both
                recording.step(BenchScripts.FRAME_SECONDS);
                plain.step(BenchScripts.FRAME_SECONDS);
            }
            double[] on = new double[BLOCKS], off = new double[BLOCKS];
            long cost0 = recording.recorder().costNanos();
            for (int b = 0; b < BLOCKS; b++) {
                on[b] = block(recording);
                off[b] = block(plain);
            }
            double recorderUs = (recording.recorder().costNanos() - cost0) / 1e3 / (BLOCKS * BLOCK_FRAMES);
            double meanOff = Arrays.stream(off).average().orElseThrow();
            Arrays.sort(on);
            Arrays.sort(off);
            double medOn = on[BLOCKS / 2], medOff = off[BLOCKS / 2];
            System.out.printf(Locale.ROOT, "frame, recording off: median of %d blocks %.1f µs (blocks %s)%n", BLOCKS, medOff, Arrays.toString(round(off)));
            System.out.printf(Locale.ROOT, "frame, recording on:  median of %d blocks %.1f µs (blocks %s)%n", BLOCKS, medOn, Arrays.toString(round(on)));
            System.out.printf(Locale.ROOT, "recording overhead: %+.1f %% of the frame (target ≤ 5 %%)%n", (medOn / medOff - 1) * 100);
            System.out.printf(Locale.ROOT, "recorder's own time, measured in the frame: %.1f µs a frame = %.1f %% of the mean frame without recording (%.1f µs)%n",
                    recorderUs, recorderUs / meanOff * 100, meanOff);
            System.out.printf(Locale.ROOT, "recorder's running averages: hash %.0f µs in the frame, frame %.0f µs%n",
                    recording.recorder().meanNanos()[0] / 1e3, recording.recorder().meanNanos()[1] / 1e3);
            double[] hashUs = new double[HASH_SAMPLES];
            FrameHasher hasher = new FrameHasher();
            for (int k = 0; k < HASH_SAMPLES; k++) {
                recording.step(BenchScripts.FRAME_SECONDS); // a frame between, so the States are as cold as in a run
                long t0 = System.nanoTime();
                hasher.hash(recording.world(), recording.scripts());
                hashUs[k] = (System.nanoTime() - t0) / 1e3;
            }
            Arrays.sort(hashUs);
            System.out.printf(Locale.ROOT, "frame hash: median %.0f µs of %d, between frames; the recorder hashes every %d frames now%n",
                    hashUs[HASH_SAMPLES / 2], HASH_SAMPLES, recording.recorder().hashInterval());
            Recording r = recording.recorder().recording().copy();
            Recording first600 = new Recording(r.scene(), r.seed(), r.libraries(), Recording.DEFAULT_BUDGET_BYTES);
            for (int i = 0; i < REWIND_FRAMES; i++) first600.append(r.frame(i));
            System.out.printf(Locale.ROOT, "recording memory: %d B for the first %d frames (10 s at 60 Hz; target ≤ 128 MiB)%n",
                    first600.usedBytes(), REWIND_FRAMES);
            for (int k = 0; k < REWINDS; k++) {
                long t0 = System.nanoTime();
                try (Replay replay = Replay.start(first600, options)) {
                    long t1 = System.nanoTime();
                    Divergence d = replay.rewindTo(REWIND_FRAMES);
                    long t2 = System.nanoTime();
                    if (d != null) throw new IllegalStateException("the rewind diverged: " + d);
                    System.out.printf(Locale.ROOT, "rewind to frame %d: %.0f ms (scene load %.0f ms + re-simulation %.0f ms; target ≤ 100 ms)%n",
                            REWIND_FRAMES, (t2 - t0) / 1e6, (t1 - t0) / 1e6, (t2 - t1) / 1e6);
                }
            }
            rewindBack(first600, options);
            liveRewind(recording);
        }
        log.requireQuiet("rewind bench");
    }

    /**
     * Rewinds back inside one replay that has run to frame 600 (taking keyframes on the way):
     * each rewind restores the nearest keyframe in place and re-simulates the frames after it.
     */
    private static void rewindBack(Recording first600, EngineOptions options) throws Exception {
        try (Replay replay = Replay.start(first600, options)) {
            long t0 = System.nanoTime();
            Divergence d = replay.rewindTo(REWIND_FRAMES);
            if (d != null) throw new IllegalStateException("the replay diverged: " + d);
            System.out.printf(Locale.ROOT, "replay to frame %d taking keyframes: %.0f ms; %d keyframes (frames %s), %.1f MB (%.1f MB each)%n",
                    REWIND_FRAMES, (System.nanoTime() - t0) / 1e6, replay.keyframeFrames().length, Arrays.toString(replay.keyframeFrames()),
                    replay.keyframeBytes() / 1e6, replay.keyframeBytes() / 1e6 / replay.keyframeFrames().length);
            for (long target : new long[] {0, 300, REWIND_FRAMES - 1, 0, 300, REWIND_FRAMES - 1}) {
                Engine before = replay.engine();
                long t1 = System.nanoTime();
                d = replay.rewindTo(target);
                long t2 = System.nanoTime();
                if (d != null) throw new IllegalStateException("the rewind diverged: " + d);
                System.out.printf(Locale.ROOT, "rewind from frame %d back to %d: %.1f ms (%s; target ≤ 100 ms)%n", REWIND_FRAMES, target,
                        (t2 - t1) / 1e6, replay.engine() == before ? "keyframe restored in place" : "fresh engine");
                if (replay.rewindTo(REWIND_FRAMES) != null) throw new IllegalStateException("the replay forward diverged");
            }
        }
    }

    /**
     * The live run keyframed as the inspector does ({@link LiveRewind}): what a keyframe costs and
     * the interval that keeps it within budget, then rewinding the live engine back 300 frames in
     * place and replaying it forward to where it was.
     */
    private static void liveRewind(Engine engine) throws Exception {
        LiveRewind live = LiveRewind.attach(engine);
        long t0Live = System.nanoTime();
        for (int i = 0; i < LIVE_FRAMES; i++) engine.step(BenchScripts.FRAME_SECONDS);
        double frameUs = (System.nanoTime() - t0Live) / 1e3 / LIVE_FRAMES, keyframeUs = live.totalKeyframeNanos() / 1e3 / LIVE_FRAMES;
        System.out.printf(Locale.ROOT, "live keyframes' share of the run: %.1f µs a frame of %.0f µs (%.1f %%; budget %.0f %%)%n",
                keyframeUs, frameUs, keyframeUs / frameUs * 100, LiveRewind.KEYFRAME_BUDGET_FRACTION * 100);
        long[] frames = live.keyframeFrames();
        System.out.printf(Locale.ROOT, "live keyframes: %d held (frames %s), %.1f MB (%.2f MB each); the last took %.2f ms, the median of the last 8"
                        + " %.2f ms; interval now %d frames%n",
                frames.length, Arrays.toString(frames), live.keyframeBytes() / 1e6, live.keyframeBytes() / 1e6 / frames.length,
                live.lastKeyframeNanos() / 1e6, live.medianKeyframeNanos() / 1e6, live.keyframeInterval());
        // A keyframe's two parts, timed apart between frames (medians of HASH_SAMPLES, a frame
        // between each so the tables are as cold as in a run).
        double[] worldUs = new double[HASH_SAMPLES], scriptsUs = new double[HASH_SAMPLES];
        for (int k = 0; k < HASH_SAMPLES; k++) {
            engine.simulateFrame(BenchScripts.FRAME_SECONDS);
            long t0 = System.nanoTime();
            engine.world().exportKeyframe();
            long t1 = System.nanoTime();
            if (engine.scripts().exportInstances() == null) throw new IllegalStateException("the bench scene's boundary is not quiet");
            long t2 = System.nanoTime();
            worldUs[k] = (t1 - t0) / 1e3;
            scriptsUs[k] = (t2 - t1) / 1e3;
        }
        Arrays.sort(worldUs);
        Arrays.sort(scriptsUs);
        System.out.printf(Locale.ROOT, "live keyframe parts between frames: world tables %.0f µs, instance table and State slabs %.0f µs (medians of %d)%n",
                worldUs[HASH_SAMPLES / 2], scriptsUs[HASH_SAMPLES / 2], HASH_SAMPLES);
        for (int k = 0; k < REWINDS; k++) {
            long end = engine.frameIndex();
            long t0 = System.nanoTime();
            Divergence d = live.rewindTo(end - 300);
            long t1 = System.nanoTime();
            if (d != null) throw new IllegalStateException("the live rewind diverged: " + d);
            d = live.replayTo(end);
            long t2 = System.nanoTime();
            if (d != null) throw new IllegalStateException("the live replay diverged: " + d);
            live.resume();
            System.out.printf(Locale.ROOT, "live rewind from frame %d back 300 frames: %.1f ms (target ≤ 100 ms); replay forward 300 frames: %.1f ms%n",
                    end, (t1 - t0) / 1e6, (t2 - t1) / 1e6);
            for (int i = 0; i < BLOCK_FRAMES; i++) engine.step(BenchScripts.FRAME_SECONDS);
        }
        live.detach();
    }

    private static long[] round(double[] a) {
        return Arrays.stream(a).mapToLong(Math::round).toArray();
    }

    /** Mean µs per frame over one block. */
    private static double block(Engine engine) {
        long t0 = System.nanoTime();
        for (int i = 0; i < BLOCK_FRAMES; i++) engine.step(BenchScripts.FRAME_SECONDS);
        return (System.nanoTime() - t0) / 1e3 / BLOCK_FRAMES;
    }

    /** A scene of {@link #ENTITIES} entities on a grid, each with the three layered scripts. */
    static Path writeScene(Path dir) throws IOException {
        Files.createDirectories(dir);
        StringBuilder s = new StringBuilder("{ \"kiln_scene\": 1, \"scripts\": {");
        for (int k = 0; k < LayeredFrameBench.SCRIPTS.length; k++) {
            String name = LayeredFrameBench.SCRIPTS[k];
            s.append(k == 0 ? "" : ", ").append('"').append(name).append("\": \"").append(BenchScripts.source(name)).append('"');
        }
        s.append(" },\n \"entities\": [\n");
        int side = (int) Math.ceil(Math.sqrt(ENTITIES));
        for (int i = 0; i < ENTITIES; i++) {
            s.append(i == 0 ? "" : ",\n").append(String.format(Locale.ROOT, "  { \"position\": [%.1f, 0, %.1f], \"scripts\": [",
                    (i % side) * BenchScripts.SPACING_UNITS, (i / side) * BenchScripts.SPACING_UNITS));
            for (int k = 0; k < LayeredFrameBench.SCRIPTS.length; k++) {
                s.append(k == 0 ? "" : ", ").append("{ \"script\": \"").append(LayeredFrameBench.SCRIPTS[k])
                        .append("\", \"priority\": ").append(LayeredFrameBench.PRIORITIES[k]).append(" }");
            }
            s.append("] }");
        }
        s.append("\n] }\n");
        Path file = dir.resolve("scene.json");
        Files.writeString(file, s);
        return file;
    }
}
