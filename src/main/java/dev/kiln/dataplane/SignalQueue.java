package dev.kiln.dataplane;

import static dev.kiln.abi.SignalQueueLayout.BYTES;
import static dev.kiln.abi.SignalQueueLayout.BYTES_AT;
import static dev.kiln.abi.SignalQueueLayout.BYTES_CAPACITY;
import static dev.kiln.abi.SignalQueueLayout.BYTES_USED;
import static dev.kiln.abi.SignalQueueLayout.CAPACITY;
import static dev.kiln.abi.SignalQueueLayout.COUNT;
import static dev.kiln.abi.SignalQueueLayout.ENTITY_BY_ID;
import static dev.kiln.abi.SignalQueueLayout.ID_SPAN;
import static dev.kiln.abi.SignalQueueLayout.NAME_HASH;
import static dev.kiln.abi.SignalQueueLayout.NAME_LEN;
import static dev.kiln.abi.SignalQueueLayout.PAYLOAD_SIZE;
import static dev.kiln.abi.SignalQueueLayout.SENDER;
import static dev.kiln.abi.SignalQueueLayout.SENDERS;
import static dev.kiln.abi.SignalQueueLayout.SENDER_ENTITIES;
import static dev.kiln.abi.SignalQueueLayout.SENDER_IDS;
import static dev.kiln.abi.SignalQueueLayout.TARGET;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.abi.SignalQueueLayout;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;

/**
 * One barrier's signal queue in native memory (kiln_signal_queue, native/kiln_signals.h): the
 * engine appends the signals it decodes in Java and the host's; the native apply pass appends the
 * EMIT_SIGNAL records it meets (kiln_signal_take) into the same arrays, so posting order is kept
 * whichever side took a record. Signal s is entry s of each array; its name, then its payload,
 * at {@link #bytes()} + {@link #bytesAt}(s).
 *
 * <p>The queue also carries the table the native side resolves a record's sender with (instance
 * id → entity, ids ascending), set by the route tables and marked stale when they are.
 * Thread: the engine's frame thread; the native side writes it only inside the engine's calls.
 */
public final class SignalQueue implements AutoCloseable {
    // the header is kiln_signal_queue (kiln_signals.h): its field offsets come from SignalQueueLayout
    /** sizeof(kiln_signal_queue). */
    public static final long STRUCT_BYTES = SignalQueueLayout.LAYOUT.byteSize();

    private final int signalsMax;
    /** Signals any sender may fill; the rest of {@code signalsMax} is kept for small senders. */
    private final int sharedSignals;
    /** A sender holding fewer than this many signals may still queue into the kept part. */
    private final int smallSender;
    /** Signals queued per sender entity, counted once the shared part is full (null before). */
    private HashMap<Long, int[]> heldBy;
    private final GrowableSegment header = new GrowableSegment(STRUCT_BYTES);
    private final GrowableSegment sender = new GrowableSegment(256 * 8);
    private final GrowableSegment target = new GrowableSegment(256 * 8);
    private final GrowableSegment nameHash = new GrowableSegment(256 * 8);
    private final GrowableSegment bytesAt = new GrowableSegment(256 * 8);
    private final GrowableSegment nameLength = new GrowableSegment(256 * 4);
    private final GrowableSegment payloadSize = new GrowableSegment(256 * 4);
    private final GrowableSegment bytes = new GrowableSegment(4096);
    private int capacity = 256;

    /** A queue of at most {@code signalsMax} signals, all of them open to any sender. */
    public SignalQueue(int signalsMax) {
        this(signalsMax, 0, 0);
    }

    /**
     * A queue of at most {@code signalsMax} signals, whose last {@code keptSignals} only take
     * signals of senders holding fewer than {@code smallSender} in it: a sender that fills the
     * shared part never crowds out one that sends a few (docs/reliability.md, "Request quota").
     */
    public SignalQueue(int signalsMax, int keptSignals, int smallSender) {
        if (keptSignals < 0 || keptSignals > signalsMax || smallSender < 0) {
            throw new IllegalArgumentException("kept signals " + keptSignals + " of " + signalsMax
                    + ", small sender " + smallSender);
        }
        this.signalsMax = signalsMax;
        this.sharedSignals = signalsMax - keptSignals;
        this.smallSender = smallSender;
        header.segment().fill((byte) 0);
        header.segment().set(JAVA_INT, SENDERS, -1);
        publishArrays();
    }

    /** The kiln_signal_queue, for the native calls. */
    public MemorySegment header() {
        return header.segment();
    }

    public int count() {
        return header.segment().get(JAVA_INT, COUNT);
    }

    /**
     * Appends a signal whose name ({@code nameBytes} at {@code data[nameAt]}) and payload (the
     * {@code payloadBytes} after it) are copied now; false when {@code signalsMax} are queued,
     * or when the shared part is full and its sender holds its small sender's share already.
     */
    public boolean append(long senderEntity, long targetEntity, long hash, MemorySegment data, long nameAt,
                          int nameBytes, int payloadBytes) {
        MemorySegment h = header.segment();
        int s = h.get(JAVA_INT, COUNT);
        if (s >= signalsMax) return false;
        if (s >= sharedSignals && !takeKept(senderEntity, s)) return false;
        if (s == capacity) grow(Math.min(signalsMax, capacity * 2));
        long used = h.get(JAVA_LONG, BYTES_USED);
        int n = nameBytes + payloadBytes;
        if (bytes.ensure(used + n, true)) publishArrays();
        sender.segment().setAtIndex(JAVA_LONG, s, senderEntity);
        target.segment().setAtIndex(JAVA_LONG, s, targetEntity);
        nameHash.segment().setAtIndex(JAVA_LONG, s, hash);
        bytesAt.segment().setAtIndex(JAVA_LONG, s, used);
        nameLength.segment().setAtIndex(JAVA_INT, s, nameBytes);
        payloadSize.segment().setAtIndex(JAVA_INT, s, payloadBytes);
        MemorySegment.copy(data, nameAt, bytes.segment(), used, n);
        h.set(JAVA_LONG, BYTES_USED, used + n);
        h.set(JAVA_INT, COUNT, s + 1);
        return true;
    }

