package dev.kiln.rewind;

import dev.kiln.ecs.World;
import dev.kiln.script.LogEntry;
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
 * the {@link FrameHasher hash} it leaves.
 *
 * <p>The engine calls {@link #frameStarting} and {@link #frameEnded} around each frame it runs
 * (not while paused), on the frame thread; nothing else here runs per frame.
 */
public final class Recorder {
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
    private double dt;

    /**
     * A recorder of {@code world} and {@code scripts} (one engine's), whose recordings may hold
     * {@code budgetBytes} of heap; {@code frameIndex} reads the engine's frame index.
     */
    public Recorder(World world, ScriptRuntime scripts, LongSupplier frameIndex, long budgetBytes) {
        this.world = world;
        this.scripts = scripts;
        this.frameIndex = frameIndex;
        this.budgetBytes = budgetBytes;
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
        recording = new Recording(scene.toAbsolutePath().normalize(), seed, running, budgetBytes);
    }

    /** The recording so far (appended to as frames run), or null when nothing is recorded. */
    public Recording recording() {
        return recording;
    }

    /**
     * A change made from outside the scripts between frames (an inspector edit, already
     * applied): a replay makes it again before the same frame. Frame thread only.
     */
    public void noteEdit(HostEdit edit) {
        if (recording != null) edits.add(edit);
    }

    /** Before a frame runs: notes its delta time and the library swaps since the last frame. */
    public void frameStarting(long frame, double deltaSeconds) {
        if (recording == null) return;
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
    }

    /** After the frame: appends its record; past the budget, recording stops with a warning. */
    public void frameEnded(long frame) {
        if (recording == null) return;
        FrameRecord record = new FrameRecord(frame, dt, reloads, edits, hasher.hash(world, scripts));
        edits.clear();
        if (!recording.append(record) && recording.full()) {
            scripts.logEngine(LogEntry.Level.WARN, "recording stopped at frame " + frame + ": its budget of "
                    + (recording.budgetBytes() >> 20) + " MiB is spent; the " + recording.size()
                    + " frames before stay replayable");
            recording = null;
        }
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
