package dev.kiln.rewind;

import java.nio.file.Path;
import java.util.List;

/**
 * One recorded frame: what went into it and the hash of what it left.
 *
 * @param frame  the engine's frame index of the step (0 for the first frame after the scene loaded)
 * @param dt     the step's delta time, in seconds
 * @param reloads library swaps that happened at the frame boundary before it, in order
 * @param edits  changes made from outside the scripts at that boundary (inspector edits), in order
 * @param hash   {@link FrameHasher#hash} of the world and States after the frame; 0 when not hashed
 * @param hashed whether the recorder hashed this frame: it hashes every K-th frame, K chosen so
 *               hashing stays within its share of the frame ({@link Recorder#HASH_BUDGET_FRACTION})
 */
public record FrameRecord(long frame, double dt, List<Reload> reloads, List<HostEdit> edits, long hash, boolean hashed) {
    public FrameRecord {
        reloads = List.copyOf(reloads);
        edits = List.copyOf(edits);
        if (!hashed) hash = 0;
    }

    /** A hashed frame. */
    public FrameRecord(long frame, double dt, List<Reload> reloads, List<HostEdit> edits, long hash) {
        this(frame, dt, reloads, edits, hash, true);
    }

    /**
     * A script's library replaced by another version at a frame boundary (hot reload, revert,
     * rollback): a replay that follows the recorded code swaps to {@code library} there.
     *
     * @param script  the script's name
     * @param library the library file now running (content-hashed, under the build directory)
     */
    public record Reload(String script, Path library) {}

    /** Bytes this record holds on the heap, roughly: what the recording's budget counts. */
    long footprintBytes() {
        long bytes = 48;
        for (Reload r : reloads) bytes += 64 + 2L * (r.script().length() + r.library().toString().length());
        for (HostEdit e : edits) bytes += e.footprintBytes();
        return bytes;
    }
}
