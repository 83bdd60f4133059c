package dev.kiln.reload;

import dev.kiln.abi.LibraryLoadException;
import dev.kiln.build.BuildCancellation;
import dev.kiln.build.BuildResult;
import dev.kiln.build.Diagnostic;
import dev.kiln.build.ScriptCompiler;
import dev.kiln.engine.Engine;
import dev.kiln.loader.ScriptCode;
import dev.kiln.script.PreparedSwap;
import dev.kiln.script.ScriptLibrary;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What a reload does on a builder thread, before the frame boundary: one build of a script
 * (waiting first for a save still being written, {@link TransientSave}), then the library
 * loaded into a temporary slot (ABI, exports, metadata checked), a version that drops every
 * State field held for confirmation ({@link FieldDropGuard}), and the swap prepared and queued
 * for the frame thread. A stale library (STALE_METADATA) is built once more by a fresh compiler.
 */
final class ReloadBuild {
    /** Where a build's outcomes go besides the listener (HotReloadManager). */
    interface Outlet {
        /** The files the compiler read for {@code t}: added to the known ones after a failed build, else replacing them. */
        void inputsRead(TrackedScript t, List<Path> files, boolean addToKnown);

        /** A build with warnings (what breaks replay), to log on the frame thread. */
        void warned(BuildResult result);

        /** A loaded, checked and prepared version, for the next frame boundary. */
        void queue(PendingSwap swap);
    }

    private final Engine engine;
    private final ScriptCompiler compiler;
    private final ReloadListener listener;
    private final Outlet outlet;

    ReloadBuild(Engine engine, ReloadListener listener, Outlet outlet) {
        this.engine = engine;
        this.compiler = engine.compiler();
        this.listener = listener;
        this.outlet = outlet;
    }

    /** One build of {@code t}, on a builder thread (see {@link ScriptBuildSupervisor.Job}). */
    void build(TrackedScript t, long generation, BuildCancellation cancellation, long noticed, Set<Path> changed,
               boolean settled) {
        if (!settled && settling(t, generation, changed, TransientSave::quick)) return;
        listener.onEvent(new ReloadEvent.BuildStarted(t.name));
        long start = System.nanoTime();
        BuildResult result = t.isC() ? compiler.buildC(t.source, cancellation) : compiler.build(t.source, cancellation);
        long buildNanos = System.nanoTime() - start;
        outlet.inputsRead(t, result.inputs(), !result.ok()); // the save may have added, removed or broken imports
        if (result.cancelled() || !t.supervisor.current(generation)) {
            if (!t.supervisor.closed()) listener.onEvent(new ReloadEvent.Superseded(t.name)); // a newer save builds next
            return;
        }
        if (!result.ok() && !settled && settling(t, generation, changed, f -> TransientSave.unparseable(f, compiler.zig()))) {
            return; // a save still being written failed to build: built again once it settles
        }
        if (!result.ok()) {
            listener.onEvent(new ReloadEvent.BuildFailed(t.name, result.diagnostics(), result.compilerOutput()));
        } else if (result.sourceHash().equals(t.runningHash())) {
            listener.onEvent(new ReloadEvent.Unchanged(t.name));
        } else {
            if (result.diagnostics().stream().anyMatch(d -> d.severity() == Diagnostic.Severity.WARNING)) {
                outlet.warned(result); // logged on the frame thread, where the log is written
            }
            boolean confirmed = t.confirms(result.sourceHash());
            LibraryLoadException stale = loadAndQueueSwap(t, result.library(), result.sourceHash(), buildNanos,
                    noticed, false, null, confirmed, !t.isC());
            if (stale == null) return;
            // The library described another build's State (STALE_METADATA): never migrated by. A
            // warm compiler's is forgotten and built again by a fresh compiler, the warm one next.
            if (!compiler.retireStale(t.source, result.library())) {
                listener.onEvent(new ReloadEvent.LoadFailed(t.name, stale.getMessage()));
                return;
            }
            BuildResult fresh = compiler.build(t.source, cancellation);
            buildNanos = System.nanoTime() - start;
            if (fresh.cancelled() || !t.supervisor.current(generation)) {
                if (!t.supervisor.closed()) listener.onEvent(new ReloadEvent.Superseded(t.name));
            } else if (!fresh.ok()) {
                listener.onEvent(new ReloadEvent.BuildFailed(t.name, fresh.diagnostics(), fresh.compilerOutput()));
            } else {
                loadAndQueueSwap(t, fresh.library(), fresh.sourceHash(), buildNanos, noticed, false, null, confirmed, false);
            }
        }
    }

    /**
     * True when one of the {@code changed} files looks like a save still being written ({@code
     * check} says why): reported, and the build waits until the files stay unchanged for
     * {@link TransientSave#SETTLE}.
     */
    private boolean settling(TrackedScript t, long generation, Set<Path> changed,
                             Function<Path, Optional<String>> check) {
        for (Path file : changed) {
            Optional<String> why = check.apply(file);
            if (why.isPresent()) {
                listener.onEvent(new ReloadEvent.Settling(t.name, file, why.get(), TransientSave.SETTLE));
                t.supervisor.waitToSettle(generation, changed, TransientSave.SETTLE);
                return true;
            }
        }
        return false;
    }

    /**
     * Loads into a temporary slot (off the frame thread) and queues the swap for the frame
     * boundary; a version that would drop every State field is held instead, unless {@code confirmed}.
     * Null when the library was queued, held or its refusal reported; the refusal itself, not
     * reported, when {@code mayRebuildStale} and it was refused as STALE_METADATA (the caller
     * decides whether to build again). A failed revert puts {@code abandoned} back in the history.
     */
    LibraryLoadException loadAndQueueSwap(TrackedScript t, Path library, String hash, long buildNanos, long noticed,
                                          boolean reverting, Path abandoned, boolean confirmed, boolean mayRebuildStale) {
        long start = System.nanoTime();
        ScriptCode next;
        try {
            next = engine.scripts().loadCode(library, t.isolated);
        } catch (LibraryLoadException e) {
            if (mayRebuildStale && e.reason() == LibraryLoadException.Reason.STALE_METADATA) return e;
            listener.onEvent(new ReloadEvent.LoadFailed(t.name, e.getMessage()));
            if (reverting && abandoned != null) t.history.add(abandoned);
            return null;
        }
        long loadNanos = System.nanoTime() - start;
        ScriptLibrary running = engine.scripts().library(t.name);
        List<String> dropped = confirmed || running == null ? List.of()
                : FieldDropGuard.dropsEveryField(running.info(), next);
        if (!dropped.isEmpty()) {
            next.close();
            t.hold(library, hash);
            listener.onEvent(new ReloadEvent.NeedsConfirmation(t.name, dropped));
            return null;
        }
        // The migration plan and the new States' block, worked out here rather than on the frame thread.
        PreparedSwap prepared = engine.scripts().prepareSwap(t.name, next);
        outlet.queue(new PendingSwap(t, next, prepared, library, hash, buildNanos, loadNanos, noticed, reverting, abandoned));
        return null;
    }
}
