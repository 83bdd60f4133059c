package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.World;
import dev.kiln.testing.TestEngine;
import org.junit.jupiter.api.Test;

/**
 * The SDK refuses a spawn tag the engine would refuse (each comma-separated tag at most
 * KILN_NAME_MAX_BYTES): at the call, with error.TooLong, so the instance's later requests of
 * the phase still apply (a record the engine finds malformed ends the rest of its range).
 */
class SpawnTagBoundTest {
    @Test
    void aTagOverTheNameBoundIsRefusedAtTheCallAndLaterRequestsApply() {
        try (TestEngine t = new TestEngine()) {
            t.loadTest("long_tag_spawner.zig");
            World world = t.engine.world();
            long self = world.spawn();
            t.engine.scripts().attach(self, "long_tag_spawner", 0, null);
            int aliveBefore = world.aliveCount();
            t.step();

            assertThat(world.getVar(self, "refused")).isEqualTo(new VarValue.I64(1));
            assertThat(world.position(self).x()).as("the move posted after the refused spawn").isEqualTo(1f);
            assertThat(world.aliveCount()).as("only the spawn within the bound").isEqualTo(aliveBefore + 1);
            String tag64 = "t".repeat(64);
            assertThat(t.logs).noneMatch(l -> l.message().contains("malformed"));
            long spawned = world.aliveHandles().stream().filter(e -> e != self).findFirst().orElseThrow();
            assertThat(world.tagsOf(spawned)).containsExactlyInAnyOrder("short", tag64);
        }
    }
}
