package dev.kiln.script;

import dev.kiln.abi.CommandBuffer;
import dev.kiln.ecs.Entities;
import dev.kiln.loader.FaultGuard;
import java.util.Collection;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What the runtime does with a contained fault (FaultRecovery hands it here): the faulting
 * call's requests are discarded, the instance — or, for a poisoned library, every instance of
 * it — is disabled until its script is reloaded, and one log line names script, entity and
 * cause. Calls skipped for room are counted per phase and named once (FloodReports).
 * Thread: the frame thread.
 */
final class FaultReports implements FaultRecovery.Handler {
    /** Growth during an overrun call past which it is reported as an allocation, not a hang. */
    static final long ALLOCATION_GROWTH_REPORT_BYTES = 128L << 20;

    private final CommandBuffer commands;
    private final LogSink log;
    private final Watchdog watchdog;
    private final FloodReports floods;
    private final LongSupplier frameIndex;
    private final Supplier<Collection<ScriptInstance>> instances;
    private final Consumer<ScriptInstance> phaseTableChanged;

    /**
     * @param instances every live instance (a poisoned library disables its own among them)
     * @param phaseTableChanged told of a disabled instance; applied before the next phase, not during the call
     */
    FaultReports(CommandBuffer commands, LogSink log, Watchdog watchdog, FloodReports floods, LongSupplier frameIndex,
                 Supplier<Collection<ScriptInstance>> instances, Consumer<ScriptInstance> phaseTableChanged) {
        this.commands = commands;
        this.log = log;
        this.watchdog = watchdog;
        this.floods = floods;
        this.frameIndex = frameIndex;
        this.instances = instances;
        this.phaseTableChanged = phaseTableChanged;
    }

    @Override
    public void instanceSkipped(ScriptInstance instance, String reason) {
        if (!floods.noteSkipped(instance)) return; // counted; FloodReports.report says how many more
        log.log(new LogEntry(frameIndex.getAsLong(), LogEntry.Level.WARN, instance.scriptName(), instance.entity(),
                instance.entityName(), "did not run this phase: " + reason));
    }

    @Override
    public void instanceFaulted(ScriptInstance instance, FaultGuard.Fault fault, int cmdOffset) {
        commands.truncate(cmdOffset);
        disable(instance, fault.describe());
        log.log(new LogEntry(frameIndex.getAsLong(), LogEntry.Level.ERROR, instance.scriptName(), instance.entity(),
                instance.entityName(), "fault contained: " + fault.describe()
                        + "; this instance is disabled until the script is reloaded" + stackTrace(fault)));
    }

    @Override
    public void libraryFaulted(ScriptLibrary library, ScriptInstance culprit, FaultGuard.Fault fault, int cmdOffset) {
        commands.truncate(cmdOffset);
        String reason = fault.kind() == FaultGuard.Kind.TIMEOUT ? overrunReason() : fault.describe();
        library.poison(reason);
        for (ScriptInstance i : instances.get()) if (i.library() == library) disable(i, reason);
        long entity = culprit == null ? Entities.NULL : culprit.entity();
        log.log(new LogEntry(frameIndex.getAsLong(), LogEntry.Level.ERROR, library.name(), entity,
                culprit == null ? null : culprit.entityName(), "fault contained: " + reason
                + (culprit == null ? "" : " (in " + culprit + ")")
                + "; every instance of this script is disabled until it is reloaded"));
    }

    /** Disables {@code instance} as faulted for {@code reason} (a fault, a failed init, a flood). */
    void disable(ScriptInstance instance, String reason) {
        instance.setFault(reason);
        instance.library().faulted(instance);
        instance.setEnabled(false);
        phaseTableChanged.accept(instance);
    }

    /**
     * A call stopped at its budget: a hang, or — when the process's memory grew by
     * {@link #ALLOCATION_GROWTH_REPORT_BYTES} or more meanwhile — an allocation too large to finish in time.
     */
    private String overrunReason() {
        long grown = watchdog.lastOverrunGrowthBytes();
        String budget = watchdog.budget().toMillis() + " ms budget";
        if (grown >= ALLOCATION_GROWTH_REPORT_BYTES) {
            return String.format(Locale.ROOT, "a call was still allocating memory when it ran past its %s "
                    + "(the process grew by %.1f GiB meanwhile) and was stopped: an allocation this large does not "
                    + "belong in a frame", budget, grown / (double) (1L << 30));
        }
        return "a call ran past its " + budget + " and was stopped";
    }

    private static String stackTrace(FaultGuard.Fault fault) {
        StringBuilder b = new StringBuilder();
        for (String frame : fault.trace()) b.append("\n    at ").append(frame);
        return b.toString();
    }
}
