package dev.kiln.replay;

import dev.kiln.abi.LibraryLoadException;
import dev.kiln.abi.ScriptCode;
import dev.kiln.engine.Engine;
import dev.kiln.engine.EngineOptions;
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

/**
 * A recording re-simulated in an engine of its own: the scene loaded with the recorded library
 * versions and seed (the keyframe), then frames stepped with the recorded delta times, the
 * recorded edits made again before each.
 *
 * <p>{@link #rewindTo} runs the recorded code (applying the recorded reloads) to a frame and
 * checks every hash on the way; the engine then stands between frames, "paused there".
 * {@link #replayTo} runs on with whatever code the replay engine has now (swap a fixed library
 * in with {@link #swap}) and stops at the first frame whose hash differs, reporting the first
 * entity and field that differ: it rebuilds the recorded run to that frame in a second engine
 * and compares the two worlds. Use on one thread; close it to unload everything.
 */
public final class Replay implements AutoCloseable {
    private final Recording recording;
    private final EngineOptions options;
    private final Engine engine;
    private final FrameHasher hasher = new FrameHasher();

    private Replay(Recording recording, EngineOptions options, Engine engine) {
        this.recording = recording;
        this.options = options;
        this.engine = engine;
    }

    /**
     * Loads the recording's scene into a fresh engine made with {@code options} (its cell size
     * and request quota come from the scene), at frame 0.
     *
     * @throws SceneException the scene no longer parses, or a recorded library cannot be loaded
     */
    public static Replay start(Recording recording, EngineOptions options) throws SceneException {
        Scene scene = SceneLoader.parse(recording.scene());
        if (scene.settings().seed() != recording.seed()) {
            throw new SceneException(new SceneLocation(recording.scene(), 0, 0, "settings.seed"),
                    "the scene's seed is now " + Long.toUnsignedString(scene.settings().seed())
                            + " but the recording ran with " + Long.toUnsignedString(recording.seed()));
        }
        Engine engine = new Engine(scene.settings().applyTo(options));
        try {
            SceneLoader.load(engine, scene, recording.libraries());
            // The replay checks its own hashes; recording it as well would hash every frame twice.
            if (engine.recorder() != null) engine.recorder().stop();
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
     * delta time, after swapping to the libraries the recording reloaded before it.
     *
     * @return the first divergence from the recorded hashes, or null when every frame matched
     * @throws IllegalArgumentException {@code frame} is behind this replay or past the recording
     * @throws LibraryLoadException a recorded library can no longer be loaded
     */
    public Divergence rewindTo(long frame) throws LibraryLoadException {
        return run(frame, true);
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
            long at = engine.frameIndex();
            if (!step(recordedCode)) return explain(at);
        }
        return null;
    }

    /** Runs the next recorded frame; true when its hash matches the recording. */
    private boolean step(boolean recordedCode) throws LibraryLoadException {
        FrameRecord r = recording.frame(engine.frameIndex());
        if (recordedCode) for (FrameRecord.Reload reload : r.reloads()) swap(reload.script(), reload.library());
        for (HostEdit edit : r.edits()) {
            if (edit.apply(engine.world(), engine.scripts()) != null) return false; // its entity or instance is gone: already diverged
        }
        engine.step(r.dt());
        return hasher.hash(engine.world(), engine.scripts()) == r.hash();
    }

    /**
     * Replaces script {@code name}'s library with the file {@code library} (State migrated as in
     * a hot reload), between frames.
     *
     * @throws LibraryLoadException the file is not a loadable script library
     * @throws IllegalStateException the swap was refused (its result's reason in the message)
     */
    public void swap(String name, Path library) throws LibraryLoadException {
        ScriptLibrary current = engine.scripts().library(name);
        if (current == null) throw new IllegalStateException("no script '" + name + "' is loaded in the replay");
        ScriptCode code = engine.scripts().loadCode(library, current.isolated());
        SwapResult result = engine.scripts().swapLibrary(name, code);
        if (!result.ok()) throw new IllegalStateException("swapping " + name + " to " + library + " was refused: " + result);
    }

    /** Rebuilds the recorded run through {@code frame} and names the first entity and field that differ. */
    private Divergence explain(long frame) {
        try (Replay reference = start(recording, options)) {
            // The recorded code must reproduce the recording up to here, or the two runs'
            // difference says nothing about the change: then only the frame is reported.
            if (reference.rewindTo(frame) != null) return Divergence.unexplained(frame);
            reference.step(true);
            return Divergence.between(frame, WorldImage.of(reference.engine.world(), reference.engine.scripts()),
                    WorldImage.of(engine.world(), engine.scripts()));
        } catch (SceneException | LibraryLoadException e) {
            return Divergence.unexplained(frame);
        }
    }

    @Override
    public void close() {
        engine.close();
    }
}
