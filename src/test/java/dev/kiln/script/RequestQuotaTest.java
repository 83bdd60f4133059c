package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.abi.CommandBuffer;
import dev.kiln.abi.Layouts;
import dev.kiln.ecs.Status;
import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.World;
import dev.kiln.engine.EngineOptions;
import dev.kiln.scene.SceneLoader;
import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The request quota (docs/reliability.md, "Request quota"): one instance flooding the command
 * buffer has only its own excess refused, is named with the exact count, and is disabled after
 * consecutive flooding phases; no other instance's request is ever refused because of it.
 * Real scripts: src/test/zig/flooder.zig, poster.zig, src/test/c/c_flood.c.
 */
class RequestQuotaTest {
    private static final int TRANSFORM = 32; // bytes of one setPosition/translate record
    /**
     * An update's first setPosition of its own entity goes into the own-transform column, not the
     * buffer, and is no part of the quota (abi/kiln.h kiln_own_transform): one more accepted.
     */
    private static final int OWN_TRANSFORM = 1;

    private static Path cScript(String file) {
        return TestEngine.home().resolve("src/test/c").resolve(file);
    }

    /** A flooder (priority 0) posting {@code count} setPosition in frames [from, to]. */
    private static ScriptInstance flooder(TestEngine t, long from, long to, long count) {
        World w = t.engine.world();
        long e = w.spawn();
        w.setVar(e, "from", new VarValue.I64(from));
        w.setVar(e, "to", new VarValue.I64(to));
        w.setVar(e, "count", new VarValue.I64(count));
        return t.engine.scripts().attach(e, "flooder", 0, null);
    }

    private static ScriptInstance poster(TestEngine t, int priority, long posts) {
        World w = t.engine.world();
        long e = w.spawn();
        w.setVar(e, "posts", new VarValue.I64(posts));
        return t.engine.scripts().attach(e, "poster", priority, null);
    }

    private static long field(ScriptInstance i, String name) {
        return ((Number) StateFields.read(i, name)).longValue();
    }

    private static List<LogEntry> warningsOf(TestEngine t, ScriptInstance i) {
        return t.logs.stream().filter(l -> l.level() == LogEntry.Level.WARN && l.script().equals(i.scriptName())
                && l.entity() == i.entity()).toList();
    }

    private static void assertHealthy(ScriptInstance poster) {
        assertThat(field(poster, "refused")).as("refused requests of %s", poster).isZero();
        assertThat(field(poster, "lost")).as("lost requests of %s", poster).isZero();
    }

    /** The flood-crowd case: 2 million setPosition in one update beside a healthy script. */
    @Test
    void aFloodHasOnlyItsOwnExcessRefusedAndIsNamedWithTheExactCount() {
        try (TestEngine t = new TestEngine()) {
            t.loadTest("flooder.zig");
            t.loadTest("poster.zig");
            ScriptInstance flood = flooder(t, 3, 3, 2_000_000);
            ScriptInstance poster = poster(t, 5, 1);
            t.run(8);

            int quota = t.engine.scripts().requestQuotaOf("flooder");
            assertThat(quota).isEqualTo(CommandBuffer.DEFAULT_REQUEST_QUOTA_BYTES);
            long accepted = quota / TRANSFORM + OWN_TRANSFORM, refused = 2_000_000 - accepted;
            assertThat(field(flood, "ok")).isEqualTo(accepted);
            assertThat(field(flood, "full")).isEqualTo(refused);
            assertHealthy(poster);
            assertThat(field(poster, "updates")).isEqualTo(8);

            // One warning, in the flooding frame, naming script and entity, with the exact count.
            List<LogEntry> warnings = warningsOf(t, flood);
            assertThat(warnings).hasSize(1);
            assertThat(warnings.getFirst().frame()).isEqualTo(3L);
            assertThat(warnings.getFirst().message()).isEqualTo(refused
                    + " requests refused this phase: over its request quota of " + quota + " bytes");
            // Its own log line after the flood is not lost, and nothing else was dropped.
            assertThat(t.logsOf("flooder")).anyMatch(l -> l.message().equals(
                    "flood done: " + accepted + " accepted, " + refused + " refused"));
            assertThat(t.messages(LogEntry.Level.WARN)).hasSize(1);
            assertThat(t.messages(LogEntry.Level.ERROR)).isEmpty();
            assertThat(flood.enabled()).isTrue(); // one flooding phase is a warning, not a fault
            assertThat(t.engine.world().position(flood.entity()).x()).isEqualTo((accepted - 1) % 1000);
        }
    }

