package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.abi.CommandBuffer;
import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.World;
import dev.kiln.engine.EngineOptions;
import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An update's first request, when it is a vec3 transform of its own entity, goes into the
 * engine's own-transform column (abi/kiln.h kiln_own_transform) instead of the command buffer;
 * every barrier path must apply it exactly as the record it stands for, and leave no slot set
 * after the frame. Real script: src/test/zig/own_mixer.zig (own transforms alone, before and after
 * records, refused, reported at the barrier, on an entity another instance despawned first,
 * discarded by a fault), run with the column and without it (records only) on each path.
 */
class OwnTransformEquivalenceTest {
    private static final int FRAMES = 14;

    @TempDir
    static Path dir;

    /** How the scene is run. */
    enum Route {
        /** The native apply, one library, two priorities interleaved. */
        NATIVE(48),
        /** The Java decoder (no native apply): InstanceBatch.applyInJava. */
        JAVA(48),
        /** Two libraries whose instances interleave in canonical order: runs end at each change. */
        TWO_LIBRARIES(48),
        /** A 64 KiB buffer: calls stop for room and resume, the column offset with them. */
        ROOM_STOPS(600),
        /** In a host process: the column copied into its region and back. */
        ISOLATED(24);

        final int entities;

        Route(int entities) {
            this.entities = entities;
        }
    }

    /** What a run leaves after each frame: every transform table, the live handles, the log. */
    private record Trace(List<String> frames, List<String> log) {}

    private static Trace run(Route route, boolean column) throws Exception {
        EngineOptions options = route == Route.ROOM_STOPS
                ? EngineOptions.defaults().withCommandBufferBytes(64 << 10) : EngineOptions.defaults();
        try (TestEngine t = new TestEngine(options)) {
            t.engine.scripts().setOwnTransforms(column);
            if (route == Route.JAVA) t.engine.scripts().setHotApply(null);
            String source = Files.readString(TestEngine.testScript("own_mixer.zig"));
            if (route == Route.ISOLATED) t.load(dir, "own_mixer", source, true);
            else t.loadTest("own_mixer.zig");
            if (route == Route.TWO_LIBRARIES) t.load(dir, "own_mixer_b", source, false);
            World w = t.engine.world();
            int n = route.entities;
            long[] entities = new long[n];
            for (int i = 0; i < n; i++) entities[i] = w.spawn();
            for (int i = 0; i < n; i++) {
                w.setVar(entities[i], "other", new VarValue.I64(entities[(i + 1) % n]));
                if (i % 11 == 3) w.setVar(entities[i], "despawn_at", new VarValue.I64(4 + i % 3));
                if (i % 13 == 5) w.setVar(entities[i], "panic_at", new VarValue.I64(2 + i % 9));
                String script = route == Route.TWO_LIBRARIES && i % 2 == 1 ? "own_mixer_b" : "own_mixer";
                // two priorities interleave: canonical order is not attach order
                t.engine.scripts().attach(entities[i], script, i % 3 == 0 ? -1 : 0, null);
            }
            List<String> frames = new ArrayList<>();
            for (int f = 0; f < FRAMES; f++) {
                t.step();
                assertThat(t.engine.scripts().ownTransformsPending()).as("slots left set after frame %d", f).isZero();
                // live entities only (the tables' unused tail is zeros): a mismatch names the entity
                StringBuilder state = new StringBuilder("frame " + f + ", applied " + t.engine.scripts().commandsApplied());
                for (long e : w.aliveHandles()) {
                    state.append('\n').append(e).append(": ").append(w.position(e)).append(' ').append(w.velocity(e))
                            .append(' ').append(w.scale(e));
                }
                frames.add(state.toString());
            }
            if (route == Route.ROOM_STOPS) {
                assertThat(t.engine.scripts().commandBufferGrownTo()).as("calls stopped for room").isGreaterThan(64 << 10);
            }
            List<String> log = t.logs.stream()
                    .map(e -> e.frame() + " " + e.level() + " " + e.script() + " " + e.entity() + " " + e.message()).toList();
            return new Trace(frames, log);
        }
    }

    @ParameterizedTest
    @EnumSource(Route.class)
    void theColumnAndTheRecordsItStandsForLeaveTheSameWorldAndLog(Route route) throws Exception {
        Trace records = run(route, false);
        Trace column = run(route, true);
        for (int f = 0; f < FRAMES; f++) assertThat(column.frames().get(f)).as("frame %d", f).isEqualTo(records.frames().get(f));
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
