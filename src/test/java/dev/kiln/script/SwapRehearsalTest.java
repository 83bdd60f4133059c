package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.abi.ScriptInfo;
import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The swap warm-up rehearses whole swaps of a library shaped like the script's, off the frame
 * thread, and leaves the running script alone.
 */
class SwapRehearsalTest {
    static final String SCRIPT = """
            const kiln = @import("kiln");
            pub const State = struct { count: u32 = 0, speed: f32 = 2.5, ids: [3]u16 = .{ 1, 2, 3 } };
            pub fn update(self: *State, ctx: *kiln.Context) void { _ = ctx; self.count += 1; }
            """;

    @Test
    void everyRehearsedSwapSucceedsAndTheRunningScriptIsUntouched(@TempDir Path dir) throws Exception {
        try (TestEngine t = new TestEngine()) {
            Path file = dir.resolve("rehearsed.zig");
            Files.writeString(file, SCRIPT);
            ScriptLibrary library = t.load(file);
            ScriptInstance i = t.engine.scripts().attach(t.engine.world().spawn(), "rehearsed", 0, null);
            t.run(4);
            int logsBefore = t.logs.size();

            // Every swap of the rehearsal went through (a body edit, and layout edits converting
            // and copying): a broken rehearsal would warm nothing and say nothing.
            assertThat(SwapWarmup.start(library.info(), t.engine.scripts().faultGuard()).get()).isEqualTo(SwapRehearsal.SWAPS);

            assertThat(t.engine.scripts().library("rehearsed")).isSameAs(library);
            assertThat(i.library()).isSameAs(library);
            assertThat(StateFields.read(i, "count")).isEqualTo(4L);
            t.run(2);
            assertThat(StateFields.read(i, "count")).isEqualTo(6L);
            assertThat(t.logs).hasSize(logsBefore);
        }
    }

    @Test
    void aScriptWithoutAStateDescriptionIsNotRehearsed() throws Exception {
        var info = new ScriptInfo(1, 1, "flat", "hash", 0, 1, 8, 8, List.of(), List.of(),
                new byte[8], null, 0, null, 0);
        assertThat(SwapWarmup.start(info, null).get()).isZero();
    }
}
