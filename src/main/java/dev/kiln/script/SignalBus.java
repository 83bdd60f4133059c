package dev.kiln.script;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.abi.GrowableSegment;
import dev.kiln.abi.Layouts;
import dev.kiln.ecs.Entities;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Signals between script instances. Emitted signals queue up during a phase; the runtime
 * dispatches them in the barrier, after the phase's commands are applied, never in the middle
 * of another script's update. Delivery order: signals in posting order, and for each signal
 * its receivers in execution order (priority, then attach order).
 */
final class SignalBus implements AutoCloseable {
    /** Signals queued per barrier; beyond this they are dropped and reported (a flood). */
    static final int MAX_QUEUED_SIGNALS = 1 << 20;

    private static final long DELIVERY = Layouts.SIGNAL_DELIVERY.byteSize();
    private static final long SIGNAL_AT = Layouts.offset(Layouts.SIGNAL_DELIVERY, "signal");

    record Pending(int sourceInstance, long sender, long target, long nameHash, String name, byte[] payload) {}

    private List<Pending> queue = new ArrayList<>();
    private int dropped;
    private final Map<Long, List<ScriptInstance>> listeners = new HashMap<>();
    private final Map<Long, Boolean> listenersSorted = new HashMap<>();
    private final Map<ScriptLibrary, GrowableSegment> memory = new IdentityHashMap<>();
    private final GrowableSegment bytes = new GrowableSegment(4096);

    void connect(ScriptInstance instance, long nameHash) {
        if (!instance.connectedSignals().add(nameHash)) return;
        listeners.computeIfAbsent(nameHash, h -> new ArrayList<>()).add(instance);
        listenersSorted.put(nameHash, false);
    }

    void disconnect(ScriptInstance instance, long nameHash) {
        if (!instance.connectedSignals().remove(nameHash)) return;
        List<ScriptInstance> list = listeners.get(nameHash);
        if (list != null) list.remove(instance);
    }

    void forget(ScriptInstance instance) {
        for (long hash : List.copyOf(instance.connectedSignals())) disconnect(instance, hash);
    }

    boolean enqueue(Pending signal) {
        if (queue.size() >= MAX_QUEUED_SIGNALS) {
            dropped++;
            return false;
        }
        queue.add(signal);
        return true;
    }

    boolean hasPending() {
        return !queue.isEmpty();
    }

    /** Signals dropped since the last call (queue full). */
    int takeDropped() {
        int d = dropped;
        dropped = 0;
        return d;
    }

    /**
     * Delivers every queued signal: one downcall per receiving library, then the handlers'
     * command ranges are appended to {@code ranges} in delivery order. Signals emitted by the
     * handlers queue up for the next round.
     */
    int dispatch(MemorySegment frame, CommandRanges ranges, LongFunction<List<ScriptInstance>> instancesOn,
                 java.util.function.Consumer<ScriptLibrary> missingHandler, FaultRecovery.Context guard) {
        List<Pending> signals = queue;
        queue = new ArrayList<>();
        long[] nameAt = new long[signals.size()];
        int[] nameLength = new int[signals.size()];
        writeBytes(signals, nameAt, nameLength);

        Map<ScriptLibrary, int[]> counts = new LinkedHashMap<>();
        Map<ScriptLibrary, List<ScriptInstance>> members = new java.util.HashMap<>();
        List<ScriptLibrary> deliveryLibrary = new ArrayList<>();
        List<Integer> deliverySlot = new ArrayList<>();
        for (int s = 0; s < signals.size(); s++) {
            Pending p = signals.get(s);
            for (ScriptInstance receiver : receivers(p, instancesOn)) {
                ScriptLibrary lib = receiver.library();
                if (!lib.code().hasSignalHandler()) {
                    missingHandler.accept(lib);
                    continue;
                }
                if (lib.poisoned()) continue;
                int slot = counts.computeIfAbsent(lib, l -> new int[1])[0]++;
                members.computeIfAbsent(lib, l -> new ArrayList<>()).add(receiver);
                GrowableSegment m = memory.computeIfAbsent(lib, l -> new GrowableSegment(64 * DELIVERY));
                m.ensure((slot + 1) * DELIVERY, true);
                writeDelivery(m.segment(), slot, receiver, p, nameAt[s], nameLength[s]);
                deliveryLibrary.add(lib);
                deliverySlot.add(slot);
            }
        }
        for (var e : counts.entrySet()) {
            ScriptLibrary lib = e.getKey();
            FaultRecovery.invoke(lib, frame, memory.get(lib).segment(), DELIVERY, e.getValue()[0], members.get(lib),
                    (nl, f, items, n) -> nl.signal(f, items, n), guard);
        }
        for (int d = 0; d < deliveryLibrary.size(); d++) {
            MemorySegment m = memory.get(deliveryLibrary.get(d)).segment();
            long at = deliverySlot.get(d) * DELIVERY;
            ranges.add(m.get(JAVA_INT, at + Layouts.INSTANCE_CMD_OFFSET), m.get(JAVA_INT, at + Layouts.INSTANCE_CMD_BYTES));
        }
        return deliveryLibrary.size();
    }

