package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.loader.ScriptCode;
import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Body edits over States spread over several chunks, with holes left by detached instances and
 * an instance moved by a priority change: every instance still updates its own State after
 * each swap (the States stay in place, StatesInPlaceTest). Prepared before the boundary for
 * other instances than those it meets, one of them faulted, it still swaps every instance right.
 */
class BodyEditRelinkTest {
    static final String ADD = """
            const kiln = @import("kiln");
            pub const State = struct { count: u32 = 0, id: u32 = 0 };
            pub fn update(self: *State, ctx: *kiln.Context) void { _ = ctx; self.count += %d; }
            """;
    /** Over two chunks of a slab (1024 slots each). */
    static final int INSTANCES = 2_500;

    /**
     * {@code file} (ADD adding 1) loaded with {@link #INSTANCES} instances, every 7th detached
     * (free slots among the live ones) and one moved by a priority change (out of attach order
     * in the phase table), two frames run; each kept one's {@code id} is its index in the list
     * returned (its count is 2).
     */
    static List<ScriptInstance> spreadOverChunksWithHoles(TestEngine t, Path file) throws Exception {
        Files.writeString(file, ADD.formatted(1));
        t.load(file);
        List<ScriptInstance> all = new ArrayList<>();
        for (int k = 0; k < INSTANCES; k++) all.add(t.engine.scripts().attach(t.engine.world().spawn(), "adder", 0, null));
        t.step();
        List<ScriptInstance> kept = new ArrayList<>();
        for (int k = 0; k < INSTANCES; k++) {
            if (k % 7 == 3) t.engine.scripts().detach(all.get(k));
            else kept.add(all.get(k));
        }
        t.engine.scripts().setPriority(kept.get(100), -1);
        t.step();
        for (int k = 0; k < kept.size(); k++) assertThat(StateFields.write(kept.get(k), "id", Integer.toString(k))).isNull();
        return kept;
    }

    @Test
    void everyInstanceUpdatesItsOwnStateAfterBodyEditsOverChunksAndHoles(@TempDir Path dir) throws Exception {
        try (TestEngine t = new TestEngine()) {
            Path file = dir.resolve("adder.zig");
            List<ScriptInstance> kept = spreadOverChunksWithHoles(t, file);
            long expected = 2;
            for (int edit = 2; edit <= 4; edit++) {
                Files.writeString(file, ADD.formatted(edit * 10));
                ScriptCode next = t.engine.scripts().loadCode(t.engine.compiler().build(file).library(), false);
                SwapResult swap = t.engine.scripts().swapLibrary("adder", next);
                assertThat(swap.ok()).as(swap.error()).isTrue();
                t.step();
                expected += edit * 10L;
                for (int k = 0; k < kept.size(); k++) {
                    ScriptInstance i = kept.get(k);
                    assertThat(StateFields.read(i, "id")).as("instance %d after edit %d", k, edit).isEqualTo((long) k);
                    assertThat(StateFields.read(i, "count")).as("instance %d after edit %d", k, edit).isEqualTo(expected);
                }
            }
        }
    }

    /** ADD's first version, but an instance whose id is {@link #PANICS} panics in its update. */
    static final String ADD_PANICKING = """
            const kiln = @import("kiln");
            pub const State = struct { count: u32 = 0, id: u32 = 0 };
            pub fn update(self: *State, ctx: *kiln.Context) void {
                _ = ctx;
                if (self.id == 999) @panic("instance 999 panics");
                self.count += 1;
            }
            """;
    static final int PANICS = 999;

    @Test
    void aPreparedBodyEditMeetingAFaultedInstanceStillSwapsEveryInstanceRight(@TempDir Path dir)
            throws Exception {
        try (TestEngine t = new TestEngine()) {
            Path file = dir.resolve("adder.zig");
            Files.writeString(file, ADD_PANICKING);
            t.load(file);
            ScriptRuntime scripts = t.engine.scripts();
            List<ScriptInstance> all = new ArrayList<>();
            for (int k = 0; k < 40; k++) all.add(scripts.attach(t.engine.world().spawn(), "adder", k < 20 ? 0 : 1, null));
            t.step(); // every State at 1
            for (int k = 0; k < all.size(); k++) assertThat(StateFields.write(all.get(k), "id", Integer.toString(k))).isNull();
            // The 11th in canonical order panics in the next update: a contained fault disables it.
            ScriptInstance failed = all.get(10);
            assertThat(StateFields.write(failed, "id", Integer.toString(PANICS))).isNull();
            t.step();
            assertThat(failed.fault()).contains("instance 999 panics");
            Files.writeString(file, ADD.formatted(10)); // the fix, a body edit
            ScriptCode next = scripts.loadCode(t.engine.compiler().build(file).library(), false);
            PreparedSwap prepared = scripts.prepareSwap("adder", next); // for 40 instances
            // Still 40 when it swaps (one left, one came): the swap's pass meets the faulted one
            // after switching 10, clears its fault and lets it run on the new code with its State.
            scripts.detach(all.get(30));
            ScriptInstance late = scripts.attach(t.engine.world().spawn(), "adder", 1, null);
            assertThat(scripts.library("adder").attachedInOrder()[10]).isSameAs(failed);

            SwapResult swap = scripts.swapLibrary("adder", prepared);
            assertThat(swap.ok()).as(swap.error()).isTrue();
            assertThat(swap.instances()).isEqualTo(40);
            ScriptLibrary running = scripts.library("adder");
            for (ScriptInstance i : running.attachedInOrder()) assertThat(i.library()).isSameAs(running);
            t.step();
            for (int k = 0; k < all.size(); k++) {
                if (k == 10 || k == 30) continue; // the faulted one, below; detached
                assertThat(StateFields.read(all.get(k), "id")).as("instance %d", k).isEqualTo((long) k);
                assertThat(StateFields.read(all.get(k), "count")).as("instance %d", k).isEqualTo(12L);
            }
            // Fixed code gets another chance with the State it had; the one attached before the
            // swap ran its init, then its first update, on the new code.
            assertThat(failed.fault()).isNull();
            assertThat(StateFields.read(failed, "id")).isEqualTo((long) PANICS);
            assertThat(StateFields.read(failed, "count")).isEqualTo(11L);
            assertThat(StateFields.read(late, "count")).isEqualTo(10L);
        }
    }
}
