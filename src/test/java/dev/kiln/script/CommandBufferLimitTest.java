package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.kiln.abi.Layouts;
import dev.kiln.ecs.VarValue;
import dev.kiln.engine.EngineOptions;
import dev.kiln.testing.TestEngine;
import org.junit.jupiter.api.Test;

/**
 * A script that posts more requests than its quota gets BUFFER_FULL, not a crash. With a 64 KiB
 * buffer the default quota is lowered to what the buffer holds less the log reserve (61,440
 * bytes), so one instance always fits in a fresh buffer.
 */
class CommandBufferLimitTest {
    private static final int CAPACITY = 64 * 1024;
    private static final int QUOTA = CAPACITY - Layouts.LOG_RESERVE_BYTES;

    @Test
    void aFloodIsCappedAtItsQuotaAndReported() {
        try (TestEngine t = new TestEngine(EngineOptions.defaults().withCommandBufferBytes(CAPACITY))) {
            t.loadTest("api_tour.zig");
            long e = t.engine.world().spawn();
            ScriptInstance instance = t.engine.scripts().attach(e, "api_tour", 0, null);
            assertThat(instance.requestQuota()).isEqualTo(QUOTA);
            t.engine.world().setVar(e, "op", new VarValue.I64(22));
            t.step();
            long posted = (Long) StateFields.read(instance, "posted");
            // the first translate of its own entity is an own transform (abi/kiln.h
            // kiln_own_transform): no part of the quota, so one more than the quota's records
            assertThat(posted).isEqualTo(QUOTA / 32 + 1);
            // Every accepted translate was applied; the refused one changed nothing.
            assertThat(t.engine.world().position(e).x()).isCloseTo(posted * 0.001f, offset(1e-3f));
            assertThat(t.messages(LogEntry.Level.WARN))
                    .containsExactly("1 request refused this phase: over its request quota of " + QUOTA + " bytes");
        }
    }

    @Test
    void spawningWithoutBoundIsCappedPerPhaseByTheQuota() {
        try (TestEngine t = new TestEngine(EngineOptions.defaults().withCommandBufferBytes(CAPACITY))) {
            t.loadTest("api_tour.zig");
            long e = t.engine.world().spawn();
            ScriptInstance instance = t.engine.scripts().attach(e, "api_tour", 0, null);
            t.engine.world().setVar(e, "op", new VarValue.I64(24)); // spawn until refused, every frame
            for (int frame = 1; frame <= 3; frame++) {
                int before = t.engine.world().aliveCount();
                t.step();
                long posted = (Long) StateFields.read(instance, "posted");
                // A bare spawn is a 40-byte SPAWN_AT record: the quota stops the flood at 1,536 spawns, and every
                // accepted spawn became exactly one entity.
                assertThat(posted).isEqualTo(QUOTA / 40);
                assertThat(t.engine.world().aliveCount() - before).as("frame %d", frame).isEqualTo((int) posted);
            }
            assertThat(t.messages(LogEntry.Level.WARN)).hasSize(3)
                    .allMatch(m -> m.startsWith("1 request refused this phase: over its request quota of " + QUOTA));
            // Three flooding phases in a row: disabled as a fault.
            assertThat(instance.enabled()).isFalse();
            assertThat(instance.fault()).contains("request flood");
        }
    }
}