    private List<ScriptInstance> receivers(Pending p, LongFunction<List<ScriptInstance>> instancesOn) {
        List<ScriptInstance> out = new ArrayList<>();
        if (p.target() != Entities.NULL) {
            for (ScriptInstance i : instancesOn.apply(p.target())) {
                if (isLive(i) && i.connectedSignals().contains(p.nameHash())) out.add(i);
            }
            return out;
        }
        List<ScriptInstance> all = listeners.get(p.nameHash());
        if (all == null) return out;
        if (!listenersSorted.getOrDefault(p.nameHash(), true)) {
            all.sort(ScriptInstance::compareOrder);
            listenersSorted.put(p.nameHash(), true);
        }
        for (ScriptInstance i : all) if (isLive(i)) out.add(i);
        return out;
    }

    private static boolean isLive(ScriptInstance i) {
        return i.enabled() && i.lifecycle() == ScriptInstance.Lifecycle.ACTIVE;
    }

    /** Names and payloads of all signals in one native block; nameAt[s] is where signal s starts. */
    private void writeBytes(List<Pending> signals, long[] nameAt, int[] nameLength) {
        long total = 0;
        byte[][] names = new byte[signals.size()][];
        for (int s = 0; s < signals.size(); s++) {
            names[s] = signals.get(s).name().getBytes(StandardCharsets.UTF_8);
            nameLength[s] = names[s].length;
            total += names[s].length + signals.get(s).payload().length;
        }
        bytes.ensure(Math.max(8, total), false);
        MemorySegment b = bytes.segment();
        long at = 0;
        for (int s = 0; s < signals.size(); s++) {
            nameAt[s] = at;
            MemorySegment.copy(names[s], 0, b, JAVA_BYTE, at, names[s].length);
            at += names[s].length;
            byte[] payload = signals.get(s).payload();
            MemorySegment.copy(payload, 0, b, JAVA_BYTE, at, payload.length);
            at += payload.length;
        }
    }

    private void writeDelivery(MemorySegment m, int slot, ScriptInstance receiver, Pending p, long nameOffset,
                               int nameLength) {
        long at = slot * DELIVERY;
        InstanceBatch.writeEntry(m, at, DELIVERY, receiver);
        MemorySegment b = bytes.segment();
        long s = at + SIGNAL_AT;
        m.set(JAVA_LONG, s, p.nameHash());
        m.set(JAVA_LONG, s + 8, p.sender());
        m.set(JAVA_LONG, s + 16, p.target());
        m.set(ADDRESS, s + 24, b.asSlice(nameOffset + nameLength));
        m.set(ADDRESS, s + 32, b.asSlice(nameOffset));
        m.set(JAVA_INT, s + 40, p.payload().length);
        m.set(JAVA_INT, s + 44, nameLength);
    }

    void forgetLibrary(ScriptLibrary library) {
        GrowableSegment m = memory.remove(library);
        if (m != null) m.close();
    }

    @Override
    public void close() {
        memory.values().forEach(GrowableSegment::close);
        memory.clear();
        bytes.close();
    }
}
