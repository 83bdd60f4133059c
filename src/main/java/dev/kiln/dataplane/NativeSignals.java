package dev.kiln.dataplane;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.abi.Layouts;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * Native signal routing (native/kiln_signals.c, built into the apply library): the native apply
 * pass queues EMIT_SIGNAL records while a {@link SignalQueue} is bound, one downcall routes a
 * dispatch round's queued signals to their receivers, one writes every kiln_signal_delivery
 * record. Both are critical downcalls with heap access: the signal queue,
 * the world's liveness tables and the route tables are Java arrays read in place. One library
 * per process, never unloaded, like {@link HotApply}.
 *
 * <p>Thread: the caller's (an engine's frame thread); the arrays must not change during a call.
 */
public final class NativeSignals {
    /** Counter slots (kiln_signals.h): deliveries in use (in/out), deliveries the stopping signal needs. */
    public static final int DELIVERIES = 0, NEEDED = 1, COUNTERS = 2;
    /**
     * Further counter slots of kiln_signal_route_batch (kiln_signals.h): receivers written, the one
     * receiving library (-1 before the first delivery), whether it stopped for a round that is not
     * one compact library's; the counters array it takes has {@link #BATCH_COUNTERS} entries.
     */
    public static final int RECEIVERS = 2, LIBRARY = 3, MIXED = 4, TARGETS_LIVE = 5, BATCH_COUNTERS = 6;
    /** lib_mode values of kiln_signal_route (kiln_signals.h). */
    public static final int LIB_DELIVER = 0, LIB_NO_HANDLER = 1, LIB_POISONED = 2;

    /**
     * Signals routed, and deliveries written, per critical downcall at most: the JVM holds off GC
     * (other threads' too) for a critical call, so a round of a million signals goes in slices,
     * as {@link HotApply#RANGES_PER_CALL_MAX} does for ranges.
     */
    public static final int PER_CALL_MAX = 1 << 16;

    private static volatile NativeSignals active;

    private final MethodHandle route;
    private final MethodHandle write;
    private final MethodHandle bind;
    private final MethodHandle writeBatches;
    private final MethodHandle routeBatch;
    private final MethodHandle bindLanes;
    private final MethodHandle takeLanes;
    private final MethodHandle routeLane;

