package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.dataplane.NativeSignals;
import dev.kiln.ecs.Entities;
import dev.kiln.ecs.Status;
import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.World;
import dev.kiln.testing.TestEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * The native signal router (native/kiln_signals.c), with compact batches (kiln_signal_batch) and
 * with kiln_signal_delivery records, and the Java one must be indistinguishable: three engines
 * run the same random signal traffic (signal_mix.zig in two libraries: targeted
 * signals to live, stale and never-used handles, broadcasts, names with no receiver, connections
 * limited to one sender, replies that cascade over dispatch rounds, despawns by scripts, handlers
 * that fail or fault) while
 * the test changes the same things in both between frames (disables, re-enables, priorities,
 * detaches, attaches, despawns that leave scripts behind, new entities reusing indices); every
 * frame both must have logged the same lines (deliveries show in their handlers' lines, in
 * delivery order) and left the same entities alive.
 *
 * <p>A second property runs rounds that one library receives whole (one script library, no
 * broadcasts): there the native router routes and writes the batch in one pass
 * (kiln_signal_route_batch, with the one-line entity routes), and an engine with that pass off
 * (route, then write) and the Java router must log the same.
 *
 * <p>The signal lane (kiln_signal_lane): the script's short signals ("c", "d", "e") go into its
 * update call's lane until the hook's first record, the rest as records. The reference engine of
 * the first property is offered no lane (every signal a record, the Java router); the others take
 * the lane's parts at their instances' ranges (natively, or in Java where the native pass stops,
 * and every part in Java with the Java router of the second property). Two more properties run
 * updates that post nothing but lane signals (signal_quiet.zig), whose lane is held past the barrier: one
 * library (routed from the lane in place, kiln_signal_route_lane, against records and against the
 * held lane queued for the two-pass router) and two libraries (the lane route gives up on a round
 * two libraries receive and the held lane is queued for the general path). A lane round routes
 * its common entries from their entity route's line alone while every route handle is known live
 * (every other try of laneRoundsAgree turns that off, so both kinds run).
 */
class NativeSignalEquivalenceTest {
    private static final int ENTITIES = 12;
    private static final int FRAMES = 24;
    private static final String[] SCRIPTS = {"signal_mix", "signal_mix_b"};
    /** The same traffic "quiet": short signals only, so each phase's lane is all its batch left. */
    private static final String[] QUIET = {"signal_quiet", "signal_quiet_b"};
    private static final Pattern HANDLER_EXPORT = Pattern.compile("kiln_script_signal(_batch|_lane)?( \\+ 0x[0-9a-f]+)?");

    /** One engine and the instances it attached, in attach order. */
    private static final class Side implements AutoCloseable {
        final TestEngine t = new TestEngine();
        final List<ScriptInstance> attached = new ArrayList<>();

        final String[] scripts;
        final boolean broadcasts;

        Side(boolean nativeRouting, boolean compact, boolean lane) {
            this(nativeRouting, compact, lane, SCRIPTS, true);
        }

        Side(boolean nativeRouting, boolean compact, boolean lane, String[] scripts, boolean broadcasts) {
            this.scripts = scripts;
            this.broadcasts = broadcasts;
            for (String s : scripts) t.loadTest(s + ".zig");
            if (!nativeRouting) t.engine.scripts().setNativeSignals(null);
            t.engine.scripts().setCompactSignalBatches(compact);
            t.engine.scripts().setSignalLane(lane);
        }

        /** The script at {@code pick} (0 or 1) of the test's two; the first when this side loads one library. */
        String script(int pick) {
            return scripts[pick % scripts.length];
        }

        World world() {
            return t.engine.world();
        }

        ScriptRuntime runtime() {
            return t.engine.scripts();
        }

        /** The log; a fault's backtrace names the export the handler ran in, which is the same either way. */
        List<String> lines() {
            return t.logs.stream().map(l -> l.frame() + " " + l.level() + " " + l.script() + " "
                    + Entities.format(l.entity()) + " " + HANDLER_EXPORT.matcher(l.message()).replaceAll("kiln_script_signal"))
                    .toList();
        }

        @Override
        public void close() {
            t.close();
        }
    }

    private static final AtomicInteger TRIES_WITH_FAULTS = new AtomicInteger(), TRIES_WITH_FAILURES = new AtomicInteger();
    /** Tries in which a quiet update faulted after its lane signals (the call resumed after it). */
    private static final AtomicInteger TRIES_WITH_UPDATE_FAULTS = new AtomicInteger();
    /** One-pass rounds of the compact engine whose targets were known live (the liveness tables skipped), and the others. */
    private static final AtomicLong KNOWN_LIVE_ROUNDS = new AtomicLong(), CHECKED_ROUNDS = new AtomicLong();
    /** Held lanes whose round the lane route gave up on (two libraries receiving), over all tries. */
    private static final AtomicLong LANE_FALLBACKS = new AtomicLong();
    private static final AtomicInteger LANE_TRIES = new AtomicInteger();
    /** Lane rounds routed with the entity routes' handles known live, and with the world's liveness read. */
    private static final AtomicLong KNOWN_LIVE_LANE_ROUNDS = new AtomicLong(), CHECKED_LANE_ROUNDS = new AtomicLong();

