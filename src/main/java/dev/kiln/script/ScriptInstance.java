package dev.kiln.script;

import dev.kiln.ecs.EntityLabel;
import java.lang.foreign.MemorySegment;

/** One script attached to one entity, with its State in native memory. */
public final class ScriptInstance {
    /** Where an instance is in its life. */
    public enum Lifecycle { PENDING_INIT, ACTIVE, DETACHED }

    private final int id;
    /** The script's running version: a hot reload's swap switches it for every instance at once. */
    private final RunningVersion version;
    private final long entity;
    /** The entity's scene name when attached (null: none), for messages a person reads. */
    private String entityName;
    /** Changed only by ScriptRuntime.setPriority, which re-sorts the execution order. */
    private int priority;
    private final Phase phase;
    /** Global attach order: breaks priority ties deterministically. */
    private final long attachSequence;
    private boolean enabled = true;
    private Lifecycle lifecycle = Lifecycle.PENDING_INIT;
    private MemorySegment state;
    /** {@link #state}'s read-only view, made once: the recorder reads every State every frame. */
    private MemorySegment stateView;
    /** The signals it receives (engine-side: they survive hot reloads with the instance). */
    private final SignalConnections connections = new SignalConnections();
    /** Why the engine disabled this instance after a contained fault, or null. */
    private String fault;
    /** True once an init returned OK without a fault: only then is its State the script's own. */
    private boolean initSucceeded;
    /** Bytes of requests one hook call may post (kiln_instance.cmd_quota); 0: none (a dry run's probe). */
    private int requestQuota;
    /** The last frame in which its requests were refused for its quota, and how many such frames in a row. */
    private long lastFloodFrame = Long.MIN_VALUE;
    private int floodStreak;
    /** The signal route tables that copy what the setters below change (null: none, a dry run's probe). */
    private SignalRoutes routes;
    /** True while attached to a version of its script: it counts in {@link RunningVersion#needingCare}. */
    private boolean counted;

    /** An instance of {@code library}'s script (null: a synthetic one, in a warm-up), which runs whatever version runs. */
    ScriptInstance(int id, ScriptLibrary library, long entity, int priority, Phase phase, long attachSequence) {
        this(id, library == null ? new RunningVersion(null) : library.version(), entity, priority, phase, attachSequence);
    }

    private ScriptInstance(int id, RunningVersion version, long entity, int priority, Phase phase, long attachSequence) {
        this.id = id;
        this.version = version;
        this.entity = entity;
        this.priority = priority;
        this.phase = phase;
        this.attachSequence = attachSequence;
    }

    public int id() {
        return id;
    }

    /**
     * A throw-away instance of {@code library} itself, not of whatever version of its script
     * runs: a swap's dry run calls the new version's init before it runs.
     */
    static ScriptInstance probe(int id, ScriptLibrary library, long entity) {
        return new ScriptInstance(id, new RunningVersion(library), entity, 0, library.defaultPhase(), 0);
    }

    /**
     * The library it runs: its script's running version, read through the version it shares
     * with the script's other instances (a swap switches them all with one write). A detached
     * instance reads it the same way, so after a later swap it names the new version.
     */
    public ScriptLibrary library() {
        return version.library();
    }

    public String scriptName() {
        return library().name();
    }

    public long entity() {
        return entity;
    }

    public int priority() {
        return priority;
    }

    void setPriority(int priority) {
        this.priority = priority;
        routesChanged();
    }

    public Phase phase() {
        return phase;
    }

    public long attachSequence() {
        return attachSequence;
    }

    public boolean enabled() {
        return enabled;
    }

    void setEnabled(boolean enabled) {
        this.enabled = enabled;
        routesChanged();
    }

    /** The contained fault that disabled this instance (null when none): cleared by a reload. */
    public String fault() {
        return fault;
    }

    void setFault(String fault) {
        boolean before = needsCare();
        this.fault = fault;
        if (fault == null) floodStreak = 0; // a reload starts it afresh
        careWas(before);
    }

