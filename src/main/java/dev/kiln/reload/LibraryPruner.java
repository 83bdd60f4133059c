package dev.kiln.reload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Keeps build/libs bounded: of a script's built libraries (`lib<name>-<hash>.so` and their
 * `.inputs` lists) it keeps the ones named (running, last good) and the most recent few, and
 * deletes the rest. A library already mapped by the engine stays mapped when its file goes.
 */
final class LibraryPruner {
    /** Recent versions kept besides the running and last-good ones: quick undo by saving back. */
    static final int RECENT_VERSIONS_KEPT = 8;

    private LibraryPruner() {}

    /** Deletes {@code script}'s libraries in {@code libs} but {@code keep} and the newest ones; returns how many. */
    static int prune(Path libs, String script, Set<Path> keep) throws IOException {
        Pattern mine = Pattern.compile("lib" + Pattern.quote(script) + "-[0-9a-f]{16}\\.so");
        List<Path> versions = new ArrayList<>();
        try (Stream<Path> files = Files.list(libs)) {
            files.filter(f -> mine.matcher(f.getFileName().toString()).matches()).forEach(versions::add);
        }
        versions.sort(Comparator.comparing(LibraryPruner::modified).reversed());
        Set<Path> kept = keep.stream().map(p -> p.toAbsolutePath().normalize()).collect(Collectors.toSet());
        int deleted = 0;
        for (int k = RECENT_VERSIONS_KEPT; k < versions.size(); k++) {
            Path lib = versions.get(k);
            if (kept.contains(lib.toAbsolutePath().normalize())) continue;
            Files.deleteIfExists(lib);
            Files.deleteIfExists(lib.resolveSibling(lib.getFileName() + ".inputs"));
            deleted++;
        }
        return deleted;
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0); // gone already: oldest
        }
    }
}
