package dev.kiln.testing;

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

/**
 * Many distinct versions of one built library without building each (a long editing session in
 * seconds): copies whose source-hash string differs, at paths of their own; and the process's
 * malloc'd bytes, to see that swapping them in leaves no native memory behind.
 */
public final class LibraryVersions {
    private LibraryVersions() {}

    /** Where {@code sourceHash} lies in {@code library}'s bytes (the metadata string). */
    public static int hashOffset(byte[] library, String sourceHash) {
        byte[] needle = sourceHash.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + needle.length <= library.length; i++) {
            for (int j = 0; j < needle.length; j++) if (library[i + j] != needle[j]) continue outer;
            return i;
        }
        throw new AssertionError("source hash not found in the library");
    }

    /** Version {@code v}: the library with its hash string's first 8 characters replaced, as {@code dir/lib<name>-v<v>.so}. */
    public static Path version(byte[] library, int hashAt, Path dir, String name, int v) throws Exception {
        byte[] copy = library.clone();
        byte[] tag = String.format("%08x", v).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(tag, 0, copy, hashAt, tag.length);
        Path temp = dir.resolve("writing.so");
        Files.write(temp, copy);
        return Files.move(temp, dir.resolve("lib" + name + "-v" + v + ".so"), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Readings of {@link #mallocatedBytesAfterGc} taken apart, of which the lowest counts. */
    private static final int READINGS = 5;
    /** Spread over HotSpot's chunk-pool cleaning period (5 s), which hands the JIT's idle arenas back. */
    private static final long READING_GAP_MILLIS = 1500;

    /**
     * glibc's count of bytes in use by malloc (mallinfo2().uordblks), after a GC: native memory
     * outside the heap. The lowest of a few readings a moment apart: the JIT's compiler threads
     * malloc and free arenas of several MiB while they work, which comes and goes, while a leak
     * is in every reading.
     */
    public static long mallocatedBytesAfterGc() throws Throwable {
        long lowest = Long.MAX_VALUE;
        for (int k = 0; k < READINGS; k++) {
            if (k > 0) Thread.sleep(READING_GAP_MILLIS);
            lowest = Math.min(lowest, oneReading());
        }
        return lowest;
    }

    private static long oneReading() throws Throwable {
        System.gc();
        Linker linker = Linker.nativeLinker();
        MethodHandle mallinfo2 = linker.downcallHandle(linker.defaultLookup().find("mallinfo2").orElseThrow(),
                FunctionDescriptor.of(MemoryLayout.structLayout(MemoryLayout.sequenceLayout(10, ValueLayout.JAVA_LONG))));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = (MemorySegment) mallinfo2.invokeExact((SegmentAllocator) arena);
            return info.getAtIndex(ValueLayout.JAVA_LONG, 7);
        }
    }
}
