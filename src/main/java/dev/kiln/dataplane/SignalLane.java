package dev.kiln.dataplane;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.kiln.abi.LaneBindingLayout;
import dev.kiln.abi.Layouts;
import java.lang.foreign.MemorySegment;

/**
 * A phase's signal lane (abi/kiln.h kiln_signal_lane): the kiln_lane_signal entries the update
 * calls of one phase append short signals to instead of EMIT_SIGNAL records, the header each call
 * is offered (kiln_frame.signal_lane, its {@code parts} pointed at the call's part column), and the
 * binding the native apply pass takes the parts through (kiln_lane_binding). Emptied before each
 * phase's calls ({@link #reset}), grown between phases when a phase filled it (the SDK sends what
 * does not fit as records, so nothing is lost). Everything scripts write here is untrusted: the
 * count is clamped ({@link #used}), the parts checked where they are taken. Frame thread only.
 */
public final class SignalLane implements AutoCloseable {
    /** Bytes of a lane entry (kiln_lane_signal) and of a part (kiln_lane_part). */
    public static final long ENTRY = Layouts.LANE_SIGNAL.byteSize();
    public static final long PART = Layouts.LANE_PART.byteSize();
    /** Entries a new lane holds (128 KiB). */
    static final int INITIAL_ENTRIES = 4096;
    /** Entries a lane may grow to: a dispatch round's queue bound (SignalBus.QUEUED_SIGNALS_MAX, 1 Mi), 32 MiB. */
    public static final int ENTRIES_MAX = 1 << 20;

    private static final long H_ENTRIES = Layouts.offset(Layouts.SIGNAL_LANE, "entries");
    private static final long H_PARTS = Layouts.offset(Layouts.SIGNAL_LANE, "parts");
    private static final long H_CAPACITY = Layouts.offset(Layouts.SIGNAL_LANE, "capacity");
    private static final long H_USED = Layouts.offset(Layouts.SIGNAL_LANE, "used");
    static final long TARGET = Layouts.offset(Layouts.LANE_SIGNAL, "target");
    static final long NAME_HASH = Layouts.offset(Layouts.LANE_SIGNAL, "name_hash");
    static final long NAME_LEN = Layouts.offset(Layouts.LANE_SIGNAL, "name_len");
    static final long PAYLOAD_SIZE = Layouts.offset(Layouts.LANE_SIGNAL, "payload_size");
    /** Where a lane entry's name (then payload) starts. */
    public static final long BYTES = Layouts.offset(Layouts.LANE_SIGNAL, "bytes");
    public static final long PART_FIRST = Layouts.offset(Layouts.LANE_PART, "first");
    public static final long PART_COUNT = Layouts.offset(Layouts.LANE_PART, "count");

    private final GrowableSegment entries = new GrowableSegment(INITIAL_ENTRIES * ENTRY);
    private final GrowableSegment header = new GrowableSegment(Layouts.SIGNAL_LANE.byteSize());
    private final GrowableSegment binding = new GrowableSegment(LaneBindingLayout.LAYOUT.byteSize());
    /** The bound batch's part addresses, canonical order (kiln_lane_binding.parts). */
    private final GrowableSegment partAddresses = new GrowableSegment(64 * 8);
    private int capacity = INITIAL_ENTRIES;

    public SignalLane() {
        header.segment().fill((byte) 0);
        binding.segment().fill((byte) 0);
        publish();
    }

    private void publish() {
        MemorySegment h = header.segment();
        h.set(ADDRESS, H_ENTRIES, entries.segment());
        h.set(JAVA_INT, H_CAPACITY, capacity);
        binding.segment().set(ADDRESS, LaneBindingLayout.ENTRIES, entries.segment());
        binding.segment().set(JAVA_INT, LaneBindingLayout.CAPACITY, capacity);
    }

    /**
     * Empties the lane before a phase's update calls, grown first (up to {@link #ENTRIES_MAX}) when
     * the last phase filled it. Every part of the batches it served is back at count 0 by then (the
     * barrier takes each, a fault or a room skip clears it).
     */
    public void reset() {
        if (used() >= capacity && capacity < ENTRIES_MAX) {
            capacity = Math.min(ENTRIES_MAX, capacity * 2);
            entries.ensure(capacity * ENTRY, false);
            publish();
        }
        header.segment().set(JAVA_INT, H_USED, 0);
    }

    /** Entries the calls appended (script-written: at most the capacity). */
    public int used() {
        int used = header.segment().get(JAVA_INT, H_USED);
        return used < 0 || used > capacity ? capacity : used;
    }

    public int capacity() {
        return capacity;
    }

    /** The entries (capacity of them), for reading a part in Java. */
    public MemorySegment entries() {
        return entries.segment();
    }

    /**
     * Offers the lane to an update call whose instances' parts start at {@code partsAddress}:
     * kiln_frame.signal_lane points at the header (0: {@link #withdraw}).
     */
    public void offer(MemorySegment frame, long partsAddress) {
        header.segment().set(JAVA_LONG, H_PARTS, partsAddress);
        FrameBlock.setSignalLane(frame, header.segment().address());
    }

    /** kiln_frame.signal_lane back to NULL after the call. */
    public static void withdraw(MemorySegment frame) {
        FrameBlock.setSignalLane(frame, 0);
    }

    /**
     * The binding of {@code count} instances whose parts are at {@code addresses} (canonical order),
     * for kiln_lanes_bind; valid until the next call.
     */
    public MemorySegment binding(long[] addresses, int count) {
        partAddresses.ensure(Math.max(1, count) * 8L, false);
        MemorySegment.copy(addresses, 0, partAddresses.segment(), JAVA_LONG, 0, count);
        MemorySegment b = binding.segment();
        b.set(ADDRESS, LaneBindingLayout.PARTS, partAddresses.segment());
        b.set(JAVA_INT, LaneBindingLayout.COUNT, count);
        return b;
    }

    public static long target(MemorySegment entries, long at) {
        return entries.get(JAVA_LONG, at + TARGET);
    }

    public static long nameHash(MemorySegment entries, long at) {
        return entries.get(JAVA_LONG, at + NAME_HASH);
    }

    public static int nameLength(MemorySegment entries, long at) {
        return Short.toUnsignedInt(entries.get(JAVA_SHORT, at + NAME_LEN));
    }

    public static int payloadSize(MemorySegment entries, long at) {
        return Short.toUnsignedInt(entries.get(JAVA_SHORT, at + PAYLOAD_SIZE));
    }

    @Override
    public void close() {
        entries.close();
        header.close();
        binding.close();
        partAddresses.close();
    }
}
