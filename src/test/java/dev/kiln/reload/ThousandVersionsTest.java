package dev.kiln.reload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.script.ScriptInstance;
import dev.kiln.script.StateFields;
import dev.kiln.testing.TestEngine;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
            int hashAt = indexOf(library, built.sourceHash().getBytes(StandardCharsets.US_ASCII));
            t.engine.scripts().load(version(library, hashAt, dir, 0), null, false);
            ScriptInstance i = t.engine.scripts().attach(t.engine.world().spawn(), "counter", 0, null);
            t.step();
            long warm = 0;
            for (int v = 1; v <= VERSIONS; v++) {
                Path next = version(library, hashAt, dir, v);
                assertThat(t.engine.scripts().swapLibrary("counter", t.engine.scripts().loadCode(next, false)).ok()).isTrue();
                t.step();
                Files.delete(next);
                if (v % 100 == 0) assertThat(mappedVersions(dir)).as("version %d", v).isEqualTo(1);
                if (v == WARM_UP) warm = nativeBytesAfterGc();
            }
            long growth = nativeBytesAfterGc() - warm;
            assertThat(growth).as("native bytes allocated since version %d", WARM_UP).isLessThan(ALLOWED_GROWTH_BYTES);
            assertThat(StateFields.read(i, "count")).isEqualTo((long) VERSIONS + 1);
        }
    }

    /** A copy of the library whose content differs in its source hash string, at its own path. */
    private static Path version(byte[] library, int hashAt, Path dir, int v) throws Exception {
        byte[] copy = library.clone();
        byte[] tag = String.format("%08x", v).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(tag, 0, copy, hashAt, tag.length);
        Path temp = dir.resolve("writing.so");
        Files.write(temp, copy);
        return Files.move(temp, dir.resolve("libcounter-v" + v + ".so"), StandardCopyOption.ATOMIC_MOVE);
    }

    private static long mappedVersions(Path dir) throws Exception {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(l -> l.contains(dir.toString()) && l.contains("libcounter-v"))
                .map(l -> l.substring(l.lastIndexOf(' ') + 1)).distinct().count();
    }

    /** glibc's count of bytes in use by malloc (mallinfo2().uordblks): native memory outside the Java heap. */
    private static long nativeBytesAfterGc() throws Throwable {
        System.gc();
        Linker linker = Linker.nativeLinker();
        MethodHandle mallinfo2 = linker.downcallHandle(linker.defaultLookup().find("mallinfo2").orElseThrow(),
                FunctionDescriptor.of(MemoryLayout.structLayout(MemoryLayout.sequenceLayout(10, ValueLayout.JAVA_LONG))));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = (MemorySegment) mallinfo2.invokeExact((SegmentAllocator) arena);
            return info.getAtIndex(ValueLayout.JAVA_LONG, 7);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        throw new AssertionError("source hash not found in the library");
    }
}
