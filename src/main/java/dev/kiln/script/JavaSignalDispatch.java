package dev.kiln.script;

import static dev.kiln.script.SignalBus.DELIVERY;
import static dev.kiln.script.SignalBus.isLive;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.dataplane.GrowableSegment;
import dev.kiln.abi.Layouts;
import dev.kiln.dataplane.SignalQueue;
import dev.kiln.ecs.Entities;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * The signal bus's dispatch round in Java (no native router set): each queued signal's
 * receivers in execution order, written as kiln_signal_delivery records into each receiving
 * library's batch, one handler call per library in order of its first delivery, then the
 * handlers' ranges in delivery order. The queue and the broadcast listener lists are the bus's;
 * this holds the per-library batches, reused from round to round. Frame thread only.
 */
final class JavaSignalDispatch implements AutoCloseable {
    private static final long ENTRY = Layouts.INSTANCE.byteSize();
    private static final long SIGNAL_AT = Layouts.offset(Layouts.SIGNAL_DELIVERY, "signal");

    private final SignalQueue queue;
    /** The bus's broadcast receivers of a name, in execution order. */
    private final LongFunction<List<ScriptInstance>> listeners;

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

    JavaSignalDispatch(SignalQueue queue, LongFunction<List<ScriptInstance>> listeners) {
        this.queue = queue;
        this.listeners = listeners;
    }

    /**
     * Delivers every queued signal (see the class comment), handing each one {@code hostTap}
     * wants to it first; returns the deliveries. {@code instancesOn} must return the entity's
     * scripts in execution order.
     */
    int run(MemorySegment frame, CommandRanges ranges, LongFunction<List<ScriptInstance>> instancesOn,
            Consumer<ScriptLibrary> missingHandler, FaultRecovery.Context guard, HostSignalTap hostTap) {
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

    private List<ScriptInstance> listenersOf(long hash) {
        return listeners.apply(hash);
    }

    private Batch batchOf(ScriptLibrary lib) {
        Batch b = batches.computeIfAbsent(lib, l -> new Batch());
        if (b.members.isEmpty()) receiving.add(lib);
        return b;
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
        batches.values().forEach(b -> b.memory.close());
        batches.clear();
    }
}
