package dev.kiln.ecs;

import java.util.Arrays;

/**
 * Per entity row, its name and its extras byte: the {@code World.EXTRA_*} bits saying what a
 * despawn must clean up besides the row. A native despawn ({@link World.ChurnKernel}) applies
 * only to entities with none; the data bit is set when a name, tag, component or var is added
 * (never too few: a bit set with nothing behind it only sends that despawn to Java) and cleared
 * by a despawn, the scripts bit is the runtime's. Indices are live entities ({@link World}
 * checks the handle); frame thread only.
 */
final class EntityExtras {
    private String[] names;
    private byte[] extras;

    /** Reallocates to {@code capacity} rows (never fewer), keeping their contents. */
    void grow(int capacity) {
        names = names == null ? new String[capacity] : Arrays.copyOf(names, capacity);
        extras = extras == null ? new byte[capacity] : Arrays.copyOf(extras, capacity);
    }

    String name(int index) {
        return names[index];
    }

    void setName(int index, String name) {
        names[index] = name;
        if (name != null) markData(index);
    }

    /** The first live entity with this name, as an index, or -1. */
    int findByName(EntityTable entities, String name) {
        for (int i = 0; i < entities.highWater(); i++) {
            if (entities.aliveAt(i) && name.equals(names[i])) return i;
        }
        return -1;
    }

    /** A name, tag, component or var was added to the entity at {@code index}. */
    void markData(int index) {
        extras[index] |= World.EXTRA_DATA;
    }

    /** A new entity's row: no name yet (its extras are whatever its last despawn left). */
    void spawned(int index) {
        names[index] = null;
    }

    /** A despawned entity's name and data bit go; the scripts bit is the runtime's to clear. */
    void despawned(int index) {
        names[index] = null;
        extras[index] &= (byte) ~World.EXTRA_DATA; // what the scripts bit stands for is the runtime's to clear
    }

    boolean scriptsListed(int index) {
        return index >= 0 && index < extras.length && (extras[index] & World.EXTRA_SCRIPTS) != 0;
    }

    void setScriptsListed(int index, boolean listed) {
        if (index < 0 || index >= extras.length) return;
        extras[index] = (byte) (listed ? extras[index] | World.EXTRA_SCRIPTS : extras[index] & ~World.EXTRA_SCRIPTS);
    }

    // The raw tables, for World's bulk kernels and keyframes; valid until the next grow.

    String[] names() {
        return names;
    }

    byte[] extras() {
        return extras;
    }

    /**
     * Puts the names back as keyframe {@code k} holds them (rows from its high-water mark up to
     * {@code cleared} emptied) and recomputes the data bit of rows [0, cleared) from the restored
     * tables, keeping the scripts bit: the runtime's attachments are not part of a keyframe.
     */
    void restore(WorldKeyframe k, int cleared, TagIndex tags, ScriptVars vars, Iterable<ComponentStore> components) {
        int n = k.highWater();
        System.arraycopy(k.names(), 0, names, 0, n);
        Arrays.fill(names, n, cleared, null);
        for (int i = 0; i < cleared; i++) {
            boolean data = i < n && (names[i] != null || tags.isTagged(i) || vars.has(i));
            extras[i] = (byte) ((extras[i] & World.EXTRA_SCRIPTS) | (data ? World.EXTRA_DATA : 0));
        }
        for (ComponentStore store : components) {
            for (int i = 0; i < n; i++) if (store.has(i)) extras[i] |= World.EXTRA_DATA;
        }
    }
}
