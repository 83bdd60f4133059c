package dev.kiln.script;

import dev.kiln.state.ContainerStore;

/** The containers of one hot-reload swap, as State migration reads and rewrites them. */
interface SwapContainers extends ContainerStore {
    /** The instance whose State is migrated next (new containers are made for it). */
    void forInstance(int instance);

    /** The swap is decided: make what was migrated the containers' content. */
    void commit();
}
