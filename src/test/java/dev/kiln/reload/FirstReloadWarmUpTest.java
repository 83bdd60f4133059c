package dev.kiln.reload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.script.ScriptInstance;
import dev.kiln.script.StateFields;
import dev.kiln.script.SwapWarmup;
import dev.kiln.testing.ReloadSession;
import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tracking a script starts its swap warm-up off the frame thread (the swap's loops compiled,
 * whole swaps of its State's shape rehearsed), so the first save after start-up swaps with warm
 * code; the reload after it works as any other.
 */
class FirstReloadWarmUpTest {
    static final String V1 = """
            const kiln = @import("kiln");
            pub const State = struct { count: u32 = 0 };
            pub fn update(self: *State, ctx: *kiln.Context) void { _ = ctx; self.count += 1; }
            """;
    static final String V2 = """
            const kiln = @import("kiln");
            pub const State = struct { count: u32 = 0, bonus: i32 = 7 };
            pub fn update(self: *State, ctx: *kiln.Context) void { _ = ctx; self.count += 1000; }
            """;

    @Test
    void theSwapWarmUpRehearsesBeforeTheFirstSaveAndTheFirstReloadRuns(@TempDir Path dir) throws Exception {
        try (TestEngine t = new TestEngine()) {
            Path file = dir.resolve("first.zig");
            Files.writeString(file, V1);
            t.load(file);
            ScriptInstance i = t.engine.scripts().attach(t.engine.world().spawn(), "first", 0, null);
            t.step();
            try (ReloadSession s = ReloadSession.watching(t)) {
                // Started by tracking, before any save: every rehearsed swap went through.
                assertThat(s.reloads.swapWarmUp("first").get(120, TimeUnit.SECONDS))
                        .isEqualTo(SwapWarmup.REHEARSED_SWAPS);
                long before = (Long) StateFields.read(i, "count");
                ReloadSession.save(file, V2); // a layout edit: the path the first reload took cold before
                ReloadEvent.Reloaded r = s.await(ReloadEvent.Reloaded.class);
                assertThat(r.swap().ok()).isTrue();
                t.step();
                assertThat((Long) StateFields.read(i, "count")).isGreaterThanOrEqualTo(before + 1000);
                assertThat(StateFields.read(i, "bonus")).isEqualTo(7);
            }
        }
    }
}
