package dev.kiln.reload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.SourceEdit;
import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reloading a C script into a library the engine must refuse: the running version stays. */
class CScriptReloadTest {
    private static String cMover() throws Exception {
        return Files.readString(TestEngine.home().resolve("src/test/c/c_mover.c"));
    }

    private static ReloadEvent awaitEvent(TestEngine t, List<ReloadEvent> events, HotReloadManager reloads)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            t.step();
            if (!events.isEmpty() && !reloads.busy()) {
                return events.stream().filter(e -> !(e instanceof ReloadEvent.BuildStarted)).findFirst().orElseThrow();
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no reload event: " + events);
    }

    @Test
    void aReloadToAnotherAbiVersionOrWithAMissingExportIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("c_mover.c");
        Files.writeString(file, cMover());
        try (TestEngine t = new TestEngine()) {
            t.load(file);
            long e = t.engine.world().spawn();
            t.engine.scripts().attach(e, "c_mover", 0, null);
            t.run(60);
            List<ReloadEvent> events = new CopyOnWriteArrayList<>();
            try (HotReloadManager reloads = new HotReloadManager(t.engine, Duration.ofMillis(50), events::add)) {
                Files.writeString(file, SourceEdit.replace(cMover(), "#include \"kiln_script.h\"",
                        "#include \"kiln_script.h\"\n#undef KILN_ABI_VERSION\n#define KILN_ABI_VERSION 2u"));
                reloads.reloadNow("c_mover");
                ReloadEvent abi = awaitEvent(t, events, reloads);
                assertThat(abi).isInstanceOf(ReloadEvent.LoadFailed.class);
                assertThat(((ReloadEvent.LoadFailed) abi).message()).contains("built for Kiln ABI version 2");

                events.clear();
                Files.writeString(file, SourceEdit.replace(cMover(), "kiln_status kiln_script_update(", "kiln_status renamed_update("));
                reloads.reloadNow("c_mover");
                ReloadEvent missing = awaitEvent(t, events, reloads);
                assertThat(missing).isInstanceOf(ReloadEvent.LoadFailed.class);
                assertThat(((ReloadEvent.LoadFailed) missing).message()).contains("missing required export(s) kiln_script_update");
            }
            float x = t.engine.world().position(e).x();
            t.run(60);
            assertThat(t.engine.world().position(e).x()).isCloseTo(x + 1f, Offset.offset(1e-3f));
        }
    }
}
