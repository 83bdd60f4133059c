package dev.kiln.reload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.script.ScriptInstance;
import dev.kiln.script.StateFields;
import dev.kiln.testing.LibraryVersions;
import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A thousand distinct library versions swapped in one after another (distinct files with
 * distinct contents, as a long editing session makes): no old version stays mapped, and the
 * native memory the process has allocated stays flat after warm-up.
 */
class ThousandVersionsTest {
    private static final int VERSIONS = 1000;
    private static final int WARM_UP = 50;
    /** The JIT's own arenas come and go by a few MiB; a leak of 0.1 MiB per version would add ~95 MiB. */
    private static final long ALLOWED_GROWTH_BYTES = 10L << 20;

    @Test
    void aThousandVersionsLeaveNoMappingAndNoNativeMemoryBehind(@TempDir Path dir) throws Throwable {
        Path file = dir.resolve("counter.zig");
        try (TestEngine t = new TestEngine()) {
            Files.writeString(file, LibrarySwapTest.V1);
            var built = t.engine.compiler().build(file);
            byte[] library = Files.readAllBytes(built.library());
            int hashAt = LibraryVersions.hashOffset(library, built.sourceHash());
            t.engine.scripts().load(LibraryVersions.version(library, hashAt, dir, "counter", 0), null, false);
            ScriptInstance i = t.engine.scripts().attach(t.engine.world().spawn(), "counter", 0, null);
            t.step();
            long warm = 0;
            for (int v = 1; v <= VERSIONS; v++) {
                Path next = LibraryVersions.version(library, hashAt, dir, "counter", v);
                assertThat(t.engine.scripts().swapLibrary("counter", t.engine.scripts().loadCode(next, false)).ok()).isTrue();
                t.step();
                Files.delete(next);
                if (v % 100 == 0) assertThat(mappedVersions(dir)).as("version %d", v).isEqualTo(1);
                if (v == WARM_UP) warm = LibraryVersions.mallocatedBytesAfterGc();
            }
            long growth = LibraryVersions.mallocatedBytesAfterGc() - warm;
            assertThat(growth).as("native bytes allocated since version %d", WARM_UP).isLessThan(ALLOWED_GROWTH_BYTES);
            assertThat(StateFields.read(i, "count")).isEqualTo((long) VERSIONS + 1);
        }
    }

    private static long mappedVersions(Path dir) throws Exception {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(l -> l.contains(dir.toString()) && l.contains("libcounter-v"))
                .map(l -> l.substring(l.lastIndexOf(' ') + 1)).distinct().count();
    }

}
