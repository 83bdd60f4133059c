package dev.kiln.script;

import static dev.kiln.script.SignalBus.DELIVERY;
import static dev.kiln.script.SignalBus.isLive;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.dataplane.GrowableSegment;
import dev.kiln.dataplane.HotApply;
import dev.kiln.abi.Layouts;
import dev.kiln.abi.SignalQueueLayout;
import dev.kiln.dataplane.NativeSignals;
import dev.kiln.dataplane.SignalQueue;
import dev.kiln.ecs.Entities;
import dev.kiln.ecs.World;
import java.lang.foreign.MemorySegment;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.LongFunction;
import java.util.function.ObjIntConsumer;

/**
 * The signal bus's native dispatch round: kiln_signal_route picks the receivers of the targeted signals
 * (broadcasts are routed here, from the sorted listener lists, into the same tables), the
 * deliveries are laid out library by library in one block in order of each library's first
 * delivery, kiln_signal_write writes them, each library's handler runs once, and the
 * handlers' ranges are collected in delivery order (kiln_collect_ranges). A round that one
 * library taking compact batches receives whole is routed and written in one pass instead
 * (kiln_signal_route_batch), falling back to the above when it meets a broadcast or another library.
 *
 * <p>The queue, the route tables and the broadcast listener lists are the bus's; this holds
 * the round's delivery tables and memory, reused from round to round. Frame thread only.
 */
final class NativeSignalDispatch implements AutoCloseable {
    private final SignalQueue queue;
    private final SignalRoutes routes;
    /** The bus's broadcast receivers of a name, in execution order. */
    private final LongFunction<List<ScriptInstance>> listeners;
    /** Reports a library whose handler loop wrote outcomes the engine refused (how many). */
    private ObjIntConsumer<ScriptLibrary> malformedOutcomes = (lib, n) -> {};
    /** Compact batches handed to libraries (kiln_signal_batch; a test's witness that the compact path ran). */
    private long compactCalls;

    NativeSignalDispatch(SignalQueue queue, SignalRoutes routes, LongFunction<List<ScriptInstance>> listeners) {
        this.queue = queue;
        this.routes = routes;
        this.listeners = listeners;
    }

    void onMalformedOutcomes(ObjIntConsumer<ScriptLibrary> report) {
        this.malformedOutcomes = report;
    }

    long compactCalls() {
        return compactCalls;
    }

    /** Rounds routed and written in one pass (kiln_signal_route_batch; a test's witness that it ran). */
    private long onePassRounds;
    /**
     * The world's {@link World#releases} when the queue was last emptied after a native round, and
     * that world (null: never): every signal queued since was checked live when it was queued (the
     * barrier's take and decoder, the host's emit), so while the count has not moved its target is
     * still live and the one pass skips the world's liveness tables (two random reads per signal).
     */
    private long releasesAtClear;
    private World releasesWorld;
    private long knownLiveRounds;

    long onePassRounds() {
        return onePassRounds;
    }

    /** One-pass rounds routed without the liveness tables (their targets known live; tests). */
    long knownLiveRounds() {
        return knownLiveRounds;
    }

    /** Whether lane rounds may take route handles as live ({@link #routeHandlesLive}); off: tests of the checked path. */
    private boolean trustRouteHandles = true;

    void setTrustRouteHandles(boolean trust) {
        this.trustRouteHandles = trust;
    }

    /** Lane rounds routed with every entity route's handle known live (tests). */
    private long knownLiveLaneRounds;

    long knownLiveLaneRounds() {
        return knownLiveLaneRounds;
    }

    /** The queue was just emptied (after a native round, before any handler range is applied). */
    void queueCleared(World world) {
        releasesWorld = world;
        releasesAtClear = world.releases();
    }

    /**
     * Whether a round whose deliveries all go to one compact library is routed and written in one
     * pass (the default) or through the general route-then-write path (for tests comparing the two).
     */
    private boolean onePass = true;

    void setOnePassRounds(boolean onePass) {
        this.onePass = onePass;
    }

    /** Whether one-pass rounds (and lane rounds, their kind for a held lane) are on. */
    boolean onePassOn() {
        return onePass;
    }

    private List<ScriptInstance> listenersOf(long hash) {
        return listeners.apply(hash);
    }

