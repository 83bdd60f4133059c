package dev.kiln.script;

import dev.kiln.abi.CommandBuffer;
import dev.kiln.abi.Layouts;
import dev.kiln.abi.LibraryLoadException;
import dev.kiln.build.BuildResult;
import dev.kiln.build.Diagnostic;
import dev.kiln.dataplane.FrameBlock;
import dev.kiln.dataplane.HotApply;
import dev.kiln.dataplane.NativeSignals;
import dev.kiln.dataplane.SnapshotPublisher;
import dev.kiln.ecs.Status;
import dev.kiln.ecs.World;
import dev.kiln.loader.ContainerMemory;
import dev.kiln.loader.FaultGuard;
import dev.kiln.loader.NativeHeap;
import dev.kiln.loader.ScriptCode;
import dev.kiln.state.ContainerStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * Runs script instances against the world. Scripts never touch the world directly: during a
 * phase they append requests to the command buffer; {@link #barrier} applies them in
 * execution order, runs shutdowns of detached instances and dispatches signals, then
 * republishes the snapshot scripts read.
 */
public final class ScriptRuntime implements AutoCloseable, FaultRecovery.Context {
    /** Shutdown/signal rounds per barrier: a deeper signal cascade continues at the next barrier. */
    static final int DISPATCH_ROUNDS_MAX = 8;

    // The façade the engine, embedders, the inspector, replay and tests call. Each job lives in a
    // class of its own: LibraryRegistry (loaded libraries), InstanceRegistry (attached instances,
    // lifecycle queues), PhaseTables (per-phase batches), ScriptFrame (running a phase, the
    // barrier), BarrierApply (applying requests), ScriptReports and FaultReports (log lines,
    // floods, contained faults); CommandApplier and LibrarySwap reach only their Hosts.
    private final World world;
    private final SnapshotPublisher snapshot;
    private final CommandBuffer commands;
    private final FrameBlock frame;
    private final CommandApplier applier;
    /** Where the transform requests of physics-driven entities go (none by default). */
    private final PhysicsRoute physics;
    private final SignalBus signals = new SignalBus();
    private final LibraryRegistry libraries;
    private final PhaseTables phaseTables = new PhaseTables();
    private final InstanceRegistry instances;
    private final InstanceBatch lifecycleBatch = new InstanceBatch();
    private final CommandRanges ranges = new CommandRanges();
    private final ScriptReports reports;
    private final BarrierApply apply;
    private final ScriptFrame frames;
    /** What a library swap reaches of the runtime. */
    private final SwapHost swapHost;
    /** The scripts' side of rewind keyframes, with the last image's rows kept for reuse. */
    private final KeyframeImages images;
    private final Watchdog watchdog;
    /** Whether library calls are timed (see {@link #timeLibraryCalls}). */
    private volatile boolean timeLibraryCalls;
    /** The engine's fault guard (null: scripts run unguarded): libraries call through it. */
    private final FaultGuard guard;

    private final RequestQuotas quotas;
    private final FloodReports floods = new FloodReports();
    private final FaultReports faults;

    /**
     * A script whose requests are refused for its quota in this many consecutive phases is
     * disabled as a fault: one flooding phase is a bug worth a warning, three in a row a
     * runaway loop that would keep costing the frame.
     */
    public static final int DEFAULT_FLOOD_PHASES_TO_DISABLE = 3;

    /**
     * Bytes of engine memory (kiln.List / String / Map elements, by capacity) one instance may
     * hold unless its script has a budget of its own: a runaway append loop stops at this
     * (error.OutOfMemory, logged with the script and entity) instead of taking the machine.
     */
    public static final long DEFAULT_MEMORY_BUDGET_BYTES = 16L << 20;

    /**
     * The random seed scripts see (kiln_frame.seed) unless a scene sets one: fixed, so two runs
     * of the same scene draw the same numbers from ctx.random() and a recording replays.
     */
    public static final long DEFAULT_SEED = 0x4B494C4E_5345454CL;

    private final ContainerBudgets budgets;

    /**
     * A runtime over {@code world} whose script calls go through {@code guard}, the engine's
     * fault guard (null: unguarded, a script's panic or crash ends the process); the guard also
     * holds the container memory, so without one containers answer OutOfMemory. Built on any
     * thread; used on the frame thread.
     */
    public ScriptRuntime(World world, float cellSize, int commandBufferBytes, Duration callBudget,
                         LogSink log, FaultGuard guard) {
        this.world = world;
        this.guard = guard;
        this.libraries = new LibraryRegistry(guard);
        this.watchdog = new Watchdog(callBudget);
        this.snapshot = new SnapshotPublisher(cellSize);
        this.commands = new CommandBuffer(commandBufferBytes);
        this.quotas = new RequestQuotas(commandBufferBytes);
        this.frame = new FrameBlock(snapshot.root(), commands.root());
        frame.setSeed(DEFAULT_SEED);
        if (guard != null) frame.setPanicHook(guard.panicHook());
        this.budgets = new ContainerBudgets(NativeHeap.create(guard, DEFAULT_MEMORY_BUDGET_BYTES));
        if (budgets.heap() != null) frame.setHeap(budgets.heap().pointer());
        this.physics = new PhysicsRoute(world);
        this.instances = new InstanceRegistry(world, libraries, signals, quotas, budgets, phaseTables);
        this.faults = new FaultReports(commands, log, watchdog, floods, this::frameIndex, instances::all,
                instances::phaseTableChanged);
        this.reports = new ScriptReports(log, this::frameIndex, instances, libraries, lifecycleBatch, budgets, floods, faults);
        signals.onMalformedOutcomes((library, n) -> logEngine(LogEntry.Level.WARN, "script '" + library.name()
                + "' wrote " + n + " malformed signal outcome(s) (out of order, or past its deliveries): refused"));
        this.applier = new CommandApplier(new ApplierHost(this::frameIndex, instances, libraries, signals, physics, reports),
                world);
        this.apply = new BarrierApply(world, snapshot, commands, ranges, applier, physics, signals, reports);
        this.frames = new ScriptFrame(world, snapshot, frame, ranges, log, libraries, instances, phaseTables,
                lifecycleBatch, signals, budgets, faults, reports, applier, apply, this);
        this.swapHost = new SwapHost(libraries, instances, phaseTables, frames, frame, ranges, commands, reports, this);
        this.images = new KeyframeImages(this, instances, signals, reports, applier);
        frames.publish();
    }

    /**
     * Sets the random seed scripts mix into ctx.random() (any 64-bit value; a scene's
     * settings.seed). Call on the frame thread between frames: a change mid-run changes every
     * number drawn after it, which a replay of a recording sets the same way.
     */
    public void setSeed(long seed) {
        frame.setSeed(seed);
    }

    /** The random seed scripts see now. */
    public long seed() {
        return frame.seed();
    }

    // ---- container memory ------------------------------------------------------------------------

    /** Engine-owned container memory, or null when the engine library is not loaded. */
    public NativeHeap heap() {
        return budgets.heap();
    }

    /** Reads the engine heap's containers (StateValues.read with it shows them); never writes. */
    public ContainerStore containerReader() {
        return ContainerBudgets.reader(budgets.heap());
    }

    /** Reads the containers of {@code i}, wherever its library keeps them (an isolated host's too). */
    public ContainerStore containerReader(ScriptInstance i) {
        return ContainerBudgets.reader(budgets.memoryOf(i));
    }

    /**
     * A copy of {@code i}'s State and its containers' contents (a rewind keyframe of one
     * instance). Frame thread, between frames. Throws IllegalStateException when the instance has
     * no State (detached).
     */
    public StateCapture captureState(ScriptInstance i) {
        return StateCapture.of(i, budgets.memoryOf(i));
    }

    /**
     * Puts a {@link #captureState} copy back into {@code i}: its State as captured and every
     * container with the captured elements (new handles; the old containers are freed). Frame
     * thread, between frames. Errors as {@link StateCapture}'s restore documents them:
     * IllegalArgumentException (another instance's capture, or State layout changed by a reload
     * since: nothing changed), IllegalStateException (a container could not be made again).
     */
    public void restoreState(ScriptInstance i, StateCapture capture) {
        StateCapture.restore(i, capture, budgets.memoryOf(i), () -> budgets.apply(i));
    }

    /** The memory budget of instances whose script has none of its own (bytes, at least 0). */
    public void setDefaultMemoryBudget(long bytes) {
        budgets.setDefault(bytes, instances.all());
    }

    /** The memory budget of script {@code name}'s instances (null: the default again). */
    public void setMemoryBudget(String name, Long bytes) {
        budgets.setFor(name, bytes, instances.all());
    }

    /** Bytes of container memory one instance of script {@code name} may hold. */
    public long memoryBudgetOf(String name) {
        return budgets.budgetOf(name);
    }

    /** An instance's container memory now: bytes, budget, live containers (zeros without a heap). */
    public NativeHeap.Usage memoryOf(ScriptInstance i) {
        return budgets.usage(i);
    }

    /** Where {@code i} keeps its containers (an isolated host's memory, else the engine's heap); null without either. */
    public ContainerMemory containerMemory(ScriptInstance i) {
        return budgets.memoryOf(i);
    }

    // ---- request quotas --------------------------------------------------------------------------

    /** The request quota of instances whose script has none of its own; returns the quota as used. */
    public int setDefaultRequestQuota(long bytes) {
        int used = quotas.setDefault(bytes);
        for (ScriptInstance i : instances.all()) i.setRequestQuota(quotas.of(i.scriptName()));
        phaseTables.markDirty();
        return used;
    }

    /**
     * The request quota of script {@code name}'s instances (null: the default again); returns the
     * quota as used. Applies to instances attached now and later.
     */
    public int setRequestQuota(String name, Long bytes) {
        int used = quotas.setFor(name, bytes);
        for (ScriptInstance i : instances.all()) if (i.scriptName().equals(name)) i.setRequestQuota(used);
        phaseTables.markDirty();
        return used;
    }

    /** Bytes of requests one hook call of script {@code name} may post. */
    public int requestQuotaOf(String name) {
        return quotas.of(name);
    }

    /** After how many consecutive flooding phases an instance is disabled (at least 1). */
    public void setFloodPhasesToDisable(int phases) {
        floods.setPhasesToDisable(phases);
    }

    /** The largest capacity the command buffer grew to (0: it never grew). */
    public int commandBufferGrownTo() {
        return commands.grownTo();
    }

    public World world() {
        return world;
    }

    public void setPrefabs(PrefabCatalog prefabs) {
        applier.setPrefabs(prefabs);
    }

    // ---- libraries (LibraryRegistry) -------------------------------------------------------------

    /** Starts a library in a host process of its own (isolated mode); the engine provides it. */
    public interface IsolatedLoader {
        ScriptCode start(Path library) throws LibraryLoadException;
    }

    public void setIsolatedLoader(IsolatedLoader loader) {
        libraries.setIsolatedLoader(loader);
    }

    /** Loads a library's code: in the engine's process, or isolated in a process of its own. */
    public ScriptCode loadCode(Path libraryPath, boolean isolated) throws LibraryLoadException {
        return libraries.loadCode(libraryPath, isolated);
    }

    /** Loads a compiled script library into the engine's process; its name (from its metadata) must be new. */
    public ScriptLibrary load(Path libraryPath, Path source) throws LibraryLoadException {
        return load(libraryPath, source, false);
    }

    /**
     * Loads a compiled script library, {@code isolated} in a host process of its own (slower
     * calls; contains even wild writes and exit/abort); its name (from its metadata) must be new.
     */
    public ScriptLibrary load(Path libraryPath, Path source, boolean isolated) throws LibraryLoadException {
        return libraries.load(libraryPath, source, isolated);
    }

    /**
     * Replaces script {@code name}'s library by {@code next} for every instance (see
     * {@link LibrarySwap}). Call between frames. All-or-nothing.
     */
    public SwapResult swapLibrary(String name, ScriptCode next) {
        return swapLibrary(name, prepareSwap(name, next));
    }

    /**
     * Works out what a swap of script {@code name} to {@code next} can before the frame
     * boundary (the new version's library, the migration plan, a block of new States with their
     * defaults: {@link PreparedSwap}), so the frame thread's part is shorter. Any thread: what
     * it reads of the running version is checked again by the swap, which works out anew what
     * no longer matches.
     */
    public PreparedSwap prepareSwap(String name, ScriptCode next) {
        libraries.retired().expectRetirement(); // its closing thread polls for the old version: the swap frame wakes nobody
        return LibrarySwap.prepare(libraries.library(name), next, budgets);
    }

    /** {@link #swapLibrary(String, ScriptCode)} with the work {@link #prepareSwap} did. Frame thread, between frames. */
    public SwapResult swapLibrary(String name, PreparedSwap prepared) {
        instances.slotsMoved(); // a swap may move every State of the script into the new version's slab
        SwapResult result = new LibrarySwap(swapHost, budgets).swap(name, prepared);
        if (!result.ok()) libraries.retired().retirementCancelled(); // no old version to close: stop polling for one
        return result;
    }

    /**
     * {@code prepared} will not run (dropped unswapped): the closing thread stops expecting its
     * old version, and the new States' memory it holds is freed on the calling thread (a shared
     * arena's close: not the frame thread inside a frame). The caller closes the prepared
     * version's code ({@link PreparedSwap#next}). Any other thread.
     */
    public void preparedSwapDropped(PreparedSwap prepared) {
        libraries.retired().retirementCancelled();
        if (prepared.fresh != null) prepared.fresh.states().close();
    }

    /** The library registry (a swap rehearsal puts its stand-in library there). */
    LibraryRegistry libraryRegistry() {
        return libraries;
    }

    CommandBuffer commandBuffer() {
        return commands;
    }

    CommandRanges commandRanges() {
        return ranges;
    }

    /**
     * Has the next barrier apply {@code batch}'s ranges from its kiln_instance entries, as after
     * {@link #runPhase} (tests write the entries themselves).
     */
    void applyFromEntriesAtBarrier(InstanceBatch batch) {
        apply.applyFromEntriesAtBarrier(batch);
    }

    /**
     * Blocks until every library version a swap replaced so far is closed (unmapped from the
     * process, or its isolated host ended), then logs any that stayed mapped. A swap closes the
     * old version on another thread; this is for callers that must know it is gone. Frame thread.
     */
    public void awaitClosedLibraries() {
        libraries.retired().awaitClosed();
        libraries.retired().report(reports);
    }

    /** Where swaps' old versions are closed (tests hold the closes back). */
    RetiredLibraries retiredLibraries() {
        return libraries.retired();
    }

    /**
     * Unloads a library no instance uses (e.g. to undo a scene load that failed half-way).
     * Refused while any instance of it is attached or still waits for its shutdown, because
     * their shutdown needs the library's code and their State its State slab.
     */
    public void unload(ScriptLibrary library) {
        if (libraries.library(library.name()) != library) {
            throw new IllegalArgumentException("script '" + library.name() + "' from " + library.libraryPath()
                    + " is not loaded in this runtime");
        }
        long users = instances.usersOf(library);
        if (users > 0) {
            throw new IllegalStateException("cannot unload script '" + library.name() + "': " + users
                    + " instance(s) still attached or awaiting shutdown");
        }
        libraries.remove(library);
        phaseTables.markDirty();
        instances.slotsMoved();
        frames.forgetLibrary(library, true);
    }

    public ScriptLibrary library(String name) {
        return libraries.library(name);
    }

    public Collection<ScriptLibrary> libraries() {
        return libraries.all();
    }

    // ---- instances (InstanceRegistry) ------------------------------------------------------------

    /**
     * Attaches script {@code name} to {@code entity}; its init runs before the next phase.
     * {@code phase} null means the script's default phase.
     */
    public ScriptInstance attach(long entity, String name, int priority, Phase phase) {
        return instances.attach(entity, name, priority, phase);
    }

    /** Detaches an instance; its shutdown runs at the next barrier (or at once via {@link #flushLifecycle}). */
    public Status detach(ScriptInstance instance) {
        return instances.detach(instance);
    }

    /** Despawns an entity: its scripts are detached (shutdown follows) and the entity removed. */
    public Status despawn(long entity) {
        return instances.despawn(entity);
    }

    public Status setEnabled(ScriptInstance instance, boolean enabled) {
        return instances.setEnabled(instance, enabled);
    }

    /**
     * Changes an instance's priority, keeping its State and attach order: the entity's script
     * list and the phase tables are re-sorted before the next phase runs.
     */
    public Status setPriority(ScriptInstance instance, int priority) {
        return instances.setPriority(instance, priority);
    }

    /** The entity's scripts in execution order (priority, then attach order). */
    public List<ScriptInstance> scriptsOn(long entity) {
        List<ScriptInstance> list = instances.scriptsOn(entity);
        return list.isEmpty() ? List.of() : Collections.unmodifiableList(list);
    }

    public ScriptInstance instance(int id) {
        return instances.get(id);
    }

    public Collection<ScriptInstance> instances() {
        return Collections.unmodifiableCollection(instances.all());
    }

    // ---- rewind keyframes (docs/rewind.md): what the scripts' side of one must match ----------

    /**
     * Instances attached so far in this runtime's life (detached ones included): equal at two
     * frame boundaries exactly when nothing was attached between them (a rewind keyframe's
     * restore sets it back to what it was then, so the attaches after it get the same ids).
     */
    public long attachCount() {
        return instances.attachCount();
    }

    /**
     * A number that changes whenever an instance is attached or detached or its enabled flag or
     * priority changes (not when a State changes: scripts write those in place). Equal at two
     * moments means the table of (id, entity, enabled, priority) is the same: the frame hash
     * re-reads it only then (docs/rewind.md). Frame thread.
     */
    public long instanceTableVersion() {
        return instances.tableVersion();
    }

    /**
     * True at a frame boundary with no instance waiting for its init or shutdown, no spawn
     * result kept for the next frame and no signal queued (a cascade deeper than a barrier's
     * rounds, or the host's): the only boundaries a rewind keyframe is taken at, since those
     * queues are not part of one. Frame thread, between frames.
     */
    public boolean quietForKeyframe() {
        return instances.pendingInit().isEmpty() && instances.pendingShutdown().isEmpty()
                && applier.spawnResultsKept(frameIndex() + 1) == 0
                && !signals.hasPending();
    }


    /**
     * The instance table as it is now, with every State slab and the containers of States that
     * hold them ({@link InstanceTableImage}): the scripts' side of a rewind keyframe, which
     * {@link #importInstances} puts back exactly. The rows are read again only when an attach,
     * detach, enable, priority, connection or library swap happened since the last export
     * (else the last export's rows are shared): at 10k entities × 3 scripts an unchanged table
     * costs the slabs' bulk copy only. Null when the boundary is not {@link #quietForKeyframe
     * quiet}, or a State lies outside its library's slab. Frame thread, between frames.
     */
    public InstanceTableImage exportInstances() {
        return quietForKeyframe() ? images.export() : null;
    }

    /**
     * Puts the instance table back as {@code image} holds it: instances attached since are
     * dropped without their shutdown (their State and containers freed), instances detached
     * since are attached again with their ids, attach order, priority, phase, enabled flag,
     * fault, signal connections and State slot; every State slab and container as it was; the
     * next instance id and attach order as they were, so later attaches get the same ids; no
     * init or shutdown pending, no signal queued, no spawn result kept. Frame thread, between
     * frames.
     *
     * @throws IllegalArgumentException a script of the image is not loaded, or its State layout
     *                                  is not the image's (swap its library back first): nothing changed
     */
    public void importInstances(InstanceTableImage image) {
        images.restore(image);
    }

    /**
     * {@link #importInstances}' table part: {@code table} (in attach order, fields set) becomes
     * the instance table; every instance not in it is dropped without a shutdown.
     */
    void replaceInstances(List<ScriptInstance> table, int nextId, long nextSequence) {
        instances.replace(table, nextId, nextSequence);
        reports.clearInitFailures();
        signals.clearQueued();
        applier.forgetSpawnResults();
    }

    /** Spawn and despawn records applied by the native churn pass since the runtime started. */
    long churnAppliedNatively() {
        return apply.churnAppliedNatively();
    }

    /** {@code i}'s signal connection ids, in the order it made them (a copy). */
    public long[] signalConnectionIds(ScriptInstance i) {
        return i.connections().ids();
    }

    // ---- the frame (ScriptFrame) -------------------------------------------------------------------

    /** Starts a frame; changes made to the world between frames become visible to scripts. */
    public void beginFrame(long frameIndex, double deltaTime, double time) {
        frames.beginFrame(frameIndex, deltaTime, time);
    }

    public long frameIndex() {
        return frames.frameIndex();
    }

    /** Runs pending inits, then every enabled instance of {@code phase}: one downcall per library. */
    public void runPhase(Phase phase) {
        frames.runPhase(phase);
    }

    /**
     * The barrier after a phase: applies the phase's requests in order, then runs shutdowns and
     * signal handlers (their requests applied right after them), integrates velocities after
     * the update phase, and republishes the snapshot.
     */
    public void barrier(Phase phase) {
        frames.barrier(phase);
    }

    /** Runs inits and shutdowns queued outside a frame (e.g. after loading a scene). */
    public void flushLifecycle() {
        frames.flushLifecycle();
    }

    // ---- contained faults ----------------------------------------------------------------------

    @Override
    public FaultRecovery.Handler handler() {
        return faults;
    }

    /** The fault guard this runtime's script calls go through, or null when they run unguarded. */
    public FaultGuard faultGuard() {
        return guard;
    }

    @Override
    public Watchdog watchdog() {
        return watchdog;
    }

    @Override
    public boolean timesLibraryCalls() {
        return timeLibraryCalls;
    }

    /**
     * Times each library's calls from now on ({@link ScriptLibrary#callNanos}), or stops: the
     * inspector turns it on when it attaches. Any thread; the frame thread sees it by the next
     * phase. Off by default: a clock reading per library call is a per-call fixed cost.
     */
    public void timeLibraryCalls(boolean on) {
        timeLibraryCalls = on;
    }

    @Override
    public long nativeThread() {
        return guard == null ? 0 : guard.prepareCurrentThread();
    }

    @Override
    public int usedBytes() {
        return commands.usedBytes();
    }

    @Override
    public boolean makeRoom(long bytes) {
        return commands.ensureFree(bytes);
    }

    /**
     * Whether update calls are offered own-transform columns (abi/kiln.h kiln_own_transform;
     * default true). False makes every own-entity request a record, as before the column: for
     * tests that compare the two.
     */
    void setOwnTransforms(boolean offered) {
        apply.setOwnTransforms(offered);
    }

    /** False: update calls are not offered the signal lane, so scripts post every signal as a record (tests compare both). */
    void setSignalLane(boolean offered) {
        apply.setSignalLane(offered);
    }

    /** Lane parts taken after their batch's apply in one native pass (a test's witness). */
    long lanesTakenAfterApply() {
        return apply.lanesTakenAfterApply();
    }

    /** Own-transform slots holding a request: 0 between frames (tests check it). */
    int ownTransformsPending() {
        return phaseTables.ownTransformsPending();
    }

    /**
     * Applies the hot request kinds through {@code hot} (null: all in Java). Both paths apply
     * the same records with the same results and reports; the native one is faster.
     */
    public void setHotApply(HotApply hot) {
        apply.setHotApply(hot);
        signals.setNativeRouter(signalRouter, hot);
    }

    private NativeSignals signalRouter;

    /**
     * Routes signals through {@code router} (null: in Java); it takes effect with the native
     * apply path ({@link #setHotApply}), whose range collection it uses. Both routers deliver the
     * same signals in the same order with the same results.
     */
    public void setNativeSignals(NativeSignals router) {
        this.signalRouter = router;
        signals.setNativeRouter(router, apply.hotApply());
    }

    /**
     * Whether the native router hands libraries that export kiln_script_signal_batch compact
     * batches (true, the default) or kiln_signal_delivery records as to any other library.
     * Thread: the runtime's, between frames.
     */
    public void setCompactSignalBatches(boolean compact) {
        signals.setCompactBatches(compact);
    }

    // ---- the physics route ---------------------------------------------------------------------

    /**
     * Hands the transform requests (setPosition, translate, setScale, setVelocity, setRotation,
     * rotate, lookAt) of entities flagged with {@link #setPhysicsDriven} to {@code handler} at
     * the barrier, in canonical order, instead of applying them; null (the default) applies
     * them all directly. The world knows nothing of this: the route is decided here.
     */
    public void setPhysicsHandler(PhysicsHandler handler) {
        physics.setHandler(handler);
    }

    /** Flags (or unflags) a live entity as physics-driven; the flag ends with the entity. */
    public void setPhysicsDriven(long entity, boolean driven) {
        physics.setDriven(entity, driven);
    }

    public boolean isPhysicsDriven(long entity) {
        return physics.isDriven(entity);
    }

    /** The live physics-driven entities, by ascending handle: a rewind keyframe's copy. Frame thread. */
    public long[] physicsDrivenEntities() {
        return physics.drivenEntities();
    }

    /**
     * Flags exactly {@code entities} physics-driven (a rewind keyframe's restore, after the
     * world's): every other flag is dropped. Frame thread, between frames.
     */
    public void restorePhysicsDriven(long[] entities) {
        physics.restoreDriven(entities);
    }

    // ---- the Java host's signals -------------------------------------------------------------

    /** Hands every dispatched signal whose name {@code tap} wants to it (null: none). */
    public void setHostSignalTap(HostSignalTap tap) {
        signals.setHostTap(tap);
    }

    /**
     * Queues signal {@code name} from the Java host (sender NULL) to the scripts of {@code target}
     * that connected to it, or to every connected script when {@code target} is NULL. Delivered
     * at the next barrier's dispatch, like a script's. INVALID_ARGUMENT for an empty name,
     * TOO_LONG past {@link dev.kiln.abi.Layouts#NAME_MAX_BYTES} or a payload past
     * {@link dev.kiln.abi.Layouts#SIGNAL_PAYLOAD_MAX}, STALE_ENTITY for a dead target,
     * BUFFER_FULL when {@link SignalBus#QUEUED_SIGNALS_MAX} are queued already, or the queue's
     * shared part is full and the host holds {@link SignalBus#SMALL_SENDER_SIGNALS} of the rest.
     */
    public Status emitFromHost(String name, byte[] payload, long target) {
        return signals.emitFromHost(name, payload, target, world::isAlive);
    }

    SignalBus signals() {
        return signals;
    }

    /**
     * Logs the warnings of a successful build (what breaks replay: {@code DeterminismLint}),
     * each with its file, line and column, so they show where the script's logs do.
     */
    public void logBuildWarnings(BuildResult built) {
        for (Diagnostic d : built.diagnostics()) {
            if (d.severity() == Diagnostic.Severity.WARNING) logEngine(LogEntry.Level.WARN, d.toString());
        }
    }

    public void logEngine(LogEntry.Level level, String message) {
        reports.logEngine(level, message);
    }

    /** Total requests applied since start (for frame summaries and benchmarks). */
    public long commandsApplied() {
        return apply.commandsApplied();
    }

    public SnapshotPublisher snapshot() {
        return snapshot;
    }

    /**
     * The run is ending: every attached instance is detached and its shutdown runs, in execution
     * order, under the fault guard and the watchdog; the requests they post (logs, signals) are
     * applied. Instances disabled by a fault, or of a library stopped for a fault, are skipped:
     * their State or their code is not trusted. Call on the frame thread, before {@link #close}.
     */
    public void shutdownAll() {
        frames.shutdownAll();
    }

    @Override
    public void close() {
        libraries.closeRetired(); // every replaced version closed before the runtime's memory goes
        watchdog.close();
        phaseTables.close();
        lifecycleBatch.close();
        signals.close();
        libraries.close();
        frame.close();
        budgets.close(); // every instance's containers, detached or not
        commands.close();
        snapshot.close();
    }
}
