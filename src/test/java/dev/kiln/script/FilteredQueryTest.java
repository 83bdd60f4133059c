package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.ecs.ComponentSchema;
import dev.kiln.ecs.Entities;
import dev.kiln.ecs.FieldType;
import dev.kiln.ecs.NameHash;
import dev.kiln.ecs.Quat;
import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.Vec3;
import dev.kiln.ecs.World;
import dev.kiln.testing.TestEngine;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * A filtered query (required and excluded tags and components) returns exactly what a brute
 * force filter over the world returns, in random worlds: queryNearby, countNearby,
 * findByComponent and countByComponent, from a real script (api_tour.zig, op 36).
 */
class FilteredQueryTest {
    private static final String[] TAGS = {"a", "b", "c"};
    private static final String[] COMPONENTS = {"health", "armor"};
    private static TestEngine engine;
    private static long self;

    @AfterContainer
    static void closeEngine() {
        if (engine != null) engine.close();
        engine = null;
    }

    private static TestEngine engine() {
        if (engine == null) {
            engine = new TestEngine();
            World w = engine.engine.world();
            w.registerComponent(ComponentSchema.of("health", List.of(
                    new ComponentSchema.Field("hp", FieldType.F32, 0), new ComponentSchema.Field("max", FieldType.F32, 0))));
            w.registerComponent(ComponentSchema.of("armor", List.of(new ComponentSchema.Field("value", FieldType.I32, 0))));
            engine.loadTest("api_tour.zig");
            self = w.spawn();
            engine.engine.scripts().attach(self, "api_tour", 0, null);
        }
        return engine;
    }

    @Property(tries = 150)
    void aFilteredQueryReturnsExactlyWhatABruteForceFilterReturns(
            @ForAll @IntRange(min = 0, max = 60) int entities, @ForAll long seed,
            @ForAll @IntRange(max = 7) int reqTags, @ForAll @IntRange(max = 7) int exTags,
            @ForAll @IntRange(max = 3) int reqComps, @ForAll @IntRange(max = 3) int exComps) {
        TestEngine t = engine();
        World world = t.engine.world();
        for (long h : world.aliveHandles()) if (h != self) world.despawn(h); // a fresh random world
        Random random = new Random(seed);
        for (int i = 0; i < entities; i++) {
            long e = world.spawn(new Vec3(random.nextFloat() * 20 - 10, random.nextFloat() * 4 - 2, random.nextFloat() * 20 - 10),
                    Quat.IDENTITY, Vec3.ONE);
            for (String tag : TAGS) if (random.nextInt(3) == 0) world.addTag(e, tag);
            if (random.nextBoolean()) world.addComponent(e, NameHash.of("health"), new byte[8]);
            if (random.nextInt(3) == 0) world.addComponent(e, NameHash.of("armor"), new byte[4]);
        }
        Vec3 center = new Vec3(random.nextFloat() * 10 - 5, 0, random.nextFloat() * 10 - 5);
        float radius = 1 + random.nextFloat() * 10;
        world.setVar(self, "req_tags", new VarValue.I64(reqTags));
        world.setVar(self, "ex_tags", new VarValue.I64(exTags));
        world.setVar(self, "req_comps", new VarValue.I64(reqComps));
        world.setVar(self, "ex_comps", new VarValue.I64(exComps));
        world.setVar(self, "radius", new VarValue.F64(radius));
        world.setVar(self, "v", new VarValue.V3(center));
        world.setVar(self, "op", new VarValue.I64(36));
        t.step();
        world.setVar(self, "op", new VarValue.I64(0));

        long near = 0, nearCount = 0, withHealth = 0, healthCount = 0;
        for (long h : world.aliveHandles()) {
            if (h == self || !passes(world, h, reqTags, exTags, reqComps, exComps)) continue;
            if (world.position(h).distanceTo(center) <= radius) {
                near |= 1L << Entities.index(h);
                nearCount++;
            }
            if (world.getComponent(h, NameHash.of("health")) != null) {
                withHealth |= 1L << Entities.index(h);
                healthCount++;
            }
        }
        assertThat(longVar(world, "count")).isEqualTo(nearCount);
        assertThat(longVar(world, "found_mask")).isEqualTo(near);
        assertThat(world.getVar(self, "too_small")).isEqualTo(new VarValue.Bool(nearCount > 1));
        assertThat(longVar(world, "comp_count")).isEqualTo(healthCount);
        assertThat(longVar(world, "comp_mask")).isEqualTo(withHealth);
    }

    private static long longVar(World world, String key) {
        return ((VarValue.I64) world.getVar(self, key)).value();
    }

    /** The brute-force filter: every required tag and component, none of the excluded ones. */
    private static boolean passes(World world, long h, int reqTags, int exTags, int reqComps, int exComps) {
        for (int i = 0; i < TAGS.length; i++) {
            boolean has = world.hasTag(h, TAGS[i]);
            if ((reqTags >> i & 1) != 0 && !has) return false;
            if ((exTags >> i & 1) != 0 && has) return false;
        }
        for (int i = 0; i < COMPONENTS.length; i++) {
            boolean has = world.getComponent(h, NameHash.of(COMPONENTS[i])) != null;
            if ((reqComps >> i & 1) != 0 && !has) return false;
            if ((exComps >> i & 1) != 0 && has) return false;
        }
        return true;
    }
}