    @AfterContainer
    static void handlersFailedAndFaultedInSomeTries() {
        assertThat(TRIES_WITH_FAULTS.get()).as("tries in which a handler faulted").isPositive();
        assertThat(TRIES_WITH_FAILURES.get()).as("tries in which a handler failed").isPositive();
        assertThat(TRIES_WITH_UPDATE_FAULTS.get()).as("tries in which an update faulted after its lane signals").isPositive();
        // both kinds of one-pass round ran: targets known live (nothing despawned since they were
        // queued) and targets checked again (a despawn in between, as case 4 of change makes)
        assertThat(KNOWN_LIVE_ROUNDS.get()).as("one-pass rounds with targets known live").isPositive();
        assertThat(CHECKED_ROUNDS.get()).as("one-pass rounds whose targets were checked again").isPositive();
        assertThat(LANE_FALLBACKS.get()).as("lane rounds routed the general way").isPositive();
        assertThat(KNOWN_LIVE_LANE_ROUNDS.get()).as("lane rounds with the route handles known live").isPositive();
        assertThat(CHECKED_LANE_ROUNDS.get()).as("lane rounds with the world's liveness read").isPositive();
    }

    @Property(tries = 12)
    void nativeAndJavaRoutingAgree(@ForAll long seed) {
        try (Side java = new Side(false, false, false); Side nat = new Side(true, true, true);
                Side classic = new Side(true, false, true)) {
            play(seed, java, nat, classic);
            assertThat(java.runtime().signals().nativeRounds()).isZero();
            assertThat(nat.runtime().signals().nativeRounds()).as("rounds routed natively").isPositive();
            assertThat(nat.runtime().signals().compactCalls()).as("compact batch calls").isPositive();
            assertThat(classic.runtime().signals().compactCalls()).isZero();
            assertThat(nat.lines()).as("lane signals were delivered").anyMatch(l -> l.contains(" d ") && l.contains(" from "));
        }
    }

    /** A sample that once made the compact router drop a broadcast's deliveries: kept as a fixed case. */
    @Example
    void aBroadcastAfterChangesReachesEveryReceiver() {
        nativeAndJavaRoutingAgree(4026870L);
    }

    @Property(tries = 8)
    void onePassRoundsAgree(@ForAll long seed) {
        String[] one = {SCRIPTS[0]};
        try (Side java = new Side(false, false, true, one, false); Side onePass = new Side(true, true, true, one, false);
                Side twoPass = new Side(true, true, false, one, false)) {
            twoPass.runtime().signals().setOnePassRounds(false);
            play(seed, java, onePass, twoPass);
            assertThat(onePass.runtime().signals().onePassRounds()).as("rounds routed and written in one pass").isPositive();
            assertThat(twoPass.runtime().signals().onePassRounds()).isZero();
            assertThat(twoPass.runtime().signals().compactCalls()).as("compact batch calls").isPositive();
        }
    }

    /** Rounds of lane signals only, one library: routed from the lane in place, against records and the queued lane. */
    @Property(tries = 8)
    void laneRoundsAgree(@ForAll long seed) {
        String[] one = {QUIET[0]};
        try (Side records = new Side(false, false, false, one, false); Side lane = new Side(true, true, true, one, false);
                Side queued = new Side(true, true, true, one, false)) {
            queued.runtime().signals().setOnePassRounds(false);
            // every other try reads the world's liveness for every entry instead of trusting route handles
            lane.runtime().signals().setTrustRouteHandles(LANE_TRIES.getAndIncrement() % 2 == 0);
            play(seed, records, lane, queued);
            assertThat(lane.runtime().signals().laneRounds()).as("rounds routed from the lane").isPositive();
            assertThat(lane.runtime().lanesTakenAfterApply()).as("lanes held past their apply").isPositive();
            assertThat(queued.runtime().signals().laneRounds()).isZero();
            assertThat(queued.runtime().lanesTakenAfterApply()).as("lanes held, then queued").isPositive();
            assertThat(records.runtime().lanesTakenAfterApply()).isZero();
            long knownLive = lane.runtime().signals().knownLiveLaneRounds();
            KNOWN_LIVE_LANE_ROUNDS.addAndGet(knownLive);
            CHECKED_LANE_ROUNDS.addAndGet(lane.runtime().signals().laneRounds() - knownLive);
        }
    }

