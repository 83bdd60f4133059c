package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.World;
import dev.kiln.engine.EngineOptions;
import dev.kiln.testing.TestEngine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Compact signal batches and the room protocol: one dispatch round's handlers (signal_room.zig,
 * 24 translates each) post ten times what a 64 KiB command buffer holds (the updates' 36 KiB of
 * signals fit in it, so only the handlers can make it grow), so the handler loop
 * stops for room over and over and the engine grows the buffer and calls again from the delivery
 * it stopped at. Each instance's 30 deliveries of a frame share one quota (32 KiB: their
 * 720 translates and log lines fit in it). Every delivery must still run once, in delivery order, with every request
 * applied: the same log and the same positions as kiln_signal_delivery records in a roomy buffer.
 */
class SignalRoomTest {
    private static final int ENTITIES = 30;

    /** The log lines and x positions after three frames. */
    private record Run(List<String> lines, List<Float> xs, long grownTo, long compactCalls) {}

    private static Run run(int bufferBytes, boolean compact) {
        try (TestEngine t = new TestEngine(EngineOptions.defaults().withCommandBufferBytes(bufferBytes)
                .withRequestQuotaBytes(32 << 10).withFloodPhasesToDisable(1000))) {
            t.loadTest("signal_room.zig");
            t.engine.scripts().setCompactSignalBatches(compact);
            World w = t.engine.world();
            List<Long> entities = new ArrayList<>();
            for (int i = 0; i < ENTITIES; i++) {
                long e = w.spawn();
                w.setVar(e, "n", new VarValue.I64(ENTITIES));
                t.engine.scripts().attach(e, "signal_room", i % 3, null);
                entities.add(e);
            }
            t.run(3);
            List<Float> xs = entities.stream().map(e -> w.position(e).x()).toList();
            return new Run(t.logs.stream().map(l -> l.frame() + " " + l.level() + " " + l.message()).toList(), xs,
                    t.engine.scripts().commandBufferGrownTo(), t.engine.scripts().signals().compactCalls());
        }
    }

    @Test
    void aBatchThatStopsForRoomResumesWhereItStoppedAndLosesNothing() {
        Run tight = run(64 << 10, true);
        Run roomy = run(8 << 20, false);
        assertThat(tight.compactCalls()).as("compact batches ran").isPositive();
        assertThat(roomy.compactCalls()).isZero();
        assertThat(tight.grownTo()).as("the handlers made the buffer grow").isGreaterThan(64 << 10);
        // 30 senders x 30 receivers, two dispatching frames (the first frame's connects apply at its barrier)
        assertThat(tight.lines()).filteredOn(l -> l.contains(" fill ")).hasSizeGreaterThanOrEqualTo(2 * ENTITIES * ENTITIES);
        assertThat(tight.lines()).noneMatch(l -> l.contains("did not run") || l.contains("refused") || l.contains("ERROR"));
        assertThat(tight.lines()).isEqualTo(roomy.lines());
        assertThat(tight.xs()).isEqualTo(roomy.xs());
        assertThat(tight.xs()).allMatch(x -> x > 0.1f);
    }
}
