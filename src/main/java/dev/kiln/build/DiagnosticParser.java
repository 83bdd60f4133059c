package dev.kiln.build;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses compiler output into diagnostics. Zig prints `path:line:col: error: msg`, then the
 * source line and a caret line, then `note:` lines in the same format.
 */
public final class DiagnosticParser {
    private static final Pattern LOCATED =
            Pattern.compile("^(.+?):(\\d+):(\\d+): (error|warning|note): (.*)$");
    private static final Pattern BARE = Pattern.compile("^(error|warning|note): (.*)$");

    private DiagnosticParser() {}

    public static List<Diagnostic> parse(String output) {
        List<Builder> top = new ArrayList<>();
        Builder current = null;
        for (String line : output.split("\\R")) {
            Matcher m = LOCATED.matcher(line);
            Matcher b = BARE.matcher(line);
            Builder next = null;
            if (m.matches()) {
                next = new Builder(severity(m.group(4)), Path.of(m.group(1)), Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(3)), m.group(5));
            } else if (b.matches()) {
                next = new Builder(severity(b.group(1)), null, 0, 0, b.group(2));
            }
            if (next != null) {
                if (next.severity == Diagnostic.Severity.NOTE && !top.isEmpty()) {
                    top.getLast().notes.add(next);
                } else {
                    top.add(next);
                }
                current = next;
            } else if (current != null && !line.isBlank()) {
                current.source.add(line);
            }
        }
        List<Diagnostic> out = new ArrayList<>();
        for (Builder t : top) out.add(t.build());
        return out;
    }

    private static Diagnostic.Severity severity(String s) {
        return switch (s) {
            case "error" -> Diagnostic.Severity.ERROR;
            case "warning" -> Diagnostic.Severity.WARNING;
            default -> Diagnostic.Severity.NOTE;
        };
    }

    private static final class Builder {
        final Diagnostic.Severity severity;
        final Path file;
        final int line;
        final int column;
        final String message;
        final List<String> source = new ArrayList<>();
        final List<Builder> notes = new ArrayList<>();

        Builder(Diagnostic.Severity severity, Path file, int line, int column, String message) {
            this.severity = severity;
            this.file = file;
            this.line = line;
            this.column = column;
            this.message = message;
        }

        Diagnostic build() {
            List<Diagnostic> built = new ArrayList<>();
            for (Builder n : notes) built.add(n.build());
            return new Diagnostic(severity, file, line, column, message, List.copyOf(source), List.copyOf(built));
        }
    }
}
