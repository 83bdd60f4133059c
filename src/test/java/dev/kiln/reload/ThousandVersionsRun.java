package dev.kiln.reload;

import dev.kiln.script.ScriptInstance;
import dev.kiln.script.StateFields;
import dev.kiln.testing.LibraryVersions;
import dev.kiln.testing.ProcessMemory;
import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * The body of {@link ThousandVersionsTest}, run in a JVM of its own whose heap has a fixed size,
 * so that nothing measured here comes from earlier tests and heap growth cannot pass as native
 * memory. Prints lines starting with {@link #TAG} that the test reads; exits non-zero on an error.
 */
final class ThousandVersionsRun {
    static final String TAG = "thousand";
    /** Distinct versions swapped in, one a frame. */
    static final int VERSIONS = 1000;
    /** Versions after which memory is expected flat. */
    static final int WARM_UP = 50;
    /**
     * Swaps between two versions before the distinct ones: they run the same steps (write the
     * file, load, swap, migrate, close, unload check, delete, trace) so that the JIT compiles them first. Without them the
     * JIT's own growth (code cache, compiler arenas kept by glibc) lands between versions ≈ 150
     * and ≈ 350 and reads as +16–19 MiB that no later version adds to.
     */
    static final int JIT_WARM_UP_SWAPS = 1000;
    /** Versions between two checks of the mappings and two quick memory readings. */
    static final int TRACE_EVERY = 100;

    private ThousandVersionsRun() {}

    /** args[0]: an empty directory for the script and its versions. */
    public static void main(String[] args) throws Throwable {
        Path dir = Path.of(args[0]);
        Path file = dir.resolve("counter.zig");
        try (TestEngine t = new TestEngine()) {
            Files.writeString(file, LibrarySwapTest.V1);
            var built = t.engine.compiler().build(file);
            byte[] library = Files.readAllBytes(built.library());
            int hashAt = LibraryVersions.hashOffset(library, built.sourceHash());
            t.engine.scripts().load(LibraryVersions.version(library, hashAt, dir, "counter", 0), null, false);
            ScriptInstance i = t.engine.scripts().attach(t.engine.world().spawn(), "counter", 0, null);
            t.step();
            // the JIT's warm-up: the same steps as below over two versions in turn, rewritten each time
            for (int w = 1; w <= JIT_WARM_UP_SWAPS; w++) versionStep(t, library, hashAt, dir, VERSIONS + 1 + w % 2, w, false);
            for (int v = 1; v <= VERSIONS; v++) {
                versionStep(t, library, hashAt, dir, v, v, true);
                if (v == WARM_UP) print("warm", v, ProcessMemory.settled());
            }
            print("end", VERSIONS, ProcessMemory.settled());
            print("count", VERSIONS, StateFields.read(i, "count"));
        }
    }

    /**
     * Writes version {@code v}'s file, swaps it in, runs a frame and deletes the file; every
     * {@link #TRACE_EVERY}th {@code step} checks the mappings and takes a quick reading, which
     * only the distinct versions print.
     */
    private static void versionStep(TestEngine t, byte[] library, int hashAt, Path dir, int v, int step, boolean printing) throws Throwable {
        Path version = LibraryVersions.version(library, hashAt, dir, "counter", v);
        var result = t.engine.scripts().swapLibrary("counter", t.engine.scripts().loadCode(version, false));
        if (!result.ok()) throw new IllegalStateException("swap to " + version + " failed: " + result.error());
        t.step();
        Files.delete(version);
        if (step % TRACE_EVERY != 0) return;
        t.engine.scripts().awaitClosedLibraries(); // old versions close off the frame thread
        String mapped = String.join("|", mappedVersions(dir));
        ProcessMemory.Reading quick = ProcessMemory.now();
        if (!printing) return;
        print("mapped", v, mapped);
        print("trace", v, quick);
    }

    private static void print(String what, int version, Object value) {
        String text = value instanceof ProcessMemory.Reading r ? r.residentOutsideHeap() + " " + r.mallocated() : String.valueOf(value);
        System.out.println(TAG + " " + what + " " + version + " " + text);
    }

    /** File names of the counter's versions mapped into this process, "(deleted)" marks left off. */
    static Set<String> mappedVersions(Path dir) throws Exception {
        Set<String> names = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            // address perms offset dev inode path: the path is the sixth field and may hold spaces
            String[] fields = line.trim().split("\\s+", 6);
            if (fields.length < 6) continue;
            Path path = Path.of(fields[5].replaceFirst(" \\(deleted\\)$", ""));
            if (path.startsWith(dir) && path.getFileName().toString().startsWith("libcounter-v")) names.add(path.getFileName().toString());
        }
        return names;
    }
}