    private int[] deliverySignal = new int[1024];
    private int[] deliverySlot = new int[1024];
    private int[] deliveryLib = new int[1024];
    private int[] libCount = new int[8], libFirst = new int[8], libMissed = new int[8], libCursor = new int[8];
    private final long[] counters = new long[NativeSignals.COUNTERS];
    private final long[] batchCounters = new long[NativeSignals.BATCH_COUNTERS];
    private final long[] worldCounters = new long[World.HOT_COUNTERS];
    private final GrowableSegment block = new GrowableSegment(1024 * DELIVERY);
    private int[] memberSlot = new int[1024];
    private long[] entryAddress = new long[1024];
    private int[] entryId = new int[1024];
    private int[] entryQuota = new int[1024];
    private int[] positionDelivery = new int[1024];
    private int routedTo;
    // ---- compact batches (kiln_signal_batch): where each library's deliveries start, its receivers
    private int[] libStart = new int[8], libReceivers = new int[8];
    private final GrowableSegment entries = new GrowableSegment(1024 * SignalBatchCall.ENTRY_BYTES);
    private final GrowableSegment receivers = new GrowableSegment(1024 * SignalBatchCall.RECEIVER_BYTES);
    private final GrowableSegment outcomes = new GrowableSegment(1024 * SignalBatchCall.OUTCOME_BYTES);
    private final GrowableSegment batchHeader = new GrowableSegment(SignalBatchCall.BATCH_BYTES);
    private final long[] tables = new long[7];
    /** Per slot: the round (stamp) it last received in, and its receiver number in that round. */
    private int[] slotStamp = new int[0], slotReceiver = new int[0];
    private int stamp;
    /** The handlers' outcomes of this round (delivery index, range, refusals), in the order taken. */
    private int[] outcomeDelivery = new int[256], outcomeOwner = new int[256], outcomeQuota = new int[256], outcomeOffset = new int[256], outcomeBytes = new int[256],
            outcomeRefused = new int[256], outcomeDropped = new int[256];
    private int outcomeCount;

