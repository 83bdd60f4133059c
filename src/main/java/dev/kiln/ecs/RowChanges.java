package dev.kiln.ecs;

import java.util.Arrays;

/**
 * Change tracking for the snapshot publisher: per entity row the {@code World.CHANGED_*} bits
 * since the last drain, and the list of rows marked, so a drain visits only those. Owned by
 * {@link World}; frame thread only.
 */
final class RowChanges {
    /** CHANGED_* bits per entity since the last drain; 0 = unchanged. */
    private byte[] changes;
    private int[] dirtyList;
    private int dirtyCount;

    /** Reallocates to {@code capacity} rows (never fewer), keeping the marks. */
    void grow(int capacity) {
        changes = changes == null ? new byte[capacity] : Arrays.copyOf(changes, capacity);
        dirtyList = dirtyList == null ? new int[capacity] : Arrays.copyOf(dirtyList, capacity);
    }

    /** Part {@code what} (CHANGED_*) of the entity's row changed: the snapshot must copy it. */
    void mark(int index, int what) {
        int had = changes[index];
        if (had == 0) dirtyList[dirtyCount++] = index;
        changes[index] = (byte) (had | what);
    }

    /** Calls {@code visitor} with each entity changed since the last drain and what changed, then clears. */
    void drain(World.ChangeVisitor visitor) {
        for (int i = 0; i < dirtyCount; i++) {
            int index = dirtyList[i];
            int what = changes[index];
            changes[index] = 0;
            visitor.changed(index, what);
        }
        dirtyCount = 0;
    }

    // The raw tables and count, for World's bulk kernels; valid until the next grow.

    byte[] changes() {
        return changes;
    }

    int[] dirtyList() {
        return dirtyList;
    }

    int dirtyCount() {
        return dirtyCount;
    }

    void setDirtyCount(int dirtyCount) {
        this.dirtyCount = dirtyCount;
    }
}
