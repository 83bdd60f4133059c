package dev.kiln.script;

import dev.kiln.abi.ScriptInfo;
import dev.kiln.loader.ScriptCode;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A script the runtime has loaded: one version's native library and the State slab of its
 * instances (its own, or taken over from the version before it by a body edit).
 */
public final class ScriptLibrary {
    private final ScriptCode code;
    private final StateSlab states;
    private final Path source;
    /** Shared by every version of the script: names the one running (see {@link RunningVersion}). */
    private final RunningVersion version;
    private boolean warnedNoSignalHandler;
    /** Set when the watchdog stopped this library: it is not called again until reloaded. */
    private String poisonedBy;
    /** Nanoseconds spent in this library's batch calls since load (frame thread only). */
    private long callNanos;
    /**
     * Its attached instances, in attach order (ScriptRuntime adds and removes them; a swap hands
     * them to the new version): a swap takes its instances from here instead of scanning and
     * sorting every instance of the runtime. Frame thread only.
     */
    private LinkedHashSet<ScriptInstance> attached = new LinkedHashSet<>();
    private ScriptInstance lastFaulted;
    /** {@link #attached} in canonical order, kept until an instance is attached, detached or reprioritised; null: not worked out. */
    private ScriptInstance[] inOrder;

    /**
     * A version with a State slab of its own: in the engine's process its memory is the slab's,
     * not the library's (so a later version may take it over: {@link #keepingStatesOf}), freed
     * when the version holding the slab {@link #close}s; an isolated library's States are in its
     * host's shared region, where its code reaches them.
     */
    ScriptLibrary(ScriptCode code, Path source) {
        this(code, source, null, null);
    }

    /**
     * {@code states}: a slab taken over; null: one of its own. {@code version}: the script's,
     * shared with its other versions; null: a new script, running this.
     */
    private ScriptLibrary(ScriptCode code, Path source, StateSlab states, RunningVersion version) {
        this.code = code;
        this.source = source;
        this.states = states != null ? states : slabFor(code, this);
        this.version = version != null ? version : new RunningVersion(this);
    }

    private static StateSlab slabFor(ScriptCode code, ScriptLibrary holder) {
        int size = code.info().stateSize(), align = code.info().stateAlign();
        return code.isolated() ? new StateSlab(code.stateAllocator(), size, align) : StateSlab.ownMemory(holder, size, align);
    }

    /**
     * A new version {@code code} of {@code running}'s script with a State slab of its own (the
     * States migrate into it). Not running until a swap {@link #becomeRunning}s it.
     */
    static ScriptLibrary nextVersion(ScriptLibrary running, ScriptCode code) {
        return new ScriptLibrary(code, running.source, null, running.version);
    }

    /**
     * A new version {@code code} of {@code running}'s script whose instances keep their States
     * where they are: it takes over {@code running}'s slab (a body edit, the same State layout;
     * see {@link LibrarySwap}). The slab's memory is not the old version's: once this version
     * {@link #becomeRunning}s it holds the slab, so closing the old one leaves the memory, and
     * this version's close (or that of the version it is handed to next) frees it.
     */
    static ScriptLibrary keepingStatesOf(ScriptLibrary running, ScriptCode code) {
        return new ScriptLibrary(code, running.source, running.states, running.version);
    }

    /**
     * A swap's switch: every instance of the script runs this version from now on (one write),
     * and it holds its State slab (a slab taken over is freed with this version, not the old one).
     */
    void becomeRunning() {
        version.switchTo(this);
        states.heldBy(this);
    }

    /**
     * Unloads this version's code and, when it holds its State slab (no later version took the
     * slab over), frees the slab's memory: every State of its instances is gone afterwards. Not
     * on the frame thread inside a frame (both close shared arenas); the code's close problems
     * are thrown after the slab is freed.
     */
    void close() {
        try {
            code.close();
        } finally {
            states.closeIfHeldBy(this);
        }
    }

    /** Which version of this script runs: what its instances read their library through. */
    RunningVersion version() {
        return version;
    }

