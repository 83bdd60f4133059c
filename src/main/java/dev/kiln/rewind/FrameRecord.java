package dev.kiln.rewind;

import java.nio.file.Path;
import java.util.List;

/**
 * One recorded frame: what went into it and the hash of what it left.
 *
 * @param frame   the engine's frame index of the step (0 for the first frame after the scene loaded)
 * @param dt      the step's delta time, in seconds
 * @param reloads library swaps that happened at the frame boundary before it, in order
 * @param edits   changes made from outside the scripts at that boundary (inspector edits, a game's
 *                calls and world writes between steps), in order
 * @param physics the transform requests the frame's barriers handed to a game's physics handler,
 *                in the order handed, each with what the handler wrote to the world for it
 * @param hash    {@link FrameHasher#hash} of the world and States after the frame; 0 when not hashed
 * @param hashed  whether the recorder hashed this frame: it hashes every K-th frame, K chosen so
 *                hashing stays within its share of the frame ({@link Recorder#HASH_BUDGET_FRACTION})
 */
public record FrameRecord(long frame, double dt, List<Reload> reloads, List<HostEdit> edits, List<Handled> physics,
                          long hash, boolean hashed) {
    public FrameRecord {
        reloads = List.copyOf(reloads);
        edits = List.copyOf(edits);
        physics = List.copyOf(physics);
        if (!hashed) hash = 0;
    }

    /** A frame no physics handler took part in. */
    public FrameRecord(long frame, double dt, List<Reload> reloads, List<HostEdit> edits, long hash, boolean hashed) {
        this(frame, dt, reloads, edits, List.of(), hash, hashed);
    }

    /** A hashed frame no physics handler took part in. */
    public FrameRecord(long frame, double dt, List<Reload> reloads, List<HostEdit> edits, long hash) {
        this(frame, dt, reloads, edits, List.of(), hash, true);
    }

    /**
     * A transform request of physics-driven {@code entity} handed to the game's physics handler
     * at a barrier, and the writes the handler made to the world while it had it ({@code writes},
     * in order): a replay, which has no handler, makes those writes where the request is handed.
     */
    public record Handled(long entity, List<HostEdit> writes) {
        public Handled {
            writes = List.copyOf(writes);
        }
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
        for (Handled h : physics) {
            bytes += 48;
            for (HostEdit e : h.writes()) bytes += e.footprintBytes();
        }
        return bytes;
    }
}
