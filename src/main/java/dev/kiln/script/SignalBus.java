package dev.kiln.script;

import dev.kiln.abi.CommandKind;
import dev.kiln.abi.ConnectionIds;
import dev.kiln.abi.Layouts;
import dev.kiln.dataplane.GrowableSegment;
import dev.kiln.dataplane.HotApply;
import dev.kiln.dataplane.NativeSignals;
import dev.kiln.dataplane.SignalLane;
import dev.kiln.dataplane.SignalQueue;
import dev.kiln.ecs.Entities;
import dev.kiln.ecs.NameHash;
import dev.kiln.ecs.Status;
import dev.kiln.ecs.World;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.LongFunction;
import java.util.function.LongPredicate;
import java.util.function.ObjIntConsumer;

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
 *
 * <p>The bus owns the queue, the connections (broadcast listener lists, the route tables) and
 * the host's tap; a dispatch round runs in {@link JavaSignalDispatch} or, with a native router,
 * {@link NativeSignalDispatch}.
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

    static final long DELIVERY = Layouts.SIGNAL_DELIVERY.byteSize();

    static {
        // Deliveries store pointers as 64-bit integers (no MemorySegment per pointer).
        if (ValueLayout.ADDRESS.byteSize() != 8) throw new ExceptionInInitializerError("64-bit addresses expected");
    }

    // ---- the queue (native memory: the native apply pass appends to it too)
    private final SignalQueue queue = new SignalQueue(QUEUED_SIGNALS_MAX, KEPT_SIGNALS, SMALL_SENDER_SIGNALS);
    /** The update calls' signal lane (kiln_signal_lane): short signals posted beside the records, taken at the barrier. */
    private final SignalLane lane = new SignalLane();
    private int dropped;

    private final Map<Long, List<ScriptInstance>> listeners = new HashMap<>();
    /** The Java host's view of emitted signals (an embedding game); null: none. */
    private HostSignalTap hostTap;

    void setHostTap(HostSignalTap tap) {
        this.hostTap = tap;
    }
    private final Map<Long, Boolean> listenersSorted = new HashMap<>();
    private long connectionsVersion;

    /** Who receives what, for the native router (kept up to date by the instances and by connect/disconnect). */
    private final SignalRoutes routes = new SignalRoutes(queue);
    /** The native router and the range collector it hands deliveries to; null: routed here in Java. */
    private NativeSignals router;
    private HotApply collector;
    private final NativeSignalDispatch nativeDispatch = new NativeSignalDispatch(queue, routes, this::listenersOf);
    private final JavaSignalDispatch javaDispatch = new JavaSignalDispatch(queue, this::listenersOf);

    /** Reports a library whose handler loop wrote outcomes the engine refused (how many); set by the runtime. */
    void onMalformedOutcomes(ObjIntConsumer<ScriptLibrary> report) {
        nativeDispatch.onMalformedOutcomes(report);
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
    long compactCalls() {
        return nativeDispatch.compactCalls();
    }

    /** Rounds routed and written in one pass (kiln_signal_route_batch; a test's witness that it ran). */
    long onePassRounds() {
        return nativeDispatch.onePassRounds();
    }

    /** One-pass rounds whose targets were known live (no liveness tables read; tests). */
    long knownLiveRounds() {
        return nativeDispatch.knownLiveRounds();
    }

    /** Whether lane rounds may skip the world's liveness tables for targets that are their route handles (tests turn it off). */
    void setTrustRouteHandles(boolean trust) {
        nativeDispatch.setTrustRouteHandles(trust);
    }

    /** Lane rounds whose entity routes' handles were known live (the world's liveness tables skipped for them). */
    long knownLiveLaneRounds() {
        return nativeDispatch.knownLiveLaneRounds();
    }

    /**
     * Whether a round whose deliveries all go to one compact library is routed and written in one
     * pass (the default) or through the general route-then-write path (for tests comparing the two).
     */
    void setOnePassRounds(boolean onePass) {
        nativeDispatch.setOnePassRounds(onePass);
    }

    SignalRoutes routes() {
        return routes;
    }

    /** The signal lane the phases' update calls are offered (see {@link BarrierApply#offeredLane}). */
    SignalLane lane() {
        return lane;
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
     * Queues signal {@code name} from the Java host (sender NULL): the checks of
     * {@code ScriptRuntime.emitFromHost}, whose statuses it returns.
     */
    Status emitFromHost(String name, byte[] payload, long target, LongPredicate isAlive) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        if (utf8.length == 0) return Status.INVALID_ARGUMENT;
        if (utf8.length > Layouts.NAME_MAX_BYTES
                || payload.length > Layouts.SIGNAL_PAYLOAD_MAX) return Status.TOO_LONG;
        if (target != Entities.NULL && !isAlive.test(target)) return Status.STALE_ENTITY;
        byte[] data = Arrays.copyOf(utf8, utf8.length + payload.length); // name, then payload
        System.arraycopy(payload, 0, data, utf8.length, payload.length);
        boolean queued = enqueue(Entities.NULL, target, NameHash.of(utf8),
                MemorySegment.ofArray(data), 0, utf8.length, payload.length);
        return queued ? Status.OK : Status.BUFFER_FULL;
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
        return queue.count() > 0 || held != null;
    }

    /** Drops every queued signal undelivered (a rewind keyframe, taken with none queued, is being restored). */
    void clearQueued() {
        queue.clear();
        if (held != null) held.clear();
        held = null;
    }

    /** A phase's lane held past its barrier for the dispatch (null: none); see {@link HeldLane}. */
    private HeldLane held;
    /** Rounds routed from the lane in place (a test's witness that the path ran). */
    private long laneRounds;

    long laneRounds() {
        return laneRounds;
    }

    /** Held lanes the lane route gave up on, queued for the general path (a test's witness). */
    private long laneFallbacks;

    long laneFallbacks() {
        return laneFallbacks;
    }

    /**
     * Holds a phase's lane for the next dispatch, which routes it in place when it can: true when
     * held; false — the caller queues it now — unless the native router is on, nothing is queued
     * (the lane's signals must come first) and no host tap wants to see the signals.
     */
    boolean hold(HeldLane lane) {
        if (router == null || held != null || queue.count() > 0 || hostTap != null) return false;
        held = lane;
        return true;
    }

    /**
     * Queues a held lane now, before anything else is queued (a barrier's shutdowns run before
     * its first dispatch and may emit: the lane's signals were posted first).
     */
    void queueHeld(World world) {
        if (held == null) return;
        HeldLane h = held;
        held = null;
        queue.makeRoom();
        router.bind(queue.header());
        try {
            h.queueAll(world, router);
        } finally {
            router.bind(MemorySegment.NULL);
        }
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
        if (held != null) {
            if (router != null && world != null && queue.count() == 0 && hostTap == null && nativeDispatch.onePassOn()) {
                HeldLane h = held;
                nativeRounds++;
                NativeSignals.Routes r = routes.tables(all, onIndex);
                queue.makeRoom();
                router.bind(queue.header());
                int n;
                try {
                    n = nativeDispatch.runLane(frame, ranges, world, r, guard, router, h);
                } finally {
                    router.bind(MemorySegment.NULL);
                }
                if (n >= 0) { // every lane signal delivered: the round is over
                    held = null;
                    h.clear();
                    laneRounds++;
                    queue.clear();
                    nativeDispatch.queueCleared(world);
                    return n;
                }
                nativeRounds--; // counted by the round below
                laneFallbacks++;
            }
            queueHeld(world);
        }
        if (router != null && world != null) {
            nativeRounds++;
            tapAll();
            int n = nativeDispatch.run(frame, ranges, world, routes.tables(all, onIndex), missingHandler, guard, router, collector);
            queue.clear();
            nativeDispatch.queueCleared(world);
            return n;
        }
        return javaDispatch.run(frame, ranges, instancesOn, missingHandler, guard, hostTap);
    }

    /** Hands every queued signal the host's tap wants to it, in posting order. */
    private void tapAll() {
        if (hostTap == null) return;
        for (int s = 0, queued = queue.count(); s < queued; s++) {
            long hash = queue.nameHash(s);
            if (hostTap.wants(hash)) hostTap.take(hash, queue.sender(s), queue.target(s), queue.payload(s));
        }
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

    /** Enabled and active: an instance signals are delivered to (both routers ask the same). */
    static boolean isLive(ScriptInstance i) {
        return i.enabled() && i.lifecycle() == ScriptInstance.Lifecycle.ACTIVE;
    }

    /** Forgets a library's delivery batch; returns its memory for the caller to close, or null. */
    GrowableSegment forgetLibrary(ScriptLibrary library) {
        return javaDispatch.forgetLibrary(library);
    }

    @Override
    public void close() {
        nativeDispatch.close();
        javaDispatch.close();
        routes.close();
        queue.close();
        lane.close();
    }
}
