package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.loader.ScriptCode;
import dev.kiln.testing.TestEngine;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A State slab's memory is freed when the last library version using it closes, not when the
 * collector finds it unreachable: a body edit's version takes the slab over (the old version's
 * close leaves every State readable), a layout edit's close of the version holding it frees it
 * (a State segment kept from before is no longer alive), closing the runtime frees the running
 * version's, and a swap that is refused or dropped frees the slab it prepared.
 */
class StateSlabLifetimeTest {
    /** A counter adding 1 a frame; its body edit adds 1000 (the States stay in its slab). */
    static final String V1 = RetiredLibrariesTest.V1, BODY_EDIT = RetiredLibrariesTest.V2;
    /** A layout edit: count widened, a field added; the States migrate into a slab of its own. */
    static final String LAYOUT_EDIT = """
            const kiln = @import("kiln");
            pub const State = struct { count: u64 = 0, extra: u32 = 7 };
            pub fn update(self: *State, ctx: *kiln.Context) void { _ = ctx; self.count += 100; }
            """;
    /** A layout edit whose init fails: the dry run refuses the swap. */
    static final String LAYOUT_EDIT_FAILING_INIT = """
            const kiln = @import("kiln");
            pub const State = struct { count: u64 = 0, extra: u32 = 7 };
            pub fn init(self: *State, ctx: *kiln.Context) !void { _ = self; _ = ctx; return error.NotReady; }
            pub fn update(self: *State, ctx: *kiln.Context) void { _ = ctx; self.count += 100; }
            """;
    private static final int INSTANCES = 3;

    @Test
    void theSlabOutlivesTheVersionItCameWithAndIsFreedWithTheLastVersionUsingIt(@TempDir Path dir) throws Exception {
        MemorySegment lastState;
        try (TestEngine t = new TestEngine()) {
            ScriptRuntime scripts = t.engine.scripts();
            List<ScriptInstance> all = loadAndAttach(t, dir);
            t.run(2); // count 2
            MemorySegment firstState = all.getFirst().stateMemory();
            StateSlab firstSlab = scripts.library("counter").states();

            assertThat(swap(t, dir, BODY_EDIT).ok()).isTrue();
            scripts.awaitClosedLibraries(); // the first version is closed: the slab is not its memory
            assertThat(scripts.library("counter").states()).isSameAs(firstSlab);
            assertThat(firstState.scope().isAlive()).as("the States outlive the version they came with").isTrue();
            t.step(); // 1002
            assertThat(firstState.get(ValueLayout.JAVA_INT, 0)).isEqualTo(1002);

            assertThat(swap(t, dir, LAYOUT_EDIT).ok()).isTrue();
            assertThat(all.getFirst().stateMemory().address()).as("migrated into a new slab").isNotEqualTo(firstState.address());
            scripts.awaitClosedLibraries(); // the body edit's version, which held the first slab, is closed
            assertThat(firstSlab.alive()).as("the first slab is freed with the last version using it").isFalse();
            assertThat(firstState.scope().isAlive()).isFalse();
            assertThatThrownBy(() -> firstState.get(ValueLayout.JAVA_INT, 0)).isInstanceOf(IllegalStateException.class);

            t.step(); // 1102
            for (ScriptInstance i : all) {
                assertThat(StateFields.read(i, "count")).as("%s", i).isEqualTo(1102L);
                assertThat(StateFields.read(i, "extra")).isEqualTo(7L);
            }
            lastState = all.getLast().stateMemory();
            assertThat(lastState.scope().isAlive()).isTrue();
        }
        assertThat(lastState.scope().isAlive()).as("closing the runtime frees the running version's slab").isFalse();
    }

    @Test
    void aSwapRefusedAfterItsPreparationFreesTheStatesItPrepared(@TempDir Path dir) throws Exception {
        try (TestEngine t = new TestEngine()) {
            ScriptRuntime scripts = t.engine.scripts();
            List<ScriptInstance> all = loadAndAttach(t, dir);
            t.step();
            StateSlab running = scripts.library("counter").states();
            PreparedSwap prepared = scripts.prepareSwap("counter", build(t, dir, LAYOUT_EDIT_FAILING_INIT));
            assertThat(prepared.fresh).as("a layout edit: new States prepared").isNotNull();
            StateSlab preparedSlab = prepared.fresh.states();
            assertThat(preparedSlab.alive()).isTrue();

            SwapResult swap = scripts.swapLibrary("counter", prepared);
            assertThat(swap.ok()).isFalse();
            assertThat(swap.error()).contains("dry-run init");
            assertThat(preparedSlab.alive()).as("the refused version's States are freed with it").isFalse();
            assertThat(running.alive()).as("the running version keeps its own").isTrue();
            t.step();
            for (ScriptInstance i : all) assertThat(StateFields.read(i, "count")).isEqualTo(2L);
        }
    }

    @Test
    void aPreparedSwapDroppedUnswappedFreesTheStatesItPrepared(@TempDir Path dir) throws Exception {
        try (TestEngine t = new TestEngine()) {
            ScriptRuntime scripts = t.engine.scripts();
            loadAndAttach(t, dir);
            t.step();
            ScriptCode next = build(t, dir, LAYOUT_EDIT);
            PreparedSwap prepared = scripts.prepareSwap("counter", next);
            StateSlab preparedSlab = prepared.fresh.states();
            scripts.preparedSwapDropped(prepared);
            next.close();
            assertThat(preparedSlab.alive()).isFalse();
            assertThat(scripts.retiredLibraries().expectedRetirements()).isZero();
        }
    }

    private static List<ScriptInstance> loadAndAttach(TestEngine t, Path dir) {
        t.load(dir, "counter", V1, false);
        List<ScriptInstance> all = new ArrayList<>();
        for (int k = 0; k < INSTANCES; k++) all.add(t.engine.scripts().attach(t.engine.world().spawn(), "counter", 0, null));
        return all;
    }

    private static ScriptCode build(TestEngine t, Path dir, String source) throws Exception {
        Path file = dir.resolve("counter.zig");
        Files.writeString(file, source);
        return t.engine.scripts().loadCode(t.engine.compiler().build(file).library(), false);
    }

    private static SwapResult swap(TestEngine t, Path dir, String source) throws Exception {
        SwapResult result = t.engine.scripts().swapLibrary("counter", build(t, dir, source));
        assertThat(result.ok()).as(result.error()).isTrue();
        return result;
    }
}
