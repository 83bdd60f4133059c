package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.kiln.ecs.VarValue;
import dev.kiln.engine.EngineOptions;
import dev.kiln.testing.TestEngine;
import org.junit.jupiter.api.Test;

/** A script that posts more requests than the buffer holds gets BUFFER_FULL, not a crash. */
class CommandBufferLimitTest {
    @Test
    void aFloodIsCappedAtTheBufferAndReported() {
        int capacity = 64 * 1024;
        try (TestEngine t = new TestEngine(EngineOptions.defaults().withCommandBufferBytes(capacity))) {
            t.loadTest("api_tour.zig");
            long e = t.engine.world().spawn();
            ScriptInstance instance = t.engine.scripts().attach(e, "api_tour", 0, null);
            t.engine.world().setVar(e, "op", new VarValue.I64(22));
            t.step();
            long posted = (Long) StateFields.read(instance, "posted");
            assertThat(posted).isBetween(capacity / 32L - 8, (long) capacity / 32);
            // Every accepted translate was applied; the refused ones changed nothing.
            assertThat(t.engine.world().position(e).x()).isCloseTo(posted * 0.001f, offset(1e-3f));
            assertThat(t.messages(LogEntry.Level.WARN)).anyMatch(m -> m.contains("requests dropped: the command buffer"));
        }
    }

    @Test
    void spawningWithoutBoundIsCappedPerPhaseByTheBuffer() {
        int capacity = 64 * 1024;
        try (TestEngine t = new TestEngine(EngineOptions.defaults().withCommandBufferBytes(capacity))) {
            t.loadTest("api_tour.zig");
            long e = t.engine.world().spawn();
            ScriptInstance instance = t.engine.scripts().attach(e, "api_tour", 0, null);
            t.engine.world().setVar(e, "op", new VarValue.I64(24)); // spawn until refused, every frame
            for (int frame = 1; frame <= 3; frame++) {
                int before = t.engine.world().aliveCount();
                t.step();
                long posted = (Long) StateFields.read(instance, "posted");
                // A spawn record is far larger than 8 bytes: the buffer stops the flood early,
                // and every accepted spawn became exactly one entity.
                assertThat(posted).isPositive().isLessThan(capacity / 64L);
                assertThat(t.engine.world().aliveCount() - before).as("frame %d", frame).isEqualTo((int) posted);
            }
            assertThat(t.messages(LogEntry.Level.WARN)).anyMatch(m -> m.contains("requests dropped: the command buffer"));
        }
    }
}