    private NativeSignals(SymbolLookup lookup) {
        Linker linker = Linker.nativeLinker();
        FunctionDescriptor r = FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS,
                ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
                ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS);
        route = linker.downcallHandle(lookup.find("kiln_signal_route").orElseThrow(), r, Linker.Option.critical(true));
        FunctionDescriptor w = FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
                ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
        write = linker.downcallHandle(lookup.find("kiln_signal_write").orElseThrow(), w, Linker.Option.critical(true));
        FunctionDescriptor wb = FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
                ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT,
                ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
        writeBatches = linker.downcallHandle(lookup.find("kiln_signal_write_batches").orElseThrow(), wb,
                Linker.Option.critical(true));
        FunctionDescriptor rb = FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT,
                ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
                ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS);
        routeBatch = linker.downcallHandle(lookup.find("kiln_signal_route_batch").orElseThrow(), rb,
                Linker.Option.critical(true));
        bind = linker.downcallHandle(lookup.find("kiln_signals_bind").orElseThrow(), FunctionDescriptor.ofVoid(ADDRESS),
                Linker.Option.critical(false));
        FunctionDescriptor rl = FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
                JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
                ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS);
        routeLane = linker.downcallHandle(lookup.find("kiln_signal_route_lane").orElseThrow(), rl,
                Linker.Option.critical(true));
        bindLanes = linker.downcallHandle(lookup.find("kiln_lanes_bind").orElseThrow(), FunctionDescriptor.ofVoid(ADDRESS),
                Linker.Option.critical(false));
        takeLanes = linker.downcallHandle(lookup.find("kiln_lane_take_parts").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG),
                Linker.Option.critical(true));
    }

    /** Loads the routing functions from the apply library (once per process; later calls return the first). */
    public static synchronized NativeSignals install(Path applyLibrary) {
        if (active != null) return active;
        active = new NativeSignals(SymbolLookup.libraryLookup(applyLibrary, Arena.global())); // never unloaded
        return active;
    }

    /** The installed routing, or null when signals are routed in Java. */
    public static NativeSignals active() {
        return active;
    }

    /**
     * Binds the calling thread's native apply passes to {@code queue} (a {@link SignalQueue}'s
     * header; {@link MemorySegment#NULL}: none): EMIT_SIGNAL records they meet are queued there
     * (kiln_signal_take) instead of stopping them. Unbind before the queue can be freed.
     */
    public void bind(MemorySegment queue) {
        try {
            bind.invokeExact(queue);
        } catch (Throwable t) {
            throw new IllegalStateException("kiln_signals_bind failed", t);
        }
    }

    /**
     * Binds the calling thread's native apply passes to a phase's signal lane ({@link SignalLane#binding};
     * {@link MemorySegment#NULL}: none): kiln_apply_batch then takes each instance's lane part into
     * the bound queue before its range, and stops with {@link HotApply#STOP_AT_LANE} at a part it
     * does not take. Unbind before the binding can change.
     */
    public void bindLanes(MemorySegment binding) {
        try {
            bindLanes.invokeExact(binding);
        } catch (Throwable t) {
            throw new IllegalStateException("kiln_lanes_bind failed", t);
        }
    }

    /**
     * kiln_lane_take_parts: the bound lanes' parts of instances [from, n) (ids and quotas in
     * canonical order) queued into the bound queue; returns the instance it stopped at (n: all).
     * {@code generations}, {@code alive} and {@code highWater} are the world's (World.applyHot).
     */
    public int takeLanes(int from, int n, int[] ids, int[] quotas, int[] generations, byte[] alive, long highWater) {
        try {
            return (int) takeLanes.invokeExact(from, n, MemorySegment.ofArray(ids), MemorySegment.ofArray(quotas),
                    MemorySegment.ofArray(generations), MemorySegment.ofArray(alive), highWater);
        } catch (Throwable t) {
            throw new IllegalStateException("kiln_lane_take_parts failed", t);
        }
    }

    /**
     * kiln_signal_route_lane: the bound lanes' parts of instances [from, until) (ids and quotas in
     * canonical order; the bound queue gives the senders) routed to the one library taking lane
     * batches, delivery d written as the kiln_lane_delivery at {@code deliveries} + 24 × d and its
     * slot into {@code deliverySlot[d]}; {@code counters} as {@link #routeBatch}'s ({@link #MIXED}:
     * the round must be taken the general way). Returns the instance it stopped at.
     */
    public int routeLane(int from, int until, int[] ids, int[] quotas, int[] generations, byte[] alive, int highWater,
                         Routes r, int[] libMode, byte[] libLane, MemorySegment deliveries, int[] deliverySlot,
                         int capacity, long[] counters) {
        try {
            return (int) routeLane.invokeExact(from, until, MemorySegment.ofArray(ids), MemorySegment.ofArray(quotas),
                    MemorySegment.ofArray(generations), MemorySegment.ofArray(alive), highWater,
                    MemorySegment.ofArray(r.entityFirst()), r.entitySpan(), MemorySegment.ofArray(r.entitySlots()),
                    MemorySegment.ofArray(r.entityRoute()), MemorySegment.ofArray(r.slotEntity()),
                    MemorySegment.ofArray(r.slotLib()), MemorySegment.ofArray(r.slotLive()),
                    MemorySegment.ofArray(r.connFirst()), MemorySegment.ofArray(r.connName()),
                    MemorySegment.ofArray(r.connSender()), MemorySegment.ofArray(libMode), MemorySegment.ofArray(libLane),
                    MemorySegment.ofArray(r.libSlotFirst()), deliveries, MemorySegment.ofArray(deliverySlot), capacity,
                    MemorySegment.ofArray(counters));
        } catch (Throwable t) {
            throw new IllegalStateException("kiln_signal_route_lane failed", t);
        }
    }

    /** Receivers (SignalRoutes' tables; see kiln_signal_route in native/kiln_signals.h). */
    public record Routes(int[] entityFirst, int entitySpan, int[] entitySlots, long[] slotEntity, int[] slotLib,
                         byte[] slotLive, int[] connFirst, long[] connName, long[] connSender, long[] slotState,
                         int[] slotId, int[] slotQuota, long[] entityRoute, int[] libSlotFirst) {
        /** Values of entityRoute per entity index (kiln_signal_route_batch: handle, name, sender, slot | library << 32). */
        public static final int ENTITY_ROUTE_WIDTH = 4;
        /**
         * entityRoute's handle of an index that is not the common case (kiln_signals.h
         * KILN_ROUTE_NO_ENTITY): all ones, an index past every span, so no target equals it — the
         * null handle included, which a zero would have matched.
         */
        public static final long NO_ENTITY = -1L;
    }

    /**
     * kiln_signal_route over the signals of {@code queue} (a {@link SignalQueue}'s header) from
     * {@code from} to {@code until} (at most the queue's count): returns the first signal not
     * routed ({@code until} or the count: all of them). {@code counters[DELIVERIES]} is the deliveries in use, in and out;
     * a stop for capacity leaves the stopping signal's receiver count in {@code counters[NEEDED]}.
     * {@code generations}, {@code alive} and {@code highWater} are the world's (World.applyHot).
     */
    public int route(int from, int until, MemorySegment queue, int[] generations,
                     byte[] alive, int highWater, Routes r, int[] libMode, int[] libCount, int[] libFirst,
                     int[] libMissed, int[] deliverySignal, int[] deliverySlot, int[] deliveryLib, long[] counters) {
        try {
            return (int) route.invokeExact(from, until, queue, MemorySegment.ofArray(generations), MemorySegment.ofArray(alive),
                    highWater, MemorySegment.ofArray(r.entityFirst()), r.entitySpan(),
                    MemorySegment.ofArray(r.entitySlots()), MemorySegment.ofArray(r.slotEntity()),
                    MemorySegment.ofArray(r.slotLib()), MemorySegment.ofArray(r.slotLive()),
                    MemorySegment.ofArray(r.connFirst()), MemorySegment.ofArray(r.connName()),
                    MemorySegment.ofArray(r.connSender()), MemorySegment.ofArray(libMode),
                    MemorySegment.ofArray(libCount), MemorySegment.ofArray(libFirst), MemorySegment.ofArray(libMissed),
                    MemorySegment.ofArray(deliverySignal), MemorySegment.ofArray(deliverySlot),
                    MemorySegment.ofArray(deliveryLib), deliverySignal.length, MemorySegment.ofArray(counters));
        } catch (Throwable t) {
            throw new IllegalStateException("kiln_signal_route failed", t);
        }
    }

    /**
     * kiln_signal_route_batch: {@link #route} and {@link #writeBatches} in one pass for a round whose
     * deliveries all go to one library taking compact batches. Delivery d of signals [from, until)
     * becomes the kiln_signal_entry at {@code entries} + 8 × d, its receiver numbered from the
     * library's first slot ({@link Routes#libSlotFirst}: the batch's receivers are that library's
     * run of the routes' kiln_instance block), and {@code deliverySlot[d]} its slot. {@code counters}
     * ({@link #BATCH_COUNTERS}: {@link #DELIVERIES}, {@link #LIBRARY} in and out, {@link #RECEIVERS} out;
     * {@link #TARGETS_LIVE} in: 1 when every queued target is known live, so the liveness tables
     * {@code generations} / {@code alive} are not read) say where it stopped: {@link #NEEDED} &gt; 0 for capacity ({@code capacity}
     * deliveries), {@link #MIXED} = 1 for a broadcast or another library (route the round
     * with {@link #route} then). Returns the first signal not routed.
     */
    public int routeBatch(int from, int until, MemorySegment queue, int[] generations, byte[] alive, int highWater,
                          Routes r, int[] libMode, byte[] libCompact, MemorySegment entries, int[] deliverySlot,
                          int capacity, long[] counters) {
        try {
            return (int) routeBatch.invokeExact(from, until, queue, MemorySegment.ofArray(generations),
                    MemorySegment.ofArray(alive), highWater, MemorySegment.ofArray(r.entityFirst()), r.entitySpan(),
                    MemorySegment.ofArray(r.entitySlots()), MemorySegment.ofArray(r.entityRoute()),
                    MemorySegment.ofArray(r.slotEntity()),
                    MemorySegment.ofArray(r.slotLib()), MemorySegment.ofArray(r.slotLive()),
                    MemorySegment.ofArray(r.connFirst()), MemorySegment.ofArray(r.connName()),
                    MemorySegment.ofArray(r.connSender()), MemorySegment.ofArray(libMode),
                    MemorySegment.ofArray(libCompact), MemorySegment.ofArray(r.libSlotFirst()), entries,
                    MemorySegment.ofArray(deliverySlot), capacity, MemorySegment.ofArray(counters));
        } catch (Throwable t) {
            throw new IllegalStateException("kiln_signal_route_batch failed", t);
        }
    }

    /**
     * kiln_signal_write: deliveries [from, count) as kiln_signal_delivery records into
     * {@code block} (native memory, {@code Layouts.SIGNAL_DELIVERY} bytes per position), delivery
     * d at position {@code libCursor[deliveryLib[d]]++}; fills {@code memberSlot} per position and
     * the entry address, engine id and quota per delivery for {@link HotApply#collect}.
     */
    public void write(int from, int count, int[] deliverySignal, int[] deliverySlot, int[] deliveryLib, int[] libCursor,
                      MemorySegment block, Routes r, MemorySegment queue, int[] memberSlot, long[] entryAddress,
                      int[] entryId, int[] entryQuota) {
        try {
            write.invokeExact(from, count, MemorySegment.ofArray(deliverySignal), MemorySegment.ofArray(deliverySlot),
                    MemorySegment.ofArray(deliveryLib), MemorySegment.ofArray(libCursor), block,
                    MemorySegment.ofArray(r.slotEntity()), MemorySegment.ofArray(r.slotState()),
                    MemorySegment.ofArray(r.slotId()), MemorySegment.ofArray(r.slotQuota()), queue,
                    MemorySegment.ofArray(memberSlot), MemorySegment.ofArray(entryAddress),
                    MemorySegment.ofArray(entryId), MemorySegment.ofArray(entryQuota));
        } catch (Throwable t) {
            throw new IllegalStateException("kiln_signal_write failed", t);
        }
    }

    /** Per-library inputs of {@link #writeBatches}: which take compact batches, where each starts, receivers so far. */
    public record Libraries(int[] cursor, byte[] compact, int[] start, int[] receivers) {}

    /**
     * kiln_signal_write_batches: deliveries [from, count) written for their libraries, the
     * compact ones' as kiln_signal_entry at {@code entries} + 8 × position with each receiver's
     * kiln_instance once at {@code receivers} + 48 × (its library's start + its number), the
     * others' as kiln_signal_delivery at {@code block} + 112 × position ({@code entryAddress[d]}
     * its address, 0 for a compact one). {@code slotStamp} / {@code slotReceiver} (one per slot)
     * number the receivers of the round {@code stamp}. Fills {@code memberSlot} and
     * {@code positionDelivery} per position, the engine id and quota per delivery.
     */
    public void writeBatches(int from, int count, int[] deliverySignal, int[] deliverySlot, int[] deliveryLib,
                             Libraries libs, MemorySegment block, MemorySegment entries, MemorySegment receivers, Routes r,
                             int[] slotStamp, int[] slotReceiver, int stamp, MemorySegment queue, int[] memberSlot,
                             int[] positionDelivery, long[] entryAddress, int[] entryId, int[] entryQuota) {
        try {
            writeBatches.invokeExact(from, count, MemorySegment.ofArray(deliverySignal), MemorySegment.ofArray(deliverySlot),
                    MemorySegment.ofArray(deliveryLib), MemorySegment.ofArray(libs.cursor()),
                    MemorySegment.ofArray(libs.compact()), MemorySegment.ofArray(libs.start()),
                    MemorySegment.ofArray(libs.receivers()), block, entries, receivers,
                    MemorySegment.ofArray(r.slotEntity()), MemorySegment.ofArray(r.slotState()),
                    MemorySegment.ofArray(r.slotId()), MemorySegment.ofArray(r.slotQuota()),
                    MemorySegment.ofArray(slotStamp), MemorySegment.ofArray(slotReceiver), stamp, queue,
                    MemorySegment.ofArray(memberSlot), MemorySegment.ofArray(positionDelivery),
                    MemorySegment.ofArray(entryAddress), MemorySegment.ofArray(entryId), MemorySegment.ofArray(entryQuota));
        } catch (Throwable t) {
            throw new IllegalStateException("kiln_signal_write_batches failed", t);
        }
    }
}