    /** Rounds of lane signals only, two libraries: the lane route gives up on rounds both receive, the lane is queued. */
    @Property(tries = 6)
    void laneRoundsOfTwoLibrariesFallBack(@ForAll long seed) {
        try (Side records = new Side(false, false, false, QUIET, false); Side lane = new Side(true, true, true, QUIET, false);
                Side classic = new Side(true, false, true, QUIET, false)) {
            play(seed, records, lane, classic);
            assertThat(lane.runtime().lanesTakenAfterApply()).as("lanes held past their apply").isPositive();
            // a round two libraries receive is most frames' but not certain in every try: witnessed over all
            LANE_FALLBACKS.addAndGet(lane.runtime().signals().laneFallbacks());
        }
    }

    /** FRAMES frames of the same random setup and changes in the three engines, compared every frame. */
    private static void play(long seed, Side java, Side nat, Side classic) {
        {
            assertThat(NativeSignals.active()).as("the native router builds and loads").isNotNull();
            Random setup = new Random(seed);
            for (int i = 0; i < ENTITIES; i++) {
                long from = setup.nextInt(3) == 0 ? ((1L << 32) | setup.nextInt(ENTITIES)) : 0;
                int scripts = 1 + setup.nextInt(2);
                int[] priorities = {setup.nextInt(5) - 2, setup.nextInt(5) - 2};
                for (Side side : new Side[] {java, nat, classic}) {
                    long e = side.world().spawn();
                    side.world().setVar(e, "n", new VarValue.I64(ENTITIES));
                    side.world().setVar(e, "seed", new VarValue.I64(seed));
                    if (from != 0) side.world().setVar(e, "from", new VarValue.I64(from));
                    if (!side.broadcasts) side.world().setVar(e, "broadcasts", new VarValue.I64(0));
                    for (int k = 0; k < scripts; k++) {
                        side.attached.add(side.runtime().attach(e, side.script(i + k), priorities[k], null)); // one-script entities alternate libraries
                    }
                }
            }
            for (int frame = 0; frame < FRAMES; frame++) {
                long changeSeed = setup.nextLong();
                for (Side side : new Side[] {java, nat, classic}) {
                    change(side, new Random(changeSeed));
                    side.t.step();
                }
                assertThat(nat.lines()).as("frame %d, compact batches (%s)", frame, nat.scripts.length).isEqualTo(java.lines());
                assertThat(classic.lines()).as("frame %d, the third engine (%s)", frame, classic.scripts.length)
                        .isEqualTo(java.lines());
                for (int i = 0; i < ENTITIES + 4; i++) {
                    long h = (1L << 32) | i;
                    assertThat(nat.world().isAlive(h)).isEqualTo(java.world().isAlive(h));
                    assertThat(classic.world().isAlive(h)).isEqualTo(java.world().isAlive(h));
                }
            }
            assertThat(java.lines()).as("signals were delivered").anyMatch(l -> l.contains(" from "));
            // Failures and faults are rare per delivery: witnessed over all tries, not each.
            if (java.lines().stream().anyMatch(l -> l.contains("fault contained: panic: signal_mix"))) TRIES_WITH_FAULTS.incrementAndGet();
            if (java.lines().stream().anyMatch(l -> l.contains("onSignal returned error.ScriptFailed"))) TRIES_WITH_FAILURES.incrementAndGet();
            if (java.lines().stream().anyMatch(l -> l.contains("an update faults after its signals"))) TRIES_WITH_UPDATE_FAULTS.incrementAndGet();
            long knownLive = nat.runtime().signals().knownLiveRounds();
            KNOWN_LIVE_ROUNDS.addAndGet(knownLive);
            CHECKED_ROUNDS.addAndGet(nat.runtime().signals().onePassRounds() - knownLive);
        }
    }

    /** The same random change in both engines (instances are picked by attach order). */
    private static void change(Side side, Random r) {
        ScriptRuntime rt = side.runtime();
        int n = side.attached.size();
        ScriptInstance some = side.attached.get(r.nextInt(n));
        switch (r.nextInt(8)) {
            case 0 -> rt.setEnabled(some, !some.enabled());
            case 1 -> rt.setPriority(some, r.nextInt(7) - 3);
            case 2 -> rt.detach(some);
            case 3 -> { // a new entity, maybe at a despawned index: old handles to it stay stale
                long e = side.world().spawn();
                side.world().setVar(e, "n", new VarValue.I64(ENTITIES));
                if (!side.broadcasts) side.world().setVar(e, "broadcasts", new VarValue.I64(0));
                side.attached.add(rt.attach(e, side.script(r.nextInt(2)), r.nextInt(3), null));
            }
            case 4 -> { // World.despawn leaves the scripts under the index: they must not receive for a new entity
                long e = some.entity();
                if (side.world().isAlive(e)) {
                    // queued while the target lives, despawned before the round: the round must check
                    // its targets again (the one pass skips that only when nothing was despawned since)
                    assertThat(rt.emitFromHost("a.medium", new byte[] {1, 0, 0, 0}, e)).isEqualTo(Status.OK);
                    side.world().despawn(e);
                }
            }
            default -> { } // a quiet frame
        }
    }
}
