package dev.kiln.script;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.abi.CommandKind;
import dev.kiln.abi.ConnectionIds;
import dev.kiln.abi.GrowableSegment;
import dev.kiln.abi.HotApply;
import dev.kiln.abi.Layouts;
import dev.kiln.abi.NativeSignals;
import dev.kiln.abi.SignalQueue;
import dev.kiln.ecs.Entities;
import dev.kiln.ecs.World;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.LongFunction;

/**
 * Signals between script instances. Emitted signals queue up during a phase; the runtime
 * dispatches them in the barrier, after the phase's commands are applied, never in the middle
 * of another script's update. Delivery order: signals in posting order, and for each signal
 * its receivers in execution order (priority, then attach order).
 *
 * <p>A barrier can carry 100k signals, so nothing here is allocated per signal: the queue is
 * a set of primitive arrays reused from barrier to barrier, names and payloads are copied once,
 * from the command record into one native block the deliveries point into, and deliveries are
 * written straight into each receiving library's preallocated kiln_signal_delivery array.
 */
final class SignalBus implements AutoCloseable {
    /** Signals queued per dispatch round; beyond this they are refused, charged to their sender (a flood). */
    static final int QUEUED_SIGNALS_MAX = 1 << 20;
    /**
     * The last part of the queue, kept for senders holding fewer than {@link #SMALL_SENDER_SIGNALS}
     * in it: a sender that fills the rest is refused past it, never one that sends a few.
     */
    static final int KEPT_SIGNALS = QUEUED_SIGNALS_MAX / 16;
    /** Signals a sender may always queue in a round (while the kept part lasts), however full the rest is. */
    static final int SMALL_SENDER_SIGNALS = 256;

    private static final long DELIVERY = Layouts.SIGNAL_DELIVERY.byteSize();
    private static final long ENTRY = Layouts.INSTANCE.byteSize();
    private static final long SIGNAL_AT = Layouts.offset(Layouts.SIGNAL_DELIVERY, "signal");

    static {
        // Deliveries store pointers as 64-bit integers (no MemorySegment per pointer).
        if (ValueLayout.ADDRESS.byteSize() != 8) throw new ExceptionInInitializerError("64-bit addresses expected");
    }

    // ---- the queue (native memory: the native apply pass appends to it too)
    private final SignalQueue queue = new SignalQueue(QUEUED_SIGNALS_MAX, KEPT_SIGNALS, SMALL_SENDER_SIGNALS);
    private int dropped;

    private final Map<Long, List<ScriptInstance>> listeners = new HashMap<>();
    /** The Java host's view of emitted signals (an embedding game); null: none. */
    private HostSignalTap hostTap;

    void setHostTap(HostSignalTap tap) {
        this.hostTap = tap;
    }
    private final Map<Long, Boolean> listenersSorted = new HashMap<>();
    private long connectionsVersion;

    /** One receiving library's deliveries of the current round. */
    private static final class Batch {
        final GrowableSegment memory = new GrowableSegment(64 * DELIVERY);
        final List<ScriptInstance> members = new ArrayList<>();
    }

    private final Map<ScriptLibrary, Batch> batches = new IdentityHashMap<>();
    /** Libraries with deliveries this round, in order of their first delivery. */
    private final List<ScriptLibrary> receiving = new ArrayList<>();
    /** Delivery d went to library deliveryBatch[d], slot deliverySlot[d]: ranges are collected in that order. */
    private Batch[] deliveryBatch = new Batch[256];
    private int[] deliverySlot = new int[256];

    /** Who receives what, for the native router (kept up to date by the instances and by connect/disconnect). */
    private final SignalRoutes routes = new SignalRoutes(queue);
    /** The native router and the range collector it hands deliveries to; null: routed here in Java. */
    private NativeSignals router;
    private HotApply collector;
    private final NativeDispatch nativeDispatch = new NativeDispatch();

