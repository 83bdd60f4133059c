package dev.kiln.ecs;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The registered component types, one {@link ComponentStore} each by type hash (in registration
 * order), and the add policies of scripts' requests. Indices are live entities ({@link World}
 * checks the handle and marks the entity's extras); frame thread only.
 */
final class ComponentTables {
    private final Map<Long, ComponentStore> components = new LinkedHashMap<>();

    /** Registers a component type with rows for {@code capacity} entities; the same schema twice is a no-op. */
    ComponentStore register(ComponentSchema schema, int capacity) {
        ComponentStore existing = components.get(schema.typeHash());
        if (existing != null) {
            if (!existing.schema().equals(schema)) {
                throw new IllegalArgumentException("component '" + schema.name()
                        + "' is already registered with a different layout or policy");
            }
            return existing;
        }
        ComponentStore store = new ComponentStore(schema);
        store.ensureEntityCapacity(capacity);
        components.put(schema.typeHash(), store);
        return store;
    }

    void grow(int capacity) {
        for (ComponentStore store : components.values()) store.ensureEntityCapacity(capacity);
    }

    ComponentStore store(long typeHash) {
        return components.get(typeHash);
    }

    Collection<ComponentStore> stores() {
        return components.values();
    }

    /** Adds or overwrites whatever the policy (the engine's own writes). */
    Status add(int index, long typeHash, byte[] data) {
        ComponentStore store = components.get(typeHash);
        if (store == null) return Status.UNKNOWN_COMPONENT;
        if (data.length != store.schema().size()) return Status.SIZE_MISMATCH;
        store.put(index, data);
        return Status.OK;
    }

    /** A script's add request, as {@link World#addComponentWithPolicy} describes. */
    Status addWithPolicy(int index, long typeHash, byte[] data, int fieldMask) {
        ComponentStore store = components.get(typeHash);
        if (store == null) return Status.UNKNOWN_COMPONENT;
        ComponentSchema schema = store.schema();
        if (data.length != schema.size()) return Status.SIZE_MISMATCH;
        byte[] present = store.has(index) ? store.get(index) : null;
        byte[] written = data;
        switch (schema.policy()) {
            case KEEP -> {
                if (present != null) return Status.ALREADY_PRESENT;
            }
            case MERGE -> {
                written = schema.merge(present != null ? present : data, data, fieldMask);
                if (written == null) return Status.INVALID_ARGUMENT;
            }
            case REPLACE -> { }
        }
        store.put(index, written);
        return Status.OK;
    }

    Status remove(int index, long typeHash) {
        ComponentStore store = components.get(typeHash);
        if (store == null) return Status.UNKNOWN_COMPONENT;
        return store.remove(index) ? Status.OK : Status.NOT_FOUND;
    }

    /** A copy of the component's bytes, or null when absent. */
    byte[] get(int index, long typeHash) {
        ComponentStore store = components.get(typeHash);
        return store == null ? null : store.get(index);
    }

    /** A despawned entity's components go. */
    void removeAll(int index) {
        for (ComponentStore store : components.values()) store.remove(index);
    }

    /** Every store's rows, for a keyframe. */
    Map<Long, WorldKeyframe.ComponentRows> copy() {
        Map<Long, WorldKeyframe.ComponentRows> stores = new LinkedHashMap<>();
        for (Map.Entry<Long, ComponentStore> e : components.entrySet()) stores.put(e.getKey(), e.getValue().copyRows());
        return stores;
    }

    /**
     * Puts back a keyframe's rows: a store the keyframe lacks is emptied, a type only the
     * keyframe has is registered again; {@code capacity} entity rows each.
     */
    void restore(Map<Long, WorldKeyframe.ComponentRows> kept, int capacity) {
        for (Map.Entry<Long, ComponentStore> e : components.entrySet()) {
            WorldKeyframe.ComponentRows rows = kept.get(e.getKey());
            if (rows != null) e.getValue().restoreRows(rows, capacity);
            else e.getValue().restoreRows(null, capacity);
        }
        for (Map.Entry<Long, WorldKeyframe.ComponentRows> e : kept.entrySet()) {
            if (!components.containsKey(e.getKey())) register(e.getValue().schema(), capacity).restoreRows(e.getValue(), capacity);
        }
    }
}
