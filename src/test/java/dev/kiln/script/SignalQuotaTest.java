package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.World;
import dev.kiln.engine.EngineOptions;
import dev.kiln.testing.TestEngine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A fair share for signals (docs/reliability.md, "Request quota"): an instance's request quota
 * holds across all its deliveries of a barrier's dispatch rounds, whichever path delivers them,
 * and signals past a sender's share of the signal queue are refused and charged to it. A
 * healthy script beside the flood gets every signal in the frame it sent it. Real scripts:
 * src/test/zig/self_flood.zig (a handler that feeds itself) and signal_tick.zig (the healthy one).
 */
class SignalQuotaTest {
    private static final int QUOTA = 64 << 10;
    private static final int EMIT_FEED = 40; // bytes of one EMIT_SIGNAL "feed" record: 32 + 4 of name, padded to 8
    private static final int FRAMES = 10;

    /** How the flooder's deliveries reach it. */
    enum Path { COMPACT_BATCHES, DELIVERY_RECORDS, JAVA_ROUTER, ISOLATED }

    /** A State count; 0 before its init ran. */
    private static long field(ScriptInstance i, String name) {
        if (i.stateMemory() == null) return 0;
        return ((Number) StateFields.read(i, name)).longValue();
    }

    private static ScriptInstance attach(TestEngine t, String script, long start, long per) {
        World w = t.engine.world();
        long e = w.spawn();
        w.setVar(e, "start", new VarValue.I64(start));
        w.setVar(e, "per", new VarValue.I64(per));
        return t.engine.scripts().attach(e, script, 0, null);
    }

    private static List<LogEntry> warningsOf(TestEngine t, ScriptInstance i, long frame) {
        return t.logs.stream().filter(l -> l.level() == LogEntry.Level.WARN && l.entity() == i.entity()
                && l.frame() == frame).toList();
    }

    /**
     * The audit's probe: 64 signals to itself per update, 100,000 more per delivery, beside a
     * script sending itself one per frame. Per flooding frame: the first delivery posts its
     * quota's worth (A = QUOTA / 40 signals), the other 63 have theirs refused by the engine
     * (what is left of the quota is less than one record), each stops at the SDK's refusal; the
     * A signals that went through are delivered in the next round with 16 bytes left as their
     * cmd_quota, so the SDK refuses each at once. Round 3 has nothing: the cascade ends.
     */
    @ParameterizedTest
    @EnumSource(Path.class)
    void aHandlerThatFeedsItselfHasOneQuotaPerBarrierAndItsNeighbourGetsEverySignal(Path path) {
        try (TestEngine t = new TestEngine(EngineOptions.defaults().withRequestQuotaBytes(QUOTA))) {
            if (path == Path.ISOLATED) t.loadIsolated(TestEngine.testScript("self_flood.zig"));
            else t.loadTest("self_flood.zig");
            t.loadTest("signal_tick.zig");
            if (path == Path.JAVA_ROUTER) t.engine.scripts().setNativeSignals(null);
            t.engine.scripts().setCompactSignalBatches(path != Path.DELIVERY_RECORDS);
            ScriptInstance flood = attach(t, "self_flood", 64, 100_000);
            ScriptInstance healthy = attach(t, "signal_tick", 0, 0);
            long a = QUOTA / EMIT_FEED;
            long perFrame = 63 * a + 64 + a;
            List<Long> refusedPerFrame = new ArrayList<>();
            for (int f = 1; f <= FRAMES; f++) {
                long deliveriesBefore = field(flood, "deliveries"), okBefore = field(flood, "ok");
                long fullBefore = field(flood, "full");
                t.step();
                long frame = t.engine.scripts().frameIndex();
                assertThat(field(healthy, "received")).as("the healthy script's signals after frame %d", f).isEqualTo(f);
                assertThat(field(healthy, "sent")).isEqualTo(f);
                assertThat(warningsOf(t, healthy, frame)).isEmpty();
                if (f > 3) {
                    assertThat(field(flood, "deliveries")).as("disabled: nothing delivered").isEqualTo(deliveriesBefore);
                    continue;
                }
                long deliveries = field(flood, "deliveries") - deliveriesBefore;
                long ok = field(flood, "ok") - okBefore, full = field(flood, "full") - fullBefore;
                assertThat(deliveries).as("round 1: its 64, round 2: its quota's worth").isEqualTo(64 + a);
                // Every signal it sent was refused by the SDK (full), delivered, or refused by the engine.
                long refused = full + ok - deliveries;
                assertThat(refused).isEqualTo(perFrame);
                List<LogEntry> named = warningsOf(t, flood, frame);
                assertThat(named).as("one warning naming it in frame %d", f).hasSize(1);
                assertThat(named.getFirst().script()).isEqualTo("self_flood");
                assertThat(named.getFirst().message()).startsWith(refused + " requests refused this phase: over its request quota of "
                        + QUOTA + " bytes");
                refusedPerFrame.add(refused);
            }
            assertThat(refusedPerFrame).containsOnly(perFrame).hasSize(3);
            assertThat(flood.enabled()).isFalse();
            assertThat(flood.fault()).contains("request flood").contains("3 consecutive phases");
            assertThat(healthy.enabled()).isTrue();
        }
    }

