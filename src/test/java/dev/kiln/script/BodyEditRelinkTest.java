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
 * A body edit copies States by runs of adjacent slots and relinks the phase tables by where
 * each run went: with States spread over several chunks, holes left by detached instances and
 * an instance moved by a priority change, every instance still updates its own State after
 * each swap.
 */
class BodyEditRelinkTest {
    static final String ADD = """
            const kiln = @import("kiln");
            pub const State = struct { count: u32 = 0, id: u32 = 0 };
            pub fn update(self: *State, ctx: *kiln.Context) void { _ = ctx; self.count += %d; }
            """;
    /** Over two chunks of a slab (1024 slots each). */
    static final int INSTANCES = 2_500;

    @Test
    void everyInstanceUpdatesItsOwnStateAfterBodyEditsOverChunksAndHoles(@TempDir Path dir) throws Exception {
        try (TestEngine t = new TestEngine()) {
            Path file = dir.resolve("adder.zig");
            Files.writeString(file, ADD.formatted(1));
            t.load(file);
            List<ScriptInstance> all = new ArrayList<>();
            for (int k = 0; k < INSTANCES; k++) all.add(t.engine.scripts().attach(t.engine.world().spawn(), "adder", 0, null));
            t.step();
            List<ScriptInstance> kept = new ArrayList<>();
            for (int k = 0; k < INSTANCES; k++) {
                if (k % 7 == 3) t.engine.scripts().detach(all.get(k)); // holes in the old States' runs
                else kept.add(all.get(k));
            }
            t.engine.scripts().setPriority(kept.get(100), -1); // out of attach order: its own run
            t.step();
            for (int k = 0; k < kept.size(); k++) assertThat(StateFields.write(kept.get(k), "id", Integer.toString(k))).isNull();
            long expected = 2;
            for (int edit = 2; edit <= 4; edit++) { // from the chunks, then twice from a swap's block
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
}
