package dev.kiln.inspector;

import dev.kiln.build.Diagnostic;
import dev.kiln.engine.Engine;
import dev.kiln.reload.HotReloadManager;
import dev.kiln.reload.ReloadEvent;
import dev.kiln.script.ScriptInstance;
import dev.kiln.script.ScriptLibrary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The errors view: the last failed reload of each script (compile diagnostics, refused load,
 * refused swap or migration) and every contained runtime fault. Frame thread.
 */
final class ErrorViews {
    private ErrorViews() {}

    static List<Snapshot.ErrorView> collect(Engine engine, HotReloadManager reloads) {
        List<Snapshot.ErrorView> out = new ArrayList<>();
        if (reloads != null) {
            for (String script : reloads.trackedScripts()) reloads.lastFailure(script).ifPresent(e -> out.add(of(e)));
        }
        for (ScriptLibrary lib : engine.scripts().libraries()) {
            if (lib.poisoned()) out.add(new Snapshot.ErrorView("fault", lib.name(), null, null,
                    "library stopped: " + lib.poisonedBy(), List.of()));
        }
        List<ScriptInstance> faulted = new ArrayList<>();
        for (ScriptInstance i : engine.scripts().instances()) if (i.fault() != null) faulted.add(i);
        faulted.sort(Comparator.comparingInt(ScriptInstance::id));
        for (ScriptInstance i : faulted) {
            out.add(new Snapshot.ErrorView("fault", i.scriptName(),
                    i.entityLabel(), i.id(), i.fault(),
                    List.of()));
        }
        return out;
    }

    private static Snapshot.ErrorView of(ReloadEvent event) {
        return switch (event) {
            case ReloadEvent.BuildFailed e -> new Snapshot.ErrorView("compile", e.script(), null, null,
                    e.diagnostics().isEmpty() ? e.compilerOutput().strip() : "does not compile; the running version stays",
                    e.diagnostics().stream().map(ErrorViews::diagnostic).toList());
            case ReloadEvent.LoadFailed e -> new Snapshot.ErrorView("load", e.script(), null, null, e.message(), List.of());
            case ReloadEvent.SwapFailed e -> new Snapshot.ErrorView("swap", e.script(), null, null, e.message(), List.of());
            case ReloadEvent.NeedsConfirmation e -> new Snapshot.ErrorView("swap", e.script(), null, null,
                    "not swapped: the new version drops every State field (" + String.join(", ", e.dropped())
                            + "); save again to confirm", List.of());
            case ReloadEvent.RolledBack e -> new Snapshot.ErrorView("rollback", e.script(), null, null,
                    "faulted " + e.framesRun() + " frames after its reload (" + e.reason() + "); rolled back to the previous good version"
                            + (e.paused() ? "; auto-reload paused until its source is saved again" : ""), List.of());
            default -> new Snapshot.ErrorView("other", event.script(), null, null, event.toString(), List.of());
        };
    }

    private static Snapshot.DiagnosticView diagnostic(Diagnostic d) {
        return new Snapshot.DiagnosticView(d.severity().name().toLowerCase(Locale.ROOT),
                d.file() == null ? null : d.file().toString(), d.line(), d.column(), d.message(), d.sourceLines(),
                d.notes().stream().map(Diagnostic::toString).toList());
    }
}