    /**
     * An update's signals in the signal lane (kiln_signal_lane) count against its quota as the
     * 40-byte records they stand for: 250 "feed" signals under a 4,000-byte quota, the first 100
     * delivered, the other 150 refused by the SDK and reported naming the instance, exactly as
     * with the lane turned off (every signal a record).
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void laneSignalsCountAgainstTheQuotaAsTheirRecords(boolean lane) {
        int quota = 4000;
        try (TestEngine t = new TestEngine(EngineOptions.defaults().withRequestQuotaBytes(quota))) {
            t.loadTest("self_flood.zig");
            t.engine.scripts().setSignalLane(lane);
            ScriptInstance flood = attach(t, "self_flood", 250, 0);
            for (int f = 1; f <= 2; f++) {
                long deliveries = field(flood, "deliveries"), ok = field(flood, "ok"), full = field(flood, "full");
                t.step();
                long frame = t.engine.scripts().frameIndex();
                assertThat(field(flood, "ok") - ok).isEqualTo(quota / EMIT_FEED);
                assertThat(field(flood, "full") - full).as("refused at the first refusal, per update").isEqualTo(1);
                assertThat(field(flood, "deliveries") - deliveries).isEqualTo(quota / EMIT_FEED);
                List<LogEntry> named = warningsOf(t, flood, frame);
                assertThat(named).as("one warning naming it in frame %d", f).hasSize(1);
                assertThat(named.getFirst().message()).startsWith("1 request refused this phase: over its request quota of "
                        + quota + " bytes");
            }
            // the update's signals went through the lane (each part taken in Java: refusals to report)
            assertThat(t.engine.scripts().signals().lane().used()).as("lane entries of the last update").isEqualTo(lane ? quota / EMIT_FEED : 0);
        }
    }

    /**
     * Sixty senders of 20,000 signals each in one phase, more than the queue's shared part: the
     * first 49 fill it with 980,000, the 50th gets 3,040 in, the other ten their first 256
     * each from the kept part. The rest is refused and charged to each, exactly; the healthy
     * script, sending one after all of them, gets it delivered every frame.
     */
    @Test
    void signalsPastASendersShareOfTheQueueAreChargedToItNeverToANeighbour() {
        int senders = 60, each = 20_000;
        try (TestEngine t = new TestEngine()) {
            t.loadTest("self_flood.zig");
            t.loadTest("signal_tick.zig");
            List<ScriptInstance> floods = new ArrayList<>();
            for (int k = 0; k < senders; k++) floods.add(attach(t, "self_flood", each, 0));
            ScriptInstance healthy = attach(t, "signal_tick", 0, 0);
            int shared = SignalBus.QUEUED_SIGNALS_MAX - SignalBus.KEPT_SIGNALS;
            for (int f = 1; f <= 3; f++) {
                long[] before = floods.stream().mapToLong(i -> field(i, "deliveries")).toArray();
                t.step();
                long frame = t.engine.scripts().frameIndex();
                assertThat(field(healthy, "received")).as("the healthy script's signals after frame %d", f).isEqualTo(f);
                for (int k = 0; k < senders; k++) {
                    ScriptInstance i = floods.get(k);
                    long inShared = Math.clamp(shared - (long) k * each, 0, each);
                    long queued = inShared > 0 ? inShared : SignalBus.SMALL_SENDER_SIGNALS;
                    assertThat(field(i, "deliveries") - before[k]).as("signals of sender %d delivered", k).isEqualTo(queued);
                    List<LogEntry> named = warningsOf(t, i, frame);
                    if (queued == each) {
                        assertThat(named).as("sender %d within its share", k).isEmpty();
                    } else {
                        assertThat(named).as("sender %d named once", k).hasSize(1);
                        assertThat(named.getFirst().message()).startsWith((each - queued)
                                + " signals refused this phase: past its share of the signal queue");
                    }
                }
            }
            for (int k = 0; k < senders; k++) {
                boolean flooded = shared - (long) k * each < each;
                assertThat(floods.get(k).enabled()).as("sender %d", k).isEqualTo(!flooded);
            }
            assertThat(healthy.enabled()).isTrue();
        }
    }
}
