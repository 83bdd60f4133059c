package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.ecs.Entities;
import dev.kiln.ecs.VarValue;
import dev.kiln.testing.TestEngine;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Lane rounds on the lane route's common path: entities in a ring, each running lane_relay.zig
 * or lane_relay_b.zig (one script, one connection: one line of the engine's entity routes each),
 * each update sending "r" to the next entity through the signal lane and posting nothing else, so
 * every phase's lane is held for the dispatch. An engine offered the lane must log exactly what
 * one without it logs (every signal a record, routed the general way), frame by frame, and the
 * two libraries' handlers tag their lines, so a delivery run by the other library's code shows.
 */
class LaneRelayTest {
    private static final int FRAMES = 6;
    private static final String[] LIBRARIES = {"lane_relay", "lane_relay_b"};

    /**
     * An engine with the ring attached: entity i runs LIBRARIES[libraryOf[i]] and sends to entity
     * i + 1; the entity at {@code forger} (-1: none) also sends "r" to the null entity. With
     * {@code bystander}, an entity without a script is spawned first (index 0: a zero route line).
     */
    private static TestEngine ring(boolean lane, int[] libraryOf, int forger, boolean bystander) {
        TestEngine t = new TestEngine();
        for (String library : LIBRARIES) t.loadTest(library + ".zig");
        t.engine.scripts().setSignalLane(lane);
        if (bystander) t.engine.world().spawn();
        long[] entities = new long[libraryOf.length];
        for (int i = 0; i < entities.length; i++) entities[i] = t.engine.world().spawn();
        for (int i = 0; i < entities.length; i++) {
            t.engine.world().setVar(entities[i], "to", new VarValue.I64(entities[(i + 1) % entities.length]));
            t.engine.world().setVar(entities[i], "forge", new VarValue.I64(i == forger ? 1 : 0));
            t.engine.scripts().attach(entities[i], LIBRARIES[libraryOf[i]], 0, null);
        }
        return t;
    }

    private static List<String> lines(TestEngine t) {
        return t.logs.stream().map(l -> l.frame() + " " + l.level() + " " + l.script() + " " + Entities.format(l.entity())
                + " " + l.message()).toList();
    }

    /** Runs the ring with and without the lane, comparing every frame's log, and checks which kind of round ran. */
    private static void compare(int[] libraryOf, boolean oneLibrary) {
        compare(libraryOf, -1, false, oneLibrary);
    }

    private static void compare(int[] libraryOf, int forger, boolean bystander, boolean oneLibrary) {
        try (TestEngine records = ring(false, libraryOf, forger, bystander);
                TestEngine lane = ring(true, libraryOf, forger, bystander)) {
            for (int frame = 0; frame < FRAMES; frame++) {
                records.step();
                lane.step();
                assertThat(lines(lane)).as("frame %d", frame).isEqualTo(lines(records));
            }
            assertThat(lines(records)).as("deliveries logged").anyMatch(l -> l.contains(" from "));
            ScriptRuntime rt = lane.engine.scripts();
            assertThat(rt.lanesTakenAfterApply()).as("lanes held for the dispatch").isPositive();
            if (oneLibrary) {
                assertThat(rt.signals().laneRounds()).as("rounds routed from the lane in place").isPositive();
                assertThat(rt.signals().knownLiveLaneRounds()).as("with the route handles known live").isPositive();
            } else {
                assertThat(rt.signals().laneFallbacks()).as("lane rounds given up and routed the general way")
                        .isPositive();
            }
        }
    }

    @Test
    void aRoundOfOneLibraryIsRoutedFromTheLaneAsRecordsWouldBe() {
        compare(new int[] {0, 0, 0, 0, 0, 0, 0, 0}, true);
    }

    /**
     * A lane entry to the null entity, written into the lane as a library not using the SDK's
     * emitSignal could, behind a delivered one: the engine takes it as the broadcast its record
     * would be, as when it is a record. The index-0 entity has no script, so its route line is
     * all zeros: the route's common loop must not take the null handle for that line's.
     */
    @Test
    void aNullTargetInTheLaneIsTheBroadcastItsRecordIs() {
        try (TestEngine records = ring(false, new int[] {0, 0, 0, 0, 0, 0}, 2, true)) {
            for (int frame = 0; frame < 2; frame++) records.step();
            assertThat(lines(records)).as("the broadcast reached the ring").anyMatch(l -> l.contains(" from 3 to 0,"));
        }
        compare(new int[] {0, 0, 0, 0, 0, 0}, 2, true, false);
    }

    @Test
    void aRoundTwoLibrariesReceiveRunsEveryDeliveryInItsOwnLibrary() {
        // the first part's delivery sets the round's library; the next part's target is the other's
        compare(new int[] {0, 1, 0, 1, 0, 1, 1, 0}, false);
    }
}