    /** Bytes of requests one hook call of this instance may post (0: no quota). */
    public int requestQuota() {
        return requestQuota;
    }

    void setRequestQuota(int bytes) {
        this.requestQuota = bytes;
        routesChanged();
    }

    /** What is left of its quota in the current barrier's dispatch rounds (DispatchQuota); 0: all of it. */
    private int quotaLeft;

    /**
     * The quota its next hook call is given (kiln_instance.cmd_quota): its request quota, or in a
     * barrier's dispatch rounds what is left of it when it has used more than half.
     */
    int hookQuota() {
        return quotaLeft > 0 && requestQuota > 0 ? Math.min(quotaLeft, requestQuota) : requestQuota;
    }

    void setQuotaLeft(int bytes) {
        this.quotaLeft = bytes;
    }

    /**
     * Notes that its requests were refused for its quota in {@code frame}; returns in how many
     * consecutive frames (its phases: one per frame) that happened, this one included.
     */
    int noteFlood(long frame) {
        if (frame != lastFloodFrame) floodStreak = frame == lastFloodFrame + 1 ? floodStreak + 1 : 1;
        lastFloodFrame = frame;
        return floodStreak;
    }

    /** True once init returned OK for this instance (a reload runs init again until it does). */
    public boolean initSucceeded() {
        return initSucceeded;
    }

    void setInitSucceeded(boolean initSucceeded) {
        boolean before = needsCare();
        this.initSucceeded = initSucceeded;
        careWas(before);
    }

    public Lifecycle lifecycle() {
        return lifecycle;
    }

    void setLifecycle(Lifecycle lifecycle) {
        this.lifecycle = lifecycle;
        routesChanged();
    }

    /** The State bytes (read-only view for inspection and tests). */
    public MemorySegment state() {
        MemorySegment s = state;
        if (s == null) return null;
        MemorySegment view = stateView;
        if (view == null || view.address() != s.address() || view.byteSize() != s.byteSize()) stateView = view = s.asReadOnly();
        return view;
    }

    MemorySegment stateMemory() {
        return state;
    }

    void setStateMemory(MemorySegment state) {
        boolean before = needsCare();
        this.state = state;
        careWas(before);
        routesChanged();
    }

    /**
     * True when a swap must do more for it than switch its version: a fault to clear, or an init
     * that failed (its State not the script's own) to run again.
     */
    boolean needsCare() {
        return fault != null || state != null && !initSucceeded;
    }

    /** It joined ({@code true}) or left its script's attached instances: counted in {@link RunningVersion#needingCare} while in. */
    void counted(boolean in) {
        if (in == counted) return;
        counted = in;
        if (needsCare()) version.careChanged(in ? 1 : -1);
    }

    private void careWas(boolean before) {
        if (counted && before != needsCare()) version.careChanged(before ? -1 : 1);
    }

    /** Keeps {@code routes} told of every change to what its tables copy of this instance. */
    void watchRoutes(SignalRoutes routes) {
        this.routes = routes;
        routesChanged();
    }

    private void routesChanged() {
        if (routes != null) routes.invalidate();
    }

    SignalConnections connections() {
        return connections;
    }

    long[] connectedSignals() {
        return connections.names();
    }

    /** Execution order within a phase: priority, then attach order. */
    static int compareOrder(ScriptInstance a, ScriptInstance b) {
        if (a.priority != b.priority) return Integer.compare(a.priority, b.priority);
        return Long.compare(a.attachSequence, b.attachSequence);
    }

    void setEntityName(String name) {
        this.entityName = name;
    }

    /** The entity's scene name when this instance was attached, or null. */
    public String entityName() {
        return entityName;
    }

    /** "0v1 (player)": the entity as messages show it. */
    public String entityLabel() {
        return EntityLabel.of(entity, entityName);
    }

    @Override
    public String toString() {
        return library().name() + "#" + id + " @ " + entityLabel();
    }
}
