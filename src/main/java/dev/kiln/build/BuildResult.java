package dev.kiln.build;

import java.nio.file.Path;
import java.util.List;

/**
 * Outcome of building one script: the library (null when the build failed), the parsed
 * diagnostics, the raw compiler output, and how long it took. {@code inputs} are the script's
 * files as the compiler reported reading them (missing ones included: a file an import names
 * before it exists), so a watcher knows what to follow. {@code cancelled}: stopped by a newer
 * save or by closing, not a failure of the script.
 */
public record BuildResult(Path source, Path library, String sourceHash, List<Diagnostic> diagnostics,
                          String compilerOutput, long durationNanos, boolean cached, List<Path> inputs,
                          boolean cancelled) {
    public boolean ok() {
        return library != null;
    }

    public List<Diagnostic> errors() {
        return diagnostics.stream().filter(d -> d.severity() == Diagnostic.Severity.ERROR).toList();
    }
}
