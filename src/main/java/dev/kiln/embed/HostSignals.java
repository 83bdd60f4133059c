package dev.kiln.embed;

import dev.kiln.ecs.NameHash;
import dev.kiln.script.HostSignalTap;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The Java subscribers of script signals. The signal bus hands over the signals of subscribed
 * names mid-dispatch (where nothing may call back into the engine): they are copied and queued
 * here, and delivered to the listeners when the step is over.
 */
final class HostSignals implements HostSignalTap {
    /** Names Java may subscribe to at once: each dispatched signal is checked against them all. */
    static final int SUBSCRIBED_NAMES_MAX = 64;

    private record Subscription(String name, long hash, SignalListener listener) {}

    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    /** Distinct subscribed name hashes, for {@link #wants}: a flat array, no boxing per signal. */
    private long[] hashes = new long[0];
    private final List<Signal> received = new ArrayList<>();

    /** False when {@link #SUBSCRIBED_NAMES_MAX} names are subscribed already. */
    boolean subscribe(String name, SignalListener listener) {
        long hash = NameHash.of(name);
        boolean known = false;
        for (long h : hashes) known |= h == hash;
        if (!known && hashes.length == SUBSCRIBED_NAMES_MAX) return false;
        subscriptions.add(new Subscription(name, hash, listener));
        rebuild();
        return true;
    }

    void unsubscribe(String name, SignalListener listener) {
        subscriptions.removeIf(s -> s.name.equals(name) && s.listener == listener);
        rebuild();
    }

    private void rebuild() {
        hashes = subscriptions.stream().mapToLong(Subscription::hash).distinct().toArray();
    }

    @Override
    public boolean wants(long nameHash) {
        for (long h : hashes) if (h == nameHash) return true;
        return false;
    }

    @Override
    public void take(long nameHash, long sender, long target, MemorySegment payload) {
        String name = null;
        for (Subscription s : subscriptions) if (s.hash == nameHash) name = s.name;
        if (name == null) return;
        received.add(new Signal(name, sender, target, payload.toArray(ValueLayout.JAVA_BYTE)));
    }

    /** After a step: every signal taken, to its listeners, in emission order. */
    void deliver() {
        if (received.isEmpty()) return;
        List<Signal> batch = List.copyOf(received);
        received.clear();
        for (Signal signal : batch) {
            for (Subscription s : subscriptions) if (s.name.equals(signal.name())) s.listener.onSignal(signal);
        }
    }
}
