package dev.kiln.dataplane;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.kiln.abi.CommandKind;
import dev.kiln.ecs.World;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.function.LongConsumer;

/**
 * The native apply path (native/kiln_apply.c): one downcall applies every hot record
 * (SET_POSITION, TRANSLATE, SET_SCALE, SET_VELOCITY) of a run of command ranges straight into
 * the world's transform tables, and stops at the first record it does not apply — another
 * kind, or one that would fail or be reported — for the Java decoder to take from there.
 *
 * <p>The world's tables stay Java arrays: the downcall is critical with heap access, so the
 * native code reads and writes the arrays in place (no copy, no native mirror to keep in
 * sync); the JVM holds off GC for the call, which is bounded by the records in the buffer.
 * One library per process, never unloaded, like the fault guard.
 */
public final class HotApply {
    /**
     * Counter slots past World's own (kiln_apply.h: KILN_APPLY_APPLIED, _STOP_OFFSET, and the
     * inputs _POSITION_TABLE, _ROW_POSITIONS set from the snapshot before every call).
     */
    private static final int APPLIED = World.HOT_COUNTERS, STOP_OFFSET = World.HOT_COUNTERS + 1,
            POSITION_TABLE = World.HOT_COUNTERS + 2, ROW_POSITIONS = World.HOT_COUNTERS + 3;
    /** Where the Java side keeps the range a call stopped in (not seen by the native side). */
    private static final int STOP_RANGE = World.HOT_COUNTERS + 4;
    /** Length of the counters array a caller keeps ({@link #counters()}). */
    private static final int COUNTERS = World.HOT_COUNTERS + 5;

    /**
     * Ranges applied per downcall at most. A critical downcall holds off GC (other threads' too)
     * until it returns: 16k ranges of the usual one or two records are ~0.1 ms; a scene of a
     * million movers is applied in slices instead of one multi-millisecond call.
     */
    public static final int RANGES_PER_CALL_MAX = 1 << 14;

    /**
     * KILN_APPLY_STOP_AT_OWN: {@link #stopOffset} when {@link #applyBatch} stopped at an instance's
     * own transform (kiln_own_transform), not at a record: the instance's own transform and then
     * its whole range are Java's.
     */
    public static final int STOP_AT_OWN = -1;

    /**
     * KILN_APPLY_STOP_AT_LANE: {@link #stopOffset} when {@link #applyBatch}, its lane bound
     * ({@link NativeSignals#bindLanes}), stopped at an instance's lane part it did not take: the
     * rest of the part and then the instance's whole range are Java's.
     */
    public static final int STOP_AT_LANE = -2;

    private static volatile HotApply active;

    private final MethodHandle applyHot;
    private final MethodHandle collectRanges;
    private final MethodHandle applyBatch;
    private final MethodHandle integrate;
    private final MethodHandle entriesQuiet;