    /**
     * Delivers every queued signal through {@code router} (see the class comment), the handlers'
     * ranges collected into {@code ranges} through {@code collector}; returns the deliveries.
     * {@code r} are the route tables, up to date.
     */
    int run(MemorySegment frame, CommandRanges ranges, World world, NativeSignals.Routes r,
            Consumer<ScriptLibrary> missingHandler, FaultRecovery.Context guard, NativeSignals router,
            HotApply collector) {
        int libs = routes.libraryCount();
        int[] modes = routes.libraryModes();
        if (libCount.length < libs) {
            int n = Math.max(libs, libCount.length * 2);
            libCount = new int[n];
            libFirst = new int[n];
            libMissed = new int[n];
            libCursor = new int[n];
        }
        if (onePass) {
            int total = runOnePass(frame, ranges, world, r, modes, guard, router);
            if (total >= 0) return total;
        }
        Arrays.fill(libCount, 0, libs, 0);
        Arrays.fill(libFirst, 0, libs, -1);
        Arrays.fill(libMissed, 0, libs, 0);
        counters[NativeSignals.DELIVERIES] = 0;
        int s = 0, queued = queue.count();
        while (s < queued) {
            int until = Math.min(queued, s + NativeSignals.PER_CALL_MAX);
            route(router, world, s, until, r, modes);
            int stop = routedTo;
            if (stop == until) {
                s = until;
                continue;
            }
            if (queue.target(stop) == Entities.NULL) {
                broadcast(stop, modes);
                s = stop + 1;
            } else {
                growDeliveries((int) counters[NativeSignals.DELIVERIES] + (int) counters[NativeSignals.NEEDED]);
                s = stop;
            }
        }
        int total = (int) counters[NativeSignals.DELIVERIES];
        reportMissing(libs, missingHandler);
        if (total == 0) return 0;
        // Each library's deliveries together, libraries in order of their first delivery.
        Integer[] order = receivingInOrder(libs);
        byte[] compact = routes.libraryCompact();
        if (libStart.length < libs) {
            int n = Math.max(libs, libStart.length * 2);
            libStart = new int[n];
            libReceivers = new int[n];
        }
        boolean anyCompact = false, anyClassic = false;
        int at = 0;
        for (int lib : order) {
            libCursor[lib] = at;
            libStart[lib] = at;
            libReceivers[lib] = 0;
            at += libCount[lib];
            if (compact[lib] != 0) anyCompact = true;
            else anyClassic = true;
        }
        if (anyClassic) block.ensure((long) total * DELIVERY, false);
        if (anyCompact) {
            entries.ensure(total * SignalBatchCall.ENTRY_BYTES, false);
            receivers.ensure(total * SignalBatchCall.RECEIVER_BYTES, false);
            outcomes.ensure(total * SignalBatchCall.OUTCOME_BYTES, false);
            nextStamp(r.slotId().length);
        }
        if (memberSlot.length < total) {
            int n = Math.max(total, memberSlot.length * 2);
            memberSlot = new int[n];
            positionDelivery = new int[n];
            entryAddress = new long[n];
            entryId = new int[n];
            entryQuota = new int[n];
        }
        NativeSignals.Libraries libTables = new NativeSignals.Libraries(libCursor, compact, libStart, libReceivers);
        for (int d = 0; d < total; d += NativeSignals.PER_CALL_MAX) {
            router.writeBatches(d, Math.min(total, d + NativeSignals.PER_CALL_MAX), deliverySignal, deliverySlot,
                    deliveryLib, libTables, block.segment(), entries.segment(), receivers.segment(), r, slotStamp,
                    slotReceiver, stamp, queue.header(), memberSlot, positionDelivery, entryAddress, entryId, entryQuota);
        }
        // The compact batches read the signals in the queue in place: it is cleared after the calls.
        MemorySegment all = block.segment();
        outcomeCount = 0;
        for (int lib : order) {
            int n = libCount[lib], start = libStart[lib];
            if (compact[lib] != 0) {
                compactCalls++;
                int refused = SignalBatchCall.invoke(routes.library(lib), frame, batchHeader.segment(),
                        entries.segment().asSlice(start * SignalBatchCall.ENTRY_BYTES, n * SignalBatchCall.ENTRY_BYTES),
                        receivers.segment().asSlice(start * SignalBatchCall.RECEIVER_BYTES,
                                libReceivers[lib] * SignalBatchCall.RECEIVER_BYTES),
                        libReceivers[lib], outcomes.segment().asSlice(start * SignalBatchCall.OUTCOME_BYTES,
                                n * SignalBatchCall.OUTCOME_BYTES),
                        signalTables(), n, k -> routes.instance(memberSlot[start + k]),
                        (k, offset, bytes, refusedRequests, dropped) -> addOutcome(positionDelivery[start + k],
                                r.slotId()[memberSlot[start + k]], r.slotQuota()[memberSlot[start + k]], offset,
                                bytes, refusedRequests, dropped), guard);
                if (refused > 0) malformedOutcomes.accept(routes.library(lib), refused);
            } else {
                FaultRecovery.invoke(routes.library(lib), frame, all.asSlice(start * DELIVERY, n * DELIVERY), DELIVERY, n,
                        new Members(start, n), (nl, f, items, k) -> nl.signal(f, items, k), guard);
            }
        }
        queue.clear(); // every signal of this round was delivered; what the handlers emit starts afresh
        if (!anyCompact) ranges.addAll(collector, entryAddress, entryId, entryQuota, total);
        else if (anyClassic || outcomeCount > 0) collectMixed(ranges, total, anyClassic);
        return total;
    }

