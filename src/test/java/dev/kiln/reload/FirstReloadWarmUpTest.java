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
    @Test
    void theSwapWarmUpRehearsesBeforeTheFirstSaveAndTheFirstReloadRuns(@TempDir Path dir) throws Exception {
        try (TestEngine t = new TestEngine()) {
            Path file = dir.resolve("first.zig");
            Files.writeString(file, LibrarySwapTest.V1);
            t.load(file);
            ScriptInstance i = t.engine.scripts().attach(t.engine.world().spawn(), "first", 0, null);
            t.step();
            try (ReloadSession s = ReloadSession.watching(t)) {
                // Started by tracking, before any save: every rehearsed swap went through.
                assertThat(s.reloads.swapWarmUp("first").get(120, TimeUnit.SECONDS))
                        .isEqualTo(SwapWarmup.REHEARSED_SWAPS);
                long before = (Long) StateFields.read(i, "count");
                // A layout edit (fields reordered, widened, removed, added): the path the first reload took cold before.
                ReloadSession.save(file, LibrarySwapTest.V2);
                ReloadEvent.Reloaded r = s.await(ReloadEvent.Reloaded.class);
                assertThat(r.swap().ok()).isTrue();
                t.step();
                assertThat((Long) StateFields.read(i, "count")).isGreaterThan(before); // carried, then counted on
                assertThat(StateFields.read(i, "bonus")).isEqualTo(42); // the new field's default
            }
        }
    }
}