    @Test
    void aRefusedRequestThatEndsTheUpdateIsCountedOnceAndItsErrorLineIsKept() {
        try (TestEngine t = new TestEngine(EngineOptions.defaults().withRequestQuotaBytes(4096))) {
            t.loadTest("flooder.zig");
            ScriptInstance flood = flooder(t, 1, 1, 1000);
            t.engine.world().setVar(flood.entity(), "end_with_try", new VarValue.Bool(true));
            t.run(3);

            long accepted = 4096 / TRANSFORM + OWN_TRANSFORM;
            assertThat(field(flood, "full")).isEqualTo(1000 - accepted);
            // The uncaught one is refused too: counted once, and the SDK's error line is there.
            assertThat(warningsOf(t, flood)).singleElement().extracting(LogEntry::message)
                    .isEqualTo((1000 - accepted + 1) + " requests refused this phase: over its request quota of 4096 bytes");
            assertThat(t.logsOf("flooder")).anyMatch(l -> l.level() == LogEntry.Level.ERROR
                    && l.message().equals("update returned error.BufferFull"));
            assertThat(t.logsOf("flooder")).anyMatch(l -> l.message().startsWith("flood done: " + accepted + " accepted"));
            assertThat(t.messages(LogEntry.Level.WARN)).noneMatch(m -> m.contains("dropped"));
        }
    }

    @Test
    void aFlooderIsDisabledAfterConsecutiveFloodingPhases() {
        try (TestEngine t = new TestEngine(EngineOptions.defaults().withRequestQuotaBytes(4096).withFloodPhasesToDisable(3))) {
            t.loadTest("flooder.zig");
            t.loadTest("poster.zig");
            ScriptInstance intermittent = flooder(t, 2, 2, 1000); // floods once: warned only
            ScriptInstance flood = flooder(t, 2, 100, 1000);
            ScriptInstance poster = poster(t, 5, 1);
            t.run(10);

            List<LogEntry> warnings = warningsOf(t, flood);
            assertThat(warnings).extracting(LogEntry::frame).containsExactly(2L, 3L, 4L);
            assertThat(warnings.get(0).message()).isEqualTo((1000 - 4096 / TRANSFORM - OWN_TRANSFORM)
                    + " requests refused this phase: over its request quota of 4096 bytes");
            assertThat(warnings.get(2).message()).endsWith("(3 phases in a row)");
            assertThat(flood.enabled()).isFalse();
            assertThat(flood.fault()).isEqualTo("request flood: over its request quota in 3 consecutive phases");
            assertThat(field(flood, "floods")).isEqualTo(3); // it did not run after frame 4
            assertThat(t.logsOf("flooder")).filteredOn(l -> l.level() == LogEntry.Level.ERROR).singleElement()
                    .satisfies(l -> {
                        assertThat(l.entity()).isEqualTo(flood.entity());
                        assertThat(l.frame()).isEqualTo(4L);
                        assertThat(l.message()).isEqualTo("fault contained: request flood: over its request quota in 3"
                                + " consecutive phases; this instance is disabled until the script is reloaded");
                    });
            assertThat(warningsOf(t, intermittent)).hasSize(1);
            assertThat(intermittent.enabled()).isTrue();
            assertHealthy(poster);
            assertThat(field(poster, "updates")).isEqualTo(10);
        }
    }