    /**
     * The round when every delivery goes to one library taking compact batches, the common
     * case: kiln_signal_route_batch routes the signals and writes the batch in one pass (delivery
     * order is then the batch's order; the receivers are the library's run of the route tables'
     * kiln_instance block, written when the tables were), then one SignalBatchCall. Returns the deliveries, or -1
     * — nothing delivered, nothing called — when the round has a broadcast or another library:
     * the general path then routes it from the start.
     */
    private int runOnePass(MemorySegment frame, CommandRanges ranges, World world, NativeSignals.Routes r,
                           int[] modes, FaultRecovery.Context guard, NativeSignals router) {
        byte[] compact = routes.libraryCompact();
        batchCounters[NativeSignals.DELIVERIES] = 0;
        batchCounters[NativeSignals.RECEIVERS] = 0;
        batchCounters[NativeSignals.LIBRARY] = -1;
        boolean knownLive = world == releasesWorld && world.releases() == releasesAtClear;
        batchCounters[NativeSignals.TARGETS_LIVE] = knownLive ? 1 : 0;
        int s = 0, queued = queue.count();
        ensureOnePassRoom(Math.max(queued, 1), false);
        while (s < queued) {
            int until = Math.min(queued, s + NativeSignals.PER_CALL_MAX);
            int from = s;
            world.applyHot((generations, alive, positions, scales, velocities, held, changes, dirtyList, c) ->
                    routedTo = router.routeBatch(from, until, queue.header(), generations, alive,
                            (int) c[World.HOT_HIGH_WATER], r, modes, compact, entries.segment(), deliverySlot,
                            onePassCapacity(), batchCounters), worldCounters);
            s = routedTo;
            if (s == until) continue;
            if (batchCounters[NativeSignals.MIXED] != 0 || batchCounters[NativeSignals.NEEDED] == 0) return -1;
            ensureOnePassRoom((int) (batchCounters[NativeSignals.DELIVERIES] + batchCounters[NativeSignals.NEEDED]), true);
        }
        int total = (int) batchCounters[NativeSignals.DELIVERIES];
        if (total == 0) return 0; // no signal reached a script: nothing to call, the queue is the caller's to clear
        onePassRounds++;
        if (knownLive) knownLiveRounds++;
        callOneLibrary(frame, r, total, guard, false);
        queue.clear(); // every signal of this round was delivered; what the handlers emit starts afresh
        if (outcomeCount > 0) collectMixed(ranges, total, false);
        return total;
    }

    /** A lane round's deliveries (kiln_lane_delivery), reused from round to round. */
    private final GrowableSegment laneDeliveries = new GrowableSegment(1024 * SignalBatchCall.LANE_DELIVERY_BYTES);
    /** Instances whose lane parts are routed per critical downcall at most (GC waits for the call). */
    private static final int LANE_INSTANCES_PER_CALL = 1 << 12;

    /**
     * The round of a held lane ({@link HeldLane}: nothing else queued), routed from the lane in
     * place when every delivery goes to one library taking lane batches: kiln_signal_route_lane
     * writes each delivery whole (kiln_lane_delivery), then one lane batch call
     * (SignalBatchCall.invokeLane) over the library's receivers. Returns the deliveries, or -1 —
     * nothing delivered, nothing called — when the round is not one lane library's or an entry
     * needs the engine's checks and reports: the caller then queues the lane and routes it the
     * general way. The lanes and the queue (for the senders) are bound by the caller.
     */
    int runLane(MemorySegment frame, CommandRanges ranges, World world, NativeSignals.Routes r,
                FaultRecovery.Context guard, NativeSignals router, HeldLane held) {
        MemorySegment binding = held.binding();
        if (binding == null) return -1;
        int[] modes = routes.libraryModes();
        byte[] laneLibs = routes.libraryLane();
        batchCounters[NativeSignals.DELIVERIES] = 0;
        batchCounters[NativeSignals.RECEIVERS] = 0;
        batchCounters[NativeSignals.LIBRARY] = -1;
        boolean handlesLive = routeHandlesLive(world, r);
        batchCounters[NativeSignals.TARGETS_LIVE] = handlesLive ? 1 : 0;
        int[] ids = held.batch.ids(), quotas = held.batch.quotas();
        int n = held.batch.size();
        ensureLaneRoom(Math.max(1, held.lane.used()), false);
        router.bindLanes(binding);
        try {
            int i = 0;
            while (i < n) {
                int from = i, until = Math.min(n, i + LANE_INSTANCES_PER_CALL);
                world.applyHot((generations, alive, positions, scales, velocities, heldFlags, changes, dirtyList, c) ->
                        routedTo = router.routeLane(from, until, ids, quotas, generations, alive,
                                (int) c[World.HOT_HIGH_WATER], r, modes, laneLibs, laneDeliveries.segment(), deliverySlot,
                                laneCapacity(), batchCounters), worldCounters);
                i = routedTo;
                if (i == until) continue;
                if (batchCounters[NativeSignals.MIXED] != 0 || batchCounters[NativeSignals.NEEDED] == 0) return -1;
                ensureLaneRoom(2 * Math.max(laneCapacity(), (int) (batchCounters[NativeSignals.DELIVERIES]
                        + batchCounters[NativeSignals.NEEDED])), true);
            }
        } finally {
            router.bindLanes(MemorySegment.NULL);
        }
        if (handlesLive) knownLiveLaneRounds++;
        int total = (int) batchCounters[NativeSignals.DELIVERIES];
        if (total == 0) return 0; // no signal reached a script: nothing to call
        callOneLibrary(frame, r, total, guard, true);
        if (outcomeCount > 0) collectMixed(ranges, total, false);
        return total;
    }