    /** Reports a library whose handler loop wrote outcomes the engine refused (how many); set by the runtime. */
    private java.util.function.ObjIntConsumer<ScriptLibrary> malformedOutcomes = (lib, n) -> {};

    void onMalformedOutcomes(java.util.function.ObjIntConsumer<ScriptLibrary> report) {
        this.malformedOutcomes = report;
    }

    /**
     * Whether libraries exporting kiln_script_signal_batch get compact batches (the default) or
     * kiln_signal_delivery records like every other library (for tests comparing the two).
     */
    void setCompactBatches(boolean compact) {
        routes.setCompactBatches(compact);
    }

    /** Dispatch rounds routed natively (a test's witness that the native router ran). */
    private long nativeRounds;

    long nativeRounds() {
        return nativeRounds;
    }

    /** Compact batches handed to libraries (kiln_signal_batch; a test's witness that the compact path ran). */
    private long compactCalls;

    long compactCalls() {
        return compactCalls;
    }

    /** Rounds routed and written in one pass (kiln_signal_route_batch; a test's witness that it ran). */
    private long onePassRounds;

    long onePassRounds() {
        return onePassRounds;
    }

    /**
     * Whether a round whose deliveries all go to one compact library is routed and written in one
     * pass (the default) or through the general route-then-write path (for tests comparing the two).
     */
    private boolean onePass = true;

    void setOnePassRounds(boolean onePass) {
        this.onePass = onePass;
    }

    SignalRoutes routes() {
        return routes;
    }

    /** Routes signals natively through {@code router} (null: in Java), collecting ranges through {@code collector}. */
    void setNativeRouter(NativeSignals router, HotApply collector) {
        this.router = router != null && collector != null ? router : null;
        this.collector = collector;
    }

    /**
     * Binds the native apply pass of this thread to the queue, so that it queues EMIT_SIGNAL
     * records itself, for the applying of one batch of ranges; {@link #unbindApply} after it.
     * Only while the route tables are current: they are rebuilt at a dispatch, never here, so a
     * barrier after an attach, detach or connect costs no rebuild when no signal is sent (its
     * EMIT_SIGNAL records, if any, go through the decoder until the next dispatch rebuilds them).
     * Returns whether it bound.
     */
    boolean bindApply() {
        if (router == null || routes.stale()) return false;
        queue.makeRoom();
        router.bind(queue.header());
        bound = true;
        return true;
    }

    /** True between {@link #bindApply} and {@link #unbindApply}. */
    private boolean bound;

    /**
     * True when the native apply pass, bound, would queue the first record of a range at
     * {@code offset}: an EMIT_SIGNAL (a routing hint, like HotApply.startsHot: the native side
     * checks everything again).
     */
    boolean takesNatively(MemorySegment data, int offset, int javaOnly) {
        if (!bound || javaOnly != 0 || offset < 0 || (offset & 7) != 0 || offset + 2L > data.byteSize()) return false;
        return Short.toUnsignedInt(data.get(ValueLayout.JAVA_SHORT, offset)) == CommandKind.EMIT_SIGNAL.code;
    }

    void unbindApply() {
        bound = false;
        router.bind(MemorySegment.NULL);
    }

    /** CONNECT_SIGNAL: from any sender. */
    void connect(ScriptInstance instance, long nameHash) {
        connect(instance, nameHash, Entities.NULL, ConnectionIds.of(nameHash, Entities.NULL));
    }

    /**
     * Connects {@code instance} to signal {@code nameHash} from {@code sender} (NULL: any) as
     * connection {@code id}; false when it holds {@link SignalConnections#PER_INSTANCE_MAX} already.
     */
    boolean connect(ScriptInstance instance, long nameHash, long sender, long id) {
        SignalConnections.Added added = instance.connections().add(nameHash, sender, id);
        if (added == SignalConnections.Added.FULL) return false;
        if (added != SignalConnections.Added.ALREADY) {
            routes.invalidate();
            connectionsVersion++;
        }
        if (added == SignalConnections.Added.FIRST_OF_NAME) {
            listeners.computeIfAbsent(nameHash, h -> new ArrayList<>()).add(instance);
            listenersSorted.put(nameHash, false);
        }
        return true;
    }