    /**
     * 2,000 healthy instances and one flooder among them, 50 frames, in a buffer far too small
     * for all of it: the buffer grows as instances need room, and no healthy request is refused.
     */
    @Test
    void aFlooderAmongTwoThousandHealthyInstancesGetsNoHealthyRequestRefused() {
        int initial = 256 << 10;
        try (TestEngine t = new TestEngine(EngineOptions.defaults().withCommandBufferBytes(initial)
                .withRequestQuotaBytes(64 << 10).withFloodPhasesToDisable(1000))) {
            t.loadTest("flooder.zig");
            t.loadTest("poster.zig");
            List<ScriptInstance> healthy = new ArrayList<>();
            // five requests each: the first is an own transform (abi/kiln.h kiln_own_transform), not
            // a record, so the healthy records alone (2,000 x 4 x 32 bytes) fill the initial buffer
            for (int k = 0; k < 1000; k++) healthy.add(poster(t, -1, 5)); // before the flooder
            ScriptInstance flood = flooder(t, 0, 1000, 10_000);
            for (int k = 0; k < 1000; k++) healthy.add(poster(t, 1, 5)); // after it
            t.run(50);

            for (ScriptInstance h : healthy) {
                assertHealthy(h);
                assertThat(field(h, "updates")).isEqualTo(50);
            }
            long refusedPerFrame = 10_000 - (64 << 10) / TRANSFORM - OWN_TRANSFORM;
            assertThat(warningsOf(t, flood)).hasSize(50).allSatisfy(l -> assertThat(l.message())
                    .startsWith(refusedPerFrame + " requests refused this phase: over its request quota of 65536 bytes"));
            assertThat(t.engine.scripts().commandBufferGrownTo()).isGreaterThan(initial);
            assertThat(t.messages(LogEntry.Level.WARN)).noneMatch(m -> m.contains("dropped") || m.contains("did not run"));
        }
    }

    /**
     * The figure in docs/reliability.md: a flooder (10,000 requests a frame over a 64 KiB quota)
     * among 10,000 healthy instances for 1,000 frames: no healthy request refused or lost.
     */
    @Test
    void aFlooderAmongTenThousandHealthyInstancesForAThousandFramesCostsThemNothing() {
        try (TestEngine t = new TestEngine(EngineOptions.defaults().withRequestQuotaBytes(64 << 10)
                .withFloodPhasesToDisable(Integer.MAX_VALUE))) {
            t.loadTest("flooder.zig");
            t.loadTest("poster.zig");
            List<ScriptInstance> healthy = new ArrayList<>();
            for (int k = 0; k < 5000; k++) healthy.add(poster(t, -1, 4));
            ScriptInstance flood = flooder(t, 0, 1000, 10_000);
            for (int k = 0; k < 5000; k++) healthy.add(poster(t, 1, 4));
            t.run(1000);
            for (ScriptInstance h : healthy) {
                assertHealthy(h);
                assertThat(field(h, "updates")).isEqualTo(1000);
            }
            assertThat(warningsOf(t, flood)).hasSize(1000);
        }
    }

    @Test
    void aCScriptFollowingTheHeaderHasItsExcessRefusedAndCounted() {
        cScriptFlood(false);
    }

    @Test
    void anIsolatedCScriptFollowingTheHeaderHasItsExcessRefusedAndCounted() {
        cScriptFlood(true);
    }

    private static void cScriptFlood(boolean isolated) {
        try (TestEngine t = new TestEngine(EngineOptions.defaults().withFloodPhasesToDisable(1000))) {
            if (isolated) t.loadIsolated(cScript("c_flood.c"));
            else t.load(cScript("c_flood.c"));
            t.loadTest("poster.zig");
            World w = t.engine.world();
            ScriptInstance flood = t.engine.scripts().attach(w.spawn(), "c_flood", 0, null);
            ScriptInstance poster = poster(t, 5, 1);
            t.run(3);

            long accepted = CommandBuffer.DEFAULT_REQUEST_QUOTA_BYTES / TRANSFORM, refused = 100_000 - accepted;
            assertThat(field(flood, "ok")).isEqualTo(accepted);
            assertThat(field(flood, "full")).isEqualTo(refused);
            assertThat(warningsOf(t, flood)).hasSize(3).allSatisfy(l -> assertThat(l.message()).startsWith(refused
                    + " requests refused this phase: over its request quota of " + CommandBuffer.DEFAULT_REQUEST_QUOTA_BYTES));
            assertHealthy(poster);
            assertThat(w.position(flood.entity()).x()).isCloseTo(3 * accepted * 0.001f, Offset.offset(1f));
        }
    }

    /** A script that ignores its quota (scripts are untrusted): the engine refuses what lies past it. */
    @Test
    void theEngineEnforcesTheQuotaOnARangeThatIgnoresIt() {
        try (TestEngine t = new TestEngine(EngineOptions.defaults().withFloodPhasesToDisable(1000))) {
            t.load(cScript("c_flood.c"));
            t.loadTest("poster.zig");
            World w = t.engine.world();
            ScriptInstance greedy = t.engine.scripts().attach(w.spawn(), "c_flood", 0, null);
            ScriptInstance poster = poster(t, 5, 1);
            t.run(1);
            assertThat(StateFields.write(greedy, "greedy", "1")).isNull();
            t.run(2);

            long accepted = CommandBuffer.DEFAULT_REQUEST_QUOTA_BYTES / TRANSFORM;
            assertThat(field(greedy, "ok")).isEqualTo(100_000); // all written: the buffer had room
            assertThat(warningsOf(t, greedy)).hasSize(3).allSatisfy(l -> assertThat(l.message())
                    .startsWith((100_000 - accepted) + " requests refused this phase"));
            assertHealthy(poster);
            assertThat(w.position(greedy.entity()).x()).isCloseTo(3 * accepted * 0.001f, Offset.offset(1f));
        }
    }