    /** The route tables, world and release count {@link #routeHandlesLive} last checked, and its answer. */
    private NativeSignals.Routes liveRoutes;
    private World liveRoutesWorld;
    private long liveRoutesReleases;
    private boolean liveRoutesAnswer;

    /**
     * Whether every entity route's handle ({@link NativeSignals.Routes#entityRoute}, a receiver's
     * entity) is a live entity of {@code world}: checked once per new tables or release count —
     * while neither moves, no entity died, so a lane entry whose target is its index's route
     * handle is live and kiln_signal_route_lane skips the world's liveness tables for it.
     */
    private boolean routeHandlesLive(World world, NativeSignals.Routes r) {
        if (!trustRouteHandles) return false;
        long releases = world.releases();
        if (r == liveRoutes && world == liveRoutesWorld && releases == liveRoutesReleases) return liveRoutesAnswer;
        long[] route = r.entityRoute();
        boolean live = true;
        for (int at = 0; at < route.length && live; at += NativeSignals.Routes.ENTITY_ROUTE_WIDTH) {
            live = route[at] == NativeSignals.Routes.NO_ENTITY || world.isAlive(route[at]);
        }
        liveRoutes = r;
        liveRoutesWorld = world;
        liveRoutesReleases = releases;
        liveRoutesAnswer = live;
        return live;
    }

    /**
     * The one library of a one-pass or lane round (batchCounters' library and receivers): one
     * compact batch call over the {@code total} deliveries the pass wrote ({@code lane}: lane
     * deliveries, else entries over the queue's tables), its receivers the library's run of the
     * route tables' block; outcomes into this round's list.
     */
    private void callOneLibrary(MemorySegment frame, NativeSignals.Routes r, int total,
                                FaultRecovery.Context guard, boolean lane) {
        int lib = (int) batchCounters[NativeSignals.LIBRARY];
        int receiverCount = (int) batchCounters[NativeSignals.RECEIVERS];
        outcomes.ensure(total * SignalBatchCall.OUTCOME_BYTES, false);
        outcomeCount = 0;
        compactCalls++;
        int[] slots = deliverySlot;
        MemorySegment out = outcomes.segment().asSlice(0, total * SignalBatchCall.OUTCOME_BYTES);
        IntFunction<ScriptInstance> receiverOf = k -> routes.instance(slots[k]);
        SignalBatchCall.Outcomes sink = (k, offset, bytes, refusedRequests, dropped) -> addOutcome(k, r.slotId()[slots[k]],
                r.slotQuota()[slots[k]], offset, bytes, refusedRequests, dropped);
        int refused = lane
                ? SignalBatchCall.invokeLane(routes.library(lib), frame, batchHeader.segment(),
                        laneDeliveries.segment().asSlice(0, total * SignalBatchCall.LANE_DELIVERY_BYTES),
                        routes.receiversOf(lib), receiverCount, out, total, receiverOf, sink, guard)
                : SignalBatchCall.invoke(routes.library(lib), frame, batchHeader.segment(),
                        entries.segment().asSlice(0, total * SignalBatchCall.ENTRY_BYTES),
                        routes.receiversOf(lib), receiverCount, out, signalTables(), total, receiverOf, sink, guard);
        if (refused > 0) malformedOutcomes.accept(routes.library(lib), refused);
    }

    /** Deliveries a lane round's tables hold. */
    private int laneCapacity() {
        long byDeliveries = laneDeliveries.segment().byteSize() / SignalBatchCall.LANE_DELIVERY_BYTES;
        return (int) Math.min(deliverySlot.length, byDeliveries);
    }

    /** A lane round's tables grown to {@code deliveries}, what they hold kept when {@code keep}. */
    private void ensureLaneRoom(int deliveries, boolean keep) {
        growDeliveries(deliveries);
        laneDeliveries.ensure(deliveries * SignalBatchCall.LANE_DELIVERY_BYTES, keep);
    }

    /** Deliveries the one-pass tables hold (the receivers are the route tables' block: no limit here). */
    private int onePassCapacity() {
        long byEntries = entries.segment().byteSize() / SignalBatchCall.ENTRY_BYTES;
        return (int) Math.min(deliverySlot.length, byEntries);
    }

