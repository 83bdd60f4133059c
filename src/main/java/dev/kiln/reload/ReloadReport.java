package dev.kiln.reload;

import dev.kiln.build.Diagnostic;
import dev.kiln.state.StateMigration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Turns reload events into the lines a developer reads in the console. */
public final class ReloadReport {
    private ReloadReport() {}

    public static String describe(ReloadEvent event) {
        return switch (event) {
            case ReloadEvent.BuildStarted e -> "reload: " + e.script() + " changed, building...";
            case ReloadEvent.Superseded e -> "reload: " + e.script() + " build stopped: a newer save builds instead";
            case ReloadEvent.Unchanged e -> "reload: " + e.script() + " saved without changes";
            case ReloadEvent.BuildFailed e -> "reload: " + e.script()
                    + " does not compile; the running version stays:\n" + diagnostics(e.diagnostics(), e.compilerOutput());
            case ReloadEvent.LoadFailed e -> "reload: " + e.script() + " refused; the running version stays: " + e.message();
            case ReloadEvent.SwapFailed e -> "reload: " + e.script() + " not swapped; the running version stays: " + e.message();
            case ReloadEvent.Reloaded e -> reloaded(e);
            case ReloadEvent.RolledBack e -> "reload: " + e.script() + " faulted " + e.framesRun()
                    + " frames after its reload (" + e.reason() + "); rolling back to the previous good version"
                    + (e.paused() ? "; rolled back twice in a row, so auto-reload of " + e.script()
                    + " is paused until its source is saved again" : "");
            case ReloadEvent.Settling e -> "reload: " + e.script() + ": " + e.file() + " " + e.why()
                    + "; building once it has not changed for " + e.settle().toMillis() / 1000.0 + " s";
            case ReloadEvent.NeedsConfirmation e -> "reload: " + e.script()
                    + " not swapped: the new version drops every State field (" + String.join(", ", e.dropped())
                    + "); save again to confirm";
        };
    }

    private static String reloaded(ReloadEvent.Reloaded e) {
        String head = String.format(Locale.ROOT,
                "reload: %s %s in %.2f s (build %.2f s, load %.1f ms, migrate %.2f ms, swap %.2f ms), %d instance%s",
                e.script(), e.reverted() ? "reverted to the last good version" : "running new code",
                e.savedToRunningNanos() / 1e9, e.buildNanos() / 1e9, e.loadNanos() / 1e6,
                e.swap().migrateNanos() / 1e6, e.swap().swapNanos() / 1e6, e.swap().instances(),
                e.swap().instances() == 1 ? "" : "s");
        List<String> parts = new ArrayList<>();
        for (StateMigration.FieldChange.Kind kind : StateMigration.FieldChange.Kind.values()) {
            if (kind == StateMigration.FieldChange.Kind.KEPT) continue;
            String fields = e.swap().changes().stream().filter(c -> c.kind() == kind)
                    .map(c -> c.detail().isEmpty() || kind == StateMigration.FieldChange.Kind.ADDED
                            || kind == StateMigration.FieldChange.Kind.REMOVED ? c.field() : c.field() + " (" + c.detail() + ")")
                    .collect(Collectors.joining(", "));
            if (!fields.isEmpty()) parts.add(kind.name().toLowerCase(Locale.ROOT) + " " + fields);
        }
        return parts.isEmpty() ? head : head + "; State " + String.join("; ", parts);
    }

    private static String diagnostics(List<Diagnostic> diagnostics, String rawOutput) {
        if (diagnostics.isEmpty()) return "  " + rawOutput.strip().replace("\n", "\n  ");
        StringBuilder out = new StringBuilder();
        for (Diagnostic d : diagnostics) {
            out.append("  ").append(d).append('\n');
            for (String line : d.sourceLines()) out.append("    ").append(line).append('\n');
            for (Diagnostic n : d.notes()) out.append("    ").append(n).append('\n');
        }
        return out.toString().stripTrailing();
    }
}
