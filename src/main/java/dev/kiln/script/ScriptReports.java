package dev.kiln.script;

import dev.kiln.loader.ContainerMemory;
import dev.kiln.loader.NativeHeap;
import dev.kiln.ecs.Entities;
import dev.kiln.ecs.Status;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The runtime's log lines about scripts: a script's own lines (with its name and entity, found
 * by instance id even just after its detach), the engine's, init failures no SDK line reported,
 * memory refusals and request floods (a flood past its limit disables the instance through
 * {@link FaultReports}). Frame thread only.
 */
final class ScriptReports {
    /** The SDK's line for a failed init (zig/sdk/exports.zig, runHook). */
    private static final String SDK_INIT_FAILED = "init returned error.";
    private static final String INIT_FAILED_TAIL = "; this instance is disabled until the script is reloaded";

    private final LogSink log;
    private final LongSupplier frameIndex;
    private final InstanceRegistry instances;
    private final LibraryRegistry libraries;
    /** The inits' and shutdowns' batch: instances shut down in this barrier still post. */
    private final InstanceBatch lifecycleBatch;
    private final ContainerBudgets budgets;
    private final FloodReports floods;
    private final FaultReports faults;
    /**
     * Instances whose init just failed, by id, until their requests are applied: the SDK logs
     * "init returned error.X" itself, and that line, completed, is the one report of it.
     */
    private final Map<Integer, Status> initFailures = new LinkedHashMap<>();

    ScriptReports(LogSink log, LongSupplier frameIndex, InstanceRegistry instances, LibraryRegistry libraries,
                  InstanceBatch lifecycleBatch, ContainerBudgets budgets, FloodReports floods, FaultReports faults) {
        this.log = log;
        this.frameIndex = frameIndex;
        this.instances = instances;
        this.libraries = libraries;
        this.lifecycleBatch = lifecycleBatch;
        this.budgets = budgets;
        this.floods = floods;
        this.faults = faults;
    }

    /** A line script instance {@code sourceInstance} posted (or the applier wrote about its request). */
    void log(LogEntry.Level level, int sourceInstance, String message) {
        ScriptInstance source = sourceInstance(sourceInstance);
        String script = source == null ? "instance#" + sourceInstance : source.scriptName();
        long entity = source == null ? Entities.NULL : source.entity();
        if (source != null && level == LogEntry.Level.ERROR && message.startsWith(SDK_INIT_FAILED)
                && initFailures.remove(sourceInstance) != null) {
            message = message + INIT_FAILED_TAIL; // the one line of this failure, with the Zig error's name
        }
        // The instance keeps the name its entity had when attached: still right after a despawn.
        String name = source == null ? null : source.entityName();
        log.log(new LogEntry(frameIndex.getAsLong(), level, script, entity, name, message));
    }

    void logEngine(LogEntry.Level level, String message) {
        log.log(new LogEntry(frameIndex.getAsLong(), level, LogEntry.ENGINE, Entities.NULL, message));
    }

    /**
     * An instance detached in this barrier whose requests are still being applied: one detached
     * by an earlier request (a despawn of its entity) waits for its shutdown call with what it
     * posted before still to apply, and one shut down in this barrier posts from shutdown. Its
     * requests keep their poster: its name in their lines, its entity as their signals' sender
     * (what the native signal router's sender table, built before the detach, says too).
     */
    private ScriptInstance recentlyDetached(int id) {
        for (ScriptInstance i : instances.pendingShutdown()) if (i.id() == id) return i;
        for (ScriptInstance i : lifecycleBatch.order()) if (i.id() == id) return i;
        return null;
    }

    /** The instance that posted a request: attached, or detached in this barrier; null for neither. */
    ScriptInstance sourceInstance(int id) {
        ScriptInstance i = instances.get(id);
        return i != null ? i : recentlyDetached(id);
    }

    String scriptNameOf(int sourceInstance) {
        ScriptInstance source = sourceInstance(sourceInstance);
        return source == null ? "instance#" + sourceInstance : source.scriptName();
    }

    /** {@code i}'s init returned {@code status}: reported when its requests are applied (the SDK's line names the error). */
    void initFailed(ScriptInstance i, Status status) {
        initFailures.put(i.id(), status);
    }

    /** Forgets the init failures not reported yet (a keyframe's restore). */
    void clearInitFailures() {
        initFailures.clear();
    }

    /** Init failures no SDK line reported (a C script, a status without an error): the engine's line. */
    void reportInitFailures() {
        if (initFailures.isEmpty()) return;
        for (var e : initFailures.entrySet()) {
            ScriptInstance i = sourceInstance(e.getKey());
            if (i == null) continue;
            log.log(new LogEntry(frameIndex.getAsLong(), LogEntry.Level.ERROR, i.scriptName(), i.entity(), i.entityName(),
                    "init returned " + e.getValue() + INIT_FAILED_TAIL));
        }
        initFailures.clear();
    }

    /** A signal of instance {@code owner} refused past its share of the signal queue: counted as its flood. */
    void noteSignalRefused(int owner) {
        ScriptInstance instance = sourceInstance(owner);
        if (instance != null) floods.noteSignalRefused(instance);
    }

    /** Requests of instance {@code owner}'s range refused past its quota, or logs its SDK dropped. */
    void noteFlood(int owner, int quota, long refused, long logsDropped) {
        ScriptInstance instance = sourceInstance(owner);
        if (instance == null) return; // a dry run's probe: nothing of it is applied
        // a range's quota may be what was left of the instance's for a barrier's dispatch rounds
        floods.note(instance, instance.requestQuota() > 0 ? instance.requestQuota() : quota, refused, logsDropped);
    }

    /** The phase just applied (and its dispatch rounds): memory refusals, then floods (FloodReports). */
    void reportFloods() {
        reportMemoryRefusals();
        floods.report(frameIndex.getAsLong(), log, faults::disable);
    }

    /**
     * Instances whose containers could not grow for their memory budget since the last barrier:
     * one warning each, with the numbers (the SDK's own error line names the call).
     */
    private void reportMemoryRefusals() {
        if (budgets.heap() != null) reportMemoryRefusals(budgets.heap());
        // Isolated libraries keep containers in their hosts' heaps: the same warning from there.
        List<ScriptLibrary> isolated = libraries.withOwnContainers();
        for (int k = 0; k < isolated.size(); k++) reportMemoryRefusals(isolated.get(k).code().containerMemory());
    }

    private void reportMemoryRefusals(ContainerMemory memory) {
        NativeHeap.Refusals refusals = memory.takeRefusals();
        for (int id : refusals.instances()) {
            NativeHeap.Usage u = memory.usage(id, true);
            ScriptInstance i = instances.get(id);
            if (i == null) continue; // the dry-run probe, or gone since
            log.log(new LogEntry(frameIndex.getAsLong(), LogEntry.Level.WARN, i.scriptName(), i.entity(), i.entityName(),
                    u.refused() + (u.refused() == 1 ? " container growth" : " container growths")
                            + " refused: over its memory budget of " + u.budgetBytes() + " bytes (" + u.usedBytes()
                            + " in use, " + u.refusedBytes() + " asked for)"));
        }
        if (refusals.unlisted() > 0) {
            logEngine(LogEntry.Level.WARN, refusals.unlisted() + " more script instances went over their memory budget");
        }
    }
}
