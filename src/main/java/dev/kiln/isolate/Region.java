package dev.kiln.isolate;

import dev.kiln.abi.GuardFaultLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;

/**
 * The layout of an isolated library's shared region. Offsets, not pointers, are what the engine
 * trusts: whatever the host writes, the engine reads only inside {@link #memory}.
 *
 * <pre>
 *   0         control block (kiln_host_control, native/kiln_host.c)
 *   4 KiB     metadata the host copied from the library (kiln_script_info and its tables)
 *   4 MiB     command buffer header + records (the engine buffer's initial size: one call's records)
 *   …         State of the library's instances (lives as long as the library)
 *   …         scratch: the frame, snapshot, instance and signal copies of one call
 * </pre>
 * The region is a sparse memfd: only pages touched cost memory.
 */
final class Region {
    static final long CONTROL = 0;
    static final long INFO_AREA = 4096;
    static final long INFO_AREA_END = 4L << 20;
    /** Room for States: 10,000 instances of a 100 KiB State. */
    static final long STATE_BYTES = 1L << 30;
    /** Room for one call's copies: snapshot tables of millions of entities. */
    static final long SCRATCH_BYTES = 3L << 30;

    // kiln_host_control offsets, from its one Java layout (HostControl, checked against kiln_host.h)
    static final long OP = HostControl.offset("op"), FUNCTION = HostControl.offset("function"),
            ARGS = HostControl.offset("args"), STATUS = HostControl.offset("status"),
            EXPORTS = HostControl.offset("exports"), INFO = HostControl.offset("info"),
            LIBRARY_BASE = HostControl.offset("library_base"), REPLIES = HostControl.offset("replies"),
            ERROR = HostControl.offset("error"), ERROR_BYTES = HostControl.ERROR_TEXT_BYTES,
            FAULT = HostControl.offset("fault"), FAULT_BYTES = GuardFaultLayout.LAYOUT.byteSize();
    static final int OP_BATCH = 1, OP_HOOK = 2, OP_HEAP = 4;
    /** KILN_HOST_HEAP_* requests (kiln_host.h). */
    static final int HEAP_SET_BUDGET = 0, HEAP_FREE_INSTANCE = 1, HEAP_READ = 2, HEAP_CREATE = 3, HEAP_USAGE = 4,
            HEAP_TAKE_REFUSALS = 5;

    final MemorySegment memory;
    final long commandHeaderAt;
    final long commandDataAt;
    final long commandCapacity;
    private final long scratchAt;
    private long scratchTop;
    private final SegmentAllocator states;

    Region(MemorySegment memory, long commandCapacity) {
        this.memory = memory;
        this.commandHeaderAt = INFO_AREA_END;
        this.commandDataAt = INFO_AREA_END + 4096;
        this.commandCapacity = commandCapacity;
        long stateAt = align(commandDataAt + commandCapacity, 4096);
        this.states = SegmentAllocator.slicingAllocator(memory.asSlice(stateAt, STATE_BYTES));
        this.scratchAt = stateAt + STATE_BYTES;
        this.scratchTop = scratchAt;
    }

    /** Bytes a region needs for an engine whose command buffer holds {@code commandCapacity}. */
    static long bytesFor(long commandCapacity) {
        return align(INFO_AREA_END + 4096 + commandCapacity, 4096) + STATE_BYTES + SCRATCH_BYTES;
    }

    SegmentAllocator states() {
        return states;
    }

    /** Forgets the previous call's copies. */
    void resetScratch() {
        scratchTop = scratchAt;
    }

    /** {@code bytes} of scratch for this call; an IllegalStateException when it is full. */
    MemorySegment scratch(long bytes, long alignment) {
        long at = align(scratchTop, Math.max(16, alignment));
        if (bytes < 0 || at + bytes > memory.byteSize()) {
            throw new IllegalStateException("an isolated call needs more than the region's "
                    + (SCRATCH_BYTES >> 20) + " MiB of scratch for its copies");
        }
        scratchTop = at + Math.max(bytes, 1);
        return memory.asSlice(at, bytes);
    }

    /** A copy of {@code source} in scratch; its address is valid in the host too. */
    MemorySegment copyIn(MemorySegment source, long alignment) {
        MemorySegment copy = scratch(source.byteSize(), alignment);
        copy.copyFrom(source);
        return copy;
    }

    private static long align(long value, long alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }
}
