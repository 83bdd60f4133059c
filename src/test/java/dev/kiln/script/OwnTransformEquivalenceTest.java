package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.abi.CommandBuffer;
import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.World;
import dev.kiln.engine.EngineOptions;
import dev.kiln.testing.TestEngine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An update's first request, when it is a vec3 transform of its own entity, goes into the
 * engine's own-transform column (abi/kiln.h kiln_own_transform) instead of the command buffer;
 * the barrier must apply it exactly as the record it stands for. Real script:
 * src/test/zig/own_mixer.zig (own transforms alone, before and after records, refused, reported
 * at the barrier, on an entity another instance despawned first, discarded by a fault).
 */
class OwnTransformEquivalenceTest {
    private static final int ENTITIES = 48;
    private static final int FRAMES = 14;

    /** What a run leaves after each frame: every transform table, the live handles, the log. */
    private record Trace(List<String> frames, List<String> log) {}

    private static Trace run(boolean column) {
        try (TestEngine t = new TestEngine()) {
            t.engine.scripts().setOwnTransforms(column);
            t.loadTest("own_mixer.zig");
            World w = t.engine.world();
            long[] entities = new long[ENTITIES];
            for (int i = 0; i < ENTITIES; i++) entities[i] = w.spawn();
            for (int i = 0; i < ENTITIES; i++) {
                w.setVar(entities[i], "other", new VarValue.I64(entities[(i + 1) % ENTITIES]));
                if (i % 11 == 3) w.setVar(entities[i], "despawn_at", new VarValue.I64(4 + i % 3));
                if (i % 13 == 5) w.setVar(entities[i], "panic_at", new VarValue.I64(2 + i % 9));
                // two priorities interleave: canonical order is not attach order
                t.engine.scripts().attach(entities[i], "own_mixer", i % 3 == 0 ? -1 : 0, null);
            }
            List<String> frames = new ArrayList<>();
            for (int f = 0; f < FRAMES; f++) {
                t.step();
                frames.add("frame " + f + ": alive " + w.aliveHandles() + " positions " + Arrays.toString(w.rawPositions())
                        + " velocities " + Arrays.toString(w.rawVelocities()) + " scales " + Arrays.toString(w.rawScales())
                        + " applied " + t.engine.scripts().commandsApplied());
            }
            List<String> log = t.logs.stream().map(e -> e.frame() + " " + e.level() + " " + e.script() + " " + e.entity() + " " + e.message()).toList();
            return new Trace(frames, log);
        }
    }

    @Test
    void theColumnAndTheRecordsItStandsForLeaveTheSameWorldAndLog() {
        Trace records = run(false);
        Trace column = run(true);
        for (int f = 0; f < FRAMES; f++) assertThat(column.frames().get(f)).isEqualTo(records.frames().get(f));
        assertThat(column.log()).isEqualTo(records.log());
        // the mix really had its trouble: a refused request, an overflow, a stale target, a fault
        assertThat(String.join("\n", records.log())).contains("NotFinite", "NaN or infinite value refused", "is stale",
                "own_mixer: a fault after its requests");
    }

    /**
     * The column's witness: an own transform takes no part of the request quota (it takes no
     * buffer room), so with the smallest quota (two records) an update's three setPositions of
     * its own entity all land, where as three records the last is refused.
     */
    @Test
    void anOwnTransformIsNotCountedAgainstTheQuota() {
        for (boolean column : new boolean[] {false, true}) {
            try (TestEngine t = new TestEngine(EngineOptions.defaults().withRequestQuotaBytes(CommandBuffer.REQUEST_QUOTA_BYTES_MIN))) {
                t.engine.scripts().setOwnTransforms(column);
                t.loadTest("poster.zig"); // setPositions of its own entity: (frame + 0.5, 0, 0), the last (frame, 0, 0)
                long e = t.engine.world().spawn();
                t.engine.world().setVar(e, "posts", new VarValue.I64(3));
                t.engine.scripts().attach(e, "poster", 0, null);
                t.run(3);
                assertThat(t.engine.world().position(e).x()).as("column offered: %s", column).isEqualTo(column ? 2f : 2.5f);
            }
        }
    }
}
