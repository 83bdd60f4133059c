package dev.kiln.replay;

import dev.kiln.abi.LibraryLoadException;
import dev.kiln.engine.Engine;
import dev.kiln.engine.EngineOptions;
import dev.kiln.loader.ScriptCode;
import dev.kiln.rewind.Divergence;
import dev.kiln.rewind.FrameHasher;
import dev.kiln.rewind.FrameRecord;
import dev.kiln.rewind.HostEdit;
import dev.kiln.rewind.Recording;
import dev.kiln.rewind.WorldImage;
import dev.kiln.scene.Scene;
import dev.kiln.scene.SceneException;
import dev.kiln.scene.SceneLoader;
import dev.kiln.scene.SceneLocation;
import dev.kiln.script.ScriptLibrary;
import dev.kiln.script.SwapResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A recording re-simulated in an engine of its own: the scene loaded with the recorded library
 * versions and seed (the keyframe), then frames stepped with the recorded delta times, the
 * recorded edits made again before each.
 *
 * <p>{@link #rewindTo} runs the recorded code (applying the recorded reloads) to a frame and
 * checks every hash on the way; the engine then stands between frames, "paused there".
 * {@link #replayTo} runs on with whatever code the replay engine has now (swap a fixed library
 * in with {@link #swap}) and stops at the first frame that differs, reporting that frame and the
 * first entity and field that differ. The recording holds the hash of every K-th frame only, so
 * a difference is seen at the next hashed frame; the replay then rebuilds the recorded run and
 * its own history in two engines and steps them together from the last frame known to match,
 * comparing them every frame, and continues in the rebuilt engine (so {@link #engine()} is
 * another object after a divergence, standing just after the divergent frame). Use on one
 * thread; close it to unload everything.
 */
public final class Replay implements AutoCloseable {
    private final Recording recording;
    private final EngineOptions options;
    private Engine engine;
    private FrameHasher hasher = new FrameHasher();
    /** This replay's history, what {@link #explain} repeats: hand swaps and each frame's code. */
    private List<Swap> swaps = new ArrayList<>();
    private BitSet recordedCodeFrames = new BitSet();
    /** Frames before this one are known to agree with the recording (the last hashed one matched). */
    private long verified;
    /** True while this replay's engine runs the recorded run (no hand swap, no recorded reload skipped). */
    private boolean onRecordedRun = true;
    /** Keyframes of the recorded run, oldest first, within {@link #KEYFRAME_BUDGET_BYTES} (frame 0's kept). */
    private final KeyframeRing keyframes = new KeyframeRing(KEYFRAME_BUDGET_BYTES);

    /** Frames between two keyframes a replay takes of the recorded run: a rewind re-simulates fewer than this. */
    public static final int KEYFRAME_INTERVAL = 60;
    /**
     * Heap bytes a replay's keyframes may hold (64 MiB): at 10k entities × 3 scripts a keyframe
     * is about 1.1 MB besides the instance rows consecutive keyframes share (docs/performance.md),
     * so about fifty of them, ~50 s at 60 Hz; the oldest go first, except the scene's start (frame 0).
     */
    public static final long KEYFRAME_BUDGET_BYTES = 64L << 20;

    private Replay(Recording recording, EngineOptions options, Engine engine) {
        this.recording = recording;
        this.options = options;
        this.engine = engine;
    }

    /**
     * Loads the recording's scene into a fresh engine made with {@code options} (its cell size
     * and request quota come from the scene), at frame 0, after making the recording's
     * {@linkplain Recording#prelude prelude} (what the host did before the scene: the embedding's
     * input entity).
     *
     * @throws SceneException the scene no longer parses, or a recorded library cannot be loaded
     * @throws IllegalStateException a prelude edit cannot be made again (the message says which and why)
     */
    public static Replay start(Recording recording, EngineOptions options) throws SceneException {
        Scene scene = SceneLoader.parse(recording.scene());
        if (scene.settings().seed() != recording.seed()) {
            throw new SceneException(new SceneLocation(recording.scene(), 0, 0, "settings.seed"),
                    "the scene's seed is now " + Long.toUnsignedString(scene.settings().seed())
                            + " but the recording ran with " + Long.toUnsignedString(recording.seed()));
        }
        // The replay checks its own hashes; recording it as well would hash every frame twice.
        Engine engine = new Engine(scene.settings().applyTo(options.withRecording(false)));
        try {
            for (HostEdit edit : recording.prelude()) {
                String refused = edit.apply(engine.world(), engine.scripts());
                if (refused != null) {
                    throw new IllegalStateException("the recording's prelude edit '" + edit.encode() + "' cannot be made again: " + refused);
                }
            }
            SceneLoader.load(engine, scene, recording.libraries());
        } catch (SceneException | RuntimeException e) {
            engine.close();
            throw e;
        }
        return new Replay(recording, options, engine);
    }

    public Engine engine() {
        return engine;
    }

    public Recording recording() {
        return recording;
    }

    /** The next frame this replay will run (the number of frames run so far). */
    public long frame() {
        return engine.frameIndex();
    }

    /**
     * Runs the recorded code up to (not including) {@code frame}: each recorded frame with its
     * delta time, after swapping to the libraries the recording reloaded before it. A frame
     * behind this replay is reached from the newest keyframe at or before it (restored in place
     * when the engine can take it, else in a fresh engine from the scene: {@link #engine()} is
     * then another object), re-simulating the frames after it.
     *
     * @return the first divergence from the recorded hashes, or null when every hashed frame matched
     * @throws IllegalArgumentException {@code frame} is negative or past the recording
     * @throws LibraryLoadException a recorded library can no longer be loaded
     * @throws SceneException the scene no longer loads (only when a fresh engine is needed)
     */
    public Divergence rewindTo(long frame) throws LibraryLoadException, SceneException {
        if (frame < 0 || frame > recording.size()) {
            throw new IllegalArgumentException("cannot rewind to frame " + frame + ": the recording holds frames 0 to "
                    + (recording.size() - 1));
        }
        if (frame < engine.frameIndex()) back(frame);
        return run(frame, true);
    }

    /**
     * Puts this replay at or before {@code frame} on the recorded run: the newest keyframe at or
     * before it that the engine can take (see {@link Keyframe}), else a fresh engine from the
     * scene (then the keyframes, kept, may still apply to it).
     */
    private void back(long frame) throws SceneException {
        Keyframe k = nearest(frame);
        if (k == null) {
            Replay fresh = start(recording, options);
            adopt(fresh);
            k = nearest(frame);
            if (k == null || k.frame == 0) return;
        }
        k.restoreInto(engine);
        swaps.clear();
        recordedCodeFrames.clear();
        recordedCodeFrames.set(0, Math.toIntExact(k.frame));
        verified = Math.min(verified, k.frame);
        onRecordedRun = true;
    }

    private Keyframe nearest(long frame) {
        return keyframes.nearest(frame, engine, true);
    }

    /** Keyframes held now, oldest first: their frames. */
    public long[] keyframeFrames() {
        return keyframes.frames();
    }

    /** Heap bytes the keyframes hold, roughly. */
    public long keyframeBytes() {
        return keyframes.bytes();
    }

    /** Takes a keyframe when the recorded run is KEYFRAME_INTERVAL frames past the last one (or has none). */
    private void maybeKeyframe() {
        if (!onRecordedRun) return;
        long at = engine.frameIndex(), last = keyframes.newestFrame();
        if (last >= 0 && at - last < KEYFRAME_INTERVAL) return;
        Keyframe k = Keyframe.take(engine);
        if (k != null) keyframes.add(k); // null: not a quiet boundary, the next one is tried
    }

    /**
     * Runs the code now loaded up to (not including) {@code frame}, with the recorded delta times
     * and without the recorded reloads (they would put the old code back).
     *
     * @return the first divergence, or null when every frame matched
     */
    public Divergence replayTo(long frame) throws LibraryLoadException {
        return run(frame, false);
    }

    private Divergence run(long frame, boolean recordedCode) throws LibraryLoadException {
        if (frame < engine.frameIndex() || frame > recording.size()) {
            throw new IllegalArgumentException("cannot run to frame " + frame + ": this replay is at frame "
                    + engine.frameIndex() + " and the recording holds frames 0 to " + (recording.size() - 1));
        }
        while (engine.frameIndex() < frame) {
            maybeKeyframe();
            long at = engine.frameIndex();
            boolean ran = advance(recordedCode);
            FrameRecord r = recording.frame(at);
            if (ran && !r.hashed()) continue;
            if (!ran || hasher.hash(engine.world(), engine.scripts()) != r.hash()) {
                long known = verified;
                Divergence d = explain(at);
                keyframes.dropAfter(known);
                return d;
            }
            verified = at + 1;
        }
        maybeKeyframe();
        return null;
    }

    /**
     * Runs the next recorded frame: the recorded reloads first when {@code recordedCode}, then the
     * recorded edits, then the step. False when an edit's entity or instance is gone (the run has
     * already left the recording). Notes the mode in this replay's history.
     */
    private boolean advance(boolean recordedCode) throws LibraryLoadException {
        long at = engine.frameIndex();
        FrameRecord r = recording.frame(at);
        recordedCodeFrames.set(Math.toIntExact(at), recordedCode);
        if (!recordedCode && !r.reloads().isEmpty()) onRecordedRun = false;
        if (recordedCode) for (FrameRecord.Reload reload : r.reloads()) load(reload.script(), reload.library());
        for (HostEdit edit : r.edits()) {
            if (edit.apply(engine.world(), engine.scripts()) != null) return false;
        }
        engine.step(r.dt());
        return true;
    }

    /**
     * Replaces script {@code name}'s library with the file {@code library} (State migrated as in
     * a hot reload), between frames.
     *
     * @throws LibraryLoadException the file is not a loadable script library
     * @throws IllegalStateException the swap was refused (its result's reason in the message)
     */
    public void swap(String name, Path library) throws LibraryLoadException {
        load(name, library);
        swaps.add(new Swap(engine.frameIndex(), name, library));
        onRecordedRun = false;
    }

    private void load(String name, Path library) throws LibraryLoadException {
        swapTo(engine, name, library);
    }

    /**
     * Swaps script {@code name} in {@code engine} to the library file {@code library} (a hot
     * reload's swap); a script not loaded yet is loaded from it, in the engine's process, as a
     * script the run loaded after its scene (the recorder notes a new library as it notes a swap).
     */
    static void swapTo(Engine engine, String name, Path library) throws LibraryLoadException {
        ScriptLibrary current = engine.scripts().library(name);
        if (current == null) {
            ScriptLibrary loaded = engine.scripts().load(library, null);
            if (!loaded.name().equals(name)) {
                engine.scripts().unload(loaded);
                throw new IllegalStateException("the recording loads script '" + name + "' from " + library
                        + ", which holds script '" + loaded.name() + "'");
            }
            return;
        }
        swapIn(engine, name, engine.scripts().loadCode(library, current.isolated()));
    }

    /** Swaps script {@code name} to {@code code}, already loaded; a refused swap is an IllegalStateException. */
    static void swapIn(Engine engine, String name, ScriptCode code) {
        SwapResult result = engine.scripts().swapLibrary(name, code);
        if (!result.ok()) throw new IllegalStateException("swapping " + name + " to " + code.path() + " was refused: " + result);
    }

    /** A {@link #swap} made by hand before frame {@code frame}: part of what a rebuild repeats. */
    private record Swap(long frame, String script, Path library) {}

    /**
     * Frame {@code revealed} left the recording (its hash differs, or an edit found its target
     * gone), but the recorder hashes only every K-th frame, so the first divergent frame lies
     * somewhere after {@link #verified}. Rebuilds two runs to there in engines of their own — the
     * recording with its own code (the reference) and this replay's history (the candidate) — and
     * steps them together, comparing their hashes every frame: the first frame they differ at is
     * the divergence, named by entity and field from the two worlds. The candidate then becomes
     * this replay's engine, so the replay stands just after that frame.
     */
    private Divergence explain(long revealed) {
        Replay reference = null, candidate = null;
        try {
            reference = start(recording, options);
            candidate = start(recording, options);
            int next = 0;
            for (long f = 0; f < revealed + 1; f++) {
                while (next < swaps.size() && swaps.get(next).frame() == f) {
                    candidate.swap(swaps.get(next).script(), swaps.get(next).library());
                    next++;
                }
                boolean ran = candidate.advance(recordedCodeFrames.get(Math.toIntExact(f)));
                // The recorded code must reproduce the recording up to here, or the two runs'
                // difference says nothing about the change: then only the frame is reported.
                if (!reference.advance(true)) return Divergence.unexplained(verified, revealed);
                FrameRecord r = recording.frame(f);
                boolean known = f < verified && ran; // both agree with the recording here: nothing to compare
                if (known && !r.hashed()) continue;
                long expected = reference.hasher.hash(reference.engine.world(), reference.engine.scripts());
                if (r.hashed() && expected != r.hash()) return Divergence.unexplained(verified, revealed);
                if (known) continue;
                if (!ran || expected != candidate.hasher.hash(candidate.engine.world(), candidate.engine.scripts())) {
                    candidate.verified = f;
                    Divergence d = Divergence.between(f, WorldImage.of(reference.engine.world(), reference.engine.scripts()),
                            WorldImage.of(candidate.engine.world(), candidate.engine.scripts()));
                    adopt(candidate);
                    candidate = null;
                    return d;
                }
            }
            // The rebuilt replay agrees with the recorded run through the frame whose hash
            // differed: this replay's run is not reproducible (a script is not deterministic).
            return Divergence.unexplained(verified, revealed);
        } catch (SceneException | LibraryLoadException | RuntimeException e) {
            return Divergence.unexplained(verified, revealed);
        } finally {
            if (reference != null) reference.close();
            if (candidate != null) candidate.close();
        }
    }

    /** Takes {@code other}'s engine and history as this replay's (closing this one's engine). */
    private void adopt(Replay other) {
        Engine old = engine;
        engine = other.engine;
        hasher = other.hasher;
        swaps = other.swaps;
        recordedCodeFrames = other.recordedCodeFrames;
        verified = other.verified;
        onRecordedRun = other.onRecordedRun;
        other.engine = null;
        old.close();
    }

    @Override
    public void close() {
        if (engine != null) engine.close();
    }
}
