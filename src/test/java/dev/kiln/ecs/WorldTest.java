package dev.kiln.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class WorldTest {
    @Test
    void aDespawnedHandleIsStaleEvenAfterItsIndexIsReused() {
        World w = new World(16);
        long first = w.spawn();
        assertThat(w.despawn(first)).isEqualTo(Status.OK);
        long second = w.spawn();
        assertThat(Entities.index(second)).isEqualTo(Entities.index(first));
        assertThat(Entities.generation(second)).isEqualTo(Entities.generation(first) + 1);
        assertThat(w.isAlive(first)).isFalse();
        assertThat(w.setPosition(first, Vec3.ONE)).isEqualTo(Status.STALE_ENTITY);
        assertThat(w.despawn(first)).isEqualTo(Status.STALE_ENTITY);
        assertThat(w.position(second)).isEqualTo(Vec3.ZERO);
        assertThat(w.position(first)).isNull();
    }

    @Test
    void nullAndForgedHandlesAreNeverAlive() {
        World w = new World(16);
        w.spawn();
        assertThat(w.isAlive(Entities.NULL)).isFalse();
        assertThat(w.isAlive(Entities.handle(0, 7))).isFalse();
        assertThat(w.isAlive(Entities.handle(5000, 1))).isFalse();
        assertThat(w.isAlive(Entities.handle(-1, 1))).isFalse();
        assertThat(w.translate(Entities.handle(0, Entities.PENDING_GENERATION), Vec3.ONE)).isEqualTo(Status.STALE_ENTITY);
    }

    @Test
    void growingPastTheInitialCapacityKeepsEveryEntity() {
        World w = new World(16);
        long[] handles = new long[1000];
        for (int i = 0; i < handles.length; i++) handles[i] = w.spawn(new Vec3(i, 0, 0), Quat.IDENTITY, Vec3.ONE);
        for (int i = 0; i < handles.length; i++) assertThat(w.position(handles[i]).x()).isEqualTo(i);
        assertThat(w.aliveCount()).isEqualTo(1000);
    }

    @Test
    void componentsUseTheirSchemaSizeAndSurviveSwapRemoval() {
        World w = new World(16);
        ComponentSchema schema = ComponentSchema.of("health", List.of(
                new ComponentSchema.Field("hp", FieldType.F32, 0), new ComponentSchema.Field("alive", FieldType.BOOL, 0),
                new ComponentSchema.Field("id", FieldType.I64, 0)));
        assertThat(schema.size()).isEqualTo(16);
        assertThat(schema.field("id").offset()).isEqualTo(8);
        w.registerComponent(schema);
        long a = w.spawn(), b = w.spawn(), c = w.spawn();
        for (long e : new long[] {a, b, c}) {
            byte[] data = new byte[16];
            data[0] = (byte) Entities.index(e);
            assertThat(w.addComponent(e, schema.typeHash(), data)).isEqualTo(Status.OK);
        }
        assertThat(w.addComponent(a, schema.typeHash(), new byte[3])).isEqualTo(Status.SIZE_MISMATCH);
        assertThat(w.addComponent(a, NameHash.of("nope"), new byte[16])).isEqualTo(Status.UNKNOWN_COMPONENT);
        assertThat(w.removeComponent(a, schema.typeHash())).isEqualTo(Status.OK);
        assertThat(w.getComponent(c, schema.typeHash())[0]).isEqualTo((byte) Entities.index(c));
        assertThat(w.getComponent(b, schema.typeHash())[0]).isEqualTo((byte) Entities.index(b));
        assertThat(w.getComponent(a, schema.typeHash())).isNull();
        assertThat(w.removeComponent(a, schema.typeHash())).isEqualTo(Status.NOT_FOUND);
        w.despawn(b);
        assertThat(w.componentStore("health").rowCount()).isEqualTo(1);
    }

    @Test
    void tagsAreIndexedAndForgottenOnDespawn() {
        World w = new World(16);
        long a = w.spawn(), b = w.spawn();
        w.addTag(a, "enemy");
        w.addTag(b, "enemy");
        assertThat(w.findByTag("enemy")).containsExactly(a, b);
        w.despawn(a);
        assertThat(w.findByTag("enemy")).containsExactly(b);
        assertThat(w.removeTag(b, "enemy")).isEqualTo(Status.OK);
        assertThat(w.findByTag("enemy")).isEmpty();
    }

    @Test
    void spatialGridQueriesMatchABruteForceScan() {
        World w = new World(16);
        Random random = new Random(7);
        for (int i = 0; i < 3000; i++) {
            w.spawn(new Vec3(random.nextFloat() * 200 - 100, random.nextFloat() * 10, random.nextFloat() * 200 - 100),
                    Quat.IDENTITY, Vec3.ONE);
        }
        SpatialGrid grid = new SpatialGrid(4f);
        grid.rebuild(w);
        for (int q = 0; q < 50; q++) {
            Vec3 center = new Vec3(random.nextFloat() * 200 - 100, 5, random.nextFloat() * 200 - 100);
            float radius = random.nextFloat() * (q % 10 == 0 ? 300 : 12);
            long expected = w.aliveHandles().stream().filter(h -> w.position(h).distanceTo(center) <= radius).count();
            assertThat(grid.queryNearby(w, center, radius)).as("query %d (seed 7)", q).hasSize((int) expected);
        }
    }

    @Test
    void nonFiniteValuesAreRefused() {
        World w = new World(16);
        long e = w.spawn();
        assertThat(w.setPosition(e, new Vec3(Float.NaN, 0, 0))).isEqualTo(Status.NOT_FINITE);
        assertThat(w.setRotation(e, new Quat(0, Float.POSITIVE_INFINITY, 0, 1))).isEqualTo(Status.NOT_FINITE);
        assertThat(w.setVar(e, "x", new VarValue.F64(Double.NaN))).isEqualTo(Status.NOT_FINITE);
        assertThat(w.position(e)).isEqualTo(Vec3.ZERO);
    }

    @Test
    void hugeFiniteRotationsAndDirectionsNormalizeWithoutOverflow() {
        World w = new World();
        // Squares of 1e20 overflow a float: normalizing in float gave (0, 0, 0, 0).
        long e = w.spawn(0, 0, 0, 1e20f, 0, 0, 0, 1, 1, 1); // a script's spawn request, normalised
        assertThat(w.rotation(e)).isEqualTo(new Quat(1, 0, 0, 0));
        assertThat(w.setRotation(e, new Quat(0, 3e30f, 0, 3e30f))).isEqualTo(Status.OK);
        assertThat(w.rotation(e).y()).isCloseTo((float) Math.sqrt(0.5), Offset.offset(1e-6f));
        assertThat(new Vec3(0, 0, 2e25f).normalized()).isEqualTo(new Vec3(0, 0, 1));
        assertThat(new Quat(0, 0, 2e25f, 0).normalized()).isEqualTo(new Quat(0, 0, 1, 0));
    }
}
