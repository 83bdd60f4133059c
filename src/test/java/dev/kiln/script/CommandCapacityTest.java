package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.abi.CommandBuffer;
import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.World;
import dev.kiln.engine.FrameStats;
import dev.kiln.testing.TestEngine;
import org.junit.jupiter.api.Test;

/**
 * Capacity is not a reason to drop a request: with the default command buffer (8 MiB, 262,144
 * transform records), a phase in which more instances than that post a request grows the buffer
 * and applies every one of them, frame after frame. Real script: src/test/zig/poster.zig (two
 * setPositions per update here, the last to (frame, 0, 0); it counts a request it finds lost at its
 * next update). The first of an update's own-entity transforms goes into the engine's
 * own-transform column, not the buffer (abi/kiln.h kiln_own_transform): the second is the record.
 */
class CommandCapacityTest {
    /** Bytes of one setPosition record. */
    private static final int TRANSFORM_BYTES = 32;
    /** Records the default buffer holds before it must grow. */
    private static final int DEFAULT_RECORDS = CommandBuffer.DEFAULT_CAPACITY_BYTES / TRANSFORM_BYTES;
    /** Instances posting in one phase: beyond the default buffer's records, by a margin. */
    private static final int POSTERS = 300_000;
    /** Requests each poster makes per update: one own transform, then one record. */
    private static final int POSTS_EACH = 2;
    private static final int FRAMES = 3;

    @Test
    void moreRequestsInOnePhaseThanTheDefaultBufferHoldsAreAllAppliedEveryFrame() {
        assertThat(POSTERS).isGreaterThan(DEFAULT_RECORDS);
        try (TestEngine t = new TestEngine()) {
            t.loadTest("poster.zig");
            World w = t.engine.world();
            long[] entities = new long[POSTERS];
            for (int i = 0; i < POSTERS; i++) {
                entities[i] = w.spawn();
                w.setVar(entities[i], "posts", new VarValue.I64(POSTS_EACH));
                t.engine.scripts().attach(entities[i], "poster", 0, null);
            }
            for (int f = 0; f < FRAMES; f++) {
                FrameStats stats = t.engine.step(TestEngine.DT);
                assertThat(stats.commandsApplied()).as("requests applied in frame %d", f).isEqualTo((long) POSTS_EACH * POSTERS);
                float x = f; // poster sets (frame index, 0, 0)
                for (int i = 0; i < POSTERS; i++) {
                    if (w.position(entities[i]).x() != x) {
                        throw new AssertionError("frame " + f + ": entity " + i + " is at " + w.position(entities[i])
                                + ", its request to (" + x + ", 0, 0) was not applied");
                    }
                }
            }
            assertThat(t.engine.scripts().commandBufferGrownTo())
                    .as("the buffer grew past its default instead of dropping")
                    .isGreaterThan(CommandBuffer.DEFAULT_CAPACITY_BYTES);
            assertThat(t.logs).as("no request dropped, refused or skipped").isEmpty();
        }
    }
}
