package dev.kiln.isolate;

import dev.kiln.ecs.Status;
import dev.kiln.loader.ContainerMemory;
import dev.kiln.loader.NativeHeap;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * An isolated host's own container memory (kiln_host.c, KILN_HOST_OP_HEAP): every request is a
 * round trip to the host, made between calls (attach, detach, a reload), never per element. A
 * host that ended answers nothing: its containers ended with it.
 *
 * <p>Used on the thread that calls the library, between its calls.
 */
final class HostContainers implements ContainerMemory {
    /** Largest container the engine copies out of a host (a reload): far past any instance's budget. */
    private static final long ELEMENT_BYTES_MAX = 1L << 30;

    private final HostCalls calls;
    private final Region region;
    /** The host's last batch said an instance was refused container memory for its budget. */
    private boolean refusalsPending;

    HostContainers(HostCalls calls, Region region) {
        this.calls = calls;
        this.region = region;
    }

    /** A batch call's answer said refusals wait: the next {@link #takeRefusals()} asks for them. */
    void refusalsPending() {
        refusalsPending = true;
    }

    @Override
    public void setBudget(int instance, long bytes) {
        calls.heap(Region.HEAP_SET_BUDGET, instance, bytes, 0);
    }

    @Override
    public NativeHeap.Usage usage(int instance) {
        return usage(instance, false);
    }

    @Override
    public NativeHeap.Usage usage(int instance, boolean clearRefused) {
        if (calls.heap(Region.HEAP_USAGE, instance, clearRefused ? 1 : 0, 0) != 0) return new NativeHeap.Usage(0, 0, 0, 0, 0);
        long counts = calls.answerArg(2); // blocks | refused << 32
        return new NativeHeap.Usage(calls.answerArg(0), calls.answerArg(1), (int) counts, (int) (counts >>> 32),
                calls.answerArg(3));
    }

    /** Asks the host only when its last batch said a refusal waits: no round trip per frame. */
    @Override
    public NativeHeap.Refusals takeRefusals() {
        if (!refusalsPending) return NativeHeap.NO_REFUSALS; // every barrier asks: no garbage when none
        refusalsPending = false;
        region.resetScratch();
        MemorySegment out = region.scratch(4L * NativeHeap.REFUSALS_MAX, 8);
        if (calls.heap(Region.HEAP_TAKE_REFUSALS, out.address(), NativeHeap.REFUSALS_MAX, 0) != 0) {
            return new NativeHeap.Refusals(new int[0], 0);
        }
        int n = (int) Math.min(NativeHeap.REFUSALS_MAX, Math.max(0, calls.answerArg(0)));
        int[] ids = new int[n];
        for (int k = 0; k < n; k++) ids[k] = out.getAtIndex(ValueLayout.JAVA_INT, k);
        return new NativeHeap.Refusals(ids, (int) Math.min(Integer.MAX_VALUE, calls.answerArg(1)));
    }

    @Override
    public NativeHeap.Block block(long handle) {
        region.resetScratch();
        int status = calls.heap(Region.HEAP_READ, handle, 0, 0); // sizes only
        if (status != Status.BUFFER_TOO_SMALL.code() && status != 0) return null;
        long len = calls.answerArg(0), size = calls.answerArg(1), capacity = calls.answerArg(2);
        return new NativeHeap.Block((int) handle, (int) (handle >>> 32), (int) len, (int) capacity, (int) size, 0);
    }

    @Override
    public void freeInstance(int instance) {
        calls.heap(Region.HEAP_FREE_INSTANCE, instance, 0, 0);
    }

    @Override
    public byte[] elements(long handle, int elemSize) {
        return elements(handle, elemSize, Integer.MAX_VALUE);
    }

    @Override
    public byte[] elements(long handle, int elemSize, int maxCount) {
        region.resetScratch();
        int status = calls.heap(Region.HEAP_READ, handle, 0, 0); // sizes first
        if (status != Status.BUFFER_TOO_SMALL.code() && status != 0) return null;
        long len = Math.min(calls.answerArg(0), Math.max(0, maxCount));
        long size = calls.answerArg(1);
        if (size != elemSize || len < 0 || len * size > ELEMENT_BYTES_MAX) return null;
        if (len == 0) return new byte[0];
        MemorySegment out = region.scratch(len * size, 16);
        // The host copies the whole elements that fit (BUFFER_TOO_SMALL when that is not all).
        status = calls.heap(Region.HEAP_READ, handle, out.address(), out.byteSize());
        if (status != Status.BUFFER_TOO_SMALL.code() && status != 0) return null;
        if (calls.answerArg(1) != size || calls.answerArg(0) < len) return null;
        return out.toArray(ValueLayout.JAVA_BYTE);
    }

    @Override
    public long create(int instance, int elemSize, int count, byte[] bytes) {
        region.resetScratch();
        MemorySegment in = region.scratch(bytes.length, 16);
        MemorySegment.copy(bytes, 0, in, ValueLayout.JAVA_BYTE, 0, bytes.length);
        long sizes = Integer.toUnsignedLong(elemSize) | (Integer.toUnsignedLong(count) << 32);
        if (calls.heap(Region.HEAP_CREATE, instance, sizes, in.address()) != 0) return 0;
        return calls.answerArg(0);
    }
}
