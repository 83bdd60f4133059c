package dev.kiln.script;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-instance State memory of one script library, carved from chunks of the library's State allocator
 * (its arena, or its isolated host's shared region: either way it disappears with the library). Freed slots are reused; slots never move, so the
 * pointer an instance holds stays valid for its life.
 */
final class StateSlab {
    /** Slots per chunk: one allocation serves this many instances. */
    private static final int SLOTS_PER_CHUNK = 1024;

    private final SegmentAllocator allocator;
    private final long slotSize;
    private final long align;
    private final List<MemorySegment> chunks = new ArrayList<>();
    private final ArrayDeque<MemorySegment> free = new ArrayDeque<>();
    private int liveSlots;

    StateSlab(SegmentAllocator allocator, int stateSize, int stateAlign) {
        this.allocator = allocator;
        this.align = Math.max(8, stateAlign);
        this.slotSize = Math.max(align, (stateSize + align - 1) / align * align);
    }

    /** A zeroed slot (init expects zeroed memory). */
    MemorySegment allocate() {
        if (free.isEmpty()) {
            MemorySegment chunk = allocator.allocate(slotSize * SLOTS_PER_CHUNK, align);
            chunks.add(chunk);
            for (int i = 0; i < SLOTS_PER_CHUNK; i++) free.add(chunk.asSlice(i * slotSize, slotSize));
        }
        MemorySegment slot = free.poll();
        slot.fill((byte) 0);
        liveSlots++;
        return slot;
    }

    /**
     * {@code n} zeroed slots carved from one new allocation, in order (a swap's new States: one
     * allocation and one fill instead of {@code n} polls and fills). Released one by one like
     * any other slot.
     */
    Block allocateBlock(int n) {
        MemorySegment[] out = new MemorySegment[n];
        if (n == 0) return new Block(MemorySegment.NULL, slotSize, out);
        MemorySegment block = allocator.allocate(slotSize * n, align);
        block.fill((byte) 0); // an isolated host's region is not zeroed for us
        chunks.add(block);
        for (int k = 0; k < n; k++) out[k] = block.asSlice(k * slotSize, slotSize);
        liveSlots += n;
        return new Block(block, slotSize, out);
    }

    /** Slots allocated together: the whole allocation, each slot's size, the slots in order. */
    record Block(MemorySegment whole, long slotSize, MemorySegment[] slots) {}

    void release(MemorySegment slot) {
        free.push(slot);
        liveSlots--;
    }

    /** The chunks (of 1024 slots, or a swap's block), read-only views, in allocation order. */
    List<MemorySegment> chunks() {
        List<MemorySegment> out = new ArrayList<>(chunks.size());
        for (MemorySegment c : chunks) out.add(c.asReadOnly());
        return out;
    }

    /** Bytes per slot: the State's size rounded up to its alignment (at least 8). */
    long slotSize() {
        return slotSize;
    }

    int liveSlots() {
        return liveSlots;
    }
}
