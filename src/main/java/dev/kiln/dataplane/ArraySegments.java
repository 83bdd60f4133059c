package dev.kiln.dataplane;

import java.lang.foreign.MemorySegment;

/**
 * Heap segments over Java arrays handed to critical downcalls, made once per array and kept
 * while the caller passes the same array again. {@link MemorySegment#ofArray} allocates a
 * segment and a session object per call, and the JIT does not remove them across a downcall's
 * method-handle chain: a churn call over the world's twelve tables made ~1.4 KB of garbage a
 * barrier (W3, ~3.4 KB a frame in all), and a frame thread that allocates steadily pays page
 * faults on fresh young-generation pages, counted in the frame.
 *
 * <p>Slot {@code k} remembers one array (by identity) and its segment: a table that grew (a new
 * array) gets a new segment. A segment over an array stays valid as long as the array does, so a
 * stale slot is harmless. Not thread-safe: one per caller (an engine's frame thread).
 */
final class ArraySegments {
    private final Object[] arrays;
    private final MemorySegment[] segments;

    /** Room for {@code slots} arrays, slots 0 .. slots - 1. */
    ArraySegments(int slots) {
        arrays = new Object[slots];
        segments = new MemorySegment[slots];
    }

    MemorySegment of(int slot, byte[] array) {
        return arrays[slot] == array ? segments[slot] : remember(slot, array, MemorySegment.ofArray(array));
    }

    MemorySegment of(int slot, int[] array) {
        return arrays[slot] == array ? segments[slot] : remember(slot, array, MemorySegment.ofArray(array));
    }

    MemorySegment of(int slot, float[] array) {
        return arrays[slot] == array ? segments[slot] : remember(slot, array, MemorySegment.ofArray(array));
    }

    MemorySegment of(int slot, long[] array) {
        return arrays[slot] == array ? segments[slot] : remember(slot, array, MemorySegment.ofArray(array));
    }

    private MemorySegment remember(int slot, Object array, MemorySegment segment) {
        arrays[slot] = array;
        segments[slot] = segment;
        return segment;
    }
}