    /** Whether {@code senderEntity}, with the shared part full, may queue one more into the kept part (then counted). */
    private boolean takeKept(long senderEntity, int queued) {
        if (heldBy == null) { // the shared part just filled: count who holds it, once per round
            heldBy = new HashMap<>();
            MemorySegment senders = sender.segment();
            for (int k = 0; k < queued; k++) heldBy.computeIfAbsent(senders.getAtIndex(JAVA_LONG, k), e -> new int[1])[0]++;
        }
        int[] held = heldBy.computeIfAbsent(senderEntity, e -> new int[1]);
        if (held[0] >= smallSender) return false;
        held[0]++;
        return true;
    }

    private void grow(int signals) {
        sender.ensure(signals * 8L, true);
        target.ensure(signals * 8L, true);
        nameHash.ensure(signals * 8L, true);
        bytesAt.ensure(signals * 8L, true);
        nameLength.ensure(signals * 4L, true);
        payloadSize.ensure(signals * 4L, true);
        capacity = signals;
        publishArrays();
    }

    /** Writes the arrays' current addresses and sizes into the struct (after any growth). */
    private void publishArrays() {
        MemorySegment h = header.segment();
        h.set(ADDRESS, SENDER, sender.segment());
        h.set(ADDRESS, TARGET, target.segment());
        h.set(ADDRESS, NAME_HASH, nameHash.segment());
        h.set(ADDRESS, BYTES_AT, bytesAt.segment());
        h.set(ADDRESS, NAME_LEN, nameLength.segment());
        h.set(ADDRESS, PAYLOAD_SIZE, payloadSize.segment());
        h.set(ADDRESS, BYTES, bytes.segment());
        h.set(JAVA_LONG, BYTES_CAPACITY, bytes.segment().byteSize());
        // The native side queues only into the shared part: past it the engine decides by sender.
        h.set(JAVA_INT, CAPACITY, Math.min(capacity, sharedSignals));
    }

    /** Makes room for the native side to queue while there is room (it stops at a full queue). */
    public void makeRoom() {
        int s = count();
        if (s == capacity && capacity < signalsMax) grow(Math.min(signalsMax, capacity * 2));
    }

    public long sender(int s) {
        return sender.segment().getAtIndex(JAVA_LONG, s);
    }

    public long target(int s) {
        return target.segment().getAtIndex(JAVA_LONG, s);
    }

    public long nameHash(int s) {
        return nameHash.segment().getAtIndex(JAVA_LONG, s);
    }

    public long bytesAt(int s) {
        return bytesAt.segment().getAtIndex(JAVA_LONG, s);
    }

    public int nameLength(int s) {
        return nameLength.segment().getAtIndex(JAVA_INT, s);
    }

    public int payloadSize(int s) {
        return payloadSize.segment().getAtIndex(JAVA_INT, s);
    }

    /** The names and payloads (valid until the next append: growth moves it). */
    public MemorySegment bytes() {
        return bytes.segment();
    }

    /** Signal s's payload. */
    public MemorySegment payload(int s) {
        return bytes.segment().asSlice(bytesAt(s) + nameLength(s), payloadSize(s));
    }

    /** Empties the queue (its memory stays for the next barrier). */
    public void clear() {
        heldBy = null;
        header.segment().set(JAVA_INT, COUNT, 0);
        header.segment().set(JAVA_LONG, BYTES_USED, 0L);
    }

    /**
     * The sender table: {@code n} instance ids ascending and their entities, native memory that
     * must outlive its use (until {@link #staleSenders} or the next call).
     */
    public void setSenders(MemorySegment ids, MemorySegment entities, int n) {
        setSenders(ids, entities, n, MemorySegment.NULL, 0);
    }

    /**
     * As {@link #setSenders(MemorySegment, MemorySegment, int)}, with the same table indexed by
     * id ({@code byId}: entity of every id below {@code idSpan}, 0 where none), which the native
     * side reads instead of searching; {@code idSpan} 0: none.
     */
    public void setSenders(MemorySegment ids, MemorySegment entities, int n, MemorySegment byId, int idSpan) {
        MemorySegment h = header.segment();
        h.set(ADDRESS, SENDER_IDS, ids);
        h.set(ADDRESS, SENDER_ENTITIES, entities);
        h.set(ADDRESS, ENTITY_BY_ID, byId);
        h.set(JAVA_INT, ID_SPAN, idSpan);
        h.set(JAVA_INT, SENDERS, n);
    }

    /** The sender table no longer holds: the native side leaves every EMIT_SIGNAL to the decoder. */
    public void staleSenders() {
        header.segment().set(JAVA_INT, SENDERS, -1);
        header.segment().set(JAVA_INT, ID_SPAN, 0);
    }

    @Override
    public void close() {
        for (GrowableSegment g : new GrowableSegment[] {header, sender, target, nameHash, bytesAt, nameLength, payloadSize,
                bytes}) {
            g.close();
        }
    }
}
