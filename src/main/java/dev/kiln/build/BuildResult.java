package dev.kiln.build;

import java.nio.file.Path;
import java.util.List;

/**
 * Outcome of building one script: the library (null when the build failed), the parsed
 * diagnostics, the raw compiler output, and how long it took.
 */
public record BuildResult(Path source, Path library, String sourceHash, List<Diagnostic> diagnostics,
                          String compilerOutput, long durationNanos, boolean cached) {
    public boolean ok() {
        return library != null;
    }

    public List<Diagnostic> errors() {
        return diagnostics.stream().filter(d -> d.severity() == Diagnostic.Severity.ERROR).toList();
    }
}
