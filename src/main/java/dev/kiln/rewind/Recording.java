package dev.kiln.rewind;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A recorded run of a scene: where it started (the scene file, its seed, the library file
 * each script ran at frame 0, and what the host did to the engine before loading the scene: its
 * prelude) and every frame since, in order, within a memory budget.
 *
 * <p>The one keyframe is the scene's start: a replay loads the scene with the recorded library
 * versions and re-simulates. Frames therefore cannot be dropped from the front; when the budget
 * is spent, recording stops ({@link #full()}) and the frames so far stay replayable.
 * Not thread-safe: the recorder appends on the frame thread; readers copy on that thread
 * ({@link #copy()}).
 */
public final class Recording {
    /**
     * Heap bytes a recording may hold unless told otherwise: 16 MiB, about 350 000 frames
     * (1 h 37 min at 60 Hz) of the 48 bytes a frame without reloads takes.
     */
    public static final long DEFAULT_BUDGET_BYTES = 16L << 20;

    private final Path scene;
    private final long seed;
    private final Map<String, Path> libraries;
    private final List<HostEdit> prelude;
    private final List<FrameRecord> frames = new ArrayList<>();
    private final long budgetBytes;
    private long usedBytes;
    private boolean full;

    /**
     * @param scene       the scene file (absolute)
     * @param seed        the seed its scripts ran with
     * @param libraries   library file per script name at frame 0, in load order
     * @param budgetBytes heap bytes the frames may take (at least 0)
     */
    public Recording(Path scene, long seed, Map<String, Path> libraries, long budgetBytes) {
        this(scene, seed, libraries, List.of(), budgetBytes);
    }

    /**
     * @param prelude what the host did to the engine before the scene loaded (the embedding's
     *                input entity), in order: a replay does it again before loading the scene
     */
    public Recording(Path scene, long seed, Map<String, Path> libraries, List<HostEdit> prelude, long budgetBytes) {
        if (budgetBytes < 0) throw new IllegalArgumentException("a recording budget cannot be negative, found " + budgetBytes);
        this.scene = scene;
        this.seed = seed;
        this.libraries = Collections.unmodifiableMap(new LinkedHashMap<>(libraries));
        this.prelude = List.copyOf(prelude);
        this.budgetBytes = budgetBytes;
    }

    /** What the host did to the engine before the scene loaded, in order (empty for a plain scene run). */
    public List<HostEdit> prelude() {
        return prelude;
    }

    public Path scene() {
        return scene;
    }

    public long seed() {
        return seed;
    }

    /** Library file per script name at frame 0. */
    public Map<String, Path> libraries() {
        return libraries;
    }

    /**
     * Appends the next frame; false (and recording stops for good) when it would pass the
     * budget or does not follow the last frame.
     */
    public boolean append(FrameRecord record) {
        if (full) return false;
        if (record.frame() != frames.size()) throw new IllegalArgumentException("frame " + record.frame()
                + " does not follow the recorded " + frames.size() + " frames");
        long bytes = record.footprintBytes();
        if (usedBytes + bytes > budgetBytes) {
            full = true;
            return false;
        }
        frames.add(record);
        usedBytes += bytes;
        return true;
    }

    /** Frames recorded: frames 0 to size() - 1. */
    public int size() {
        return frames.size();
    }

    public FrameRecord frame(long index) {
        if (index < 0 || index >= frames.size()) {
            throw new IndexOutOfBoundsException("frame " + index + " is not recorded (0 to " + (frames.size() - 1) + ")");
        }
        return frames.get((int) index);
    }

    public List<FrameRecord> frames() {
        return Collections.unmodifiableList(frames);
    }

    /**
     * Drops frames {@code frame} and after: the run was rewound to {@code frame} and goes on
     * from there (a live rewind), so those frames are no longer its history. Frees their budget.
     *
     * @throws IllegalArgumentException {@code frame} is negative or past the recorded frames
     */
    public void truncate(long frame) {
        if (frame < 0 || frame > frames.size()) {
            throw new IllegalArgumentException("cannot keep " + frame + " frames of a recording of " + frames.size());
        }
        while (frames.size() > frame) usedBytes -= frames.removeLast().footprintBytes();
        full = false;
    }

    /** The library file per script at the boundary before frame {@code frame}: frame 0's, then the recorded reloads before it. */
    public Map<String, Path> librariesAt(long frame) {
        Map<String, Path> at = new LinkedHashMap<>(libraries);
        for (int f = 0; f < frame && f < frames.size(); f++) {
            for (FrameRecord.Reload r : frames.get(f).reloads()) at.put(r.script(), r.library());
        }
        return at;
    }

    /** True once the budget stopped recording. */
    public boolean full() {
        return full;
    }

    public long usedBytes() {
        return usedBytes;
    }

    public long budgetBytes() {
        return budgetBytes;
    }

    /** A copy of what is recorded so far (the recorder keeps appending to this one). */
    public Recording copy() {
        Recording c = new Recording(scene, seed, libraries, prelude, budgetBytes);
        for (FrameRecord f : frames) c.append(f);
        return c;
    }
}
