package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.build.BuildResult;
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
 * A body edit keeps every State where it is: the new version takes over the old one's State
 * slab, so each instance keeps its State's address and bytes, the phase tables' State pointers
 * stay, and the memory outlives the old version's close. A layout edit after it still migrates
 * into a slab of its own, and a rollback (a layout edit back, then a body edit) carries every
 * value. Instances that need care in a kept-in-place swap get it (their count is kept as they
 * change, not found by a pass): a failed init runs again on the new code from a slot given back
 * to the slab, a faulted instance runs on with its State.
 */
class StatesInPlaceTest {
    /** Another layout: fields reordered, count widened, a field added with a default. */
    static final String ADD_WIDE = """
            const kiln = @import("kiln");
            pub const State = struct { id: u32 = 0, extra: u32 = 7, count: u64 = 0 };
            pub fn update(self: *State, ctx: *kiln.Context) void { _ = ctx; self.count += %d; }
            """;
    @Test
    void aBodyEditKeepsEveryStateAtItsAddressWithItsBytes(@TempDir Path dir) throws Exception {
        try (TestEngine t = new TestEngine()) {
            Path file = dir.resolve("adder.zig");
            List<ScriptInstance> kept = BodyEditRelinkTest.spreadOverChunksWithHoles(t, file);
            ScriptRuntime scripts = t.engine.scripts();
            ScriptLibrary old = scripts.library("adder");
            long[] addresses = new long[kept.size()];
            byte[][] bytes = new byte[kept.size()][];
            for (int k = 0; k < kept.size(); k++) {
                addresses[k] = kept.get(k).stateMemory().address();
                bytes[k] = kept.get(k).stateMemory().toArray(ValueLayout.JAVA_BYTE);
            }
            List<Long> chunks = chunkAddresses(old);

            Files.writeString(file, BodyEditRelinkTest.ADD.formatted(10));
            SwapResult swap = scripts.swapLibrary("adder", build(t, file));
            assertThat(swap.ok()).as(swap.error()).isTrue();
            ScriptLibrary fresh = scripts.library("adder");
            assertThat(fresh).isNotSameAs(old);
            assertThat(chunkAddresses(fresh)).as("the same State memory, no block of new States").isEqualTo(chunks);
            for (int k = 0; k < kept.size(); k++) {
                ScriptInstance i = kept.get(k);
                assertThat(i.library()).isSameAs(fresh);
                assertThat(i.stateMemory().address()).as("instance %d's State stays put", k).isEqualTo(addresses[k]);
                assertThat(i.stateMemory().toArray(ValueLayout.JAVA_BYTE)).as("instance %d", k).isEqualTo(bytes[k]);
            }
            // The old version closed and the collector run: the States are the slab's, not its.
            scripts.awaitClosedLibraries();
            System.gc();
            t.step();
            for (int k = 0; k < kept.size(); k++) {
                assertThat(StateFields.read(kept.get(k), "id")).as("instance %d", k).isEqualTo((long) k);
                assertThat(StateFields.read(kept.get(k), "count")).as("instance %d: its own State updated by the new code", k)
                        .isEqualTo(12L);
            }
            assertThat(fresh.states().liveSlots()).isEqualTo(kept.size());
        }
    }

