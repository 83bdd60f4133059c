package dev.kiln.abi;

import dev.kiln.ecs.Entities;
import java.util.Arrays;

/**
 * Spawn results (request id → entity, NULL for a failed spawn) in the order they were applied,
 * each tagged with its frame, oldest first. Kept as primitive arrays laid out like the
 * snapshot's kiln_spawn_result table (id, entity, id, entity, ...), so a publish is one bulk
 * copy and a spawn adds no object: W3 applies 1,000 spawns a frame.
 */
public final class SpawnResults {
    /** Results [start, end): pairs[2k] = request id, pairs[2k + 1] = entity; frames[k] = frame applied. */
    private long[] pairs = new long[128];
    private long[] frames = new long[64];
    private int start;
    private int end;
    /** Request ids were added in increasing order (one library's spawns always are): binary search works. */
    private boolean sortedById = true;
    /** Changes whenever a result is added or dropped, so an unchanged table is not republished. */
    private long version;

    public void add(long frame, long requestId, long entity) {
        if (end == frames.length) makeRoom();
        if (end > start && Integer.compareUnsigned((int) requestId, (int) pairs[2 * (end - 1)]) <= 0) sortedById = false;
        pairs[2 * end] = requestId;
        pairs[2 * end + 1] = entity;
        frames[end] = frame;
        end++;
        version++;
    }

    private void makeRoom() {
        int n = end - start;
        if (n * 2 > frames.length) {
            frames = Arrays.copyOf(frames, frames.length * 2);
            pairs = Arrays.copyOf(pairs, pairs.length * 2);
        }
        System.arraycopy(frames, start, frames, 0, n);
        System.arraycopy(pairs, 2 * start, pairs, 0, 2 * n);
        start = 0;
        end = n;
    }

    /** Drops the results applied before {@code frame}. */
    public void dropBefore(long frame) {
        int from = start;
        while (start < end && frames[start] < frame) start++;
        if (start != from) version++;
        if (start == end) {
            start = 0;
            end = 0;
            sortedById = true;
        }
    }

    public int count() {
        return end - start;
    }

    public long version() {
        return version;
    }

    /** The request id of result {@code k} (0 = oldest). */
    public long requestId(int k) {
        return pairs[2 * (start + k)];
    }

    /** The entity of result {@code k} (NULL when that spawn failed). */
    public long entity(int k) {
        return pairs[2 * (start + k) + 1];
    }

    /**
     * The entity spawned by the request whose id's low 32 bits are {@code requestLowBits} (what a
     * pending handle carries), NULL when unknown or failed. Ids compare as unsigned
     * 32-bit values, as the SDK's lookup does: they wrap only after 2^32 spawns.
     */
    public long entityOf(int requestLowBits) {
        if (sortedById) {
            int lo = start, hi = end;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (Integer.compareUnsigned((int) pairs[2 * mid], requestLowBits) < 0) lo = mid + 1;
                else hi = mid;
            }
            return lo < end && (int) pairs[2 * lo] == requestLowBits ? pairs[2 * lo + 1] : Entities.NULL;
        }
        for (int k = end - 1; k >= start; k--) if ((int) pairs[2 * k] == requestLowBits) return pairs[2 * k + 1];
        return Entities.NULL;
    }

    /** The (id, entity) pairs, from index {@link #pairsFrom()}: for the publisher's bulk copy. */
    long[] pairs() {
        return pairs;
    }

    int pairsFrom() {
        return 2 * start;
    }
}
