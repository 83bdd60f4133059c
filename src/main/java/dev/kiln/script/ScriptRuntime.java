package dev.kiln.script;

import dev.kiln.abi.CommandBuffer;
import dev.kiln.abi.CommandDecoder;
import dev.kiln.abi.FrameBlock;
import dev.kiln.abi.LibraryLoadException;
import dev.kiln.abi.NativeLibrary;
import dev.kiln.abi.SnapshotPublisher;
import dev.kiln.ecs.Entities;
import dev.kiln.ecs.Status;
import dev.kiln.ecs.World;
import dev.kiln.reload.StateMigration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs script instances against the world. Scripts never touch the world directly: during a
 * phase they append requests to the command buffer; {@link #barrier} applies them in
 * execution order, runs shutdowns of detached instances and dispatches signals, then
 * republishes the snapshot scripts read.
 */
public final class ScriptRuntime implements AutoCloseable, FaultRecovery.Context, FaultRecovery.Handler {
    /** Shutdown/signal rounds per barrier: a deeper signal cascade continues at the next barrier. */
    static final int MAX_DISPATCH_ROUNDS = 8;

    private final World world;
    private final SnapshotPublisher snapshot;
    private final CommandBuffer commands;
    private final FrameBlock frame;
    private final LogSink log;
    private final CommandApplier applier;
    private final SignalBus signals = new SignalBus();

    private final Map<String, ScriptLibrary> libraries = new LinkedHashMap<>();
    private final Map<Integer, ScriptInstance> instances = new HashMap<>();
    private final Map<Integer, List<ScriptInstance>> byEntityIndex = new HashMap<>();
    private final List<ScriptInstance> pendingInit = new ArrayList<>();
    private final List<ScriptInstance> pendingShutdown = new ArrayList<>();
    private final Map<Phase, InstanceBatch> phaseBatches = new EnumMap<>(Phase.class);
    private final InstanceBatch lifecycleBatch = new InstanceBatch();
    private final CommandRanges ranges = new CommandRanges();
    private boolean phaseTablesDirty = true;
    private int nextInstanceId = 1;
    private long nextAttachSequence = 1;

    private long frameIndex;
    private double deltaTime;
    private double time;
    private long commandsApplied;

    private final Watchdog watchdog;

    public ScriptRuntime(World world, float cellSize, int commandBufferBytes, java.time.Duration callBudget,
                         LogSink log) {
        this.world = world;
        this.log = log;
        this.watchdog = new Watchdog(callBudget);
        this.snapshot = new SnapshotPublisher(cellSize);
        this.commands = new CommandBuffer(commandBufferBytes);
        this.frame = new FrameBlock(snapshot.root(), commands.root());
        this.applier = new CommandApplier(this, world);
        for (Phase p : Phase.values()) phaseBatches.put(p, new InstanceBatch());
        publish();
    }

    public World world() {
        return world;
    }

    public void setPrefabs(PrefabCatalog prefabs) {
        applier.setPrefabs(prefabs);
    }

    // ---- libraries -----------------------------------------------------------------------------

    /** Loads a compiled script library; its name (from its metadata) must be new. */
    public ScriptLibrary load(Path libraryPath, Path source) throws LibraryLoadException {
        NativeLibrary nativeLibrary = NativeLibrary.load(libraryPath);
        String name = nativeLibrary.info().name();
        if (libraries.containsKey(name)) {
            nativeLibrary.close();
            throw new LibraryLoadException(LibraryLoadException.Reason.BAD_METADATA, libraryPath,
                    "a script named '" + name + "' is already loaded (from " + libraries.get(name).libraryPath() + ")");
        }
        ScriptLibrary library = new ScriptLibrary(nativeLibrary, source);
        libraries.put(name, library);
        return library;
    }

    /**
     * Replaces script {@code name}'s library by {@code next} for every instance, migrating each
     * State by field name (see StateMigration). Call between frames. All-or-nothing: if the new
     * library is not a version of this script, its dry-run init fails, or any State cannot be
     * migrated, nothing changes, {@code next} is closed, and the old library keeps running. On
     * success the old library is unloaded.
     */
    public SwapResult swapLibrary(String name, NativeLibrary next) {
        ScriptLibrary old = libraries.get(name);
        String refusal = old == null ? "no script named '" + name + "' is loaded"
                : !next.info().name().equals(name) ? "the new library is named '" + next.info().name() + "', not '" + name + "'"
                : null;
        if (refusal != null) {
            next.close();
            return SwapResult.failed(name, refusal);
        }
        long t0 = System.nanoTime();
        String unhealthy = guardedHook(next::healthCheck, "the new library's health check");
        if (unhealthy != null) {
            next.close();
            return SwapResult.failed(name, unhealthy);
        }
        ScriptLibrary fresh = new ScriptLibrary(next, old.source());
        StateMigration migration = new StateMigration(old.info().stateFields(), next.info().stateFields(),
                next.info().stateDefaults());
        List<ScriptInstance> affected = new ArrayList<>();
        for (ScriptInstance i : instances.values()) if (i.library() == old) affected.add(i);
        affected.sort(ScriptInstance::compareOrder);
        String dryRun = affected.isEmpty() ? null : dryRunInit(fresh, affected.getFirst().entity());
        if (dryRun != null) {
            next.close();
            return SwapResult.failed(name, dryRun);
        }
        Map<ScriptInstance, java.lang.foreign.MemorySegment> migrated = new HashMap<>();
        boolean authorFormat = old.nativeLibrary().hasSerializeHook() && next.hasDeserializeHook();
        try (java.lang.foreign.Arena scratch = java.lang.foreign.Arena.ofConfined()) {
            java.lang.foreign.MemorySegment blob = scratch.allocate(NativeLibrary.STATE_BLOB_MAX, 8);
            java.lang.foreign.MemorySegment length = scratch.allocate(java.lang.foreign.ValueLayout.JAVA_INT);
            for (ScriptInstance i : affected) {
                if (i.stateMemory() == null) continue; // not initialised yet: init runs on the new code
                java.lang.foreign.MemorySegment state = fresh.states().allocate();
                migrated.put(i, state);
                String error = authorFormat ? transferByHooks(old, next, i, state, blob, length)
                        : transferByName(migration, old, next, i, state);
                if (error != null) {
                    next.close();
                    return SwapResult.failed(name, error + "; no instance was swapped");
                }
            }
        } catch (RuntimeException e) {
            next.close();
            return SwapResult.failed(name, "state migration failed: " + e.getMessage());
        }
        long t1 = System.nanoTime();
        runUnloadHook(old, affected);
        for (ScriptInstance i : affected) {
            i.setLibrary(fresh);
            if (migrated.containsKey(i)) i.setStateMemory(migrated.get(i));
            if (i.fault() != null) { // fixed code gets another chance, with the State it had
                i.setFault(null);
                i.setEnabled(true);
            }
        }
        libraries.put(name, fresh);
        phaseTablesDirty = true;
        forgetLibrary(old);
        for (var change : migration.resets()) {
            logEngine(LogEntry.Level.WARN, "reload of '" + name + "': State field '" + change.field() + "' " + change.detail());
        }
        return new SwapResult(true, name, affected.size(), migration.plan(), null, t1 - t0, System.nanoTime() - t1);
    }

    /**
     * The old library's unload hook, for instances that ran on it, under the guard and the
     * watchdog (the "timeout" of an old version's goodbye). Its requests apply at the next
     * barrier; a fault is reported and does not stop the swap, which is already decided.
     */
    private void runUnloadHook(ScriptLibrary old, List<ScriptInstance> affected) {
        if (!old.nativeLibrary().hasUnloadHook() || old.poisoned()) return;
        List<ScriptInstance> initialised = affected.stream().filter(i -> i.stateMemory() != null).toList();
        if (initialised.isEmpty()) return;
        try (InstanceBatch batch = new InstanceBatch()) {
            batch.build(initialised);
            frame.set(Phase.CODE_UNLOAD, frameIndex, deltaTime, time);
            batch.call(frame.segment(), (lib, f, items, n) -> lib.unload(f, items, n), this);
            batch.collectRanges(ranges);
        }
    }

    /** Migration by field name, then the author's migrate hook if the new library has one. */
    private String transferByName(StateMigration migration, ScriptLibrary old, NativeLibrary next, ScriptInstance i,
                                  java.lang.foreign.MemorySegment state) {
        byte[] bytes = migration.migrate(i.stateMemory().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        state.copyFrom(java.lang.foreign.MemorySegment.ofArray(bytes));
        if (!next.hasMigrateHook()) return null;
        return guardedHook(() -> next.migrate(state, i.stateMemory(), old.nativeLibrary().stateFieldTable(),
                old.info().stateFields().size()), "the migrate hook for " + i);
    }

    /** The author's own State format: the old version serializes, the new one deserializes. */
    private String transferByHooks(ScriptLibrary old, NativeLibrary next, ScriptInstance i,
                                   java.lang.foreign.MemorySegment state, java.lang.foreign.MemorySegment blob,
                                   java.lang.foreign.MemorySegment length) {
        state.copyFrom(java.lang.foreign.MemorySegment.ofArray(next.info().stateDefaults()));
        String error = guardedHook(() -> old.nativeLibrary().serialize(i.stateMemory(), blob, length),
                "the old version's serialize hook for " + i);
        if (error != null) return error;
        int written = length.get(java.lang.foreign.ValueLayout.JAVA_INT, 0);
        if (written < 0 || written > blob.byteSize()) return "serialize hook for " + i + " reported " + written + " bytes";
        return guardedHook(() -> next.deserialize(state, blob, written), "the deserialize hook for " + i);
    }

    /**
     * Runs a reload hook under the watchdog; null when it returned OK, else why not (its status,
     * or the fault the guard contained).
     */
    private String guardedHook(java.util.function.IntSupplier hook, String what) {
        watchdog.begin(nativeThread());
        int status;
        try {
            status = hook.getAsInt();
        } finally {
            watchdog.end();
        }
        if (status == Status.OK.code()) return null;
        dev.kiln.abi.FaultGuard guard = dev.kiln.abi.FaultGuard.active();
        if (status == dev.kiln.abi.FaultGuard.STATUS_FAULT && guard != null
                && guard.lastFault().kind() != dev.kiln.abi.FaultGuard.Kind.NONE) {
            return what + " faulted: " + guard.lastFault().describe();
        }
        return what + " returned " + Status.ofCode(status);
    }

    /**
     * Runs the new library's init on a throw-away State for a real entity (so its reads work);
     * what it posts is discarded. Null when it returned OK, else why not.
     */
    private String dryRunInit(ScriptLibrary fresh, long entity) {
        java.lang.foreign.MemorySegment state = fresh.states().allocate();
        ScriptInstance probe = new ScriptInstance(0, fresh, entity, 0, fresh.defaultPhase(), 0);
        probe.setStateMemory(state);
        int usedBefore = commands.usedBytes();
        DryRunContext dryRunContext = new DryRunContext();
        try (InstanceBatch batch = new InstanceBatch()) {
            batch.build(List.of(probe));
            frame.set(Phase.CODE_INIT, frameIndex, deltaTime, time);
            batch.call(frame.segment(), (lib, f, items, n) -> lib.init(f, items, n), dryRunContext);
            int status = batch.statusAt(0);
            if (dryRunContext.fault != null) {
                return "dry-run init of the new library faulted: " + dryRunContext.fault.describe()
                        + "; the old version keeps running";
            }
            return status == Status.OK.code() ? null
                    : "dry-run init of the new library returned " + Status.ofCode(status) + "; the old version keeps running";
        } finally {
            commands.truncate(usedBefore);
            fresh.states().release(state);
        }
    }

    private void forgetLibrary(ScriptLibrary old) {
        for (InstanceBatch b : phaseBatches.values()) b.forget(old);
        lifecycleBatch.forget(old);
        signals.forgetLibrary(old);
        old.nativeLibrary().close();
    }

    /**
     * Unloads a library no instance uses (e.g. to undo a scene load that failed half-way).
     * Refused while any instance of it is attached or still waits for its shutdown, because
     * their State lives in the library's arena, which closing the library frees.
     */
    public void unload(ScriptLibrary library) {
        if (libraries.get(library.name()) != library) {
            throw new IllegalArgumentException("script '" + library.name() + "' from " + library.libraryPath()
                    + " is not loaded in this runtime");
        }
        long users = instances.values().stream().filter(i -> i.library() == library).count()
                + pendingShutdown.stream().filter(i -> i.library() == library).count();
        if (users > 0) {
            throw new IllegalStateException("cannot unload script '" + library.name() + "': " + users
                    + " instance(s) still attached or awaiting shutdown");
        }
        libraries.remove(library.name());
        phaseTablesDirty = true;
        forgetLibrary(library);
    }

    public ScriptLibrary library(String name) {
        return libraries.get(name);
    }

    public Collection<ScriptLibrary> libraries() {
        return Collections.unmodifiableCollection(libraries.values());
    }

    // ---- instances -----------------------------------------------------------------------------

    /**
     * Attaches script {@code name} to {@code entity}; its init runs before the next phase.
     * {@code phase} null means the script's default phase.
     */
    public ScriptInstance attach(long entity, String name, int priority, Phase phase) {
        ScriptLibrary library = libraries.get(name);
        if (library == null) throw new IllegalArgumentException("no script named '" + name + "' is loaded");
        if (!world.isAlive(entity)) throw new IllegalArgumentException("entity " + Entities.format(entity) + " is not alive");
        Phase chosen = phase == null ? library.defaultPhase() : phase;
        ScriptInstance instance = new ScriptInstance(nextInstanceId++, library, entity, priority, chosen, nextAttachSequence++);
        instances.put(instance.id(), instance);
        List<ScriptInstance> onEntity = byEntityIndex.computeIfAbsent(Entities.index(entity), i -> new ArrayList<>());
        onEntity.add(instance);
        onEntity.sort(ScriptInstance::compareOrder);
        pendingInit.add(instance);
        return instance;
    }

    /** Detaches an instance; its shutdown runs at the next barrier (or at once via {@link #flushLifecycle}). */
    public Status detach(ScriptInstance instance) {
        if (instance.lifecycle() == ScriptInstance.Lifecycle.DETACHED) return Status.NOT_FOUND;
        boolean wasActive = instance.lifecycle() == ScriptInstance.Lifecycle.ACTIVE;
        instance.setLifecycle(ScriptInstance.Lifecycle.DETACHED);
        pendingInit.remove(instance);
        instances.remove(instance.id());
        List<ScriptInstance> onEntity = byEntityIndex.get(Entities.index(instance.entity()));
        if (onEntity != null) {
            onEntity.remove(instance);
            if (onEntity.isEmpty()) byEntityIndex.remove(Entities.index(instance.entity()));
        }
        signals.forget(instance);
        if (wasActive) {
            pendingShutdown.add(instance);
            phaseTablesDirty = true;
        }
        return Status.OK;
    }

    /** Despawns an entity: its scripts are detached (shutdown follows) and the entity removed. */
    public Status despawn(long entity) {
        if (!world.isAlive(entity)) return Status.STALE_ENTITY;
        for (ScriptInstance i : List.copyOf(scriptsOn(entity))) detach(i);
        return world.despawn(entity);
    }

    public Status setEnabled(ScriptInstance instance, boolean enabled) {
        if (instance.lifecycle() == ScriptInstance.Lifecycle.DETACHED) return Status.NOT_FOUND;
        if (instance.enabled() != enabled) {
            instance.setEnabled(enabled);
            phaseTablesDirty = true;
        }
        return Status.OK;
    }

    /**
     * Changes an instance's priority, keeping its State and attach order: the entity's script
     * list and the phase tables are re-sorted before the next phase runs.
     */
    public Status setPriority(ScriptInstance instance, int priority) {
        if (instance.lifecycle() == ScriptInstance.Lifecycle.DETACHED) return Status.NOT_FOUND;
        if (instance.priority() == priority) return Status.OK;
        instance.setPriority(priority);
        List<ScriptInstance> onEntity = byEntityIndex.get(Entities.index(instance.entity()));
        if (onEntity != null) onEntity.sort(ScriptInstance::compareOrder);
        phaseTablesDirty = true;
        return Status.OK;
    }

    /** The entity's scripts in execution order (priority, then attach order). */
    public List<ScriptInstance> scriptsOn(long entity) {
        if (!world.isAlive(entity)) return List.of();
        List<ScriptInstance> list = byEntityIndex.get(Entities.index(entity));
        return list == null ? List.of() : Collections.unmodifiableList(list);
    }

    public ScriptInstance instance(int id) {
        return instances.get(id);
    }

    public Collection<ScriptInstance> instances() {
        return Collections.unmodifiableCollection(instances.values());
    }

    // ---- the frame -----------------------------------------------------------------------------

    /** Starts a frame; changes made to the world between frames become visible to scripts. */
    public void beginFrame(long frameIndex, double deltaTime, double time) {
        this.frameIndex = frameIndex;
        this.deltaTime = deltaTime;
        this.time = time;
        publish();
    }

    public long frameIndex() {
        return frameIndex;
    }

    /** Runs pending inits, then every enabled instance of {@code phase}: one downcall per library. */
    public void runPhase(Phase phase) {
        runPendingInits(phase);
        if (phaseTablesDirty) rebuildPhaseTables();
        InstanceBatch batch = phaseBatches.get(phase);
        if (batch.isEmpty()) return;
        frame.set(phase.code, frameIndex, deltaTime, time);
        batch.call(frame.segment(), (lib, f, items, n) -> lib.update(f, items, n), this);
        batch.collectRanges(ranges);
    }

    /**
     * The barrier after a phase: applies the phase's requests in order, then runs shutdowns and
     * signal handlers (their requests applied right after them), integrates velocities after
     * the update phase, and republishes the snapshot.
     */
    public void barrier(Phase phase) {
        applyRanges();
        for (int round = 0; round < MAX_DISPATCH_ROUNDS; round++) {
            if (pendingShutdown.isEmpty() && !signals.hasPending()) break;
            publish();
            runPendingShutdowns();
            applyRanges();
            if (signals.hasPending()) {
                publish();
                frame.set(Phase.CODE_SIGNAL, frameIndex, deltaTime, time);
                signals.dispatch(frame.segment(), ranges, this::scriptsOn, this::reportMissingSignalHandler, this);
                applyRanges();
            }
        }
        if (signals.hasPending()) {
            logEngine(LogEntry.Level.WARN, "signal cascade deeper than " + MAX_DISPATCH_ROUNDS
                    + " rounds in one barrier: the rest is delivered at the next barrier");
        }
        int droppedSignals = signals.takeDropped();
        if (droppedSignals > 0) {
            logEngine(LogEntry.Level.WARN, droppedSignals + " signals dropped: more than "
                    + SignalBus.MAX_QUEUED_SIGNALS + " queued in one barrier");
        }
        if (phase == Phase.UPDATE) world.integrateVelocities((float) deltaTime);
        publish();
    }

    /** Runs inits and shutdowns queued outside a frame (e.g. after loading a scene). */
    public void flushLifecycle() {
        publish();
        runPendingInits(null);
        runPendingShutdowns();
        applyRanges();
        publish();
    }

    private void runPendingInits(Phase phase) {
        if (pendingInit.isEmpty()) return;
        List<ScriptInstance> batchList = new ArrayList<>(pendingInit);
        pendingInit.clear();
        for (ScriptInstance i : batchList) i.setStateMemory(i.library().states().allocate());
        lifecycleBatch.build(batchList);
        frame.set(Phase.CODE_INIT, frameIndex, deltaTime, time);
        lifecycleBatch.call(frame.segment(), (lib, f, items, n) -> lib.init(f, items, n), this);
        lifecycleBatch.collectRanges(ranges);
        for (int k = 0; k < batchList.size(); k++) {
            ScriptInstance i = batchList.get(k);
            i.setLifecycle(ScriptInstance.Lifecycle.ACTIVE);
            int status = lifecycleBatch.statusAt(k);
            if (status != Status.OK.code() && i.fault() == null) {
                // An instance whose init failed has a State its update cannot trust.
                disableForFault(i, "init returned " + Status.ofCode(status));
                log.log(new LogEntry(frameIndex, LogEntry.Level.ERROR, i.scriptName(), i.entity(),
                        "init returned " + Status.ofCode(status) + "; this instance is disabled until the script is reloaded"));
            }
        }
        phaseTablesDirty = true;
        if (phase == null) applyRanges();
    }

    private void runPendingShutdowns() {
        if (pendingShutdown.isEmpty()) return;
        List<ScriptInstance> batchList = new ArrayList<>(pendingShutdown);
        pendingShutdown.clear();
        batchList.sort(ScriptInstance::compareOrder);
        lifecycleBatch.build(batchList);
        frame.set(Phase.CODE_SHUTDOWN, frameIndex, deltaTime, time);
        lifecycleBatch.call(frame.segment(), (lib, f, items, n) -> lib.shutdown(f, items, n), this);
        lifecycleBatch.collectRanges(ranges);
        for (ScriptInstance i : batchList) {
            i.library().states().release(i.stateMemory());
            i.setStateMemory(null);
        }
    }

    private void rebuildPhaseTables() {
        Map<Phase, List<ScriptInstance>> byPhase = new EnumMap<>(Phase.class);
        for (Phase p : Phase.values()) byPhase.put(p, new ArrayList<>());
        for (ScriptInstance i : instances.values()) {
            if (i.enabled() && i.lifecycle() == ScriptInstance.Lifecycle.ACTIVE) byPhase.get(i.phase()).add(i);
        }
        for (Phase p : Phase.values()) {
            List<ScriptInstance> list = byPhase.get(p);
            list.sort(ScriptInstance::compareOrder);
            phaseBatches.get(p).build(list);
        }
        phaseTablesDirty = false;
    }

    private void applyRanges() {
        for (int r = 0; r < ranges.count(); r++) {
            CommandDecoder.decode(commands.data(), ranges.offset(r), ranges.length(r), applier);
        }
        commandsApplied += applier.takeApplied();
        ranges.clear();
        int dropped = commands.droppedCount();
        if (dropped > 0) {
            logEngine(LogEntry.Level.WARN, dropped + " requests dropped: the command buffer ("
                    + commands.capacityBytes() + " bytes) was full");
        }
        commands.reset();
    }

    private void publish() {
        snapshot.publish(world, applier.spawnResults(frameIndex));
    }

    private void reportMissingSignalHandler(ScriptLibrary library) {
        if (library.firstMissingSignalHandler()) {
            logEngine(LogEntry.Level.WARN, "script '" + library.name()
                    + "' connected to a signal but exports no kiln_script_signal: its signals are dropped");
        }
    }

    // ---- contained faults ----------------------------------------------------------------------

    @Override
    public FaultRecovery.Handler handler() {
        return this;
    }

    @Override
    public Watchdog watchdog() {
        return watchdog;
    }

    @Override
    public long nativeThread() {
        dev.kiln.abi.FaultGuard guard = dev.kiln.abi.FaultGuard.active();
        return guard == null ? 0 : guard.prepareCurrentThread();
    }

    @Override
    public int usedBytes() {
        return commands.usedBytes();
    }

    @Override
    public void instanceFaulted(ScriptInstance instance, dev.kiln.abi.FaultGuard.Fault fault, int cmdOffset) {
        commands.truncate(cmdOffset);
        disableForFault(instance, fault.describe());
        log.log(new LogEntry(frameIndex, LogEntry.Level.ERROR, instance.scriptName(), instance.entity(),
                "fault contained: " + fault.describe() + "; this instance is disabled until the script is reloaded"
                        + stackTrace(fault)));
    }

    @Override
    public void libraryFaulted(ScriptLibrary library, ScriptInstance culprit, dev.kiln.abi.FaultGuard.Fault fault,
                               int cmdOffset) {
        commands.truncate(cmdOffset);
        String reason = fault.kind() == dev.kiln.abi.FaultGuard.Kind.TIMEOUT
                ? "a call ran past its " + watchdog.budget().toMillis() + " ms budget and was stopped"
                : fault.describe();
        library.poison(reason);
        for (ScriptInstance i : instances.values()) if (i.library() == library) disableForFault(i, reason);
        long entity = culprit == null ? Entities.NULL : culprit.entity();
        log.log(new LogEntry(frameIndex, LogEntry.Level.ERROR, library.name(), entity, "fault contained: " + reason
                + (culprit == null ? "" : " (in " + culprit + ")")
                + "; every instance of this script is disabled until it is reloaded"));
    }

    private static String stackTrace(dev.kiln.abi.FaultGuard.Fault fault) {
        StringBuilder b = new StringBuilder();
        for (String frame : fault.trace()) b.append("\n    at ").append(frame);
        return b.toString();
    }

    private void disableForFault(ScriptInstance instance, String reason) {
        instance.setFault(reason);
        instance.setEnabled(false);
        phaseTablesDirty = true;
    }

    /** Faults during a reload's dry run refuse the reload; nothing running is disabled. */
    private final class DryRunContext implements FaultRecovery.Context, FaultRecovery.Handler {
        dev.kiln.abi.FaultGuard.Fault fault;

        public FaultRecovery.Handler handler() {
            return this;
        }

        public Watchdog watchdog() {
            return watchdog;
        }

        public long nativeThread() {
            return ScriptRuntime.this.nativeThread();
        }

        public int usedBytes() {
            return commands.usedBytes();
        }

        public void instanceFaulted(ScriptInstance instance, dev.kiln.abi.FaultGuard.Fault f, int cmdOffset) {
            fault = f;
        }

        public void libraryFaulted(ScriptLibrary library, ScriptInstance culprit, dev.kiln.abi.FaultGuard.Fault f,
                                   int cmdOffset) {
            fault = f;
        }
    }

    // ---- for the applier -----------------------------------------------------------------------

    SignalBus signals() {
        return signals;
    }

    void log(LogEntry.Level level, int sourceInstance, String message) {
        ScriptInstance source = instances.get(sourceInstance);
        if (source == null) source = recentlyDetached(sourceInstance);
        String script = source == null ? "instance#" + sourceInstance : source.scriptName();
        long entity = source == null ? Entities.NULL : source.entity();
        log.log(new LogEntry(frameIndex, level, script, entity, message));
    }

    /** Instances shut down in this barrier still post (from shutdown); find them for logging. */
    private ScriptInstance recentlyDetached(int id) {
        for (ScriptInstance i : lifecycleBatch.order()) if (i.id() == id) return i;
        return null;
    }

    ScriptInstance sourceInstance(int id) {
        ScriptInstance i = instances.get(id);
        return i != null ? i : recentlyDetached(id);
    }

    public void logEngine(LogEntry.Level level, String message) {
        log.log(new LogEntry(frameIndex, level, LogEntry.ENGINE, Entities.NULL, message));
    }

    /** Total requests applied since start (for frame summaries and benchmarks). */
    public long commandsApplied() {
        return commandsApplied;
    }

    public SnapshotPublisher snapshot() {
        return snapshot;
    }

    @Override
    public void close() {
        watchdog.close();
        for (InstanceBatch b : phaseBatches.values()) b.close();
        lifecycleBatch.close();
        signals.close();
        for (ScriptLibrary l : libraries.values()) l.nativeLibrary().close();
        libraries.clear();
        frame.close();
        commands.close();
        snapshot.close();
    }
}