    @Test
    void aBodyEditThenALayoutEditThenARollbackCarryEveryState(@TempDir Path dir) throws Exception {
        try (TestEngine t = new TestEngine()) {
            Path file = dir.resolve("adder.zig");
            List<ScriptInstance> all = loadAndAttach(t, file, BodyEditRelinkTest.ADD.formatted(1), 1_500);
            ScriptRuntime scripts = t.engine.scripts();
            t.step(); // count 1
            for (int k = 0; k < all.size(); k++) assertThat(StateFields.write(all.get(k), "id", Integer.toString(k))).isNull();

            Files.writeString(file, BodyEditRelinkTest.ADD.formatted(10)); // a body edit: in place
            Path bodyEdited = t.engine.compiler().build(file).library();
            long address = all.get(7).stateMemory().address();
            assertThat(scripts.swapLibrary("adder", scripts.loadCode(bodyEdited, false)).ok()).isTrue();
            assertThat(all.get(7).stateMemory().address()).isEqualTo(address);
            t.step(); // 11

            Files.writeString(file, ADD_WIDE.formatted(100)); // a layout edit: States migrated into a slab of its own
            SwapResult wide = scripts.swapLibrary("adder", build(t, file));
            assertThat(wide.ok()).as(wide.error()).isTrue();
            assertThat(all.get(7).stateMemory().address()).isNotEqualTo(address);
            scripts.awaitClosedLibraries(); // both earlier versions closed; their slab unreachable now
            System.gc();
            t.step(); // 111
            for (int k = 0; k < all.size(); k++) {
                assertThat(StateFields.read(all.get(k), "id")).as("instance %d", k).isEqualTo((long) k);
                assertThat(StateFields.read(all.get(k), "extra")).isEqualTo(7L);
                assertThat(StateFields.read(all.get(k), "count")).as("instance %d", k).isEqualTo(111L);
            }

            // The rollback to the body-edited version: its file loaded again, State migrated back.
            SwapResult back = scripts.swapLibrary("adder", scripts.loadCode(bodyEdited, false));
            assertThat(back.ok()).as(back.error()).isTrue();
            t.step(); // 121
            for (int k = 0; k < all.size(); k++) {
                assertThat(StateFields.read(all.get(k), "id")).as("instance %d", k).isEqualTo((long) k);
                assertThat(StateFields.read(all.get(k), "count")).as("instance %d", k).isEqualTo(121L);
            }
            // And a body edit on top of the rollback: in place again.
            address = all.get(7).stateMemory().address();
            Files.writeString(file, BodyEditRelinkTest.ADD.formatted(1_000));
            assertThat(scripts.swapLibrary("adder", build(t, file)).ok()).isTrue();
            assertThat(all.get(7).stateMemory().address()).isEqualTo(address);
            scripts.awaitClosedLibraries();
            System.gc();
            t.step(); // 1121
            for (int k = 0; k < all.size(); k++) {
                assertThat(StateFields.read(all.get(k), "id")).as("instance %d", k).isEqualTo((long) k);
                assertThat(StateFields.read(all.get(k), "count")).as("instance %d", k).isEqualTo(1_121L);
            }
        }
    }

    /**
     * Init fails for every third entity (by index); the instance with id 999 panics in its
     * update. The fix changes only code.
     */
    static final String CAREFUL = """
            const kiln = @import("kiln");
            pub const State = struct { count: u32 = 0, id: u32 = 0, inited: bool = false };
            pub fn init(self: *State, ctx: *kiln.Context) !void {
                if (ctx.entity.index() %% 3 == 1) return error.NotReady;
                self.inited = true;
            }
            pub fn update(self: *State, ctx: *kiln.Context) void {
                _ = ctx;
                if (self.id == 999) @panic("instance 999 panics");
                self.count += %d;
            }
            """;
    static final String CAREFUL_FIXED = """
            const kiln = @import("kiln");
            pub const State = struct { count: u32 = 0, id: u32 = 0, inited: bool = false };
            pub fn init(self: *State, ctx: *kiln.Context) !void { _ = ctx; self.inited = true; }
            pub fn update(self: *State, ctx: *kiln.Context) void { _ = ctx; self.count += 10; }
            """;

