package dev.kiln.script;

import dev.kiln.dataplane.FrameBlock;
import dev.kiln.dataplane.GrowableSegment;
import dev.kiln.dataplane.SignalLane;
import dev.kiln.dataplane.SnapshotPublisher;
import dev.kiln.ecs.Status;
import dev.kiln.ecs.World;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * The frame and its barriers: the frame's clock, running a phase (pending inits first, then one
 * downcall per library over the phase table), and the barrier after it (apply the requests,
 * then rounds of shutdowns and signal dispatch with one quota per instance across them, the
 * update phase's integration, the snapshot republished). Frame thread only.
 */
final class ScriptFrame {
    private final World world;
    private final SnapshotPublisher snapshot;
    private final FrameBlock frame;
    private final CommandRanges ranges;
    private final LogSink log;
    private final LibraryRegistry libraries;
    /** {@link LibraryRegistry#version} when the rows' positions were last kept or let go (see {@link #keepRowPositionsForReaders}). */
    private int librariesSeen = -1;
    private final InstanceRegistry instances;
    private final PhaseTables phaseTables;
    /** The inits' and shutdowns' batch (its instances: the ones just shut down, for logging). */
    private final InstanceBatch lifecycleBatch;
    private final SignalBus signals;
    private final ContainerBudgets budgets;
    private final FaultReports faults;
    private final ScriptReports reports;
    private final CommandApplier applier;
    private final BarrierApply apply;
    /** Guards every script call: the runtime's faults, watchdog and command buffer. */
    private final FaultRecovery.Context guard;

    private long frameIndex;
    private double deltaTime;
    private double time;

    /** One request quota per instance across a barrier's dispatch rounds. */
    private final DispatchQuota dispatchQuota = new DispatchQuota();
    /** Instances whose hooks were told a quota lowered by {@link #dispatchQuota} this barrier. */
    private final List<ScriptInstance> loweredQuotas = new ArrayList<>();
    private final LongConsumer heldReporter = this::reportHeldEntity;

    ScriptFrame(World world, SnapshotPublisher snapshot, FrameBlock frame, CommandRanges ranges,
                LogSink log, LibraryRegistry libraries, InstanceRegistry instances, PhaseTables phaseTables,
                InstanceBatch lifecycleBatch, SignalBus signals, ContainerBudgets budgets, FaultReports faults,
                ScriptReports reports, CommandApplier applier, BarrierApply apply, FaultRecovery.Context guard) {
        this.world = world;
        this.snapshot = snapshot;
        this.frame = frame;
        this.ranges = ranges;
        this.log = log;
        this.libraries = libraries;
        this.instances = instances;
        this.phaseTables = phaseTables;
        this.lifecycleBatch = lifecycleBatch;
        this.signals = signals;
        this.budgets = budgets;
        this.faults = faults;
        this.reports = reports;
        this.applier = applier;
        this.apply = apply;
        this.guard = guard;
    }

    /** See {@link ScriptRuntime#beginFrame}. */
    void beginFrame(long frameIndex, double deltaTime, double time) {
        this.frameIndex = frameIndex;
        this.deltaTime = deltaTime;
        this.time = time;
        libraries.retired().report(reports); // an old version that stayed mapped, found off the frame thread
        publish();
        keepRowPositionsForReaders();
    }

    /**
     * Keeps the snapshot rows' positions current while a running version reads them (no
     * KILN_READS_POSITION_TABLE); with none, moves write the dense position table alone. Checked
     * when the set of running versions changed, before any hook of the frame or phase runs.
     */
    private void keepRowPositionsForReaders() {
        int version = libraries.version();
        if (version == librariesSeen) return;
        librariesSeen = version;
        snapshot.keepRowPositions(libraries.readsRowPositions(), world);
    }

    long frameIndex() {
        return frameIndex;
    }

    double deltaTime() {
        return deltaTime;
    }

    double time() {
        return time;
    }

    /** See {@link ScriptRuntime#runPhase}. */
    void runPhase(Phase phase) {
        keepRowPositionsForReaders(); // a library loaded since the frame began reads before its init runs
        runPendingInits(phase);
        phaseTables.update(instances.all());
        InstanceBatch batch = phaseTables.batch(phase);
        if (batch.isEmpty()) return;
        frame.set(phase.code, frameIndex, deltaTime, time);
        // own-transform columns only when this phase's barrier applies them (the native apply)
        // and the signal lane when the barrier takes its parts (the native apply, or Java where it stops)
        SignalLane lane = apply.offeredLane();
        batch.call(frame.segment(), (lib, f, items, n) -> lib.update(f, items, n), guard, apply.offersOwnTransforms(),
                lane);
        // The barrier applies this batch's ranges straight from its entries (collect fused into
        // the native apply: the range tables' round trip was a fifth of W1's frame); nothing
        // else appends ranges or touches the entries before it.
        apply.applyFromEntriesAtBarrier(batch, lane);
    }

    /** See {@link ScriptRuntime#barrier}. */
    void barrier(Phase phase) {
        apply.applyRanges();
        // a lane held for the dispatch goes first: the shutdowns below may emit, after it
        if (!instances.pendingShutdown().isEmpty()) signals.queueHeld(world);
        dispatchQuota.begin();
        for (int round = 0; round < ScriptRuntime.DISPATCH_ROUNDS_MAX; round++) {
            if (instances.pendingShutdown().isEmpty() && !signals.hasPending()) break;
            publish();
            runPendingShutdowns();
            applyDispatchRanges();
            if (signals.hasPending()) {
                publish();
                frame.set(Phase.CODE_SIGNAL, frameIndex, deltaTime, time);
                signals.dispatch(frame.segment(), ranges, instances::scriptsOn, this::reportMissingSignalHandler, guard,
                        world, instances.all(), instances::onIndex);
                applyDispatchRanges();
            }
        }
        restoreHookQuotas();
        if (signals.hasPending()) {
            reports.logEngine(LogEntry.Level.WARN, "signal cascade deeper than " + ScriptRuntime.DISPATCH_ROUNDS_MAX
                    + " rounds in one barrier: the rest is delivered at the next barrier");
        }
        int droppedSignals = signals.takeDropped();
        if (droppedSignals > 0) {
            reports.logEngine(LogEntry.Level.WARN, droppedSignals + " signals of the host dropped: more than "
                    + SignalBus.QUEUED_SIGNALS_MAX + " queued in one dispatch round");
        }
        reports.reportFloods();
        if (phase == Phase.UPDATE) apply.integrate(deltaTime, heldReporter);
        publish();
    }

    /**
     * Applies a dispatch round's ranges (shutdowns, signal handlers) with their owners' quotas
     * shared across the barrier's rounds, then tells the hooks of instances past half their
     * quota what is left, so the next round's calls refuse at the SDK what the engine would.
     */
    private void applyDispatchRanges() {
        dispatchQuota.charge(ranges);
        apply.applyRanges();
        int[] heavy = dispatchQuota.heavy();
        for (int k = 0, n = dispatchQuota.heavyCount(); k < n; k++) {
            ScriptInstance i = instances.get(heavy[k]);
            if (i == null) continue;
            if (i.hookQuota() == i.requestQuota()) loweredQuotas.add(i);
            i.setQuotaLeft(dispatchQuota.left(heavy[k]));
            signals.routes().refreshQuota(i);
        }
    }

    /** After the dispatch rounds: every hook gets its whole quota again. */
    private void restoreHookQuotas() {
        if (loweredQuotas.isEmpty()) return;
        for (ScriptInstance i : loweredQuotas) {
            i.setQuotaLeft(0);
            signals.routes().refreshQuota(i);
        }
        loweredQuotas.clear();
    }

    /** Once per entity (until its velocity is set again): integration would have left the finite range. */
    private void reportHeldEntity(long entity) {
        log.log(entry(LogEntry.Level.WARN, LogEntry.ENGINE, entity, "stays where it is: its velocity "
                + world.velocity(entity).text() + " times the frame's " + deltaTime + " s would move it past the"
                + " largest finite position; give it a smaller velocity"));
    }

    /** A log line about {@code entity}, with the name the world has for it now. */
    private LogEntry entry(LogEntry.Level level, String script, long entity, String message) {
        return new LogEntry(frameIndex, level, script, entity, world.name(entity), message);
    }

    /** See {@link ScriptRuntime#flushLifecycle}. */
    void flushLifecycle() {
        publish();
        runPendingInits(null);
        runPendingShutdowns();
        apply.applyRanges();
        reports.reportFloods();
        publish();
    }

    private void runPendingInits(Phase phase) {
        List<ScriptInstance> pendingInit = instances.pendingInit();
        if (pendingInit.isEmpty()) return;
        List<ScriptInstance> batchList = new ArrayList<>(pendingInit);
        pendingInit.clear();
        for (ScriptInstance i : batchList) i.setStateMemory(i.library().states().allocate());
        lifecycleBatch.build(batchList);
        frame.set(Phase.CODE_INIT, frameIndex, deltaTime, time);
        lifecycleBatch.call(frame.segment(), (lib, f, items, n) -> lib.init(f, items, n), guard);
        lifecycleBatch.collectRanges(ranges);
        for (int k = 0; k < batchList.size(); k++) {
            ScriptInstance i = batchList.get(k);
            i.setLifecycle(ScriptInstance.Lifecycle.ACTIVE);
            instances.phaseTableChanged(i);
            int status = lifecycleBatch.statusAt(k);
            i.setInitSucceeded(status == Status.OK.code() && i.fault() == null);
            if (status != Status.OK.code() && i.fault() == null) {
                // An instance whose init failed has a State its update cannot trust.
                faults.disable(i, "init returned " + Status.ofCode(status));
                // Reported when its requests are applied: the SDK's own line names the Zig error.
                reports.initFailed(i, Status.ofCode(status));
            }
        }
        if (phase == null) apply.applyRanges();
    }

    private void runPendingShutdowns() {
        List<ScriptInstance> pendingShutdown = instances.pendingShutdown();
        if (pendingShutdown.isEmpty()) return;
        List<ScriptInstance> batchList = new ArrayList<>(pendingShutdown);
        pendingShutdown.clear();
        batchList.sort(ScriptInstance::compareOrder);
        lifecycleBatch.build(batchList);
        frame.set(Phase.CODE_SHUTDOWN, frameIndex, deltaTime, time);
        lifecycleBatch.call(frame.segment(), (lib, f, items, n) -> lib.shutdown(f, items, n), guard);
        lifecycleBatch.collectRanges(ranges);
        for (ScriptInstance i : batchList) {
            i.library().states().release(i.stateMemory());
            i.setStateMemory(null);
            budgets.free(i);
        }
    }

    /** See {@link ScriptRuntime#shutdownAll}. */
    void shutdownAll() {
        List<ScriptInstance> all = new ArrayList<>(instances.all());
        all.sort(ScriptInstance::compareOrder);
        for (ScriptInstance i : all) instances.detach(i);
        instances.pendingShutdown().removeIf(i -> i.fault() != null || i.library().poisoned());
        publish();
        runPendingShutdowns();
        apply.applyRanges();
    }

    /** Republishes the snapshot scripts read (the world now, this frame's spawn results). */
    void publish() {
        snapshot.publish(world, applier.spawnResults(frameIndex));
    }

    private void reportMissingSignalHandler(ScriptLibrary library) {
        if (library.firstMissingSignalHandler()) {
            reports.logEngine(LogEntry.Level.WARN, "script '" + library.name()
                    + "' connected to a signal but exports no kiln_script_signal: its signals are dropped");
        }
    }

    /**
     * Forgets {@code old} (its phase-table, lifecycle and signal entries) and closes it: on the
     * calling thread when {@code now}, else off the frame thread ({@link RetiredLibraries}: a
     * swap's old version, which nothing can call any more).
     */
    void forgetLibrary(ScriptLibrary old, boolean now) {
        List<GrowableSegment> memory = new ArrayList<>(); // its batches' entries, closed with it
        phaseTables.forget(old, memory);
        lifecycleBatch.forget(old, memory);
        memory.add(signals.forgetLibrary(old));
        memory.removeIf(Objects::isNull);
        libraries.close(old, memory, now, reports);
    }
}
