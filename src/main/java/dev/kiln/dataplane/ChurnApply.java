package dev.kiln.dataplane;

import static java.lang.foreign.ValueLayout.ADDRESS;
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
import java.util.Arrays;

/**
 * The native churn path (native/kiln_churn.c, built into the apply library): one downcall
 * applies a range's run of plain SPAWN records (no prefab, no tags) and DESPAWN records of
 * entities with nothing but their row, straight into the world's entity tables, and writes each
 * entity's snapshot row in the same pass; it stops at the first record it does not apply, for
 * the Java decoder to take from there with every check and report. Spawn results come back as
 * (request id, handle) pairs ({@link Pass}) for the caller to add to its table before anything
 * else reads it.
 *
 * <p>Critical downcalls with heap access, like {@link HotApply}: the world's arrays are read and
 * written in place. One library per process, never unloaded. Thread: the caller's (an engine's
 * frame thread).
 */
public final class ChurnApply {
    /** Counter slots past World's (kiln_churn.h: KILN_CHURN_SPAWNED, _SPAWNED_CAPACITY, _APPLIED). */
    static final int SPAWNED = World.CHURN_COUNTERS, SPAWNED_CAPACITY = World.CHURN_COUNTERS + 1,
            APPLIED = World.CHURN_COUNTERS + 2;
    /** Where the Java side keeps the offset a call stopped at (not seen by the native side). */
    private static final int STOP = World.CHURN_COUNTERS + 3, COUNTERS = World.CHURN_COUNTERS + 4;

    /** Spawn results one call holds at first; the table doubles when a call fills it, up to the next. */
    private static final int FIRST_SPAWNED_CAPACITY = 1 << 10;
    /**
     * Spawns one call applies at most: a critical downcall holds off GC until it returns, and
     * its results table is this many pairs (1 MiB). A range with more goes on in Java.
     */
    public static final int SPAWNS_PER_CALL_MAX = 1 << 16;

    private static volatile ChurnApply active;

    private final MethodHandle churn;

    private ChurnApply(SymbolLookup lookup) {
        FunctionDescriptor d = FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT,
                ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
                ADDRESS, ADDRESS, ADDRESS, JAVA_INT);
        churn = Linker.nativeLinker().downcallHandle(lookup.find("kiln_churn_apply").orElseThrow(), d,
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
     * True when the record at {@code offset} is a SPAWN or DESPAWN: only a routing hint (the
     * native side checks everything again), so a range that starts with anything else costs no
     * downcall.
     */
    public static boolean startsChurn(MemorySegment data, int offset) {
        if (offset < 0 || (offset & 7) != 0 || offset + 2L > data.byteSize()) return false;
        int kind = Short.toUnsignedInt(data.get(JAVA_SHORT, offset));
        return kind == CommandKind.SPAWN.code || kind == CommandKind.DESPAWN.code;
    }

    /** One caller's counters and spawn-result table (one per engine frame thread). */
    public static final class Pass {
        private final long[] counters = new long[COUNTERS];
        private long[] spawned = new long[2 * FIRST_SPAWNED_CAPACITY];

        /** Spawns of the last {@link #apply}: {@link #requestId}/{@link #entity} of k in [0, n). */
        public int spawnedCount() {
            return (int) counters[SPAWNED];
        }

        /** The (request id, entity) pairs of the last {@link #apply}, laid out as kiln_spawn_result. */
        public long[] spawnedPairs() {
            return spawned;
        }

        /** Records applied since the last take (spawns and despawns). */
        public long takeApplied() {
            long n = counters[APPLIED];
            counters[APPLIED] = 0;
            return n;
        }
    }

    /**
     * Applies the records of [from, end) of {@code data}, written by instance {@code owner}, until
     * one it does not apply; returns that record's offset ({@code end}: all applied). A range the
     * Java decoder would reject as a whole (outside the buffer, misaligned) is returned untouched.
     * The spawns' results are in {@code pass} until the next call. Changed rows are written into
     * {@code snapshot}'s entity rows (see {@link SnapshotPublisher#rowTable}).
     */
    public int apply(MemorySegment data, int from, int end, int owner, World world, SnapshotPublisher snapshot,
                     Pass pass) {
        long[] c = pass.counters;
        if (c[SPAWNED] * 2 >= pass.spawned.length && pass.spawned.length < 2 * SPAWNS_PER_CALL_MAX) {
            pass.spawned = Arrays.copyOf(pass.spawned, pass.spawned.length * 2); // the last call filled it
        }
        c[SPAWNED] = 0;
        c[SPAWNED_CAPACITY] = pass.spawned.length / 2;
        long[] spawned = pass.spawned;
        MemorySegment rows = snapshot.rowTable();
        int rowCapacity = snapshot.rowTableCapacity();
        world.applyChurn((generations, alive, extras, positions, rotations, scales, velocities, held, changes, dirtyList,
                          freeList, counters) -> {
            try {
                counters[STOP] = (long) churn.invokeExact(data, data.byteSize(), (long) from, (long) end, owner,
                        MemorySegment.ofArray(generations), MemorySegment.ofArray(alive), MemorySegment.ofArray(extras),
                        MemorySegment.ofArray(positions), MemorySegment.ofArray(rotations),
                        MemorySegment.ofArray(scales), MemorySegment.ofArray(velocities), MemorySegment.ofArray(held),
                        MemorySegment.ofArray(changes), MemorySegment.ofArray(dirtyList),
                        MemorySegment.ofArray(freeList), MemorySegment.ofArray(counters),
                        MemorySegment.ofArray(spawned), rows, rowCapacity);
            } catch (Throwable t) {
                throw new IllegalStateException("kiln_churn_apply failed", t);
            }
        }, c);
        return (int) c[STOP];
    }
}
