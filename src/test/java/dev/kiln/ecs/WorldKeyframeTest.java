package dev.kiln.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A world's keyframe puts every table back: rows, free list and generations (the next spawn
 * gets the handle it would have got), tags, components and ScriptVars, with rows added after
 * the keyframe cleared.
 */
class WorldKeyframeTest {
    @Test
    void importingAKeyframePutsEveryTableBack() {
        World w = new World(16);
        ComponentSchema health = ComponentSchema.of("health", List.of(new ComponentSchema.Field("hp", FieldType.F32, 0)));
        w.registerComponent(health);
        long a = w.spawn(new Vec3(1, 2, 3), Quat.IDENTITY, Vec3.ONE);
        long b = w.spawn(new Vec3(4, 5, 6), Quat.IDENTITY, Vec3.ONE);
        long c = w.spawn();
        w.despawn(b); // a free row: the next spawn reuses it with the next generation
        w.addTag(a, "hero");
        w.addComponent(a, health.typeHash(), new byte[] {1, 2, 3, 4});
        w.setVar(c, "speed", new VarValue.F64(2.5));
        w.setVelocity(c, new Vec3(0, 1, 0));
        WorldKeyframe k = w.exportKeyframe();
        long nextSpawn;
        {
            World probe = new World(16);
            probe.importKeyframe(k);
            nextSpawn = probe.spawn();
        }

        // Everything changes after the keyframe: moves, despawns, spawns past the high-water mark.
        w.setPosition(a, new Vec3(9, 9, 9));
        w.removeTag(a, "hero");
        w.addTag(c, "villain");
        w.removeComponent(a, health.typeHash());
        w.setVar(c, "speed", new VarValue.F64(7));
        w.despawn(c);
        for (int i = 0; i < 40; i++) w.spawn(); // grows capacity past 16

        w.importKeyframe(k);
        WorldKeyframe back = w.exportKeyframe();
        assertThat(back.highWater()).isEqualTo(3);
        assertThat(w.aliveCount()).isEqualTo(2);
        assertThat(w.isAlive(a)).isTrue();
        assertThat(w.isAlive(b)).isFalse();
        assertThat(w.isAlive(c)).isTrue();
        assertThat(w.position(a)).isEqualTo(new Vec3(1, 2, 3));
        assertThat(w.velocity(c)).isEqualTo(new Vec3(0, 1, 0));
        assertThat(w.tagsOf(a)).containsExactly("hero");
        assertThat(w.tagsOf(c)).isEmpty();
        assertThat(w.componentStore(health.typeHash()).get(0)).containsExactly(1, 2, 3, 4);
        assertThat(w.vars(c)).containsEntry("speed", new VarValue.F64(2.5));
        assertThat(Arrays.equals(back.positions(), k.positions())).isTrue();
        assertThat(back.freeList()).containsExactly(k.freeList());
        assertThat(w.spawn()).as("the free list and generations as they were").isEqualTo(nextSpawn);
        assertThat(nextSpawn).isNotEqualTo(b);
        assertThat(Entities.index(nextSpawn)).isEqualTo(Entities.index(b));
    }
}
