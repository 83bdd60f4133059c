package dev.kiln.script;

import dev.kiln.loader.NativeHeap;
import dev.kiln.state.ContainerStore;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The containers of a hot-reload swap: reads their elements from engine memory while States are
 * migrated, and holds the migrated elements until the swap is decided, so a swap that fails
 * later (a migrate hook, a fault) leaves every container exactly as it was.
 */
final class PendingContainers implements SwapContainers {
    private record Replacement(NativeHeap.Block block, int elemSize, int count, byte[] bytes) {}

    private final NativeHeap heap;
    private final Map<Long, Replacement> pending = new LinkedHashMap<>();

    PendingContainers(NativeHeap heap) {
        this.heap = heap;
    }

    @Override
    public byte[] elements(long handle, int elemSize) {
        NativeHeap.Block b = heap == null ? null : heap.block(ContainerStore.id(handle), ContainerStore.generation(handle));
        if (b == null || b.elemSize() != elemSize) return null;
        return heap.elements(b);
    }

    @Override
    public long replace(long handle, int elemSize, int count, byte[] bytes) {
        NativeHeap.Block b = heap.block(ContainerStore.id(handle), ContainerStore.generation(handle));
        if (b != null) pending.put(handle, new Replacement(b, elemSize, count, bytes));
        return handle; // the same container, rewritten at commit
    }

    @Override
    public void forInstance(int instance) {}

    /** Writes every migrated container into engine memory: the swap is decided. */
    @Override
    public void commit() {
        for (Replacement r : pending.values()) {
            int status = heap.replace(r.block(), r.elemSize(), r.count(), r.bytes());
            if (status != 0) {
                throw new IllegalStateException("cannot write the migrated elements of container #" + r.block().id()
                        + " (status " + status + ")");
            }
        }
        pending.clear();
    }
}
