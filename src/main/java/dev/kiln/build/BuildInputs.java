package dev.kiln.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * The input list stored next to each built library (`lib&lt;name&gt;-&lt;hash&gt;.so.inputs`,
 * one path a line, relative to the script's folder), so a cached library, or one loaded before
 * the reload manager started, still says which files to watch. Relative, because the cache key
 * is the content and layout, not the location: the same script in another folder is the same
 * library, and its inputs are in that folder.
 */
public final class BuildInputs {
    private static final String SUFFIX = ".inputs";

    private BuildInputs() {}

    /** The inputs recorded for {@code library}, or empty for a library built without a record. */
    public static Optional<List<Path>> of(Path library, Path scriptFolder) {
        Path file = library.resolveSibling(library.getFileName() + SUFFIX);
        try {
            return Optional.of(Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank()).map(l -> scriptFolder.resolve(l).normalize()).toList());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Deletes the record of {@code library} (with the library: see ScriptCompiler#retireStale). */
    static void delete(Path library) throws IOException {
        Files.deleteIfExists(library.resolveSibling(library.getFileName() + SUFFIX));
    }

    static void write(Path library, List<Path> inputs, Path scriptFolder) throws IOException {
        Path file = library.resolveSibling(library.getFileName() + SUFFIX);
        Path temp = library.resolveSibling(library.getFileName() + SUFFIX + ".tmp-" + ProcessHandle.current().pid());
        StringBuilder text = new StringBuilder();
        for (Path p : inputs) text.append(scriptFolder.relativize(p)).append('\n');
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
