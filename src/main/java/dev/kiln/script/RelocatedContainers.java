package dev.kiln.script;

import dev.kiln.loader.ContainerMemory;
import dev.kiln.state.ContainerStore;

/**
 * The containers of a swap into another memory (an isolated script's new host process): every
 * container is read from the old version's memory and created anew, migrated, in the new one,
 * where the new State's handles point. Nothing waits for the decision: if the swap fails, the
 * new version, and its host with everything made here, is closed; the old one is untouched.
 */
final class RelocatedContainers implements SwapContainers {
    private final ContainerMemory from;
    private final ContainerMemory to;
    private int instance;

    RelocatedContainers(ContainerMemory from, ContainerMemory to) {
        this.from = from;
        this.to = to;
    }

    @Override
    public void forInstance(int instance) {
        this.instance = instance;
    }

    @Override
    public byte[] elements(long handle, int elemSize) {
        return from == null ? null : from.elements(handle, elemSize);
    }

    @Override
    public long replace(long handle, int elemSize, int count, byte[] bytes) {
        long made = to == null ? 0 : to.create(instance, elemSize, count, bytes);
        if (made == 0) {
            throw new IllegalStateException("container #" + ContainerStore.id(handle) + " of instance " + instance
                    + " could not be moved into the new version's memory");
        }
        return made;
    }

    @Override
    public void commit() {}
}