    /** DISCONNECT_SIGNAL: every connection of {@code instance} to the name. */
    void disconnect(ScriptInstance instance, long nameHash) {
        if (instance.connections().removeName(nameHash) == 0) return;
        routes.invalidate();
        connectionsVersion++;
        List<ScriptInstance> list = listeners.get(nameHash);
        if (list != null) list.remove(instance);
    }

    /** DISCONNECT_ID: one connection; its others to the same name stay. False when it has no such id. */
    boolean disconnectId(ScriptInstance instance, long id) {
        SignalConnections c = instance.connections();
        int k = c.indexOfId(id);
        if (k < 0) return false;
        long nameHash = c.nameAt(k);
        c.removeAt(k);
        routes.invalidate();
        connectionsVersion++;
        if (!c.hasName(nameHash)) {
            List<ScriptInstance> list = listeners.get(nameHash);
            if (list != null) list.remove(instance);
        }
        return true;
    }

    void forget(ScriptInstance instance) {
        for (long hash : instance.connectedSignals()) disconnect(instance, hash);
    }

    /** {@code instance}'s priority changed: its broadcast signals' receivers are re-sorted before use. */
    void priorityChanged(ScriptInstance instance) {
        for (long hash : instance.connectedSignals()) listenersSorted.put(hash, false);
    }

    /**
     * Queues a signal whose name ({@code nameLength} bytes at {@code data[nameAt]}) and payload
     * (the {@code payloadSize} bytes after it) are copied now; false when the queue is full, or
     * its shared part is and the sender holds {@link #SMALL_SENDER_SIGNALS} already (the caller
     * charges a script sender; the host's are counted in {@link #takeDropped}).
     */
    boolean enqueue(long senderEntity, long targetEntity, long hash, MemorySegment data,
                    long nameAt, int nameBytes, int payloadBytes) {
        if (queue.append(senderEntity, targetEntity, hash, data, nameAt, nameBytes, payloadBytes)) return true;
        if (senderEntity == Entities.NULL) dropped++;
        return false;
    }

    boolean hasPending() {
        return queue.count() > 0;
    }

    /** Drops every queued signal undelivered (a rewind keyframe, taken with none queued, is being restored). */
    void clearQueued() {
        queue.clear();
    }

    /** Bumped by every connect and disconnect that changed a connection: a rewind keyframe's rows are read again only then. */
    long connectionsVersion() {
        return connectionsVersion;
    }

    /** The Java host's signals dropped since the last call (queue full; a script's are charged to it). */
    int takeDropped() {
        int d = dropped;
        dropped = 0;
        return d;
    }

    /**
     * Delivers every queued signal: one downcall per receiving library, then the handlers'
     * command ranges are appended to {@code ranges} in delivery order. Signals the handlers emit
     * are queued when their ranges are applied, after this returns: for the next round.
     * {@code instancesOn} must return the entity's scripts in execution order (not copied).
     */
    int dispatch(MemorySegment frame, CommandRanges ranges, LongFunction<List<ScriptInstance>> instancesOn,
                 Consumer<ScriptLibrary> missingHandler, FaultRecovery.Context guard) {
        return dispatch(frame, ranges, instancesOn, missingHandler, guard, null, null, null);
    }

