package dev.kiln.ecs;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ScriptVars: per entity index, named values scripts and the inspector set, and a version the
 * snapshot publisher republishes the vars table on. Indices are live entities ({@link World}
 * checks the handle); frame thread only.
 */
final class ScriptVars {
    private final Map<Integer, Map<String, VarValue>> vars = new HashMap<>();
    private long version;

    /** Sets {@code key}: an empty key is INVALID_ARGUMENT, a non-finite number or vector NOT_FINITE. */
    Status set(int index, String key, VarValue value) {
        if (key.isEmpty()) return Status.INVALID_ARGUMENT;
        if (value instanceof VarValue.F64 f && !Double.isFinite(f.value())) return Status.NOT_FINITE;
        if (value instanceof VarValue.V3 v && !v.value().isFinite()) return Status.NOT_FINITE;
        vars.computeIfAbsent(index, i -> new LinkedHashMap<>()).put(key, value);
        version++;
        return Status.OK;
    }

    VarValue get(int index, String key) {
        Map<String, VarValue> m = vars.get(index);
        return m == null ? null : m.get(key);
    }

    Map<String, VarValue> of(int index) {
        return Collections.unmodifiableMap(vars.getOrDefault(index, Map.of()));
    }

    /** Every entity's vars by entity index (for the snapshot publisher). */
    Map<Integer, Map<String, VarValue>> all() {
        return Collections.unmodifiableMap(vars);
    }

    boolean has(int index) {
        return vars.containsKey(index);
    }

    /** A despawned entity's vars go (the version moves only when it had some). */
    void removeAll(int index) {
        if (vars.remove(index) != null) version++;
    }

    long version() {
        return version;
    }

    /** A copy for a keyframe (the values are immutable). */
    Map<Integer, Map<String, VarValue>> copy() {
        Map<Integer, Map<String, VarValue>> varsCopy = new HashMap<>();
        for (Map.Entry<Integer, Map<String, VarValue>> e : vars.entrySet()) varsCopy.put(e.getKey(), new LinkedHashMap<>(e.getValue()));
        return varsCopy;
    }

    /** Puts back a keyframe's vars; the version moves on. */
    void restore(Map<Integer, Map<String, VarValue>> kept) {
        vars.clear();
        for (Map.Entry<Integer, Map<String, VarValue>> e : kept.entrySet()) vars.put(e.getKey(), new LinkedHashMap<>(e.getValue()));
        version++;
    }
}
