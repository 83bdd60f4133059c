package dev.kiln.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Many distinct versions of one built library without building each (a long editing session in
 * seconds): copies whose source-hash string differs, at paths of their own.
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

    /** Bytes in use by malloc after a GC, the lowest of a few readings: {@link ProcessMemory#settled}. */
    public static long mallocatedBytesAfterGc() throws Throwable {
        return ProcessMemory.settled().mallocated();
    }
}
