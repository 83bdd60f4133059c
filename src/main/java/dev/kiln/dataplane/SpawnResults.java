package dev.kiln.dataplane;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.abi.Layouts;
import dev.kiln.ecs.Entities;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Spawn results (request id → entity, NULL for a failed spawn) sorted by request id (as
 * unsigned 32-bit values: the SDK binary-searches the published table), each tagged with its
 * frame. Ids are taken at call time, one library after another, but applied in canonical
 * order, so a result can arrive before one with a smaller id: it is inserted in place (ids of
 * earlier frames are all smaller, so frames stay in order too).
 *
 * <p>The pairs live in native memory laid out as the snapshot's kiln_spawn_result table (id,
 * entity, id, entity, ...), and that memory is what the snapshot publishes: the native churn
 * pass appends its spawns' results straight into it ({@link #reserve}, {@link #appended}), so
 * a spawn's result is written once and never copied (W3 applies 1,000 spawns a frame). Adding
 * may move the memory: the table is republished before scripts read it again (the publisher
 * sees the version change). The memory is freed with the table (an automatic arena).
 * Thread: the engine's frame thread.
 */
public final class SpawnResults {
    /** sizeof(kiln_spawn_result): request_id, then entity, both int64. */
    private static final long PAIR_BYTES = Layouts.SPAWN_RESULT.byteSize();
    /** Results the table holds at first; it doubles when full. */
    private static final int FIRST_CAPACITY = 64;

    /** Results [start, end): pairs at 16k (request id) and 16k + 8 (entity); frames[k] = frame applied. */
    private MemorySegment pairs = allocate(FIRST_CAPACITY);
    private long[] frames = new long[FIRST_CAPACITY];
    private int start;
    private int end;
    /** Changes whenever a result is added or dropped, or the memory moves, so an unchanged table is not republished. */
    private long version;

    private static MemorySegment allocate(int results) {
        return Arena.ofAuto().allocate(results * PAIR_BYTES, PAIR_BYTES);
    }

    private long idAt(int k) {
        return pairs.getAtIndex(JAVA_LONG, 2L * k);
    }

    public void add(long frame, long requestId, long entity) {
        if (end == frames.length) makeRoom(1);
        int at = end; // walk back from the tail: usually no step at all
        while (at > start && Integer.compareUnsigned((int) requestId, (int) idAt(at - 1)) < 0) at--;
        MemorySegment.copy(pairs, at * PAIR_BYTES, pairs, (at + 1) * PAIR_BYTES, (end - at) * PAIR_BYTES);
        System.arraycopy(frames, at, frames, at + 1, end - at);
        pairs.setAtIndex(JAVA_LONG, 2L * at, requestId);
        pairs.setAtIndex(JAVA_LONG, 2L * at + 1, entity);
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
        boolean ascending = end == start || Integer.compareUnsigned((int) idAt(end - 1), (int) from[0]) < 0;
        for (int k = 1; k < n && ascending; k++) ascending = Integer.compareUnsigned((int) from[2 * k - 2], (int) from[2 * k]) < 0;
        if (!ascending) {
            for (int k = 0; k < n; k++) add(frame, from[2 * k], from[2 * k + 1]);
            return;
        }
        reserve(n);
        MemorySegment.copy(from, 0, pairs, JAVA_LONG, end * PAIR_BYTES, 2 * n);
        appended(frame, n);
    }

    /**
     * Makes room for {@code more} results past {@link #tail} without moving the ones held out of
     * order: after it, {@link #table} has at least {@link #tail} + {@code more} pairs. May move
     * the memory (call before handing {@link #table} to native code).
     */
    void reserve(int more) {
        if (end + more > frames.length) makeRoom(more);
    }

    /** The pairs' memory, from result index 0 (not {@link #start}): valid until the next add or reserve. */
    MemorySegment table() {
        return pairs;
    }

    /** Index of the pair past the last result: where appended results go. */
    int tail() {
        return end;
    }

    /** Results the table has room for from index 0 (see {@link #reserve}). */
    int capacity() {
        return frames.length;
    }

    /**
     * The last result's request id, or -1 when the table is empty: a result appended at the tail
     * must have a larger id (as unsigned 32-bit values) to keep the table sorted.
     */
    long lastRequestId() {
        return end == start ? -1 : idAt(end - 1) & 0xFFFF_FFFFL;
    }

    /**
     * Takes the {@code n} results native code wrote at [{@link #tail}, {@link #tail} + n) (ids
     * ascending past {@link #lastRequestId}) as results of {@code frame}.
     */
    void appended(long frame, int n) {
        if (n <= 0) return;
        assert ascendingPast(lastRequestId(), end, n) : "spawn results appended out of request-id order";
        Arrays.fill(frames, end, end + n, frame);
        end += n;
        version++;
    }

    /** Whether the ids at [from, from + n) ascend (unsigned) past {@code last} (-1: none before). */
    private boolean ascendingPast(long last, int from, int n) {
        for (int k = from; k < from + n; k++) {
            long id = idAt(k) & 0xFFFF_FFFFL;
            if (id <= last) return false;
            last = id;
        }
        return true;
    }

    /**
     * Makes room for {@code more} results past the tail: moves them to the front, or doubles.
     * After a move at least half the table is free: a table just big enough was moved whole at
     * every barrier of a steady spawner (W3: two frames' 2,000 results, 48 KB with their frames,
     * to make room for 1,400 every frame); now a move comes once per half a table of appends.
     */
    private void makeRoom(int more) {
        int n = end - start;
        if (2L * (n + more) > frames.length) {
            int capacity = frames.length * 2;
            while (capacity < 2L * (n + more)) capacity *= 2;
            MemorySegment bigger = allocate(capacity);
            MemorySegment.copy(pairs, start * PAIR_BYTES, bigger, 0, n * PAIR_BYTES);
            long[] biggerFrames = new long[capacity];
            System.arraycopy(frames, start, biggerFrames, 0, n);
            pairs = bigger;
            frames = biggerFrames;
        } else {
            MemorySegment.copy(pairs, start * PAIR_BYTES, pairs, 0, n * PAIR_BYTES);
            System.arraycopy(frames, start, frames, 0, n);
        }
        start = 0;
        end = n;
        version++; // the results moved: republish
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
        return idAt(start + k);
    }

    /** The entity of result {@code k} (NULL when that spawn failed). */
    public long entity(int k) {
        return pairs.getAtIndex(JAVA_LONG, 2L * (start + k) + 1);
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
            if (Integer.compareUnsigned((int) idAt(mid), requestLowBits) < 0) lo = mid + 1;
            else hi = mid;
        }
        return lo < end && (int) idAt(lo) == requestLowBits ? entity(lo - start) : Entities.NULL;
    }

    /**
     * The results as the snapshot publishes them (kiln_spawn_result[{@link #count}]): a view of
     * the table's own memory, valid until the next add, reserve or drop.
     */
    MemorySegment published() {
        return pairs.asSlice(start * PAIR_BYTES, Math.max(1, count()) * PAIR_BYTES);
    }
}