    @Test
    void aKeptInPlaceSwapRunsAFailedInitAgainAndGivesAFaultedInstanceItsStateBack(@TempDir Path dir) throws Exception {
        try (TestEngine t = new TestEngine()) {
            Path file = dir.resolve("careful.zig");
            List<ScriptInstance> all = loadAndAttach(t, file, CAREFUL.formatted(1), 60);
            ScriptRuntime scripts = t.engine.scripts();
            t.step();
            List<ScriptInstance> failedInit = new ArrayList<>();
            ScriptInstance faulted = null;
            for (ScriptInstance i : all) {
                if (!i.initSucceeded()) failedInit.add(i);
                else if (faulted == null) faulted = i;
            }
            assertThat(failedInit).as("init fails for every third entity").hasSizeBetween(15, 25);
            assertThat(StateFields.write(faulted, "id", "999")).isNull();
            t.step();
            assertThat(faulted.fault()).contains("instance 999 panics");
            // The count a kept-in-place swap reads instead of a pass over the instances: every
            // failed init and the fault; a detached one leaves it.
            ScriptLibrary running = scripts.library("careful");
            assertThat(running.version().needingCare()).isEqualTo(failedInit.size() + 1).isEqualTo(censusOfCare(running));
            ScriptInstance leaving = failedInit.removeLast();
            scripts.detach(leaving);
            all.remove(leaving);
            t.step();
            assertThat(running.version().needingCare()).isEqualTo(failedInit.size() + 1).isEqualTo(censusOfCare(running));
            long faultedAt = faulted.stateMemory().address();
            List<MemorySegment> failedStates = new ArrayList<>();
            for (ScriptInstance i : failedInit) failedStates.add(i.stateMemory());
            assertThat(failedStates).doesNotContainNull();

            Files.writeString(file, CAREFUL_FIXED);
            SwapResult swap = scripts.swapLibrary("careful", build(t, file));
            assertThat(swap.ok()).as(swap.error()).isTrue();
            ScriptLibrary fresh = scripts.library("careful");
            assertThat(faulted.stateMemory().address()).as("the faulted instance keeps its State").isEqualTo(faultedAt);
            assertThat(faulted.fault()).isNull();
            t.step();
            // The failed ones ran the fixed init, then an update, from zeroed State in the slab's
            // slots (the ones they gave back: no slot lost).
            for (ScriptInstance i : failedInit) {
                assertThat(i.initSucceeded()).isTrue();
                assertThat(StateFields.read(i, "inited")).isEqualTo(true);
                assertThat(StateFields.read(i, "count")).isEqualTo(10L);
                assertThat(failedStates.stream().anyMatch(s -> s.address() == i.stateMemory().address()))
                        .as("%s reuses a slot given back", i).isTrue();
            }
            assertThat(fresh.states().liveSlots()).isEqualTo(all.size());
            assertThat(fresh.version().needingCare()).isZero().isEqualTo(censusOfCare(fresh));
            assertThat(StateFields.read(faulted, "id")).isEqualTo(999L);
            assertThat(StateFields.read(faulted, "count")).as("1 before the panic, then the fix's 10").isEqualTo(11L);
            for (ScriptInstance i : all) {
                if (i == faulted || failedInit.contains(i)) continue;
                assertThat(StateFields.read(i, "count")).as("%s: three updates, then the fix's 10", i).isEqualTo(13L);
            }
        }
    }

    /** {@code source} written to {@code file} and loaded, with {@code n} instances attached (no frame run). */
    private static List<ScriptInstance> loadAndAttach(TestEngine t, Path file, String source, int n) throws Exception {
        Files.writeString(file, source);
        String script = t.load(file).name();
        List<ScriptInstance> all = new ArrayList<>();
        for (int k = 0; k < n; k++) all.add(t.engine.scripts().attach(t.engine.world().spawn(), script, 0, null));
        return all;
    }

    /** The instances of {@code library} that need care, counted one by one. */
    private static int censusOfCare(ScriptLibrary library) {
        int n = 0;
        for (ScriptInstance i : library.attachedInOrder()) if (i.fault() != null || i.stateMemory() != null && !i.initSucceeded()) n++;
        return n;
    }

    private static List<Long> chunkAddresses(ScriptLibrary library) {
        return library.stateChunks().stream().map(MemorySegment::address).toList();
    }

    private static ScriptCode build(TestEngine t, Path file) throws Exception {
        BuildResult built = t.engine.compiler().build(file);
        assertThat(built.ok()).as(built.compilerOutput()).isTrue();
        return t.engine.scripts().loadCode(built.library(), false);
    }
}