    private HotApply(SymbolLookup lookup) {
        FunctionDescriptor d = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
                JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
                JAVA_INT);
        applyHot = Linker.nativeLinker().downcallHandle(lookup.find("kiln_apply_hot").orElseThrow(), d,
                Linker.Option.critical(true));
        FunctionDescriptor c = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS,
                ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT);
        collectRanges = Linker.nativeLinker().downcallHandle(lookup.find("kiln_collect_ranges").orElseThrow(), c,
                Linker.Option.critical(true));
        FunctionDescriptor b = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
                ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
                JAVA_INT);
        applyBatch = Linker.nativeLinker().downcallHandle(lookup.find("kiln_apply_batch").orElseThrow(), b,
                Linker.Option.critical(true));
        FunctionDescriptor i = FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_FLOAT, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
                ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT);
        integrate = Linker.nativeLinker().downcallHandle(lookup.find("kiln_integrate").orElseThrow(), i,
                Linker.Option.critical(true));
        entriesQuiet = Linker.nativeLinker().downcallHandle(lookup.find("kiln_entries_quiet").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), Linker.Option.critical(true));
    }

    /**
     * Whether none of the {@code n} consecutive kiln_instance entries at {@code entries} (one
     * library's batch memory) left a record, a refusal or a dropped log line (kiln_entries_quiet).
     */
    public boolean entriesQuiet(MemorySegment entries, int n) {
        try {
            return (int) entriesQuiet.invokeExact(entries, n) != 0;
        } catch (Throwable t) {
            throw new IllegalStateException("kiln_entries_quiet failed", t);
        }
    }

    /**
     * World.integrateVelocities natively (kiln_integrate), moved positions written into
     * {@code snapshot}'s rows like applied ones; entities it cannot move are held and reported
     * to {@code held} by World, as always.
     */
    public void integrate(World world, float dt, LongConsumer held, SnapshotPublisher snapshot,
                          long[] counters) {
        MemorySegment rows = snapshot.rowTable();
        int rowCapacity = snapshot.rowTableCapacity();
        bindPositions(counters, snapshot);
        world.integrateVelocities(dt, held, (from, step, alive, positions, velocities, heldFlags, changes, dirtyList, c) -> {
            try {
                return (int) integrate.invokeExact(from, step, MemorySegment.ofArray(alive),
                        MemorySegment.ofArray(positions), MemorySegment.ofArray(velocities),
                        MemorySegment.ofArray(heldFlags), MemorySegment.ofArray(changes),
                        MemorySegment.ofArray(dirtyList), MemorySegment.ofArray(c), rows, rowCapacity);
            } catch (Throwable t) {
                throw new IllegalStateException("kiln_integrate failed", t);
            }
        }, counters);
    }

    /**
     * Appends the command ranges of {@code n} instances to the range tables from index
     * {@code count} (kiln_collect_ranges): {@code entries} holds the address of each instance's
     * kiln_instance in canonical order, which must stay allocated for the call; {@code ids} and
     * {@code quotas} are the engine's. The tables must have room for {@code n} more
     * ({@link IllegalArgumentException} otherwise: the native side writes them in place). Returns
     * the new count.
     */
    public int collect(long[] entries, int[] ids, int[] quotas, int n, int[] offsets, int[] lengths, int[] owners,
                       int[] outQuotas, int[] refused, int[] dropped, int[] javaOnly, int count) {
        // The native side writes these arrays in place (a critical call): a table too short is
        // a write past a Java array, so it is refused here, not trusted to the caller's sizing.
        if (n < 0 || count < 0 || entries.length < n || ids.length < n || quotas.length < n) {
            throw new IllegalArgumentException("collect: " + n + " instances, " + entries.length + " entries, "
                    + ids.length + " ids, " + quotas.length + " quotas");
        }
        int room = Math.min(Math.min(Math.min(offsets.length, lengths.length), Math.min(owners.length, outQuotas.length)),
                Math.min(Math.min(refused.length, dropped.length), javaOnly.length));
        if (count + n > room) {
            throw new IllegalArgumentException("collect: range tables of " + room + " hold no " + n + " more after " + count);
        }
        try {
            return (int) collectRanges.invokeExact(MemorySegment.ofArray(entries), MemorySegment.ofArray(ids),
                    MemorySegment.ofArray(quotas), n, MemorySegment.ofArray(offsets), MemorySegment.ofArray(lengths),
                    MemorySegment.ofArray(owners), MemorySegment.ofArray(outQuotas), MemorySegment.ofArray(refused),
                    MemorySegment.ofArray(dropped), MemorySegment.ofArray(javaOnly), count);
        } catch (Throwable t) {
            throw new IllegalStateException("kiln_collect_ranges failed", t);
        }
    }

    /** Loads the library (once per process; later calls return the first). */
    public static synchronized HotApply install(Path library) {
        if (active != null) return active;
        active = new HotApply(SymbolLookup.libraryLookup(library, Arena.global())); // never unloaded
        return active;
    }

    /** The installed apply path, or null when the engine applies every record in Java. */
    public static HotApply active() {
        return active;
    }

    /**
     * True when the range at {@code offset} starts with a record of a kind the native path
     * applies: only a routing hint (the native side checks everything again), so that a run of
     * ranges that start with spawns or signals (W3, W4) costs no downcall per range that would
     * stop at once.
     */
    public static boolean startsHot(MemorySegment data, int offset, int javaOnly) {
        if (javaOnly != 0 || offset < 0 || (offset & 7) != 0 || offset + 2L > data.byteSize()) return false;
        int kind = Short.toUnsignedInt(data.get(JAVA_SHORT, offset));
        return kind == CommandKind.TRANSLATE.code || kind == CommandKind.SET_POSITION.code
                || kind == CommandKind.SET_VELOCITY.code || kind == CommandKind.SET_SCALE.code;
    }

    /** A counters array for {@link #apply}: one per caller (each engine's frame thread). */
    public static long[] counters() {
        return new long[COUNTERS];
    }

    /**
     * Applies ranges [from, count) of {@code data} until a record it does not apply. Returns the
     * range it stopped in ({@code count}: none); {@link #stopOffset(long[])} is the record's offset.
     * {@code javaOnly[r] != 0} stops it at range r's first byte. Adds the applied records'
     * count to {@link #takeApplied(long[])}. {@code counters} comes from {@link #counters()}.
     * Position and velocity changes are written straight into {@code snapshot}'s entity rows
     * (see {@link SnapshotPublisher#rowTable}).
     */
    public int apply(MemorySegment data, int[] offsets, int[] lengths, int[] owners, int[] javaOnly, int from, int count,
                     World world, SnapshotPublisher snapshot, long[] counters) {
        MemorySegment rows = snapshot.rowTable();
        int rowCapacity = snapshot.rowTableCapacity();
        bindPositions(counters, snapshot);
        world.applyHot((generations, alive, positions, scales, velocities, held, changes, dirtyList, c) -> {
            try {
                c[STOP_RANGE] = (int) applyHot.invokeExact(data, data.byteSize(), MemorySegment.ofArray(offsets),
                        MemorySegment.ofArray(lengths), MemorySegment.ofArray(owners), MemorySegment.ofArray(javaOnly),
                        from, count, MemorySegment.ofArray(generations), MemorySegment.ofArray(alive),
                        MemorySegment.ofArray(positions), MemorySegment.ofArray(scales),
                        MemorySegment.ofArray(velocities), MemorySegment.ofArray(held), MemorySegment.ofArray(changes),
                        MemorySegment.ofArray(dirtyList), MemorySegment.ofArray(c), rows, rowCapacity);
            } catch (Throwable t) {
                throw new IllegalStateException("kiln_apply_hot failed", t);
            }
        }, counters);
        return (int) counters[STOP_RANGE];
    }

    /**
     * The collect and the apply of one phase's batch in one pass (kiln_apply_batch): applies the
     * hot records of instances [from, n) in canonical order straight from their kiln_instance
     * entries ({@code entries}, {@code ids}, {@code quotas} as for {@link #collect}, the entries
     * allocated for the call) until an instance whose range {@link #collect} would flag for Java,
     * or a record it does not apply. Returns that instance's index ({@code n}: none), the record's
     * offset in {@link #stopOffset(long[])}; otherwise as {@link #apply}. {@code owns}: the address
     * of each instance's own-transform slot (kiln_own_transform) in canonical order, or null: a
     * slot holding a request is applied before the instance's range and cleared, or the call stops
     * at the instance with {@link #STOP_AT_OWN}; with them {@code runEnds[i]} is where instance i's
     * run ends: instances [i, runEnds[i]) are consecutive entries of one library.
     */
    public int applyBatch(MemorySegment data, long[] entries, int[] ids, int[] quotas, long[] owns, int[] runEnds,
                          int from, int n, World world, SnapshotPublisher snapshot, long[] counters) {
        if (owns != null && (owns.length < n || runEnds.length < n)) { // read in place by the native side
            throw new IllegalArgumentException("applyBatch: " + n + " instances, " + owns.length + " own slots, "
                    + runEnds.length + " run ends");
        }
        BatchCall call = BATCH_CALLS.get();
        ArraySegments s = call.segments;
        call.applyBatch = applyBatch;
        call.data = data;
        call.entries = s.of(BatchCall.ENTRIES, entries);
        call.ids = s.of(BatchCall.IDS, ids);
        call.quotas = s.of(BatchCall.QUOTAS, quotas);
        call.owns = owns == null ? MemorySegment.NULL : s.of(BatchCall.OWNS, owns);
        call.runEnds = owns == null ? MemorySegment.NULL : s.of(BatchCall.RUN_ENDS, runEnds);
        call.from = from;
        call.n = n;
        call.rows = snapshot.rowTable();
        call.rowCapacity = snapshot.rowTableCapacity();
        bindPositions(counters, snapshot);
        try {
            world.applyHot(call, counters);
        } finally {
            call.clear();
        }
        return (int) counters[STOP_RANGE];
    }

    /**
     * Each frame thread's {@link #applyBatch} call: made once, its heap segments kept
     * ({@link ArraySegments}). Per thread, not per engine, because callers hand no per-caller
     * state; the cost is that a thread keeps the last world's tables reachable until its next
     * call (one world's arrays, replaced as soon as the thread applies another engine's batch).
     */
    private static final ThreadLocal<BatchCall> BATCH_CALLS = ThreadLocal.withInitial(BatchCall::new);

    /**
     * One kiln_apply_batch call: the arguments that are not the world's tables are set before
     * {@link World#applyHot} runs it. A lambda and a heap segment per array on every call were
     * most of a frame's garbage (W3: ~0.7 KB a frame; a frame thread that allocates steadily
     * pays page faults on fresh young-generation pages).
     */
    private static final class BatchCall implements World.HotKernel {
        private static final int ENTRIES = 0, IDS = 1, QUOTAS = 2, OWNS = 3, RUN_ENDS = 4, GENERATIONS = 5, ALIVE = 6,
                POSITIONS = 7, SCALES = 8, VELOCITIES = 9, HELD = 10, CHANGES = 11, DIRTY_LIST = 12, COUNTERS = 13,
                SLOTS = 14;

        private final ArraySegments segments = new ArraySegments(SLOTS);
        private MethodHandle applyBatch;
        private MemorySegment data, entries, ids, quotas, owns, runEnds, rows;
        private int from, n, rowCapacity;

        @Override
        public void run(int[] generations, byte[] alive, float[] positions, float[] scales, float[] velocities,
                        byte[] held, byte[] changes, int[] dirtyList, long[] c) {
            ArraySegments s = segments;
            try {
                c[STOP_RANGE] = (int) applyBatch.invokeExact(data, data.byteSize(), entries, ids, quotas, owns, runEnds,
                        from, n, s.of(GENERATIONS, generations), s.of(ALIVE, alive), s.of(POSITIONS, positions),
                        s.of(SCALES, scales), s.of(VELOCITIES, velocities), s.of(HELD, held), s.of(CHANGES, changes),
                        s.of(DIRTY_LIST, dirtyList), s.of(COUNTERS, c), rows, rowCapacity);
            } catch (Throwable t) {
                throw new IllegalStateException("kiln_apply_batch failed", t);
            }
        }

        /** Drops the call's buffers, so that a thread's call keeps no memory alive between calls. */
        void clear() {
            data = null;
            rows = null;
            entries = ids = quotas = owns = runEnds = null;
        }
    }

    /** Where a moved entity's position is published: the snapshot's position table, and its row while kept. */
    private static void bindPositions(long[] counters, SnapshotPublisher snapshot) {
        counters[POSITION_TABLE] = snapshot.positionTable().address();
        counters[ROW_POSITIONS] = snapshot.rowPositionsKept() ? 1 : 0;
    }

    /** Byte offset (in the buffer) of the record the last {@link #apply} stopped at. */
    public static int stopOffset(long[] counters) {
        return (int) counters[STOP_OFFSET];
    }

    /** Records applied since the last take. */
    public static long takeApplied(long[] counters) {
        long n = counters[APPLIED];
        counters[APPLIED] = 0;
        return n;
    }
}
