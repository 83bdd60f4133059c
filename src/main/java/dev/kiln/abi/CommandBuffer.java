package dev.kiln.abi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The engine-owned native buffer scripts append command records to (kiln_command_buffer).
 * Drained and reset at every barrier. It grows between script calls when an instance needs
 * room for its request quota (the batch room protocol, abi/kiln.h): the records written so far
 * are copied, so every offset stays valid; only {@code data} and {@code capacity_bytes} change.
 */
public final class CommandBuffer implements AutoCloseable {
    /**
     * Bytes of records per drain to start with: ~250k transform requests. Enough for 10k
     * entities × 3 scripts × several requests each; more grows the buffer (see {@link #ensureFree}).
     */
    public static final int DEFAULT_CAPACITY_BYTES = 8 << 20;
    /**
     * The most the buffer grows to in one drain (1 GiB): every instance is bounded by its
     * quota, so reaching it takes a thousand instances each posting a full default quota in
     * one phase. Past it, an instance that needs room does not run that phase (reported).
     */
    public static final int CAPACITY_BYTES_MAX = 1 << 30;
    /**
     * Bytes of requests one instance may post per hook call (its request quota) unless the
     * scene or the engine options say otherwise: 32,768 transform requests. The demo's busiest
     * script posts a few hundred bytes per phase.
     */
    public static final int DEFAULT_REQUEST_QUOTA_BYTES = 1 << 20;
    /** The smallest quota that can be configured: two transform requests. */
    public static final int REQUEST_QUOTA_BYTES_MIN = 64;

    private final Arena rootArena = Arena.ofShared();
    private final MemorySegment root;
    private Arena dataArena = Arena.ofShared();
    private MemorySegment data;
    private int grownTo;

    public CommandBuffer(int capacityBytes) {
        root = rootArena.allocate(Layouts.COMMAND_BUFFER);
        data = dataArena.allocate(capacityBytes, 8);
        root.set(JAVA_INT, Layouts.offset(Layouts.COMMAND_BUFFER, "struct_version"), Layouts.COMMAND_BUFFER_STRUCT_VERSION);
        root.set(JAVA_INT, Layouts.BUFFER_CAPACITY, capacityBytes);
        root.set(ADDRESS, Layouts.BUFFER_DATA, data);
        root.set(JAVA_LONG, Layouts.offset(Layouts.COMMAND_BUFFER, "next_request_id"), 1L);
    }

    public MemorySegment root() {
        return root;
    }

    /** The records; moves when the buffer grows (take it again after script calls). */
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

    /** The largest capacity the buffer has grown to (0: never grew). */
    public int grownTo() {
        return grownTo;
    }

    /**
     * Makes sure at least {@code bytes} are free past the records written so far: grows the
     * buffer (at least doubling, at most to {@link #CAPACITY_BYTES_MAX}) and copies the records.
     * Call only between script calls. False when that would pass the maximum.
     */
    public boolean ensureFree(long bytes) {
        long capacity = data.byteSize();
        long used = Math.clamp(Integer.toUnsignedLong(usedBytes()), 0, capacity); // script-written
        if (capacity - used >= bytes) return true;
        long wanted = used + bytes;
        if (wanted > CAPACITY_BYTES_MAX) return false;
        long size = Math.min(CAPACITY_BYTES_MAX, Math.max(wanted, capacity * 2));
        Arena next = Arena.ofShared();
        MemorySegment bigger = next.allocate(size, 8);
        MemorySegment.copy(data, 0, bigger, 0, used);
        dataArena.close();
        dataArena = next;
        data = bigger;
        root.set(ADDRESS, Layouts.BUFFER_DATA, bigger);
        root.set(JAVA_INT, Layouts.BUFFER_CAPACITY, (int) size);
        grownTo = (int) size;
        return true;
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
        root.set(JAVA_INT, Layouts.BUFFER_CAPACITY, (int) data.byteSize()); // the engine's, whatever a script wrote
        root.set(ADDRESS, Layouts.BUFFER_DATA, data);
    }

    @Override
    public void close() {
        dataArena.close();
        rootArena.close();
    }
}
