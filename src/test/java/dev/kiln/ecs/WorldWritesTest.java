package dev.kiln.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The world tells its write observer of every write made through its public methods, once,
 * after the write and only when it succeeded; with none installed (as while a frame runs) it
 * tells nobody, and {@link World#observeWrites} hands back the one it replaced.
 */
class WorldWritesTest {
    static final ComponentSchema HP = ComponentSchema.of("hp", List.of(new ComponentSchema.Field("v", FieldType.F32, 0)),
            ComponentPolicy.REPLACE);

    /** Each call as text, with what the world holds at that moment where the call reads it. */
    static final class Heard implements WorldWrites {
        final World world;
        final List<String> calls = new ArrayList<>();

        Heard(World world) {
            this.world = world;
        }

        public void spawned(long e) {
            calls.add("spawned " + Entities.format(e) + " at " + world.position(e));
        }

        public void despawned(long e) {
            calls.add("despawned " + Entities.format(e) + " alive " + world.isAlive(e));
        }

        public void transformWritten(long e, int part) {
            Vec3 v = part == POSITION ? world.position(e) : part == SCALE ? world.scale(e) : world.velocity(e);
            calls.add((part == POSITION ? "position " : part == SCALE ? "scale " : "velocity ") + v);
        }

        public void rotationSet(long e, Quat requested) {
            calls.add("rotation " + requested);
        }

        public void nameSet(long e, String name) {
            calls.add("name " + name);
        }

        public void tagWritten(long e, String tag, boolean added) {
            calls.add((added ? "tag " : "untag ") + tag);
        }

        public void componentWritten(long e, long typeHash, boolean removed) {
            calls.add(removed ? "component removed" : "component " + world.getComponent(e, typeHash).length + " bytes");
        }

        public void varSet(long e, String key, VarValue value) {
            calls.add("var " + key + " " + value);
        }

        public void componentRegistered(ComponentSchema schema) {
            calls.add("registered " + schema.name());
        }
    }

    @Test
    void everySuccessfulWriteIsHeardOnceAfterItIsMade() {
        World world = new World();
        Heard heard = new Heard(world);
        assertThat(world.observeWrites(heard)).as("none before").isNull();
        world.registerComponent(HP);
        world.registerComponent(HP); // the same schema again: nothing new
        long e = world.spawn(new Vec3(1, 2, 3), Quat.IDENTITY, Vec3.ONE);
        world.setPosition(e, 4, 5, 6);
        world.translate(e, 1, 0, 0);
        world.setScale(e, 2, 2, 2);
        world.setVelocity(e, 0, 1, 0);
        world.setRotation(e, new Quat(0, 0, 0, 2)); // heard as asked, stored normalised
        world.rotate(e, Quat.IDENTITY, RotationSpace.LOCAL);
        world.setName(e, "crate");
        world.addTag(e, "a");
        world.removeTag(e, "a");
        world.removeTag(e, "a"); // not there any more: NOT_FOUND, not heard
        world.addComponent(e, HP.typeHash(), new byte[4]);
        world.addComponentWithPolicy(e, HP.typeHash(), new byte[4], 0);
        world.removeComponent(e, HP.typeHash());
        world.setVar(e, "k", new VarValue.I64(7));
        world.despawn(e);
        // A stale handle changes nothing and is not heard.
        world.setPosition(e, 0, 0, 0);
        world.addTag(e, "b");
        world.despawn(e);
        assertThat(heard.calls).containsExactly(
                "registered hp",
                "spawned " + Entities.format(e) + " at Vec3[x=1.0, y=2.0, z=3.0]",
                "position Vec3[x=4.0, y=5.0, z=6.0]",
                "position Vec3[x=5.0, y=5.0, z=6.0]",
                "scale Vec3[x=2.0, y=2.0, z=2.0]",
                "velocity Vec3[x=0.0, y=1.0, z=0.0]",
                "rotation Quat[x=0.0, y=0.0, z=0.0, w=2.0]",
                "rotation Quat[x=0.0, y=0.0, z=0.0, w=1.0]",
                "name crate",
                "tag a",
                "untag a",
                "component 4 bytes",
                "component 4 bytes",
                "component removed",
                "var k I64[value=7]",
                "despawned " + Entities.format(e) + " alive false");
        assertThat(world.observeWrites(null)).as("the one installed, handed back").isSameAs(heard);
        world.spawn();
        assertThat(heard.calls).as("none installed: nobody hears").hasSize(16);
    }
}
