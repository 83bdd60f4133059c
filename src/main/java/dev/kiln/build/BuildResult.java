package dev.kiln.build;

import java.nio.file.Path;
import java.time.Duration;
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

    /** A build that made no library: {@code text} is what it said, parsed into diagnostics. */
    static BuildResult failed(Path source, String hash, String text, long start, List<Path> inputs,
                              boolean cancelled) {
        return new BuildResult(source, null, hash, DiagnosticParser.parse(text), text, System.nanoTime() - start,
                false, inputs, cancelled);
    }

    /** A build of a source file that does not exist. */
    static BuildResult missing(Path source) {
        String text = "error: script source " + source + " does not exist";
        return new BuildResult(source, null, "", DiagnosticParser.parse(text), text, 0, false, List.of(source), false);
    }

    /** Why a build's compiler did not finish: cancelled, or stopped at {@code timeout}. */
    static String stopped(Path source, SupervisedProcess.Outcome o, Duration timeout) {
        return o.cancelled() ? "\nerror: build of " + source + " cancelled (a newer save, or the engine closing)"
                : "\nerror: build of " + source + " took longer than the build timeout (" + timeout.toSeconds()
                        + " s) and its compiler was stopped";
    }
}