    /**
     * {@link #dispatch(MemorySegment, CommandRanges, LongFunction, java.util.function.Consumer, FaultRecovery.Context)},
     * natively when a router is set ({@link #setNativeRouter}) and {@code world} is given:
     * {@code all} is every attached instance and {@code onIndex} an entity index's instances in
     * execution order (the route tables are rebuilt from them when stale). The same deliveries,
     * in the same order, to the same handler calls, with the same ranges.
     */
    int dispatch(MemorySegment frame, CommandRanges ranges, LongFunction<List<ScriptInstance>> instancesOn,
                 Consumer<ScriptLibrary> missingHandler, FaultRecovery.Context guard,
                 World world, Collection<ScriptInstance> all, IntFunction<List<ScriptInstance>> onIndex) {
        if (router != null && world != null) {
            nativeRounds++;
            tapAll();
            int n = nativeDispatch.run(frame, ranges, world, routes.tables(all, onIndex), missingHandler, guard);
            queue.clear();
            return n;
        }
        int deliveries = 0;
        long bytesBase = queue.bytes().address();
        List<ScriptInstance> broadcast = null;
        long broadcastHash = 0;
        for (int s = 0, queued = queue.count(); s < queued; s++) {
            long hash = queue.nameHash(s), from = queue.sender(s), to = queue.target(s);
            if (hostTap != null && hostTap.wants(hash)) hostTap.take(hash, from, to, queue.payload(s));
            List<ScriptInstance> candidates;
            if (to != Entities.NULL) {
                candidates = instancesOn.apply(to);
            } else {
                if (broadcast == null || broadcastHash != hash) { // one lookup per run of the same name
                    broadcast = listenersOf(hash);
                    broadcastHash = hash;
                }
                candidates = broadcast;
            }
            for (int k = 0, n = candidates.size(); k < n; k++) {
                ScriptInstance receiver = candidates.get(k);
                // a connection may be limited to one sender: checked for broadcasts too
                if (!isLive(receiver) || !receiver.connections().accepts(hash, from)) continue;
                ScriptLibrary lib = receiver.library();
                if (!lib.code().hasSignalHandler()) {
                    missingHandler.accept(lib);
                    continue;
                }
                if (lib.poisoned()) continue;
                Batch batch = batchOf(lib);
                int slot = batch.members.size();
                batch.members.add(receiver);
                batch.memory.ensure((slot + 1) * DELIVERY, true);
                writeDelivery(batch.memory.segment(), slot * DELIVERY, receiver, s, bytesBase);
                if (deliveries == deliveryBatch.length) {
                    deliveryBatch = Arrays.copyOf(deliveryBatch, deliveries * 2);
                    deliverySlot = Arrays.copyOf(deliverySlot, deliveries * 2);
                }
                deliveryBatch[deliveries] = batch;
                deliverySlot[deliveries] = slot;
                deliveries++;
            }
        }
        queue.clear(); // every signal of this round is written out; what the handlers emit starts afresh
        for (ScriptLibrary lib : receiving) {
            Batch b = batches.get(lib);
            FaultRecovery.invoke(lib, frame, b.memory.segment(), DELIVERY, b.members.size(), b.members,
                    (nl, f, items, n) -> nl.signal(f, items, n), guard);
        }
        for (int d = 0; d < deliveries; d++) {
            MemorySegment m = deliveryBatch[d].memory.segment();
            long at = deliverySlot[d] * DELIVERY;
            InstanceBatch.addRange(ranges, m, at, deliveryBatch[d].members.get(deliverySlot[d]));
            deliveryBatch[d] = null;
        }
        for (ScriptLibrary lib : receiving) batches.get(lib).members.clear();
        receiving.clear();
        return deliveries;
    }

    /** Hands every queued signal the host's tap wants to it, in posting order. */
    private void tapAll() {
        if (hostTap == null) return;
        for (int s = 0, queued = queue.count(); s < queued; s++) {
            long hash = queue.nameHash(s);
            if (hostTap.wants(hash)) hostTap.take(hash, queue.sender(s), queue.target(s), queue.payload(s));
        }
    }

    /**
     * One native dispatch round: kiln_signal_route picks the receivers of the targeted signals
     * (broadcasts are routed here, from the sorted listener lists, into the same tables), the
     * deliveries are laid out library by library in one block in order of each library's first
     * delivery, kiln_signal_write writes them, each library's handler runs once, and the
     * handlers' ranges are collected in delivery order (kiln_collect_ranges).
     */
    private final class NativeDispatch {
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

