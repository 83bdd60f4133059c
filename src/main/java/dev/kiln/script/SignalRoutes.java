package dev.kiln.script;

import dev.kiln.abi.Layouts;
import dev.kiln.dataplane.GrowableSegment;
import dev.kiln.dataplane.NativeSignals;
import dev.kiln.dataplane.SignalQueue;
import dev.kiln.ecs.Entities;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Who receives which signal, as flat tables for the native router (native/kiln_signals.c): the
 * instances by entity index in execution order (priority, then attach order), and per instance
 * ("slot") its entity handle, library number, whether it receives at all (enabled and active),
 * its connections, State address, engine id and request quota.
 *
 * <p>The tables are a copy, rebuilt at a dispatch when stale: every instance marks them stale
 * when anything they hold changes ({@link ScriptInstance}'s setters, connect and disconnect in
 * {@link SignalBus}), so a frame that changes nothing costs no rebuild. A rebuild costs one pass
 * over the instances (≈ tens of ns each). Whether a library has a handler or is poisoned is
 * read at each dispatch ({@link #libraryModes}), not cached. Thread: the runtime's.
 */
final class SignalRoutes {
    private boolean stale = true; // the queue's sender table starts off (-1) too
    private NativeSignals.Routes tables;
    private ScriptInstance[] slotInstance = new ScriptInstance[0];
    private final Map<ScriptInstance, Integer> slotOf = new IdentityHashMap<>();
    private ScriptLibrary[] libraries = new ScriptLibrary[0];
    private int[] libMode = new int[0];
    private byte[] libCompact = new byte[0];
    private byte[] libLane = new byte[0];
    private boolean compactBatches = true;

    /** The queue whose sender table these tables keep (null: none). */
    private SignalQueue queue;
    private final GrowableSegment senderIds = new GrowableSegment(1024);
    private final GrowableSegment senderEntities = new GrowableSegment(2048);
    private final GrowableSegment senderById = new GrowableSegment(2048);
    /** Every slot's kiln_instance for compact batches, slot order (see {@link #writeReceivers}). */
    private final GrowableSegment receiverBlock = new GrowableSegment(1024 * RECEIVER_BYTES);
    private static final long RECEIVER_BYTES = Layouts.INSTANCE.byteSize();

    SignalRoutes(SignalQueue queue) {
        this.queue = queue;
    }

    /** Something a table holds changed: rebuild before the next native use; the queue's sender table is off until then. */
    void invalidate() {
        if (stale) return;
        stale = true;
        queue.staleSenders();
    }

    boolean stale() {
        return stale;
    }

    /**
     * The tables for {@code instances}, rebuilt when stale; {@code onIndex} returns the
     * instances at an entity index in execution order (as the runtime keeps them), or null.
     */
    NativeSignals.Routes tables(Collection<ScriptInstance> instances, IntFunction<List<ScriptInstance>> onIndex) {
        if (stale) rebuild(instances, onIndex);
        return tables;
    }

    private void rebuild(Collection<ScriptInstance> instances, IntFunction<List<ScriptInstance>> onIndex) {
        int n = instances.size(), span = 0, connections = 0;
        for (ScriptInstance i : instances) {
            span = Math.max(span, Entities.index(i.entity()) + 1);
            connections += i.connections().count();
        }
        int[] entityFirst = new int[span + 1];
        for (ScriptInstance i : instances) entityFirst[Entities.index(i.entity()) + 1]++;
        for (int e = 0; e < span; e++) entityFirst[e + 1] += entityFirst[e];
        // Table positions (entity index, then execution order at that index) and their libraries,
        // numbered in order of first appearance.
        ScriptInstance[] atPosition = new ScriptInstance[n];
        int[] positionLib = new int[n];
        Map<ScriptLibrary, Integer> libraryNumber = new IdentityHashMap<>();
        for (int e = 0; e < span; e++) {
            if (entityFirst[e] == entityFirst[e + 1]) continue;
            List<ScriptInstance> here = onIndex.apply(e);
            if (here.size() != entityFirst[e + 1] - entityFirst[e]) throw new IllegalStateException("entity index " + e
                    + " lists " + here.size() + " scripts, the instances " + (entityFirst[e + 1] - entityFirst[e]));
            for (int k = 0; k < here.size(); k++) {
                ScriptInstance i = here.get(k);
                atPosition[entityFirst[e] + k] = i;
                positionLib[entityFirst[e] + k] = libraryNumber.computeIfAbsent(i.library(), l -> libraryNumber.size());
            }
        }
        // Slots are numbered library by library (table order within one), so that a library's
        // instances are one run of slots, libSlotFirst[lib] to libSlotFirst[lib + 1]: its receivers
        // in a one-pass round are that run of the receiver block, numbered slot - libSlotFirst[lib].
        int libs = libraryNumber.size();
        int[] libSlotFirst = new int[libs + 1];
        for (int p = 0; p < n; p++) libSlotFirst[positionLib[p] + 1]++;
        for (int l = 0; l < libs; l++) libSlotFirst[l + 1] += libSlotFirst[l];
        int[] entitySlots = new int[n];
        int[] next = Arrays.copyOf(libSlotFirst, libs);
        for (int p = 0; p < n; p++) entitySlots[p] = next[positionLib[p]]++;
        long[] slotEntity = new long[n];
        int[] slotLib = new int[n];
        byte[] slotLive = new byte[n];
        int[] connFirst = new int[n + 1];
        long[] connName = new long[connections];
        long[] connSender = new long[connections];
        long[] slotState = new long[n];
        int[] slotId = new int[n];
        int[] slotQuota = new int[n];
        slotInstance = new ScriptInstance[n];
        slotOf.clear();
        for (int p = 0; p < n; p++) {
            int s = entitySlots[p];
            ScriptInstance i = atPosition[p];
            slotInstance[s] = i;
            slotOf.put(i, s);
            slotEntity[s] = i.entity();
            slotLib[s] = positionLib[p];
            slotLive[s] = (byte) (i.enabled() && i.lifecycle() == ScriptInstance.Lifecycle.ACTIVE ? 1 : 0);
            slotState[s] = i.stateMemory() == null ? 0 : i.stateMemory().address();
            slotId[s] = i.id();
            slotQuota[s] = i.hookQuota();
        }
        int c = 0; // connections laid out in slot order
        for (int s = 0; s < n; s++) {
            SignalConnections conns = slotInstance[s].connections();
            connFirst[s] = c;
            for (int j = 0; j < conns.count(); j++, c++) {
                connName[c] = conns.nameAt(j);
                connSender[c] = conns.senderAt(j);
            }
            connFirst[s + 1] = c;
        }
        libraries = new ScriptLibrary[libs];
        libraryNumber.forEach((l, k) -> libraries[k] = l);
        libMode = new int[libs];
        libCompact = new byte[libs];
        libLane = new byte[libs];
        tables = new NativeSignals.Routes(entityFirst, span, entitySlots, slotEntity, slotLib, slotLive, connFirst,
                connName, connSender, slotState, slotId, slotQuota,
                entityRoutes(span, entityFirst, entitySlots, slotEntity, slotLib, slotLive, connFirst, connName, connSender),
                libSlotFirst);
        writeReceivers(n, slotEntity, slotState, slotId, slotQuota);
        publishSenders();
        stale = false;
    }

    /**
     * Every slot's kiln_instance as a compact batch's receiver (inputs as kiln_signal_write_batches
     * writes them, outputs zero), written once per rebuild instead of once per receiver and round:
     * the one-pass round hands a library its run of this block (the handler loop writes only the
     * outputs, scratch). The inputs copy what the tables copy, so whatever changes them rebuilds.
     */
    private void writeReceivers(int n, long[] slotEntity, long[] slotState, int[] slotId, int[] slotQuota) {
        receiverBlock.ensure(Math.max(1, n) * RECEIVER_BYTES, false);
        MemorySegment b = receiverBlock.segment();
        b.asSlice(0, n * RECEIVER_BYTES).fill((byte) 0);
        for (int s = 0; s < n; s++) {
            long at = s * RECEIVER_BYTES;
            b.set(ValueLayout.JAVA_LONG, at + Layouts.INSTANCE_ENTITY, slotEntity[s]);
            b.set(ValueLayout.JAVA_LONG, at + Layouts.INSTANCE_STATE, slotState[s]);
            b.set(ValueLayout.JAVA_INT, at + Layouts.INSTANCE_ID, slotId[s]);
            b.set(ValueLayout.JAVA_INT, at + Layouts.INSTANCE_FLAGS, Layouts.INSTANCE_ENABLED);
            b.set(ValueLayout.JAVA_INT, at + Layouts.INSTANCE_CMD_QUOTA, slotQuota[s]);
        }
    }

    /** The receivers of library {@code lib} in a one-pass round: its run of slots' kiln_instance (see {@link #writeReceivers}). */
    MemorySegment receiversOf(int lib) {
        int[] first = tables.libSlotFirst();
        return receiverBlock.segment().asSlice(first[lib] * RECEIVER_BYTES, (first[lib + 1] - first[lib]) * RECEIVER_BYTES);
    }

    /**
     * Per entity index, the one-line route of kiln_signal_route_batch when the index has one
     * script, receiving, with one connection (its handle, the connection's name and sender, its
     * slot and library); for any other index {@link NativeSignals.Routes#NO_ENTITY} as the handle
     * and zeros — the slot and connection tables decide.
     */
    private static long[] entityRoutes(int span, int[] entityFirst, int[] entitySlots, long[] slotEntity, int[] slotLib,
                                       byte[] slotLive, int[] connFirst, long[] connName, long[] connSender) {
        int width = NativeSignals.Routes.ENTITY_ROUTE_WIDTH;
        long[] route = new long[span * width];
        for (int e = 0; e < span; e++) {
            route[e * width] = NativeSignals.Routes.NO_ENTITY;
            if (entityFirst[e + 1] - entityFirst[e] != 1) continue;
            int s = entitySlots[entityFirst[e]];
            if (slotLive[s] == 0 || connFirst[s + 1] - connFirst[s] != 1) continue;
            int c = connFirst[s];
            route[e * width] = slotEntity[s];
            route[e * width + 1] = connName[c];
            route[e * width + 2] = connSender[c];
            route[e * width + 3] = (s & 0xFFFF_FFFFL) | ((long) slotLib[s] << 32);
        }
        return route;
    }

    /**
     * The queue's sender table (instance id → entity, ids ascending) for the native apply pass:
     * every attached instance, as ScriptRuntime.sourceInstance finds it by id.
     */
    private void publishSenders() {
        int n = slotInstance.length;
        long[] pairs = new long[n];
        for (int s = 0; s < n; s++) pairs[s] = ((long) slotInstance[s].id() << 32) | s;
        Arrays.sort(pairs); // ids are non-negative ints: sorting the packed pairs sorts by id
        senderIds.ensure(Math.max(4, n * 4L), false);
        senderEntities.ensure(Math.max(8, n * 8L), false);
        MemorySegment ids = senderIds.segment(), entities = senderEntities.segment();
        for (int k = 0; k < n; k++) {
            int slot = (int) pairs[k];
            ids.setAtIndex(ValueLayout.JAVA_INT, k, (int) (pairs[k] >>> 32));
            entities.setAtIndex(ValueLayout.JAVA_LONG, k, slotInstance[slot].entity());
        }
        // Ids are handed out in attach order and never reused: while they stay dense enough, a
        // table by id replaces the native side's binary search per emitting range.
        int span = n == 0 ? 0 : (int) (pairs[n - 1] >>> 32) + 1;
        if (n > 0 && span <= ID_TABLE_SPREAD_MAX * n + ID_TABLE_MIN) {
            senderById.ensure(span * 8L, false);
            MemorySegment byId = senderById.segment();
            byId.asSlice(0, span * 8L).fill((byte) 0);
            for (int s = 0; s < n; s++) byId.setAtIndex(ValueLayout.JAVA_LONG, slotInstance[s].id(), slotInstance[s].entity());
            queue.setSenders(ids, entities, n, byId, span);
        } else {
            queue.setSenders(ids, entities, n);
        }
    }

    /** Ids per attached instance a by-id sender table may span (beyond ID_TABLE_MIN): 8 bytes per id. */
    static final int ID_TABLE_SPREAD_MAX = 4;
    static final int ID_TABLE_MIN = 4096;

    void close() {
        queue.staleSenders();
        senderIds.close();
        senderEntities.close();
        senderById.close();
        receiverBlock.close();
    }

    /** Each library's mode now (NativeSignals.LIB_*): its handler export and poisoning can change any time. */
    int[] libraryModes() {
        for (int k = 0; k < libraries.length; k++) {
            ScriptLibrary l = libraries[k];
            libMode[k] = !l.code().hasSignalHandler() ? NativeSignals.LIB_NO_HANDLER
                    : l.poisoned() ? NativeSignals.LIB_POISONED : NativeSignals.LIB_DELIVER;
        }
        return libMode;
    }

    /** Libraries that take compact batches now (1; see {@link #setCompactBatches}); read at each dispatch, as the modes. */
    byte[] libraryCompact() {
        for (int k = 0; k < libraries.length; k++) {
            libCompact[k] = (byte) (compactBatches && libraries[k].code().hasSignalBatch() ? 1 : 0);
        }
        return libCompact;
    }

    /** Libraries that take lane batches now (kiln_script_signal_lane, with compact batches on); read at each dispatch. */
    byte[] libraryLane() {
        for (int k = 0; k < libraries.length; k++) {
            libLane[k] = (byte) (compactBatches && libraries[k].code().hasSignalLane() ? 1 : 0);
        }
        return libLane;
    }

    /** False: every library gets kiln_signal_delivery records, whatever it exports. */
    void setCompactBatches(boolean compact) {
        this.compactBatches = compact;
    }

    int libraryCount() {
        return libraries.length;
    }

    ScriptLibrary library(int number) {
        return libraries[number];
    }

    ScriptInstance instance(int slot) {
        return slotInstance[slot];
    }

    /** The slot of {@code instance}, or -1 when it is not in the tables. */
    /** Sets the quota {@code instance}'s deliveries carry (kiln_instance.cmd_quota) in current tables, without a rebuild. */
    void refreshQuota(ScriptInstance instance) {
        if (stale || tables == null) return; // a rebuild reads hookQuota itself
        Integer s = slotOf.get(instance);
        if (s != null) {
            tables.slotQuota()[s] = instance.hookQuota();
            receiverBlock.segment().set(ValueLayout.JAVA_INT, s * RECEIVER_BYTES + Layouts.INSTANCE_CMD_QUOTA, instance.hookQuota());
        }
    }

    int slotOf(ScriptInstance instance) {
        Integer s = slotOf.get(instance);
        return s == null ? -1 : s;
    }

    /** Library number of a slot. */
    int libraryOf(int slot) {
        return tables.slotLib()[slot];
    }

    @Override
    public String toString() {
        return "SignalRoutes[" + slotInstance.length + " slots, " + libraries.length + " libraries" + (stale ? ", stale" : "")
                + ", modes " + Arrays.toString(libMode) + "]";
    }
}
