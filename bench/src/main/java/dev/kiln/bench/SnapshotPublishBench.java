package dev.kiln.bench;

import dev.kiln.dataplane.SnapshotPublisher;
import dev.kiln.ecs.SpatialGrid;
import dev.kiln.ecs.Vec3;
import dev.kiln.ecs.World;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What republishing the snapshot costs per entity after a barrier in which every one of
 * {@value #ENTITIES} entities changed only its velocity (as after the layered frame's
 * pre_update barrier). No scripts: this isolates the publish step of the barrier.
 *
 * <ul>
 *   <li>{@code velocityWritesOnly}: the World writes alone (baseline).
 *   <li>{@code velocityWritesAndPublish}: the writes plus SnapshotPublisher.publish (rows, grid).
 *   <li>{@code gridRebuildOnly}: rebuilding the spatial grid over the same world.
 * </ul>
 * A velocity write moves no entity, so a grid rebuild in the publish after it is wasted work:
 * gridRebuildOnly says how much of the publish that is.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class SnapshotPublishBench {
    static final int ENTITIES = 10_000;

    World world;
    long[] entities;
    SnapshotPublisher publisher;
    SpatialGrid grid;
    /** Alternates, so every write really changes the velocity. */
    int frame;

    @Setup(Level.Trial)
    public void setUp() {
        world = new World();
        entities = BenchScripts.spawnGrid(world, ENTITIES);
        publisher = new SnapshotPublisher(4f);
        publisher.publish(world, List.of());
        grid = new SpatialGrid(4f);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        publisher.close();
    }

    private void writeVelocities() {
        Vec3 velocity = new Vec3((frame++ & 1) == 0 ? 1 : -1, 0, 0);
        for (long e : entities) world.setVelocity(e, velocity);
    }

    @Benchmark
    @OperationsPerInvocation(ENTITIES)
    public void velocityWritesOnly() {
        writeVelocities();
    }

    @Benchmark
    @OperationsPerInvocation(ENTITIES)
    public void velocityWritesAndPublish() {
        writeVelocities();
        publisher.publish(world, List.of());
    }

    /** W1's barrier shape: every entity moved (translate), no query keeps the grid wanted. */
    @Benchmark
    @OperationsPerInvocation(ENTITIES)
    public void translatesAndPublish() {
        float dx = (frame++ & 1) == 0 ? 0.5f : -0.5f;
        for (long e : entities) world.translate(e, dx, 0, 0);
        publisher.publish(world, List.of());
    }

    @Benchmark
    @OperationsPerInvocation(ENTITIES)
    public int gridRebuildOnly() {
        grid.rebuild(world);
        return grid.entityCount();
    }
}