    /**
     * Isolated flooder and isolated healthy scripts in a 128 KiB buffer: the hosts' batches stop
     * for room, the engine grows its buffer and resumes them, as in-process.
     */
    @Test
    void anIsolatedFlooderIsHeldToItsQuotaLikeAnyOther() {
        int initial = 128 << 10, quota = 32 << 10;
        try (TestEngine t = new TestEngine(EngineOptions.defaults().withCommandBufferBytes(initial)
                .withRequestQuotaBytes(quota).withFloodPhasesToDisable(2))) {
            t.loadIsolated(TestEngine.testScript("flooder.zig"));
            t.loadIsolated(TestEngine.testScript("poster.zig"));
            List<ScriptInstance> before = new ArrayList<>(), after = new ArrayList<>();
            for (int k = 0; k < 100; k++) before.add(poster(t, -1, 20));
            ScriptInstance flood = flooder(t, 1, 100, 100_000);
            for (int k = 0; k < 100; k++) after.add(poster(t, 1, 20));
            t.run(5);

            long refused = 100_000 - quota / TRANSFORM - OWN_TRANSFORM; // isolated too: its region holds a copy of the column
            assertThat(warningsOf(t, flood)).extracting(LogEntry::message).containsExactly(
                    refused + " requests refused this phase: over its request quota of 32768 bytes",
                    refused + " requests refused this phase: over its request quota of 32768 bytes (2 phases in a row)");
            assertThat(t.logsOf("flooder")).anyMatch(l -> l.message().equals(
                    "flood done: " + (quota / TRANSFORM + OWN_TRANSFORM) + " accepted, " + refused + " refused"));
            assertThat(flood.enabled()).isFalse();
            for (ScriptInstance h : before) assertHealthy(h);
            for (ScriptInstance h : after) {
                assertHealthy(h);
                assertThat(field(h, "updates")).isEqualTo(5);
            }
            assertThat(t.engine.scripts().commandBufferGrownTo()).isGreaterThan(initial);
            assertThat(t.messages(LogEntry.Level.WARN)).noneMatch(m -> m.contains("dropped") || m.contains("did not run"));
        }
    }

    /**
     * Stopping for room and resuming changes nothing but the buffer's size: the same scene in a
     * buffer that must grow many times applies the same requests in the same order (its log,
     * which lists requests as they are applied, is identical) as in one that never grows.
     */
    @Test
    void stoppingForRoomKeepsTheCanonicalOrder() {
        List<String> roomy = orderScene(8 << 20);
        List<String> tight = orderScene(16 << 10);
        assertThat(roomy).hasSizeGreaterThan(100).isEqualTo(tight);
    }

    private static List<String> orderScene(int bufferBytes) {
        try (TestEngine t = new TestEngine(EngineOptions.defaults().withCommandBufferBytes(bufferBytes)
                .withRequestQuotaBytes(8192).withFloodPhasesToDisable(1000))) {
            t.loadTest("order_a.zig");
            t.loadTest("order_b.zig");
            t.loadTest("deferred.zig");
            t.loadTest("flooder.zig");
            t.loadTest("poster.zig");
            for (int i = 0; i < 40; i++) {
                long e = t.engine.world().spawn();
                t.engine.scripts().attach(e, i % 2 == 0 ? "order_a" : "order_b", i % 3, Phase.values()[i % 3]);
                t.engine.scripts().attach(e, "deferred", -i, null);
                if (i % 10 == 0) flooder(t, 1, 3, 1000);
                poster(t, i % 4, 100);
            }
            t.run(5);
            if (bufferBytes < (1 << 20)) assertThat(t.engine.scripts().commandBufferGrownTo()).isGreaterThan(bufferBytes);
            return t.logs.stream().map(LogEntry::toString).toList();
        }
    }

