package dev.kiln.script;

import dev.kiln.dataplane.GrowableSegment;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The per-phase tables: each phase's enabled, active instances in canonical order (priority,
 * then attach order) as one {@link InstanceBatch}, the kiln_instance entries a phase's downcalls
 * read. Kept up to date lazily: a change notes the instance ({@link #changed}) or marks every
 * table stale ({@link #markDirty}), and {@link #update} applies it before the next phase.
 * Frame thread only.
 */
final class PhaseTables implements AutoCloseable {
    /** More changes than this at once (e.g. a whole library faulted): one rebuild is cheaper. */
    private static final int INCREMENTAL_CHANGES_MAX = 64;

    private final Map<Phase, InstanceBatch> phaseBatches = new EnumMap<>(Phase.class);
    /** Every phase table must be rebuilt (library swap, unload, priority change, start). */
    private boolean phaseTablesDirty = true;
    /** Instances whose phase-table membership may have changed; applied one by one before a phase. */
    private final List<ScriptInstance> phaseTableChanges = new ArrayList<>();

    PhaseTables() {
        for (Phase p : Phase.values()) phaseBatches.put(p, new InstanceBatch());
    }

    /** {@code phase}'s table as last {@link #update}d. */
    InstanceBatch batch(Phase phase) {
        return phaseBatches.get(phase);
    }

    /** Every table is rebuilt before the next phase (a priority, quota or library change). */
    void markDirty() {
        phaseTablesDirty = true;
    }

    /** Notes that {@code i} may have joined or left its phase table (applied before the next phase). */
    void changed(ScriptInstance i) {
        if (phaseTablesDirty) return; // a full rebuild is due anyway
        if (phaseTableChanges.size() == INCREMENTAL_CHANGES_MAX) {
            phaseTablesDirty = true;
            phaseTableChanges.clear();
            return;
        }
        phaseTableChanges.add(i);
    }

    /** Applies the noted changes, or rebuilds every table from {@code instances} when they are stale. */
    void update(Collection<ScriptInstance> instances) {
        if (phaseTablesDirty) {
            rebuild(instances);
            return;
        }
        for (ScriptInstance i : phaseTableChanges) {
            InstanceBatch batch = phaseBatches.get(i.phase());
            int at = batch.indexOf(i);
            boolean wanted = i.enabled() && i.lifecycle() == ScriptInstance.Lifecycle.ACTIVE;
            if (wanted && at < 0) batch.insert(i);
            else if (!wanted && at >= 0) batch.removeAt(at);
        }
        phaseTableChanges.clear();
    }

    private void rebuild(Collection<ScriptInstance> instances) {
        phaseTableChanges.clear();
        Map<Phase, List<ScriptInstance>> byPhase = new EnumMap<>(Phase.class);
        for (Phase p : Phase.values()) byPhase.put(p, new ArrayList<>());
        for (ScriptInstance i : instances) {
            if (i.enabled() && i.lifecycle() == ScriptInstance.Lifecycle.ACTIVE) byPhase.get(i.phase()).add(i);
        }
        for (Phase p : Phase.values()) {
            List<ScriptInstance> list = byPhase.get(p);
            list.sort(ScriptInstance::compareOrder);
            phaseBatches.get(p).build(list);
        }
        phaseTablesDirty = false;
    }

    /** Every table rebuilt before the next phase, the noted changes dropped (the instance table was replaced). */
    void reset() {
        phaseTablesDirty = true;
        phaseTableChanges.clear();
    }

    /**
     * After a swap of {@code old} for {@code fresh}: the phase tables' entries point at the new
     * library and States in place (see {@link InstanceBatch#relink}) instead of a rebuild at the
     * next phase (sorting and rewriting every instance: ~2–3 ms of the swap frame at 10,000);
     * with {@code moves} (a body edit's runs of States), from the entries' own State pointers.
     */
    void relink(ScriptLibrary old, ScriptLibrary fresh, StateMoves moves) {
        if (phaseTablesDirty) return; // rebuilt at the next phase anyway
        for (InstanceBatch b : phaseBatches.values()) b.relink(old, fresh, moves);
    }

    /** Own-transform slots holding a request over every phase's batch (see {@link InstanceBatch#ownTransformsPending}). */
    int ownTransformsPending() {
        int pending = 0;
        for (InstanceBatch b : phaseBatches.values()) pending += b.ownTransformsPending();
        return pending;
    }

    /** Drops {@code old}'s entries from every table; adds their memory (closed with it) to {@code memory}. */
    void forget(ScriptLibrary old, List<GrowableSegment> memory) {
        for (InstanceBatch b : phaseBatches.values()) b.forget(old, memory);
    }

    @Override
    public void close() {
        for (InstanceBatch b : phaseBatches.values()) b.close();
    }
}
