package dev.kiln.dataplane;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.kiln.abi.CommandKind;
import dev.kiln.abi.CommandRecords;
import dev.kiln.ecs.World;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The native churn path (native/kiln_churn.c, built into the apply library): one downcall
 * applies a range's run of plain SPAWN records (no prefab, no tags), SPAWN_AT records and DESPAWN records of
 * entities with nothing but their row, straight into the world's entity tables, and writes each
 * entity's snapshot row in the same pass; it stops at the first record it does not apply, for
 * the Java decoder to take from there with every check and report. Spawn results are written
 * straight into the engine's {@link SpawnResults} table, the memory the snapshot publishes.
 *
 * <p>Critical downcalls with heap access, like {@link HotApply}: the world's arrays are read and
 * written in place. One library per process, never unloaded. Thread: the caller's (an engine's
 * frame thread).
 */
public final class ChurnApply {
    /**
     * Counter slots past World's (kiln_churn.h: KILN_CHURN_SPAWNED, _SPAWNED_CAPACITY, _APPLIED, _LAST_ID, _STOP,
     * _POSITION_TABLE).
     */
    static final int SPAWNED = World.CHURN_COUNTERS, SPAWNED_CAPACITY = World.CHURN_COUNTERS + 1,
            APPLIED = World.CHURN_COUNTERS + 2, LAST_ID = World.CHURN_COUNTERS + 3, STOP = World.CHURN_COUNTERS + 4,
            POSITION_TABLE = World.CHURN_COUNTERS + 5, COUNTERS = World.CHURN_COUNTERS + 6;

    /** The smallest spawn record (kiln_cmd_spawn_at): a range of n bytes holds at most n / this many spawns. */
    private static final int SPAWN_RECORD_BYTES_MIN = (int) CommandRecords.SPAWN_AT.byteSize();
    /**
     * Spawns one call applies at most: a critical downcall holds off GC until it returns. A range
     * with more goes on in Java.
     */
    public static final int SPAWNS_PER_CALL_MAX = 1 << 16;

    private static volatile ChurnApply active;

    private final MethodHandle churnRanges;

