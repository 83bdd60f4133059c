package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.ecs.Entities;
import dev.kiln.ecs.World;
import dev.kiln.testing.TestEngine;
import org.junit.jupiter.api.Test;

/**
 * A rewind puts the instance table back (importInstances), and with it the world's mark of the
 * entities that have scripts: a despawn of a marked entity goes through the runtime, which
 * detaches its scripts and runs their shutdown; an unmarked one may be despawned by the native
 * churn pass, which knows nothing of scripts. A restore that brought a script back without the
 * mark would let a recorded despawn skip it, and the re-simulation would differ from the run.
 */
class InstanceTableMarksTest {
    @Test
    void aRestoredTableMarksExactlyTheEntitiesItListsScriptsOn() {
        try (TestEngine t = new TestEngine()) {
            t.loadTest("tally.zig");
            World world = t.engine.world();
            ScriptRuntime scripts = t.engine.scripts();
            long kept = world.spawn(), restored = world.spawn(), attachedLater = world.spawn();
            scripts.attach(kept, "tally", 0, null);
            ScriptInstance detachedLater = scripts.attach(restored, "tally", 0, null);
            t.step();
            InstanceTableImage image = scripts.exportInstances();
            assertThat(image).isNotNull();

            scripts.detach(detachedLater);
            scripts.attach(attachedLater, "tally", 0, null);
            t.step();
            assertThat(world.scriptsListed(Entities.index(restored))).isFalse();
            assertThat(world.scriptsListed(Entities.index(attachedLater))).isTrue();

            scripts.importInstances(image);
            assertThat(world.scriptsListed(Entities.index(kept))).isTrue();
            assertThat(world.scriptsListed(Entities.index(restored))).as("its script is back").isTrue();
            assertThat(world.scriptsListed(Entities.index(attachedLater))).as("its script is gone").isFalse();
            assertThat(scripts.scriptsOn(restored)).hasSize(1);
        }
    }
}