    /**
     * True when a version {@code next} can take over this version's State slab as it is: both
     * run in the engine's process (the slab owns its memory) and {@code next}'s State fits its
     * slots exactly (size and alignment).
     */
    boolean statesFit(ScriptCode next) {
        return !code.isolated() && !next.isolated()
                && states.fits(next.info().stateSize(), next.info().stateAlign());
    }

    public String name() {
        return code.info().name();
    }

    public ScriptInfo info() {
        return code.info();
    }

    /** Source file it was built from, or null for a prebuilt library. */
    public Path source() {
        return source;
    }

    public Path libraryPath() {
        return code.path();
    }

    public Phase defaultPhase() {
        Phase p = Phase.ofCode(info().defaultPhase());
        return p == null ? Phase.UPDATE : p;
    }

    public boolean poisoned() {
        return poisonedBy != null;
    }

    /** Why the library was stopped, or null. */
    public String poisonedBy() {
        return poisonedBy;
    }

    /**
     * Total time in this library's batch calls while the runtime timed them
     * ({@link ScriptRuntime#timeLibraryCalls}: from when an inspector attached), in nanoseconds
     * (read on the frame thread).
     */
    public long callNanos() {
        return callNanos;
    }

    void addCallNanos(long nanos) {
        callNanos += nanos;
    }

    void poison(String reason) {
        poisonedBy = reason;
    }

    /** True when the library runs in a host process of its own (isolated mode). */
    public boolean isolated() {
        return code.isolated();
    }

    ScriptCode code() {
        return code;
    }

    StateSlab states() {
        return states;
    }

    /**
     * Read-only views of the memory this library's instances keep their States in (slab chunks
     * of 1024 slots, in allocation order; free slots hold a detached instance's last State or
     * zeros): a frame hash reads every State in bulk from these rather than one by one
     * (docs/rewind.md). Frame thread, between frames.
     */
    public List<MemorySegment> stateChunks() {
        return states.chunks();
    }

    /**
     * The last of its instances stopped by a contained fault since this version was loaded, or
     * null: keep-last-good's probation asks this every frame instead of scanning every instance.
     */
    public ScriptInstance lastFaulted() {
        return lastFaulted;
    }

    void faulted(ScriptInstance i) {
        lastFaulted = i;
    }

    void attached(ScriptInstance i) {
        attached.add(i);
        i.counted(true);
        inOrder = null;
    }

    void detached(ScriptInstance i) {
        attached.remove(i);
        i.counted(false);
        inOrder = null;
    }

    /** A keyframe restore: its attached instances are exactly {@code inAttachOrder} now. */
    void attachedAre(List<ScriptInstance> inAttachOrder) {
        for (ScriptInstance i : attached) i.counted(false);
        attached = new LinkedHashSet<>(inAttachOrder);
        for (ScriptInstance i : attached) i.counted(true);
        inOrder = null;
    }

    /** One of its instances changed priority: the canonical order is worked out again. */
    void orderChanged() {
        inOrder = null;
    }

    /** How many instances are attached to this version (detached ones waiting for shutdown not counted). */
    public int attachedCount() {
        return attached.size();
    }

    /**
     * Its attached instances in canonical order (priority, then attach order): the set keeps
     * attach order, so this is one pass over them, no scan of the runtime's.
     */
    ScriptInstance[] attachedInOrder() {
        if (inOrder == null) inOrder = SwapLoops.inOrder(attached);
        return inOrder;
    }

    /** After a swap from {@code old}: its instances are this version's now (same set, same order). */
    void takeInstancesOf(ScriptLibrary old) {
        attached = old.attached;
        inOrder = old.inOrder;
        old.attached = new LinkedHashSet<>();
        old.inOrder = null;
    }

    /** True the first time only, so a missing signal handler is reported once. */
    boolean firstMissingSignalHandler() {
        boolean first = !warnedNoSignalHandler;
        warnedNoSignalHandler = true;
        return first;
    }

    @Override
    public String toString() {
        return name();
    }
}
