package dev.kiln.script;

import dev.kiln.abi.ChurnApply;
import dev.kiln.abi.CommandBuffer;
import dev.kiln.abi.CommandDecoder;
import dev.kiln.abi.ContainerMemory;
import dev.kiln.abi.FaultGuard;
import dev.kiln.abi.FrameBlock;
import dev.kiln.abi.GrowableSegment;
import dev.kiln.abi.HotApply;
import dev.kiln.abi.Layouts;
import dev.kiln.abi.LibraryLoadException;
import dev.kiln.abi.NativeHeap;
import dev.kiln.abi.NativeLibrary;
import dev.kiln.abi.NativeSignals;
import dev.kiln.abi.ScriptCode;
import dev.kiln.build.BuildResult;
import dev.kiln.build.Diagnostic;
import dev.kiln.abi.SnapshotPublisher;
import dev.kiln.ecs.Entities;
import dev.kiln.ecs.NameHash;
import dev.kiln.ecs.Status;
import dev.kiln.ecs.World;
import dev.kiln.state.ContainerStore;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Runs script instances against the world. Scripts never touch the world directly: during a
 * phase they append requests to the command buffer; {@link #barrier} applies them in
 * execution order, runs shutdowns of detached instances and dispatches signals, then
 * republishes the snapshot scripts read.
 */
public final class ScriptRuntime implements AutoCloseable, FaultRecovery.Context {
    /** Shutdown/signal rounds per barrier: a deeper signal cascade continues at the next barrier. */
    static final int DISPATCH_ROUNDS_MAX = 8;

    private final World world;
    private final SnapshotPublisher snapshot;
    private final CommandBuffer commands;
    private final FrameBlock frame;
    private final LogSink log;
    private final CommandApplier applier;
    /** The native apply path for the hot request kinds (null: every record is applied in Java). */
    private HotApply hotApply;
    private final long[] hotCounters = HotApply.counters();
    /** Plain spawns and despawns applied natively (with the hot path only; null: in Java). */
    private ChurnApply churnApply;
    private final ChurnApply.Pass churnPass = new ChurnApply.Pass();
    /** Spawn and despawn records the native churn pass applied (a test's witness that it ran). */
    private long churnAppliedNatively;
    /** The phase batch whose ranges the next {@link #applyRanges} applies from its entries (or null). */
    private InstanceBatch fusedBatch;
    /** Where the transform requests of physics-driven entities go (none by default). */
    private final PhysicsRoute physics;
    private final SignalBus signals = new SignalBus();

    private final Map<String, ScriptLibrary> libraries = new LinkedHashMap<>();
    private final Map<Integer, ScriptInstance> instances = new HashMap<>();
    /** Lookups by id and by entity index run per request and per signal: int-keyed, unboxed. */
    private final IntMap<ScriptInstance> byId = new IntMap<>();
    private final IntMap<List<ScriptInstance>> byEntityIndex = new IntMap<>();
    private final List<ScriptInstance> pendingInit = new ArrayList<>();
    private final List<ScriptInstance> pendingShutdown = new ArrayList<>();
    private final Map<Phase, InstanceBatch> phaseBatches = new EnumMap<>(Phase.class);
    private final InstanceBatch lifecycleBatch = new InstanceBatch();
    private final CommandRanges ranges = new CommandRanges();
    /**
     * Instances whose init just failed, by id, until their requests are applied: the SDK logs
     * "init returned error.X" itself, and that line, completed, is the one report of it.
     */
    private final Map<Integer, Status> initFailures = new LinkedHashMap<>();
    /** The SDK's line for a failed init (zig/sdk/exports.zig, runHook). */
    private static final String SDK_INIT_FAILED = "init returned error.";
    private static final String INIT_FAILED_TAIL = "; this instance is disabled until the script is reloaded";
    /** Every phase table must be rebuilt (library swap, unload, priority change, start). */
    private boolean phaseTablesDirty = true;
    /** Instances whose phase-table membership may have changed; applied one by one before a phase. */
    private final List<ScriptInstance> phaseTableChanges = new ArrayList<>();
    /** More changes than this at once (e.g. a whole library faulted): one rebuild is cheaper. */
    private static final int INCREMENTAL_CHANGES_MAX = 64;
    private int nextInstanceId = 1;
    private long nextAttachSequence = 1;
    /** Bumped by every attach, detach, enable, disable and priority change: see {@link #instanceTableVersion}. */
    private long instanceTableVersion;
    /** Bumped when States move to other slots without an attach or detach (a library swap or unload). */
    private long slotsVersion;
    /** The instance rows of the last keyframe image and what they were taken at (see {@link #exportInstances}). */
    private InstanceTableImage.Rows imageRows;
    private final long[] imageRowsKey = new long[3];

    private long frameIndex;
    private double deltaTime;
    private double time;
    private long commandsApplied;

    private final Watchdog watchdog;
    private IsolatedLoader isolatedLoader;

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

    public ScriptRuntime(World world, float cellSize, int commandBufferBytes, Duration callBudget,
                         LogSink log) {
        this.world = world;
        this.log = log;
        this.watchdog = new Watchdog(callBudget);
        this.snapshot = new SnapshotPublisher(cellSize);
        this.commands = new CommandBuffer(commandBufferBytes);
        this.quotas = new RequestQuotas(commandBufferBytes);
        this.frame = new FrameBlock(snapshot.root(), commands.root());
        frame.setSeed(DEFAULT_SEED);
        this.budgets = new ContainerBudgets(NativeHeap.create(DEFAULT_MEMORY_BUDGET_BYTES));
        if (budgets.heap() != null) frame.setHeap(budgets.heap().pointer());
        this.physics = new PhysicsRoute(world);
        this.faults = new FaultReports(commands, log, watchdog, floods, () -> this.frameIndex, instances::values,
                this::phaseTableChanged);
        signals.onMalformedOutcomes((library, n) -> logEngine(LogEntry.Level.WARN, "script '" + library.name()
                + "' wrote " + n + " malformed signal outcome(s) (out of order, or past its deliveries): refused"));
        this.applier = new CommandApplier(this, world);
        for (Phase p : Phase.values()) phaseBatches.put(p, new InstanceBatch());
        publish();
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
        budgets.setDefault(bytes, instances.values());
    }

    /** The memory budget of script {@code name}'s instances (null: the default again). */
    public void setMemoryBudget(String name, Long bytes) {
        budgets.setFor(name, bytes, instances.values());
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
        for (ScriptInstance i : instances.values()) i.setRequestQuota(quotas.of(i.scriptName()));
        phaseTablesDirty = true;
        return used;
    }

    /**
     * The request quota of script {@code name}'s instances (null: the default again); returns the
     * quota as used. Applies to instances attached now and later.
     */
    public int setRequestQuota(String name, Long bytes) {
        int used = quotas.setFor(name, bytes);
        for (ScriptInstance i : instances.values()) if (i.scriptName().equals(name)) i.setRequestQuota(used);
        phaseTablesDirty = true;
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

    // ---- libraries -----------------------------------------------------------------------------

    /** Starts a library in a host process of its own (isolated mode); the engine provides it. */
    public interface IsolatedLoader {
        ScriptCode start(Path library) throws LibraryLoadException;
    }

    public void setIsolatedLoader(IsolatedLoader loader) {
        this.isolatedLoader = loader;
    }

    /** Loads a library's code: in the engine's process, or isolated in a process of its own. */
    public ScriptCode loadCode(Path libraryPath, boolean isolated) throws LibraryLoadException {
        retired.awaitClosed(libraryPath); // loading a path whose old version is still closing would get its mapping back
        if (!isolated) return NativeLibrary.load(libraryPath);
        if (isolatedLoader == null) {
            throw new LibraryLoadException(LibraryLoadException.Reason.NOT_LOADABLE, libraryPath,
                    "isolated mode is not available in this runtime (no host program was set up)");
        }
        return isolatedLoader.start(libraryPath);
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
        ScriptCode code = loadCode(libraryPath, isolated);
        String name = code.info().name();
        if (libraries.containsKey(name)) {
            code.close();
            throw new LibraryLoadException(LibraryLoadException.Reason.BAD_METADATA, libraryPath,
                    "a script named '" + name + "' is already loaded (from " + libraries.get(name).libraryPath() + ")");
        }
        ScriptLibrary library = new ScriptLibrary(code, source);
        libraries.put(name, library);
        return library;
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
        retired.expectRetirement(); // its closing thread polls for the old version: the swap frame wakes nobody
        return LibrarySwap.prepare(libraries.get(name), next, budgets);
    }

    /** {@link #swapLibrary(String, ScriptCode)} with the work {@link #prepareSwap} did. Frame thread, between frames. */
    public SwapResult swapLibrary(String name, PreparedSwap prepared) {
        slotsVersion++; // a swap moves every State of the script into the new version's slab
        return new LibrarySwap(this, budgets).swap(name, prepared);
    }

    // ---- for LibrarySwap ------------------------------------------------------------------------

    Map<String, ScriptLibrary> libraryMap() {
        return libraries;
    }

    Map<Integer, ScriptInstance> instanceMap() {
        return instances;
    }

    /**
     * After a swap of {@code old} for {@code fresh}: the phase tables' entries point at the new
     * library and States in place (see {@link InstanceBatch#relink}) instead of a rebuild at the
     * next phase (sorting and rewriting every instance: ~2–3 ms of the swap frame at 10,000);
     * with {@code moves} (a body edit's runs of States), from the entries' own State pointers.
     */
    void relinkPhaseTables(ScriptLibrary old, ScriptLibrary fresh, StateMoves moves) {
        if (phaseTablesDirty) return; // rebuilt at the next phase anyway
        for (InstanceBatch b : phaseBatches.values()) b.relink(old, fresh, moves);
    }

    CommandBuffer commandBuffer() {
        return commands;
    }

    FrameBlock frameBlock() {
        return frame;
    }

    CommandRanges commandRanges() {
        return ranges;
    }

    /**
     * Has the next barrier apply {@code batch}'s ranges from its kiln_instance entries, as after
     * {@link #runPhase} (tests write the entries themselves).
     */
    void applyFromEntriesAtBarrier(InstanceBatch batch) {
        if (hotApply != null && !physics.active()) fusedBatch = batch;
        else batch.collectRanges(ranges, hotApply);
    }

    double deltaTime() {
        return deltaTime;
    }

    double time() {
        return time;
    }

    /** True when a detached instance of {@code library} still waits for its shutdown call. */
    boolean awaitsShutdown(ScriptLibrary library) {
        for (ScriptInstance i : pendingShutdown) if (i.library() == library) return true;
        return false;
    }

    /**
     * Queues {@code i}'s init again (its State dropped): a reload gives an instance whose init
     * never succeeded a fresh start on the new code instead of a State its update cannot trust.
     */
    void initAgain(ScriptInstance i) {
        i.setStateMemory(null);
        i.setFault(null);
        i.setEnabled(true);
        i.setLifecycle(ScriptInstance.Lifecycle.PENDING_INIT);
        if (!pendingInit.contains(i)) pendingInit.add(i);
        phaseTableChanged(i);
    }

    /**
     * Forgets {@code old} (its phase-table, lifecycle and signal entries) and closes it: on the
     * calling thread when {@code now}, else off the frame thread ({@link RetiredLibraries}: a
     * swap's old version, which nothing can call any more).
     */
    void forgetLibrary(ScriptLibrary old, boolean now) {
        List<GrowableSegment> memory = new ArrayList<>(); // its batches' entries, closed with it
        for (InstanceBatch b : phaseBatches.values()) memory.add(b.forget(old));
        memory.add(lifecycleBatch.forget(old));
        memory.add(signals.forgetLibrary(old));
        memory.removeIf(Objects::isNull);
        if (now) {
            retired.closeNow(old, memory);
            retired.report(this);
        } else {
            retired.retire(old, memory);
        }
    }

    /** Old versions replaced by swaps, closing off the frame thread. */
    private final RetiredLibraries retired = new RetiredLibraries();

    /**
     * Blocks until every library version a swap replaced so far is closed (unmapped from the
     * process, or its isolated host ended), then logs any that stayed mapped. A swap closes the
     * old version on another thread; this is for callers that must know it is gone. Frame thread.
     */
    public void awaitClosedLibraries() {
        retired.awaitClosed();
        retired.report(this);
    }

    /** Where swaps' old versions are closed (tests hold the closes back). */
    RetiredLibraries retiredLibraries() {
        return retired;
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
        slotsVersion++;
        forgetLibrary(library, true);
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
        instance.watchRoutes(signals.routes());
        instance.setRequestQuota(requestQuotaOf(name));
        budgets.apply(instance);
        instance.setEntityName(world.name(entity));
        instances.put(instance.id(), instance);
        library.attached(instance);
        byId.put(instance.id(), instance);
        List<ScriptInstance> onEntity = byEntityIndex.get(Entities.index(entity));
        if (onEntity == null) {
            onEntity = new ArrayList<>();
            byEntityIndex.put(Entities.index(entity), onEntity);
        }
        onEntity.add(instance);
        onEntity.sort(ScriptInstance::compareOrder);
        world.setScriptsListed(Entities.index(entity), true); // its despawn detaches them: not the native path's
        pendingInit.add(instance);
        instanceTableVersion++;
        return instance;
    }

    /** Detaches an instance; its shutdown runs at the next barrier (or at once via {@link #flushLifecycle}). */
    public Status detach(ScriptInstance instance) {
        if (instance.lifecycle() == ScriptInstance.Lifecycle.DETACHED) return Status.NOT_FOUND;
        boolean wasActive = instance.lifecycle() == ScriptInstance.Lifecycle.ACTIVE;
        instance.setLifecycle(ScriptInstance.Lifecycle.DETACHED);
        instanceTableVersion++;
        pendingInit.remove(instance);
        instances.remove(instance.id());
        instance.library().detached(instance);
        byId.remove(instance.id());
        List<ScriptInstance> onEntity = byEntityIndex.get(Entities.index(instance.entity()));
        if (onEntity != null) {
            onEntity.remove(instance);
            if (onEntity.isEmpty()) {
                byEntityIndex.remove(Entities.index(instance.entity()));
                world.setScriptsListed(Entities.index(instance.entity()), false);
            }
        }
        signals.forget(instance);
        if (wasActive) {
            pendingShutdown.add(instance);
            phaseTableChanged(instance);
        } else {
            budgets.free(instance); // no shutdown will run: nothing can use them any more
        }
        return Status.OK;
    }

    /** Despawns an entity: its scripts are detached (shutdown follows) and the entity removed. */
    public Status despawn(long entity) {
        if (!world.isAlive(entity)) return Status.STALE_ENTITY;
        List<ScriptInstance> scripts = byEntityIndex.get(Entities.index(entity));
        if (scripts != null) {
            for (ScriptInstance i : List.copyOf(scripts)) detach(i); // detach edits the list
        }
        return world.despawn(entity);
    }

    public Status setEnabled(ScriptInstance instance, boolean enabled) {
        if (instance.lifecycle() == ScriptInstance.Lifecycle.DETACHED) return Status.NOT_FOUND;
        if (instance.enabled() != enabled) {
            instance.setEnabled(enabled);
            phaseTableChanged(instance);
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
        instanceTableVersion++;
        instance.library().orderChanged();
        List<ScriptInstance> onEntity = byEntityIndex.get(Entities.index(instance.entity()));
        if (onEntity != null) onEntity.sort(ScriptInstance::compareOrder);
        signals.priorityChanged(instance);
        phaseTablesDirty = true;
        return Status.OK;
    }

    /** The entity's scripts in execution order (priority, then attach order). */
    public List<ScriptInstance> scriptsOn(long entity) {
        List<ScriptInstance> list = scriptsOnUnwrapped(entity);
        return list.isEmpty() ? List.of() : Collections.unmodifiableList(list);
    }

    /** {@link #scriptsOn} without the read-only view, for signal dispatch (it only reads). */
    private List<ScriptInstance> scriptsOnUnwrapped(long entity) {
        if (!world.isAlive(entity)) return List.of();
        List<ScriptInstance> list = byEntityIndex.get(Entities.index(entity));
        if (list == null) return List.of();
        for (int k = 0; k < list.size(); k++) {
            if (list.get(k).entity() != entity) return sameHandle(list, entity);
        }
        return list;
    }

    /**
     * The instances of {@code list} attached to exactly {@code entity}: an entity removed with
     * World.despawn (not {@link #despawn}) leaves its scripts under its index, which a new
     * entity may reuse; they must not look like the new entity's.
     */
    private static List<ScriptInstance> sameHandle(List<ScriptInstance> list, long entity) {
        List<ScriptInstance> out = new ArrayList<>();
        for (ScriptInstance i : list) if (i.entity() == entity) out.add(i);
        return out;
    }

    public ScriptInstance instance(int id) {
        return byId.get(id);
    }

    public Collection<ScriptInstance> instances() {
        return Collections.unmodifiableCollection(instances.values());
    }

    // ---- rewind keyframes (docs/rewind.md): what the scripts' side of one must match ----------

    /**
     * Instances attached so far in this runtime's life (detached ones included): equal at two
     * frame boundaries exactly when nothing was attached between them (a rewind keyframe's
     * restore sets it back to what it was then, so the attaches after it get the same ids).
     */
    public long attachCount() {
        return nextAttachSequence - 1;
    }

    /**
     * A number that changes whenever an instance is attached or detached or its enabled flag or
     * priority changes (not when a State changes: scripts write those in place). Equal at two
     * moments means the table of (id, entity, enabled, priority) is the same: the frame hash
     * re-reads it only then (docs/rewind.md). Frame thread.
     */
    public long instanceTableVersion() {
        return instanceTableVersion;
    }

    /**
     * True at a frame boundary with no instance waiting for its init or shutdown, no spawn
     * result kept for the next frame and no signal queued (a cascade deeper than a barrier's
     * rounds, or the host's): the only boundaries a rewind keyframe is taken at, since those
     * queues are not part of one. Frame thread, between frames.
     */
    public boolean quietForKeyframe() {
        return pendingInit.isEmpty() && pendingShutdown.isEmpty() && applier.spawnResultsKept(frameIndex + 1) == 0
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
        if (!quietForKeyframe()) return null;
        long[] key = {instanceTableVersion, signals.connectionsVersion(), slotsVersion};
        InstanceTableImage.Rows rows = Arrays.equals(key, imageRowsKey) ? imageRows : null;
        InstanceTableImage image = InstanceTableImage.capture(this, rows, nextInstanceId, nextAttachSequence);
        if (image == null) return null;
        imageRows = image.rows();
        System.arraycopy(key, 0, imageRowsKey, 0, key.length);
        return image;
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
        long[] key = {instanceTableVersion, signals.connectionsVersion(), slotsVersion};
        if (image.rows() == imageRows && Arrays.equals(key, imageRowsKey)) {
            // Nothing attached, detached, enabled, reprioritised, connected or swapped since the
            // image was taken (no init or shutdown can be pending either): every instance has
            // its slot still, and only the States' bytes and containers go back.
            image.restoreStates(this);
            initFailures.clear();
            signals.clearQueued();
            applier.forgetSpawnResults();
            return;
        }
        image.restoreInto(this);
        System.arraycopy(new long[] {instanceTableVersion, signals.connectionsVersion(), slotsVersion}, 0, imageRowsKey, 0, 3);
        imageRows = image.rows(); // what the table is now
    }

    /**
     * {@link #importInstances}' table part: {@code table} (in attach order, fields set) becomes
     * the instance table; every instance not in it is dropped without a shutdown.
     */
    void replaceInstances(List<ScriptInstance> table, int nextId, long nextSequence) {
        Set<ScriptInstance> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        kept.addAll(table);
        Set<ScriptInstance> attachedNow = Collections.newSetFromMap(new IdentityHashMap<>());
        attachedNow.addAll(instances.values());
        List<ScriptInstance> dropped = new ArrayList<>();
        for (ScriptInstance i : instances.values()) if (!kept.contains(i)) dropped.add(i);
        for (ScriptInstance i : pendingShutdown) if (!kept.contains(i)) dropped.add(i);
        for (ScriptInstance i : dropped) {
            signals.forget(i);
            budgets.free(i);
            i.setLifecycle(ScriptInstance.Lifecycle.DETACHED);
        }
        pendingInit.clear();
        pendingShutdown.clear();
        initFailures.clear();
        // The world's "has scripts" mark (which keeps a despawn off the native path, so it detaches
        // them) follows the table: cleared for the entities listed now, set below for the image's.
        for (ScriptInstance i : instances.values()) world.setScriptsListed(Entities.index(i.entity()), false);
        instances.clear();
        byId.clear();
        byEntityIndex.clear();
        Map<ScriptLibrary, List<ScriptInstance>> byLibrary = new LinkedHashMap<>();
        for (ScriptLibrary l : libraries.values()) byLibrary.put(l, new ArrayList<>());
        List<List<ScriptInstance>> entityLists = new ArrayList<>();
        for (ScriptInstance i : table) {
            if (!attachedNow.contains(i)) { // made by the image: set up as attach does
                i.watchRoutes(signals.routes());
                i.setRequestQuota(requestQuotaOf(i.scriptName()));
                budgets.apply(i);
            }
            instances.put(i.id(), i);
            byId.put(i.id(), i);
            List<ScriptInstance> onEntity = byEntityIndex.get(Entities.index(i.entity()));
            if (onEntity == null) {
                byEntityIndex.put(Entities.index(i.entity()), onEntity = new ArrayList<>());
                entityLists.add(onEntity);
            }
            onEntity.add(i);
            world.setScriptsListed(Entities.index(i.entity()), true);
            byLibrary.get(i.library()).add(i);
        }
        for (List<ScriptInstance> onEntity : entityLists) onEntity.sort(ScriptInstance::compareOrder);
        for (Map.Entry<ScriptLibrary, List<ScriptInstance>> e : byLibrary.entrySet()) e.getKey().attachedAre(e.getValue());
        nextInstanceId = nextId;
        nextAttachSequence = nextSequence;
        instanceTableVersion++;
        slotsVersion++;
        phaseTablesDirty = true;
        phaseTableChanges.clear();
        signals.clearQueued();
        applier.forgetSpawnResults();
    }

    /** Spawn and despawn records applied by the native churn pass since the runtime started. */
    long churnAppliedNatively() {
        return churnAppliedNatively;
    }

    /** {@code i}'s signal connection ids, in the order it made them (a copy). */
    public long[] signalConnectionIds(ScriptInstance i) {
        return i.connections().ids();
    }

    // ---- the frame -----------------------------------------------------------------------------

    /** Starts a frame; changes made to the world between frames become visible to scripts. */
    public void beginFrame(long frameIndex, double deltaTime, double time) {
        this.frameIndex = frameIndex;
        this.deltaTime = deltaTime;
        this.time = time;
        retired.report(this); // an old version that stayed mapped, found off the frame thread
        publish();
    }

    public long frameIndex() {
        return frameIndex;
    }

    /** Runs pending inits, then every enabled instance of {@code phase}: one downcall per library. */
    public void runPhase(Phase phase) {
        runPendingInits(phase);
        updatePhaseTables();
        InstanceBatch batch = phaseBatches.get(phase);
        if (batch.isEmpty()) return;
        frame.set(phase.code, frameIndex, deltaTime, time);
        batch.call(frame.segment(), (lib, f, items, n) -> lib.update(f, items, n), this);
        // The barrier applies this batch's ranges straight from its entries (collect fused into
        // the native apply: the range tables' round trip was a fifth of W1's frame); nothing
        // else appends ranges or touches the entries before it.
        applyFromEntriesAtBarrier(batch);
    }

    /**
     * The barrier after a phase: applies the phase's requests in order, then runs shutdowns and
     * signal handlers (their requests applied right after them), integrates velocities after
     * the update phase, and republishes the snapshot.
     */
    public void barrier(Phase phase) {
        applyRanges();
        dispatchQuota.begin();
        for (int round = 0; round < DISPATCH_ROUNDS_MAX; round++) {
            if (pendingShutdown.isEmpty() && !signals.hasPending()) break;
            publish();
            runPendingShutdowns();
            applyDispatchRanges();
            if (signals.hasPending()) {
                publish();
                frame.set(Phase.CODE_SIGNAL, frameIndex, deltaTime, time);
                signals.dispatch(frame.segment(), ranges, this::scriptsOnUnwrapped, this::reportMissingSignalHandler, this,
                        world, instances.values(), byEntityIndex::get);
                applyDispatchRanges();
            }
        }
        restoreHookQuotas();
        if (signals.hasPending()) {
            logEngine(LogEntry.Level.WARN, "signal cascade deeper than " + DISPATCH_ROUNDS_MAX
                    + " rounds in one barrier: the rest is delivered at the next barrier");
        }
        int droppedSignals = signals.takeDropped();
        if (droppedSignals > 0) {
            logEngine(LogEntry.Level.WARN, droppedSignals + " signals of the host dropped: more than "
                    + SignalBus.QUEUED_SIGNALS_MAX + " queued in one dispatch round");
        }
        reportFloods();
        if (phase == Phase.UPDATE) {
            if (hotApply != null) hotApply.integrate(world, (float) deltaTime, heldReporter, snapshot, hotCounters);
            else world.integrateVelocities((float) deltaTime, heldReporter);
        }
        publish();
    }

    /** One request quota per instance across a barrier's dispatch rounds. */
    private final DispatchQuota dispatchQuota = new DispatchQuota();
    /** Instances whose hooks were told a quota lowered by {@link #dispatchQuota} this barrier. */
    private final List<ScriptInstance> loweredQuotas = new ArrayList<>();

    /**
     * Applies a dispatch round's ranges (shutdowns, signal handlers) with their owners' quotas
     * shared across the barrier's rounds, then tells the hooks of instances past half their
     * quota what is left, so the next round's calls refuse at the SDK what the engine would.
     */
    private void applyDispatchRanges() {
        dispatchQuota.charge(ranges);
        applyRanges();
        int[] heavy = dispatchQuota.heavy();
        for (int k = 0, n = dispatchQuota.heavyCount(); k < n; k++) {
            ScriptInstance i = byId.get(heavy[k]);
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

    private final LongConsumer heldReporter = this::reportHeldEntity;

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

    /** Runs inits and shutdowns queued outside a frame (e.g. after loading a scene). */
    public void flushLifecycle() {
        publish();
        runPendingInits(null);
        runPendingShutdowns();
        applyRanges();
        reportFloods();
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
            phaseTableChanged(i);
            int status = lifecycleBatch.statusAt(k);
            i.setInitSucceeded(status == Status.OK.code() && i.fault() == null);
            if (status != Status.OK.code() && i.fault() == null) {
                // An instance whose init failed has a State its update cannot trust.
                faults.disable(i, "init returned " + Status.ofCode(status));
                // Reported when its requests are applied: the SDK's own line names the Zig error.
                initFailures.put(i.id(), Status.ofCode(status));
            }
        }
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
            budgets.free(i);
        }
    }

    /** Notes that {@code i} may have joined or left its phase table (applied before the next phase). */
    void phaseTableChanged(ScriptInstance i) {
        instanceTableVersion++; // every enable and disable comes through here
        if (phaseTablesDirty) return; // a full rebuild is due anyway
        if (phaseTableChanges.size() == INCREMENTAL_CHANGES_MAX) {
            phaseTablesDirty = true;
            phaseTableChanges.clear();
            return;
        }
        phaseTableChanges.add(i);
    }

    private void updatePhaseTables() {
        if (phaseTablesDirty) {
            rebuildPhaseTables();
            return;
        }
        for (ScriptInstance i : phaseTableChanges) {
            InstanceBatch batch = phaseBatches.get(i.phase());
            int at = batch.indexOf(i);
            boolean wanted = i.enabled() && i.lifecycle() == ScriptInstance.Lifecycle.ACTIVE;
            if (wanted && at < 0) batch.insert(i);
            else if (!wanted && at >= 0) batch.removeAt(at);
        }
        phaseTableChanges.clear();
    }

    private void rebuildPhaseTables() {
        phaseTableChanges.clear();
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
        InstanceBatch fused = fusedBatch;
        fusedBatch = null;
        if (fused != null && physics.active()) { // the route started since the phase: all in Java
            fused.collectRanges(ranges);
            fused = null;
        }
        int count = ranges.count();
        // The native pass queues signals itself while bound (with the native signal router only).
        boolean bound = hotApply != null && (count > 0 || fused != null) && !physics.active() && signals.bindApply();
        try {
            applyRangesFrom(count);
            if (fused != null) { // after the ranges collected before the phase's (its inits')
                ranges.clear();
                if (!fused.applyFused(hotApply, commands.data(), world, snapshot, hotCounters, ranges, this::applyRangeInJava)) {
                    fused.collectRanges(ranges);
                    for (int k = 0; k < ranges.count(); k++) applyRangeInJava(k, ranges.offset(k));
                }
            }
        } finally {
            if (bound) signals.unbindApply();
        }
        if (hotApply != null) applier.addApplied(HotApply.takeApplied(hotCounters));
        reportInitFailures();
        commandsApplied += applier.takeApplied();
        ranges.clear();
        int dropped = commands.droppedCount();
        if (dropped > 0) {
            logEngine(LogEntry.Level.WARN, Integer.toUnsignedLong(dropped) + " requests dropped: the command buffer ("
                    + commands.capacityBytes() + " bytes) was full (posted by a script that does not stop for room,"
                    + " see docs/abi.md)");
        }
        commands.reset();
    }

    private void applyRangesFrom(int count) {
        int r = 0;
        while (r < count) {
            if (hotApply != null && !physics.active() && (HotApply.startsHot(commands.data(), ranges.offset(r),
                    ranges.javaOnly()[r]) || signals.takesNatively(commands.data(), ranges.offset(r), ranges.javaOnly()[r]))) {
                // Native: every hot record of ranges [r, stop) and of range stop up to the first
                // record it did not apply; Java takes that range from there, with every check.
                int to = Math.min(count, r + HotApply.RANGES_PER_CALL_MAX);
                int stop = hotApply.apply(commands.data(), ranges.offsets(), ranges.lengths(), ranges.owners(),
                        ranges.javaOnly(), r, to, world, snapshot, hotCounters);
                if (stop == to) {
                    r = to;
                    continue;
                }
                applyRangeInJava(stop, HotApply.stopOffset(hotCounters));
                r = stop + 1;
            } else {
                applyRangeInJava(r, ranges.offset(r));
                r++;
            }
        }
    }

    /**
     * Decodes range {@code r} from byte {@code from} (its start, or where the native path
     * stopped: records before it were applied) to its end, enforcing its quota from its start.
     */
    private void applyRangeInJava(int r, int from) {
        int offset = ranges.offset(r), length = ranges.length(r), quota = ranges.quota(r);
        int rest = length - (from - offset);
        long refused = Integer.toUnsignedLong(ranges.refused(r)); // what the script's call counted
        long logsDropped = Integer.toUnsignedLong(ranges.logsDropped(r));
        if (quota > 0 && length > quota) {
            // Only a script that ignores its quota writes past it (scripts are untrusted): the
            // engine refuses what lies past it, as the SDK would have. (The native path never
            // starts such a range, so from == offset here.)
            long counts = CommandDecoder.decode(commands.data(), offset, length, ranges.owner(r), quota, applier);
            refused += CommandDecoder.refused(counts);
            logsDropped += CommandDecoder.logsDropped(counts);
        } else if (rest > 0) {
            int end = from + rest;
            // as the hot path: with a physics route active everything goes through the decoder
            if (churnApply != null && !physics.active() && ChurnApply.startsChurn(commands.data(), from)) {
                from = applyChurn(from, end, ranges.owner(r));
            }
            if (end > from) CommandDecoder.decode(commands.data(), from, end - from, ranges.owner(r), applier);
        }
        if (refused > 0 || logsDropped > 0) noteFlood(ranges.owner(r), quota, refused, logsDropped);
    }

    /**
     * Applies the plain spawns and despawns of [from, end) natively from {@code from} on
     * (kiln_churn.c); returns the offset of the first record left for the decoder. The spawn
     * results go into the applier's table at once: a later record of the range (decoded in
     * Java) may name one of them by its pending handle.
     */
    private int applyChurn(int from, int end, int owner) {
        int stop = churnApply.apply(commands.data(), from, end, owner, world, snapshot, churnPass);
        applier.addSpawned(churnPass.spawnedPairs(), churnPass.spawnedCount());
        long applied = churnPass.takeApplied();
        churnAppliedNatively += applied;
        applier.addApplied(applied);
        return stop;
    }

    /** A signal of instance {@code owner} refused past its share of the signal queue: counted as its flood. */
    void noteSignalRefused(int owner) {
        ScriptInstance instance = sourceInstance(owner);
        if (instance != null) floods.noteSignalRefused(instance);
    }

    private void noteFlood(int owner, int quota, long refused, long logsDropped) {
        ScriptInstance instance = sourceInstance(owner);
        if (instance == null) return; // a dry run's probe: nothing of it is applied
        // a range's quota may be what was left of the instance's for a barrier's dispatch rounds
        floods.note(instance, instance.requestQuota() > 0 ? instance.requestQuota() : quota, refused, logsDropped);
    }

    /**
     * Instances whose containers could not grow for their memory budget since the last barrier:
     * one warning each, with the numbers (the SDK's own error line names the call).
     */
    private void reportMemoryRefusals() {
        if (budgets.heap() != null) reportMemoryRefusals(budgets.heap());
        // Isolated libraries keep containers in their hosts' heaps: the same warning from there.
        for (ScriptLibrary library : libraries.values()) {
            ContainerMemory own = library.code().containerMemory();
            if (own != null) reportMemoryRefusals(own);
        }
    }

    private void reportMemoryRefusals(ContainerMemory memory) {
        NativeHeap.Refusals refusals = memory.takeRefusals();
        for (int id : refusals.instances()) {
            NativeHeap.Usage u = memory.usage(id, true);
            ScriptInstance i = byId.get(id);
            if (i == null) continue; // the dry-run probe, or gone since
            log.log(new LogEntry(frameIndex, LogEntry.Level.WARN, i.scriptName(), i.entity(), i.entityName(),
                    u.refused() + (u.refused() == 1 ? " container growth" : " container growths")
                            + " refused: over its memory budget of " + u.budgetBytes() + " bytes (" + u.usedBytes()
                            + " in use, " + u.refusedBytes() + " asked for)"));
        }
        if (refusals.unlisted() > 0) {
            logEngine(LogEntry.Level.WARN, refusals.unlisted() + " more script instances went over their memory budget");
        }
    }

    /** The phase just applied (and its dispatch rounds): memory refusals, then floods (FloodReports). */
    private void reportFloods() {
        reportMemoryRefusals();
        floods.report(frameIndex, log, faults::disable);
    }

    /** Init failures no SDK line reported (a C script, a status without an error): the engine's line. */
    private void reportInitFailures() {
        if (initFailures.isEmpty()) return;
        for (var e : initFailures.entrySet()) {
            ScriptInstance i = sourceInstance(e.getKey());
            if (i == null) continue;
            log.log(new LogEntry(frameIndex, LogEntry.Level.ERROR, i.scriptName(), i.entity(), i.entityName(),
                    "init returned " + e.getValue() + INIT_FAILED_TAIL));
        }
        initFailures.clear();
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
        return faults;
    }

    @Override
    public Watchdog watchdog() {
        return watchdog;
    }

    @Override
    public long nativeThread() {
        FaultGuard guard = FaultGuard.active();
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
     * Applies the hot request kinds through {@code hot} (null: all in Java). Both paths apply
     * the same records with the same results and reports; the native one is faster.
     */
    public void setHotApply(HotApply hot) {
        this.hotApply = hot;
        this.churnApply = hot == null ? null : ChurnApply.active();
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
        signals.setNativeRouter(router, hotApply);
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
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        if (utf8.length == 0) return Status.INVALID_ARGUMENT;
        if (utf8.length > Layouts.NAME_MAX_BYTES
                || payload.length > Layouts.SIGNAL_PAYLOAD_MAX) return Status.TOO_LONG;
        if (target != Entities.NULL && !world.isAlive(target)) return Status.STALE_ENTITY;
        byte[] data = Arrays.copyOf(utf8, utf8.length + payload.length); // name, then payload
        System.arraycopy(payload, 0, data, utf8.length, payload.length);
        boolean queued = signals.enqueue(Entities.NULL, target, NameHash.of(utf8),
                MemorySegment.ofArray(data), 0, utf8.length, payload.length);
        return queued ? Status.OK : Status.BUFFER_FULL;
    }

    // ---- for the applier -----------------------------------------------------------------------

    PhysicsRoute physics() {
        return physics;
    }

    String scriptNameOf(int sourceInstance) {
        ScriptInstance source = sourceInstance(sourceInstance);
        return source == null ? "instance#" + sourceInstance : source.scriptName();
    }

    SignalBus signals() {
        return signals;
    }

    void log(LogEntry.Level level, int sourceInstance, String message) {
        ScriptInstance source = byId.get(sourceInstance);
        if (source == null) source = recentlyDetached(sourceInstance);
        String script = source == null ? "instance#" + sourceInstance : source.scriptName();
        long entity = source == null ? Entities.NULL : source.entity();
        if (source != null && level == LogEntry.Level.ERROR && message.startsWith(SDK_INIT_FAILED)
                && initFailures.remove(sourceInstance) != null) {
            message = message + INIT_FAILED_TAIL; // the one line of this failure, with the Zig error's name
        }
        // The instance keeps the name its entity had when attached: still right after a despawn.
        String name = source == null ? null : source.entityName();
        log.log(new LogEntry(frameIndex, level, script, entity, name, message));
    }

    /** Instances shut down in this barrier still post (from shutdown); find them for logging. */
    private ScriptInstance recentlyDetached(int id) {
        for (ScriptInstance i : lifecycleBatch.order()) if (i.id() == id) return i;
        return null;
    }

    ScriptInstance sourceInstance(int id) {
        ScriptInstance i = byId.get(id);
        return i != null ? i : recentlyDetached(id);
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
        log.log(new LogEntry(frameIndex, level, LogEntry.ENGINE, Entities.NULL, message));
    }

    /** Total requests applied since start (for frame summaries and benchmarks). */
    public long commandsApplied() {
        return commandsApplied;
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
        List<ScriptInstance> all = new ArrayList<>(instances.values());
        all.sort(ScriptInstance::compareOrder);
        for (ScriptInstance i : all) detach(i);
        pendingShutdown.removeIf(i -> i.fault() != null || i.library().poisoned());
        publish();
        runPendingShutdowns();
        applyRanges();
    }

    @Override
    public void close() {
        retired.close(); // every replaced version closed before the runtime's memory goes
        watchdog.close();
        for (InstanceBatch b : phaseBatches.values()) b.close();
        lifecycleBatch.close();
        signals.close();
        for (ScriptLibrary l : libraries.values()) l.code().close();
        libraries.clear();
        frame.close();
        budgets.close(); // every instance's containers, detached or not
        commands.close();
        snapshot.close();
    }
}
