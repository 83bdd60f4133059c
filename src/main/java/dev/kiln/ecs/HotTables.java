package dev.kiln.ecs;

import java.util.function.LongConsumer;

/**
 * Hands the world's tables to a bulk kernel (the native apply, integrate and churn paths) and
 * takes the counts it moved back: the arrays of {@link EntityTable}, {@link TransformStore},
 * {@link RowChanges} and {@link EntityExtras} in place, the scalars through the
 * {@code World.HOT_*} / {@code World.CHURN_*} counter slots. The kernels' contracts are
 * {@link World.HotKernel}, {@link World.IntegrateKernel} and {@link World.ChurnKernel}.
 * Frame thread only.
 */
final class HotTables {
    private final EntityTable entities;
    private final TransformStore transforms;
    private final RowChanges changes;
    private final EntityExtras extras;

    HotTables(EntityTable entities, TransformStore transforms, RowChanges changes, EntityExtras extras) {
        this.entities = entities;
        this.transforms = transforms;
        this.changes = changes;
        this.extras = extras;
    }

    void applyHot(World.HotKernel kernel, long[] counters) {
        hotCountsOut(counters);
        kernel.run(entities.generations(), entities.alive(), transforms.positions(), transforms.scales(),
                transforms.velocities(), transforms.integrationHeld(), changes.changes(), changes.dirtyList(), counters);
        hotCountsIn(counters);
    }

    /** The HOT_* slots a kernel reads... */
    private void hotCountsOut(long[] counters) {
        counters[World.HOT_HIGH_WATER] = entities.highWater();
        counters[World.HOT_DIRTY_COUNT] = changes.dirtyCount();
        counters[World.HOT_MOVING_COUNT] = transforms.movingCount();
        counters[World.HOT_POSITIONS_VERSION] = transforms.positionsVersion();
    }

    /** ... and the ones it updates (the high-water mark only a churn kernel moves). */
    private void hotCountsIn(long[] counters) {
        changes.setDirtyCount((int) counters[World.HOT_DIRTY_COUNT]);
        transforms.setMovingCount((int) counters[World.HOT_MOVING_COUNT]);
        transforms.setPositionsVersion(counters[World.HOT_POSITIONS_VERSION]);
    }

    void integrateVelocities(float dt, LongConsumer held, World.IntegrateKernel kernel, long[] counters) {
        if (transforms.movingCount() == 0) return;
        int i = 0;
        while (i < entities.highWater()) {
            hotCountsOut(counters);
            i = kernel.run(i, dt, entities.alive(), transforms.positions(), transforms.velocities(),
                    transforms.integrationHeld(), changes.changes(), changes.dirtyList(), counters);
            changes.setDirtyCount((int) counters[World.HOT_DIRTY_COUNT]);
            transforms.setPositionsVersion(counters[World.HOT_POSITIONS_VERSION]);
            if (i >= entities.highWater()) break;
            transforms.integrationHeld()[i] = 1; // as integrateVelocities: reported once, until its velocity is set again
            held.accept(entities.handleOf(i));
            i++;
        }
    }

    void applyChurn(World.ChurnKernel kernel, long[] counters) {
        hotCountsOut(counters);
        counters[World.CHURN_FREE_COUNT] = entities.freeCount();
        counters[World.CHURN_ALIVE_COUNT] = entities.aliveCount();
        counters[World.CHURN_CAPACITY] = entities.capacity();
        counters[World.CHURN_ENTITIES_MAX] = World.ENTITIES_MAX;
        kernel.run(entities.generations(), entities.alive(), extras.extras(), transforms.positions(),
                transforms.rotations(), transforms.scales(), transforms.velocities(), transforms.integrationHeld(),
                changes.changes(), changes.dirtyList(), entities.freeList(), counters);
        hotCountsIn(counters);
        entities.setCounts((int) counters[World.HOT_HIGH_WATER], (int) counters[World.CHURN_FREE_COUNT],
                (int) counters[World.CHURN_ALIVE_COUNT]);
    }
}