    /** The one-pass tables grown to {@code deliveries}, what they hold kept when {@code keep}. */
    private void ensureOnePassRoom(int deliveries, boolean keep) {
        growDeliveries(deliveries);
        entries.ensure(deliveries * SignalBatchCall.ENTRY_BYTES, keep);
    }

    /** The seven signal table pointers of kiln_signal_batch: the queue's own arrays (kiln_signals.h order). */
    private long[] signalTables() {
        MemorySegment h = queue.header();
        // kiln_signal_batch's order: name_hash, sender, target, bytes_at, name_len, payload_size, bytes.
        tables[0] = h.get(JAVA_LONG, SignalQueueLayout.NAME_HASH);
        tables[1] = h.get(JAVA_LONG, SignalQueueLayout.SENDER);
        tables[2] = h.get(JAVA_LONG, SignalQueueLayout.TARGET);
        tables[3] = h.get(JAVA_LONG, SignalQueueLayout.BYTES_AT);
        tables[4] = h.get(JAVA_LONG, SignalQueueLayout.NAME_LEN);
        tables[5] = h.get(JAVA_LONG, SignalQueueLayout.PAYLOAD_SIZE);
        tables[6] = h.get(JAVA_LONG, SignalQueueLayout.BYTES);
        return tables;
    }

    /** A new round's stamp for the receiver numbering, the slot tables grown to {@code slots}. */
    private void nextStamp(int slots) {
        if (slotStamp.length < slots) {
            int n = Math.max(slots, slotStamp.length * 2);
            slotStamp = Arrays.copyOf(slotStamp, n);
            slotReceiver = Arrays.copyOf(slotReceiver, n);
        }
        if (++stamp == Integer.MAX_VALUE) { // wrapped: no slot may still carry a live stamp
            Arrays.fill(slotStamp, 0);
            stamp = 1;
        }
    }

    /** Delivery d's range, written by the instance of engine id {@code owner} with request quota {@code quota}. */
    private void addOutcome(int d, int owner, int quota, int offset, int bytes, int refusedRequests, int dropped) {
        if (outcomeCount == outcomeDelivery.length) {
            int n = outcomeCount * 2;
            outcomeDelivery = Arrays.copyOf(outcomeDelivery, n);
            outcomeOwner = Arrays.copyOf(outcomeOwner, n);
            outcomeQuota = Arrays.copyOf(outcomeQuota, n);
            outcomeOffset = Arrays.copyOf(outcomeOffset, n);
            outcomeBytes = Arrays.copyOf(outcomeBytes, n);
            outcomeRefused = Arrays.copyOf(outcomeRefused, n);
            outcomeDropped = Arrays.copyOf(outcomeDropped, n);
        }
        outcomeDelivery[outcomeCount] = d;
        outcomeOwner[outcomeCount] = owner;
        outcomeQuota[outcomeCount] = quota;
        outcomeOffset[outcomeCount] = offset;
        outcomeBytes[outcomeCount] = bytes;
        outcomeRefused[outcomeCount] = refusedRequests;
        outcomeDropped[outcomeCount] = dropped;
        outcomeCount++;
    }

    /**
     * The handlers' ranges in delivery order when compact batches ran: their outcomes, and
     * the classic deliveries' ranges read from their records (what kiln_collect_ranges
     * reads), merged by delivery index.
     */
    private void collectMixed(CommandRanges ranges, int total, boolean anyClassic) {
        if (anyClassic) {
            MemorySegment all = block.segment();
            long base = all.address();
            for (int d = 0; d < total; d++) {
                if (entryAddress[d] == 0) continue;
                long at = entryAddress[d] - base;
                addOutcome(d, entryId[d], entryQuota[d], all.get(JAVA_INT, at + Layouts.INSTANCE_CMD_OFFSET),
                        all.get(JAVA_INT, at + Layouts.INSTANCE_CMD_BYTES),
                        all.get(JAVA_INT, at + Layouts.INSTANCE_CMD_REFUSED),
                        all.get(JAVA_INT, at + Layouts.INSTANCE_LOG_DROPPED));
            }
        }
        int n = outcomeCount;
        boolean sorted = true;
        for (int k = 1; k < n && sorted; k++) sorted = outcomeDelivery[k - 1] < outcomeDelivery[k];
        long[] order = null;
        if (!sorted) { // several libraries: theirs interleave in delivery order
            order = new long[n];
            for (int k = 0; k < n; k++) order[k] = ((long) outcomeDelivery[k] << 32) | k;
            Arrays.sort(order);
        }
        ranges.ensureRoom(n);
        for (int i = 0; i < n; i++) {
            int k = order == null ? i : (int) order[i];
            ranges.add(outcomeOffset[k], outcomeBytes[k], outcomeOwner[k], outcomeQuota[k], outcomeRefused[k],
                    outcomeDropped[k]);
        }
        outcomeCount = 0;
    }