        int run(MemorySegment frame, CommandRanges ranges, World world, NativeSignals.Routes r,
                Consumer<ScriptLibrary> missingHandler, FaultRecovery.Context guard) {
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
                int total = runOnePass(frame, ranges, world, r, modes, guard);
                if (total >= 0) return total;
            }
            Arrays.fill(libCount, 0, libs, 0);
            Arrays.fill(libFirst, 0, libs, -1);
            Arrays.fill(libMissed, 0, libs, 0);
            counters[NativeSignals.DELIVERIES] = 0;
            int s = 0, queued = queue.count();
            while (s < queued) {
                int until = Math.min(queued, s + NativeSignals.PER_CALL_MAX);
                route(world, s, until, r, modes);
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
         * order is then the batch's order), then one SignalBatchCall. Returns the deliveries, or -1
         * — nothing delivered, nothing called — when the round has a broadcast or another library:
         * the general path then routes it from the start.
         */
        private int runOnePass(MemorySegment frame, CommandRanges ranges, World world, NativeSignals.Routes r,
                               int[] modes, FaultRecovery.Context guard) {
            byte[] compact = routes.libraryCompact();
            nextStamp(r.slotId().length);
            batchCounters[NativeSignals.DELIVERIES] = 0;
            batchCounters[NativeSignals.RECEIVERS] = 0;
            batchCounters[NativeSignals.LIBRARY] = -1;
            int s = 0, queued = queue.count();
            ensureOnePassRoom(Math.max(queued, 1), false);
            while (s < queued) {
                int until = Math.min(queued, s + NativeSignals.PER_CALL_MAX);
                int from = s;
                world.applyHot((generations, alive, positions, scales, velocities, held, changes, dirtyList, c) ->
                        routedTo = router.routeBatch(from, until, queue.header(), generations, alive,
                                (int) c[World.HOT_HIGH_WATER], r, modes, compact, slotStamp, slotReceiver, stamp,
                                entries.segment(), receivers.segment(), deliverySlot, onePassCapacity(),
                                batchCounters), worldCounters);
                s = routedTo;
                if (s == until) continue;
                if (batchCounters[NativeSignals.MIXED] != 0 || batchCounters[NativeSignals.NEEDED] == 0) return -1;
                ensureOnePassRoom((int) (batchCounters[NativeSignals.DELIVERIES] + batchCounters[NativeSignals.NEEDED]), true);
            }
            int total = (int) batchCounters[NativeSignals.DELIVERIES];
            if (total == 0) return 0; // no signal reached a script: nothing to call, the queue is the caller's to clear
            onePassRounds++;
            int lib = (int) batchCounters[NativeSignals.LIBRARY];
            int receiverCount = (int) batchCounters[NativeSignals.RECEIVERS];
            outcomes.ensure(total * SignalBatchCall.OUTCOME_BYTES, false);
            outcomeCount = 0;
            compactCalls++;
            int[] slots = deliverySlot;
            int refused = SignalBatchCall.invoke(routes.library(lib), frame, batchHeader.segment(),
                    entries.segment().asSlice(0, total * SignalBatchCall.ENTRY_BYTES),
                    receivers.segment().asSlice(0, receiverCount * SignalBatchCall.RECEIVER_BYTES), receiverCount,
                    outcomes.segment().asSlice(0, total * SignalBatchCall.OUTCOME_BYTES), signalTables(), total,
                    k -> routes.instance(slots[k]),
                    (k, offset, bytes, refusedRequests, dropped) -> addOutcome(k, r.slotId()[slots[k]],
                            r.slotQuota()[slots[k]], offset, bytes, refusedRequests, dropped), guard);
            if (refused > 0) malformedOutcomes.accept(routes.library(lib), refused);
            queue.clear(); // every signal of this round was delivered; what the handlers emit starts afresh
            if (outcomeCount > 0) collectMixed(ranges, total, false);
            return total;
        }

        /** Deliveries (and receivers: never more than deliveries) the one-pass tables hold. */
        private int onePassCapacity() {
            long byEntries = entries.segment().byteSize() / SignalBatchCall.ENTRY_BYTES;
            long byReceivers = receivers.segment().byteSize() / SignalBatchCall.RECEIVER_BYTES;
            return (int) Math.min(deliverySlot.length, Math.min(byEntries, byReceivers));
        }

        /** The one-pass tables grown to {@code deliveries}, what they hold kept when {@code keep}. */
        private void ensureOnePassRoom(int deliveries, boolean keep) {
            growDeliveries(deliveries);
            entries.ensure(deliveries * SignalBatchCall.ENTRY_BYTES, keep);
            receivers.ensure(deliveries * SignalBatchCall.RECEIVER_BYTES, keep);
        }

        /** The seven signal table pointers of kiln_signal_batch: the queue's own arrays (kiln_signals.h order). */
        private long[] signalTables() {
            MemorySegment h = queue.header();
            // kiln_signal_batch: name_hash, sender, target, bytes_at, name_len, payload_size, bytes;
            // kiln_signal_queue: sender 0, target 8, name_hash 16, bytes_at 24, name_len 32, payload_size 40, bytes 48.
            tables[0] = h.get(JAVA_LONG, 16);
            tables[1] = h.get(JAVA_LONG, 0);
            tables[2] = h.get(JAVA_LONG, 8);
            for (int t = 3; t < 7; t++) tables[t] = h.get(JAVA_LONG, 8L * t);
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

        private void route(World world, int from, int until, NativeSignals.Routes r, int[] modes) {
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

        void close() {
            block.close();
            entries.close();
            receivers.close();
            outcomes.close();
            batchHeader.close();
        }
    }

    private Batch batchOf(ScriptLibrary lib) {
        Batch b = batches.computeIfAbsent(lib, l -> new Batch());
        if (b.members.isEmpty()) receiving.add(lib);
        return b;
    }

    /** Broadcast receivers of a signal, sorted into execution order when they changed. */
    private List<ScriptInstance> listenersOf(long hash) {
        List<ScriptInstance> all = listeners.get(hash);
        if (all == null) return List.of();
        if (!listenersSorted.getOrDefault(hash, true)) {
            all.sort(ScriptInstance::compareOrder);
            listenersSorted.put(hash, true);
        }
        return all;
    }

    private static boolean isLive(ScriptInstance i) {
        return i.enabled() && i.lifecycle() == ScriptInstance.Lifecycle.ACTIVE;
    }

    /** A kiln_signal_delivery: the receiver's kiln_instance, then signal s, every byte written. */
    private void writeDelivery(MemorySegment m, long at, ScriptInstance receiver, int s, long bytesBase) {
        InstanceBatch.writeEntry(m, at, ENTRY, receiver);
        long o = at + SIGNAL_AT;
        long name = bytesBase + queue.bytesAt(s);
        int nameLength = queue.nameLength(s);
        m.set(JAVA_LONG, o, queue.nameHash(s));
        m.set(JAVA_LONG, o + 8, queue.sender(s));
        m.set(JAVA_LONG, o + 16, queue.target(s));
        m.set(JAVA_LONG, o + 24, name + nameLength); // payload pointer
        m.set(JAVA_LONG, o + 32, name);
        m.set(JAVA_INT, o + 40, queue.payloadSize(s));
        m.set(JAVA_INT, o + 44, nameLength);
        m.set(JAVA_LONG, o + 48, 0L); // reserved[2]
        m.set(JAVA_LONG, o + 56, 0L);
    }

    /** Forgets a library's delivery batch; returns its memory for the caller to close, or null. */
    GrowableSegment forgetLibrary(ScriptLibrary library) {
        Batch b = batches.remove(library);
        return b == null ? null : b.memory;
    }

    @Override
    public void close() {
        nativeDispatch.close();
        batches.values().forEach(b -> b.memory.close());
        batches.clear();
        routes.close();
        queue.close();
    }
}
