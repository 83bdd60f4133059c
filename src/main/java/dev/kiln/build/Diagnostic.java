package dev.kiln.build;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * One compiler message, parsed from `path:line:col: error: message` (Zig and clang share the
 * format). {@code file} is null for messages without a location; notes belong to the error
 * before them.
 */
public record Diagnostic(Severity severity, Path file, int line, int column, String message,
                         List<String> sourceLines, List<Diagnostic> notes) {
    public enum Severity { ERROR, WARNING, NOTE }

    /** "path:line:col: error: message" — what an editor can jump to. */
    public String location() {
        return file == null ? "" : file + ":" + line + ":" + column;
    }

    @Override
    public String toString() {
        String where = file == null ? "" : location() + ": ";
        return where + severity.name().toLowerCase(Locale.ROOT) + ": " + message;
    }
}
