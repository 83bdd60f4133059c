package dev.kiln.abi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The engine-owned native buffer scripts append command records to (kiln_command_buffer).
 * Drained and reset at every barrier.
 */
public final class CommandBuffer implements AutoCloseable {
    /**
     * Bytes of records per drain: ~250k transform requests. Enough for 10k entities × 3 scripts
     * × several requests each; a flood beyond it is refused with KILN_ERR_BUFFER_FULL.
     */
    public static final int DEFAULT_CAPACITY_BYTES = 8 << 20;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment root;
    private final MemorySegment data;

    public CommandBuffer(int capacityBytes) {
        root = arena.allocate(Layouts.COMMAND_BUFFER);
        data = arena.allocate(capacityBytes, 8);
        root.set(JAVA_INT, Layouts.offset(Layouts.COMMAND_BUFFER, "struct_version"), Layouts.COMMAND_BUFFER_STRUCT_VERSION);
        root.set(JAVA_INT, Layouts.offset(Layouts.COMMAND_BUFFER, "capacity_bytes"), capacityBytes);
        root.set(ADDRESS, Layouts.offset(Layouts.COMMAND_BUFFER, "data"), data);
        root.set(JAVA_LONG, Layouts.offset(Layouts.COMMAND_BUFFER, "next_request_id"), 1L);
    }

    public MemorySegment root() {
        return root;
    }

    public MemorySegment data() {
        return data;
    }

    public int usedBytes() {
        return root.get(JAVA_INT, Layouts.BUFFER_USED);
    }

    public int droppedCount() {
        return root.get(JAVA_INT, Layouts.BUFFER_DROPPED);
    }

    public int capacityBytes() {
        return (int) data.byteSize();
    }

    /**
     * Discards records past {@code usedBytes} (e.g. what a dry-run call posted). Only ever
     * shrinks: the offset may come from an instance entry a faulty script wrote.
     */
    public void truncate(int usedBytes) {
        if (usedBytes >= 0 && usedBytes < usedBytes()) root.set(JAVA_INT, Layouts.BUFFER_USED, usedBytes);
    }

    /** Empties the buffer; request ids keep counting so they stay unique for the run. */
    public void reset() {
        root.set(JAVA_INT, Layouts.BUFFER_USED, 0);
        root.set(JAVA_INT, Layouts.BUFFER_DROPPED, 0);
    }

    @Override
    public void close() {
        arena.close();
    }
}