    /** A library that stops for room again after the room was made: that instance is skipped, no endless loop. */
    @Test
    void aLibraryThatStopsForRoomItHasSkipsOnlyThatInstance() {
        try (TestEngine t = new TestEngine(EngineOptions.defaults().withFloodPhasesToDisable(1000))) {
            t.load(cScript("c_flood.c"));
            World w = t.engine.world();
            ScriptInstance liar = t.engine.scripts().attach(w.spawn(), "c_flood", 0, null);
            ScriptInstance next = t.engine.scripts().attach(w.spawn(), "c_flood", 1, null);
            t.run(1);
            assertThat(StateFields.write(liar, "greedy", "2")).isNull();
            assertThat(StateFields.write(liar, "count", "0")).isNull();
            assertThat(StateFields.write(next, "count", "10")).isNull();
            t.run(3);

            assertThat(field(liar, "updates")).isEqualTo(1); // frame 0 only
            assertThat(field(next, "updates")).isEqualTo(4);
            assertThat(warningsOf(t, liar)).filteredOn(l -> l.frame() > 0).hasSize(3).allSatisfy(l -> assertThat(l.message())
                    .startsWith("did not run this phase: its library stopped before it for room again, although the command buffer had"));
            assertThat(t.engine.scripts().commandBufferGrownTo()).isZero();
        }
    }

    /**
     * A signal handler skipped for room on each of its 50 deliveries in one phase is reported in
     * two lines naming its entity (the first skip and how many more), not in 50: a handler that
     * receives a million signals would otherwise log a million lines.
     */
    @Test
    void aHandlerSkippedOnEveryDeliveryIsReportedOncePerPhase() {
        try (TestEngine t = new TestEngine()) {
            t.load(cScript("room_liar.c"));
            World w = t.engine.world();
            long e = w.spawn();
            w.setName(e, "liar");
            ScriptInstance liar = t.engine.scripts().attach(e, "room_liar", 0, null);
            t.run(1);
            for (int k = 0; k < 50; k++) assertThat(t.engine.scripts().emitFromHost("nudge", new byte[0], e)).isEqualTo(Status.OK);
            t.run(1);

            List<LogEntry> skips = warningsOf(t, liar);
            assertThat(skips).extracting(LogEntry::message).containsExactly(
                    "did not run this phase: its library stopped before it for room again, although the command buffer had "
                            + (liar.requestQuota() + Layouts.LOG_RESERVE_BYTES) + " bytes free for it",
                    "did not run 49 more times this phase, for the same reason");
            assertThat(skips).allSatisfy(l -> assertThat(l.entityName()).isEqualTo("liar"));
            t.run(1); // the count starts afresh with the next phase: nothing more to say
            assertThat(warningsOf(t, liar)).hasSize(2);
        }
    }

    @Test
    void theSceneSetsTheQuotaPerSceneAndPerScript(@TempDir Path dir) throws Exception {
        Files.copy(TestEngine.testScript("flooder.zig"), dir.resolve("flooder.zig"));
        Files.copy(TestEngine.testScript("poster.zig"), dir.resolve("poster.zig"));
        Path scene = dir.resolve("scene.json");
        Files.writeString(scene, """
                { "kiln_scene": 1,
                  "settings": { "request_quota": 8192 },
                  "scripts": { "flooder": { "source": "flooder.zig", "request_quota": 1024 },
                               "poster": "poster.zig" },
                  "entities": [
                    { "vars": { "from": {"i64": 1}, "count": {"i64": 100} }, "scripts": [ {"script": "flooder"} ] },
                    { "scripts": [ {"script": "poster", "priority": 5} ] } ] }
                """);
        try (TestEngine t = new TestEngine()) {
            SceneLoader.load(t.engine, scene);
            assertThat(t.engine.scripts().requestQuotaOf("flooder")).isEqualTo(1024);
            assertThat(t.engine.scripts().requestQuotaOf("poster")).isEqualTo(8192);
            t.run(3);
            ScriptInstance flood = t.engine.scripts().instances().stream()
                    .filter(i -> i.scriptName().equals("flooder")).findFirst().orElseThrow();
            assertThat(warningsOf(t, flood)).singleElement().extracting(LogEntry::message)
                    .isEqualTo((100 - 1024 / TRANSFORM - OWN_TRANSFORM) + " requests refused this phase: over its request quota of 1024 bytes");
        }
    }
}
