package dev.kiln.script;

import dev.kiln.dataplane.NativeSignals;
import dev.kiln.dataplane.SignalLane;
import dev.kiln.ecs.World;
import java.lang.foreign.MemorySegment;

/**
 * A phase's signal lane whose parts were not taken at their instances' ranges: its batch's apply
 * left no record, so nothing between the parts could despawn an entity or queue a signal, and the
 * parts, in canonical order, are the signals the records would have queued, in the same order and
 * with targets exactly as live. The dispatch routes them from the lane in place
 * ({@link NativeSignalDispatch#runLane}), or they are queued here first ({@link #queueAll}: the
 * barrier right after the apply, or the dispatch when the round is not one lane library's).
 * Frame thread only.
 */
final class HeldLane {
    final InstanceBatch batch;
    final SignalLane lane;
    private final long[] worldCounters = new long[World.HOT_COUNTERS];

    HeldLane(InstanceBatch batch, SignalLane lane) {
        this.batch = batch;
        this.lane = lane;
    }

    /** The binding of the batch's parts for the native calls (kiln_lanes_bind), or null when they cannot be read natively. */
    MemorySegment binding() {
        return batch.laneBinding(lane);
    }

    /**
     * Queues every part in canonical order into the queue the caller bound (the native apply pass's
     * kiln_signal_take queue): one native pass, Java (the batch's lane taker, with the decoder's
     * reports) for the rest of a part it stops at, then on natively. Every part is empty after it.
     */
    void queueAll(World world, NativeSignals router) {
        MemorySegment binding = binding();
        if (binding == null) { // the entries cannot be read natively: Java takes every part
            for (int i = 0, n = batch.size(); i < n; i++) batch.takeLanePartInJava(i);
            batch.useLane(null, null);
            return;
        }
        router.bindLanes(binding);
        try {
            int[] ids = batch.ids(), quotas = batch.quotas();
            int n = batch.size();
            int[] stop = new int[1];
            int i = 0;
            while (i < n) {
                int from = i;
                world.applyHot((generations, alive, positions, scales, velocities, held, changes, dirtyList, c) ->
                        stop[0] = router.takeLanes(from, n, ids, quotas, generations, alive, c[World.HOT_HIGH_WATER]),
                        worldCounters);
                i = stop[0];
                if (i < n) batch.takeLanePartInJava(i++);
            }
        } finally {
            router.bindLanes(MemorySegment.NULL);
            batch.useLane(null, null);
        }
    }

    /** Every part emptied (routed from the lane in place, or dropped undelivered). */
    void clear() {
        batch.clearLaneParts();
        batch.useLane(null, null);
    }
}
