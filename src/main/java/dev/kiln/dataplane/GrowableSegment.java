package dev.kiln.dataplane;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Native memory that can grow. Each allocation has its own arena, so growing frees the old
 * block instead of leaking it into a long-lived arena. Growing moves the memory: callers must
 * republish any pointer to it (the snapshot publisher does, before scripts run again).
 */
public final class GrowableSegment implements AutoCloseable {
    private Arena arena;
    private MemorySegment segment;

    public GrowableSegment(long initialBytes) {
        arena = Arena.ofShared();
        segment = arena.allocate(Math.max(8, initialBytes), 16);
    }

    public MemorySegment segment() {
        return segment;
    }

    /** Ensures at least {@code bytes}; keeps contents; returns true when the address changed. */
    public boolean ensure(long bytes, boolean keepContents) {
        if (segment.byteSize() >= bytes) return false;
        long size = Math.max(bytes, segment.byteSize() * 2);
        Arena next = Arena.ofShared();
        MemorySegment bigger = next.allocate(size, 16);
        if (keepContents) bigger.copyFrom(segment);
        arena.close();
        arena = next;
        segment = bigger;
        return true;
    }

    @Override
    public void close() {
        arena.close();
    }
}
