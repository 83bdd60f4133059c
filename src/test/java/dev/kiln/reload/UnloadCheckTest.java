package dev.kiln.reload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.script.LogEntry;
import dev.kiln.script.SwapResult;
import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After a swap the old library must leave the process; one that cannot is reported once, with why. */
class UnloadCheckTest {
    @Test
    void aLibraryThatCannotUnloadIsReportedOnceWithTheLikelyCause(@TempDir Path dir) throws Exception {
        try (TestEngine t = new TestEngine()) {
            Path source = dir.resolve("c_mover.c");
            Files.copy(TestEngine.home().resolve("src/test/c/c_mover.c"), source);
            t.engine.loadLibrary(nodelete(t, source, dir.resolve("libc_mover-stuck1.so")));
            t.engine.scripts().attach(t.engine.world().spawn(), "c_mover", 0, null);
            t.run(2);
            swapTo(t, nodelete(t, source, dir.resolve("libc_mover-stuck2.so")));
            swapTo(t, t.engine.compiler().buildC(source).library());
            List<String> warnings = t.messages(LogEntry.Level.WARN).stream().filter(m -> m.contains("still mapped")).toList();
            assertThat(warnings).hasSize(1); // once per script, not once per reload
            assertThat(warnings.getFirst()).contains("libc_mover-stuck1.so").contains("NODELETE");
        }
    }

    @Test
    void anOrdinarySwapUnloadsTheOldLibraryWithoutAWord(@TempDir Path dir) throws Exception {
        try (TestEngine t = new TestEngine()) {
            Path source = dir.resolve("c_mover.c");
            Files.copy(TestEngine.home().resolve("src/test/c/c_mover.c"), source);
            Path first = t.engine.compiler().buildC(source).library();
            Path copy = Files.copy(first, dir.resolve("libc_mover-copy.so"));
            t.engine.loadLibrary(copy);
            t.engine.scripts().attach(t.engine.world().spawn(), "c_mover", 0, null);
            t.run(2);
            swapTo(t, first);
            assertThat(Files.readString(Path.of("/proc/self/maps"))).doesNotContain(copy.toString());
            assertThat(t.messages(LogEntry.Level.WARN)).noneMatch(m -> m.contains("still mapped"));
        }
    }

    private static void swapTo(TestEngine t, Path library) throws Exception {
        SwapResult result = t.engine.scripts().swapLibrary("c_mover", t.engine.scripts().loadCode(library, false));
        assertThat(result.ok()).as(result.error()).isTrue();
        t.engine.scripts().awaitClosedLibraries(); // the old version closes off the frame thread
    }

    /** c_mover built like the engine builds C scripts, but linked with -z nodelete. */
    private static Path nodelete(TestEngine t, Path source, Path output) throws Exception {
        Process p = new ProcessBuilder(t.engine.compiler().zig().executable().toString(), "cc", "-shared", "-fPIC",
                "-O2", "-std=c11", "-Wl,-z,nodelete", "-I", TestEngine.home().resolve("abi").toString(),
                "-DKILN_SOURCE_HASH=\"" + output.getFileName() + "\"", "-o", output.toString(), source.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        return output;
    }
}