    private void route(NativeSignals router, World world, int from, int until, NativeSignals.Routes r, int[] modes) {
        world.applyHot((generations, alive, positions, scales, velocities, held, changes, dirtyList, c) ->
                routedTo = router.route(from, until, queue.header(), generations, alive,
                        (int) c[World.HOT_HIGH_WATER], r, modes, libCount, libFirst, libMissed, deliverySignal,
                        deliverySlot, deliveryLib, counters), worldCounters);
    }

    /** Signal s to every listener of its name, in execution order, as the Java router does. */
    private void broadcast(int s, int[] modes) {
        long hash = queue.nameHash(s), from = queue.sender(s);
        List<ScriptInstance> listeners = listenersOf(hash);
        for (int k = 0, n = listeners.size(); k < n; k++) {
            ScriptInstance receiver = listeners.get(k);
            if (!isLive(receiver) || !receiver.connections().accepts(hash, from)) continue;
            int slot = routes.slotOf(receiver);
            if (slot < 0) continue; // not attached any more
            int lib = routes.libraryOf(slot);
            if (modes[lib] == NativeSignals.LIB_NO_HANDLER) {
                if (libMissed[lib] == 0) libMissed[lib] = s + 1;
                continue;
            }
            if (modes[lib] != NativeSignals.LIB_DELIVER) continue;
            int d = (int) counters[NativeSignals.DELIVERIES];
            growDeliveries(d + 1);
            if (libFirst[lib] < 0) libFirst[lib] = d;
            libCount[lib]++;
            deliverySignal[d] = s;
            deliverySlot[d] = slot;
            deliveryLib[d] = lib;
            counters[NativeSignals.DELIVERIES] = d + 1;
        }
    }

    private void growDeliveries(int needed) {
        if (needed <= deliverySignal.length) return;
        int n = Math.max(needed, deliverySignal.length * 2);
        deliverySignal = Arrays.copyOf(deliverySignal, n);
        deliverySlot = Arrays.copyOf(deliverySlot, n);
        deliveryLib = Arrays.copyOf(deliveryLib, n);
    }

    /** Libraries without a handler that were sent something, in order of the first such signal. */
    private void reportMissing(int libs, Consumer<ScriptLibrary> missingHandler) {
        List<Integer> missing = null;
        for (int lib = 0; lib < libs; lib++) {
            if (libMissed[lib] == 0) continue;
            if (missing == null) missing = new ArrayList<>();
            missing.add(lib);
        }
        if (missing == null) return;
        missing.sort((a, b) -> Integer.compare(libMissed[a], libMissed[b]));
        for (int lib : missing) missingHandler.accept(routes.library(lib));
    }

    private Integer[] receivingInOrder(int libs) {
        int n = 0;
        for (int lib = 0; lib < libs; lib++) if (libCount[lib] > 0) n++;
        Integer[] order = new Integer[n];
        n = 0;
        for (int lib = 0; lib < libs; lib++) if (libCount[lib] > 0) order[n++] = lib;
        Arrays.sort(order, (a, b) -> Integer.compare(libFirst[a], libFirst[b]));
        return order;
    }

    /** The receivers of one library's deliveries, positions [start, start + n) of the block. */
    private final class Members extends AbstractList<ScriptInstance> {
        private final int start, n;

        Members(int start, int n) {
            this.start = start;
            this.n = n;
        }

        @Override
        public ScriptInstance get(int k) {
            Objects.checkIndex(k, n);
            return routes.instance(memberSlot[start + k]);
        }

        @Override
        public int size() {
            return n;
        }
    }

    @Override
    public void close() {
        block.close();
        entries.close();
        laneDeliveries.close();
        receivers.close();
        outcomes.close();
        batchHeader.close();
    }
}
