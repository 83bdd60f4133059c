package dev.kiln.dataplane;

import dev.kiln.ecs.Entities;
import java.util.Arrays;

/**
 * Spawn results (request id → entity, NULL for a failed spawn) sorted by request id (as
 * unsigned 32-bit values: the SDK binary-searches the published table), each tagged with its
 * frame. Ids are taken at call time, one library after another, but applied in canonical
 * order, so a result can arrive before one with a smaller id: it is inserted in place (ids of
 * earlier frames are all smaller, so frames stay in order too). Kept as primitive arrays laid out like the
 * snapshot's kiln_spawn_result table (id, entity, id, entity, ...), so a publish is one bulk
 * copy and a spawn adds no object: W3 applies 1,000 spawns a frame.
 */
public final class SpawnResults {
    /** Results [start, end): pairs[2k] = request id, pairs[2k + 1] = entity; frames[k] = frame applied. */
    private long[] pairs = new long[128];
    private long[] frames = new long[64];
    private int start;
    private int end;
    /** Changes whenever a result is added or dropped, so an unchanged table is not republished. */
    private long version;

    public void add(long frame, long requestId, long entity) {
        if (end == frames.length) makeRoom();
        int at = end; // walk back from the tail: usually no step at all
        while (at > start && Integer.compareUnsigned((int) requestId, (int) pairs[2 * (at - 1)]) < 0) at--;
        System.arraycopy(pairs, 2 * at, pairs, 2 * at + 2, 2 * (end - at));
        System.arraycopy(frames, at, frames, at + 1, end - at);
        pairs[2 * at] = requestId;
        pairs[2 * at + 1] = entity;
        frames[at] = frame;
        end++;
        version++;
    }

    /**
     * Adds {@code n} results of {@code frame} from {@code from} (id, entity, id, entity, ...): one
     * bulk copy when their ids ascend past every result held (a spawner's run of spawns), else
     * one {@link #add} each. The table is the same either way.
     */
    public void addAll(long frame, long[] from, int n) {
        boolean ascending = end == start || Integer.compareUnsigned((int) pairs[2 * (end - 1)], (int) from[0]) < 0;
        for (int k = 1; k < n && ascending; k++) ascending = Integer.compareUnsigned((int) from[2 * k - 2], (int) from[2 * k]) < 0;
        if (!ascending) {
            for (int k = 0; k < n; k++) add(frame, from[2 * k], from[2 * k + 1]);
            return;
        }
        while (end + n > frames.length) makeRoom(n);
        System.arraycopy(from, 0, pairs, 2 * end, 2 * n);
        Arrays.fill(frames, end, end + n, frame);
        end += n;
        version++;
    }

    private void makeRoom() {
        makeRoom(1);
    }

    /** Makes room for {@code more} results past the tail: moves them to the front, or doubles. */
    private void makeRoom(int more) {
        int n = end - start;
        if (n * 2 > frames.length || n + more > frames.length) {
            frames = Arrays.copyOf(frames, frames.length * 2);
            pairs = Arrays.copyOf(pairs, pairs.length * 2);
        }
        System.arraycopy(frames, start, frames, 0, n);
        System.arraycopy(pairs, 2 * start, pairs, 0, 2 * n);
        start = 0;
        end = n;
    }

    /**
     * Drops the results applied before {@code frame}, oldest first. A scan from the front, not a
     * bisection: request ids come from script-written records, so a script that writes its own
     * ids can leave the frames out of order, and a bisection could then drop this frame's results
     * (other scripts' pending handles); the scan stops at the first result it must keep. Each
     * result is passed over once, when it is dropped.
     */
    public void dropBefore(long frame) {
        int from = start;
        while (start < end && frames[start] < frame) start++;
        if (start != from) version++;
        if (start == end) {
            start = 0;
            end = 0;
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
        int lo = start, hi = end;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Integer.compareUnsigned((int) pairs[2 * mid], requestLowBits) < 0) lo = mid + 1;
            else hi = mid;
        }
        return lo < end && (int) pairs[2 * lo] == requestLowBits ? pairs[2 * lo + 1] : Entities.NULL;
    }

    /** The (id, entity) pairs, from index {@link #pairsFrom()}: for the publisher's bulk copy. */
    long[] pairs() {
        return pairs;
    }

    int pairsFrom() {
        return 2 * start;
    }
}