    private ChurnApply(SymbolLookup lookup) {
        FunctionDescriptor r = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_INT,
                ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
                ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT);
        churnRanges = Linker.nativeLinker().downcallHandle(lookup.find("kiln_churn_apply_ranges").orElseThrow(), r,
                Linker.Option.critical(true));
    }

    /** Loads the library (once per process; later calls return the first). */
    public static synchronized ChurnApply install(Path library) {
        if (active != null) return active;
        active = new ChurnApply(SymbolLookup.libraryLookup(library, Arena.global())); // never unloaded
        return active;
    }

    /** The installed churn path, or null when the engine applies spawns and despawns in Java. */
    public static ChurnApply active() {
        return active;
    }

    /**
     * True when the record at {@code offset} is a SPAWN, SPAWN_AT or DESPAWN: only a routing hint (the
     * native side checks everything again), so a range that starts with anything else costs no
     * downcall.
     */
    public static boolean startsChurn(MemorySegment data, int offset) {
        if (offset < 0 || (offset & 7) != 0 || offset + 2L > data.byteSize()) return false;
        int kind = Short.toUnsignedInt(data.get(JAVA_SHORT, offset));
        return kind == CommandKind.SPAWN.code || kind == CommandKind.SPAWN_AT.code || kind == CommandKind.DESPAWN.code;
    }

    /** One caller's counters, range table and call state (one per engine frame thread). */
    public static final class Pass {
        private final long[] counters = new long[COUNTERS];
        /** (from, end, owner) per range of an {@link #applyRanges} call. */
        private long[] spans = new long[3 * 16];
        /** The call over the world's tables, made once: a lambda per call was garbage every barrier. */
        private final Call call = new Call();

        /** Sets range k of the next {@link #applyRanges} call (the table grows as needed). */
        public void setRange(int k, int from, int end, int owner) {
            if (3 * k + 3 > spans.length) spans = Arrays.copyOf(spans, Math.max(3 * k + 3, 2 * spans.length));
            spans[3 * k] = from;
            spans[3 * k + 1] = end;
            spans[3 * k + 2] = owner;
        }

        /** Where the range an {@link #applyRanges} call stopped in stopped (the first record not applied). */
        public int stopOffset() {
            return (int) counters[STOP];
        }

        /** Records applied since the last take (spawns and despawns). */
        public long takeApplied() {
            long n = counters[APPLIED];
            counters[APPLIED] = 0;
            return n;
        }
    }

    /**
     * One kiln_churn_apply_ranges call: the arguments that are not the world's tables are set
     * before {@link World#applyChurn} runs it, and the tables' heap segments are kept between
     * calls ({@link ArraySegments}), so a barrier's churn call allocates nothing.
     */
    private static final class Call implements World.ChurnKernel {
        /** Slots of {@link #segments}: the world's tables, the counters and the range table. */
        private static final int GENERATIONS = 0, ALIVE = 1, EXTRAS = 2, POSITIONS = 3, ROTATIONS = 4, SCALES = 5,
                VELOCITIES = 6, HELD = 7, CHANGES = 8, DIRTY_LIST = 9, FREE_LIST = 10, COUNTER_SLOTS = 11, SPANS = 12,
                SLOTS = 13;

        private final ArraySegments segments = new ArraySegments(SLOTS);
        private MethodHandle churnRanges;
        private MemorySegment data, spans, table, rows, liveGenerations;
        private int n, rowCapacity, done;

        @Override
        public void run(int[] generations, byte[] alive, byte[] extras, float[] positions, float[] rotations,
                        float[] scales, float[] velocities, byte[] held, byte[] changes, int[] dirtyList,
                        int[] freeList, long[] counters) {
            ArraySegments s = segments;
            try {
                done = (int) churnRanges.invokeExact(data, data.byteSize(), spans, n, s.of(GENERATIONS, generations),
                        s.of(ALIVE, alive), s.of(EXTRAS, extras), s.of(POSITIONS, positions),
                        s.of(ROTATIONS, rotations), s.of(SCALES, scales), s.of(VELOCITIES, velocities),
                        s.of(HELD, held), s.of(CHANGES, changes), s.of(DIRTY_LIST, dirtyList),
                        s.of(FREE_LIST, freeList), s.of(COUNTER_SLOTS, counters), table, rows, liveGenerations,
                        rowCapacity);
            } catch (Throwable t) {
                throw new IllegalStateException("kiln_churn_apply_ranges failed", t);
            }
        }

        /** Drops the references to the call's buffers, so that the Pass keeps no memory alive between calls. */
        void clear() {
            data = null;
            table = null;
            rows = null;
            liveGenerations = null;
        }
    }

    /**
     * Applies the records of [from, end) of {@code data}, written by instance {@code owner}, until
     * one it does not apply; returns that record's offset ({@code end}: all applied). A range the
     * Java decoder would reject as a whole (outside the buffer, misaligned) is returned untouched.
     * Each spawn's result is appended to {@code results} as a result of {@code frame}, written
     * there by the native pass (no copy). Changed rows are written into {@code snapshot}'s entity
     * rows (see {@link SnapshotPublisher#rowTable}).
     */
    public int apply(MemorySegment data, int from, int end, int owner, World world, SnapshotPublisher snapshot,
                     SpawnResults results, long frame, Pass pass) {
        pass.setRange(0, from, end, owner);
        return applyRanges(data, 1, world, snapshot, results, frame, pass) == 1 ? end : pass.stopOffset();
    }

    /**
     * {@link #apply} over the {@code n} ranges set with {@link Pass#setRange}, in order, in one
     * downcall (a batch of spawners: one call per range cost more than its records). Returns how
     * many ranges were applied whole; when fewer than {@code n}, the next one stopped at
     * {@link Pass#stopOffset} (the records before it applied) and the ranges after it were not
     * touched: the caller goes on in Java from there.
     */
    public int applyRanges(MemorySegment data, int n, World world, SnapshotPublisher snapshot, SpawnResults results,
                           long frame, Pass pass) {
        long[] c = pass.counters, spans = pass.spans;
        long bytes = 0;
        for (int k = 0; k < n; k++) bytes += Math.max(0, spans[3 * k + 1] - spans[3 * k]);
        results.reserve((int) Math.min(SPAWNS_PER_CALL_MAX, bytes / SPAWN_RECORD_BYTES_MIN));
        int tail = results.tail();
        c[SPAWNED] = tail;
        c[SPAWNED_CAPACITY] = Math.min(results.capacity(), tail + SPAWNS_PER_CALL_MAX);
        c[LAST_ID] = results.lastRequestId();
        c[POSITION_TABLE] = snapshot.positionTable().address(); // a spawned entity's position entry
        Call call = pass.call;
        call.churnRanges = churnRanges;
        call.data = data;
        call.spans = call.segments.of(Call.SPANS, spans);
        call.n = n;
        call.table = results.table();
        call.rows = snapshot.rowTable();
        call.liveGenerations = snapshot.liveGenerationTable();
        call.rowCapacity = snapshot.rowTableCapacity();
        try {
            world.applyChurn(call, c);
        } finally {
            call.clear();
        }
        results.appended(frame, (int) (c[SPAWNED] - tail));
        return call.done;
    }
}
