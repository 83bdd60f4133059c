package dev.kiln.script;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The engine process's resident memory, from /proc/self/statm (0 where it cannot be read). */
final class ResidentMemory {
    private static final Path STATM = Path.of("/proc/self/statm");
    /** statm counts pages; the engine runs on x86_64 and AArch64 Linux with 4 KiB pages. */
    private static final long PAGE_BYTES = 4096;

    private ResidentMemory() {}

    static long bytes() {
        try {
            String[] fields = Files.readString(STATM).trim().split(" ");
            return Long.parseLong(fields[1]) * PAGE_BYTES;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
