package dev.kiln.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.abi.Layouts;
import dev.kiln.dataplane.SnapshotPublisher;
import dev.kiln.dataplane.SpawnResults;
import dev.kiln.ecs.Entities;
import dev.kiln.ecs.Quat;
import dev.kiln.ecs.Vec3;
import dev.kiln.ecs.World;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The publisher writes only what changed in each entity row (and skips velocity integration
 * when nothing moves): after any sequence of world changes and publishes, every published row
 * must equal the world — generation, alive flag, position, rotation, scale and velocity —
 * including rows of despawned entities whose index was reused; and so must every entry of
 * live_generations (the generation while alive, 0 when not).
 */
class SnapshotRowsFuzzTest {
    private static final long ROW = Layouts.ENTITY_ROW.byteSize();

    record Op(int kind, int pick, float a, float b, float c) {}

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Float> value = Arbitraries.of(0f, -0f, 1f, -2.5f, 3e4f, 0.001f);
        return Combinators.combine(Arbitraries.integers().between(0, 9), Arbitraries.integers().between(0, 63),
                value, value, value).as(Op::new).list().ofMaxSize(200);
    }

    @Property
    void publishedRowsEqualTheWorld(@ForAll("ops") List<Op> ops) {
        World world = new World(4); // small: growth is exercised too
        List<Long> alive = new ArrayList<>();
        try (SnapshotPublisher publisher = new SnapshotPublisher(4f)) {
            SpawnResults none = new SpawnResults();
            for (Op op : ops) {
                long target = alive.isEmpty() ? Entities.NULL : alive.get(op.pick() % alive.size());
                switch (op.kind()) {
                    case 0, 1 -> alive.add(world.spawn(new Vec3(op.a(), op.b(), op.c()), Quat.IDENTITY, Vec3.ONE));
                    case 2 -> {
                        if (target != Entities.NULL) {
                            world.despawn(target);
                            alive.remove(target);
                        }
                    }
                    case 3 -> world.translate(target, op.a(), op.b(), op.c());
                    case 4 -> world.setPosition(target, op.a(), op.b(), op.c());
                    case 5 -> world.setVelocity(target, op.a(), op.b(), op.c());
                    case 6 -> world.setScale(target, op.a() + 1, op.b() + 1, op.c() + 1);
                    case 7 -> world.setRotation(target, new Quat(op.a(), op.b(), op.c(), 1));
                    case 8 -> world.integrateVelocities(1f / 60);
                    default -> publisher.publish(world, none);
                }
            }
            publisher.publish(world, none);
            check(world, publisher.root());
        }
    }

    private static void check(World world, MemorySegment root) {
        int capacity = root.get(ValueLayout.JAVA_INT, Layouts.offset(Layouts.SNAPSHOT, "entity_capacity"));
        MemorySegment rows = root.get(ValueLayout.ADDRESS, Layouts.offset(Layouts.SNAPSHOT, "entities"))
                .reinterpret(capacity * ROW);
        MemorySegment liveGenerations = root.get(ValueLayout.ADDRESS, Layouts.offset(Layouts.SNAPSHOT, "live_generations"))
                .reinterpret(capacity * 4L);
        for (int index = 0; index < capacity; index++) { // live_generations: the generation while alive, else 0
            int expected = index < world.highWater() && world.aliveAt(index) ? world.generationAt(index) : 0;
            assertThat(liveGenerations.getAtIndex(ValueLayout.JAVA_INT, index)).as("live_generations[%d]", index)
                    .isEqualTo(expected);
        }
        for (int index = 0; index < world.highWater(); index++) {
            long at = index * ROW;
            boolean published = (rows.get(ValueLayout.JAVA_INT, at + Layouts.ROW_FLAGS) & Layouts.ROW_ALIVE) != 0;
            assertThat(published).as("alive flag of row %d", index).isEqualTo(world.aliveAt(index));
            if (!world.aliveAt(index)) continue;
            long handle = world.handleAt(index);
            assertThat(rows.get(ValueLayout.JAVA_INT, at + Layouts.ROW_GENERATION)).isEqualTo(world.generationAt(index));
            assertThat(vec(rows, at + Layouts.ROW_POSITION)).as("position %d", index).isEqualTo(world.position(handle));
            assertThat(vec(rows, at + Layouts.ROW_SCALE)).as("scale %d", index).isEqualTo(world.scale(handle));
            assertThat(vec(rows, at + Layouts.ROW_VELOCITY)).as("velocity %d", index).isEqualTo(world.velocity(handle));
            Quat q = world.rotation(handle);
            assertThat(rows.get(ValueLayout.JAVA_FLOAT, at + Layouts.ROW_ROTATION + 12)).as("rotation w %d", index)
                    .isEqualTo(q.w());
            assertThat(rows.get(ValueLayout.JAVA_FLOAT, at + Layouts.ROW_ROTATION)).isEqualTo(q.x());
        }
    }

    private static Vec3 vec(MemorySegment rows, long at) {
        return new Vec3(rows.get(ValueLayout.JAVA_FLOAT, at), rows.get(ValueLayout.JAVA_FLOAT, at + 4),
                rows.get(ValueLayout.JAVA_FLOAT, at + 8));
    }
}
