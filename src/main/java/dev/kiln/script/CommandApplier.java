package dev.kiln.script;

import dev.kiln.abi.CommandKind;
import dev.kiln.abi.CommandVisitor;
import dev.kiln.dataplane.SpawnResults;
import dev.kiln.ecs.Entities;
import dev.kiln.ecs.NameHash;
import dev.kiln.ecs.Quat;
import dev.kiln.ecs.RotationSpace;
import dev.kiln.ecs.Status;
import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.Vec3;
import dev.kiln.ecs.World;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Applies decoded requests to the world at a barrier. A request that fails (stale target,
 * unknown component, ...) changes nothing and is logged with the posting script and entity.
 */
final class CommandApplier implements CommandVisitor {
    /**
     * What applying requests reaches of the runtime besides the world: the instances (to name a
     * request's poster, to connect its signals, to attach, detach and despawn with scripts), the
     * loaded libraries, the signal queue, the physics route and the log. Frame thread.
     */
    interface Host {
        long frameIndex();

        /** A line about a request of instance {@code source}, logged with its script and entity. */
        void log(LogEntry.Level level, int source, String message);

        /** The attached instance with id {@code id}, or null. */
        ScriptInstance instance(int id);

        /** The poster of a request: attached, or shut down in this barrier; null for neither. */
        ScriptInstance sourceInstance(int id);

        /** The poster's script name, or "instance#id" when it is gone. */
        String scriptNameOf(int source);

        /** The entity's scripts in execution order (empty for a dead entity). */
        List<ScriptInstance> scriptsOn(long entity);

        /** Script {@code name}'s running version, or null. */
        ScriptLibrary library(String name);

        ScriptInstance attach(long entity, String name, int priority, Phase phase);

        Status detach(ScriptInstance instance);

        /** Detaches the entity's scripts, then despawns it. */
        Status despawn(long entity);

        SignalBus signals();

        PhysicsRoute physics();

        /** A signal of instance {@code owner} refused past its share of the queue: its flood. */
        void noteSignalRefused(int owner);
    }

    private final Host runtime;
    private final World world;
    private PrefabCatalog prefabs = PrefabCatalog.NONE;

    /** Spawn results kept one frame, so a script running in any phase can resolve its spawn. */
    private final SpawnResults results = new SpawnResults();
    private long applied;

    CommandApplier(Host runtime, World world) {
        this.runtime = runtime;
        this.world = world;
    }

    void setPrefabs(PrefabCatalog prefabs) {
        this.prefabs = prefabs;
    }

    /** The spawn-result table, which the native churn path appends this frame's results to. */
    SpawnResults spawnResults() {
        return results;
    }

    /** The frame whose barrier is applying: what results added now are results of. */
    long frameIndex() {
        return runtime.frameIndex();
    }

    /** Requests the native apply path applied (counted with this applier's own). */
    void addApplied(long n) {
        applied += n;
    }

    long takeApplied() {
        long n = applied;
        applied = 0;
        return n;
    }

    /** Results to publish at {@code frame}: those of this frame and the previous one. */
    SpawnResults spawnResults(long frame) {
        results.dropBefore(frame - 1);
        return results;
    }

    /**
     * Spawn results frame {@code nextFrame} can still read (of the frame before it); those older
     * are dropped, as publishing that frame ({@link #spawnResults}) would drop them.
     */
    int spawnResultsKept(long nextFrame) {
        results.dropBefore(nextFrame - 1);
        return results.count();
    }

    /** Drops every spawn result (a rewind keyframe without any is being restored). */
    void forgetSpawnResults() {
        results.dropBefore(Long.MAX_VALUE);
    }

    /** The real handle for a pending one (once its spawn applied), else the handle itself. */
    private long resolve(long target) {
        if (!Entities.isPending(target)) return target;
        return results.entityOf(Entities.index(target));
    }

    private void report(int source, String api, long target, Status status) {
        if (status.ok()) {
            applied++;
            return;
        }
        String what = switch (status) {
            case STALE_ENTITY -> "entity " + Entities.format(target) + " is stale (despawned, or a spawn that failed)";
            case UNKNOWN_COMPONENT -> "component type is not registered";
            case SIZE_MISMATCH -> "size differs from the registered schema";
            case NOT_FINITE -> "NaN or infinite value refused";
            default -> status.name().toLowerCase(Locale.ROOT);
        };
        runtime.log(LogEntry.Level.WARN, source, api + " not applied: " + what);
    }

    @Override
    public void spawn(int source, long pendingTarget, long requestId, float px, float py, float pz,
                      float qx, float qy, float qz, float qw, float sx, float sy, float sz, String prefab, String tags) {
        long handle;
        if (!finite(px, py, pz) || !finite(sx, sy, sz) || !finite(qx, qy, qz) || !Float.isFinite(qw)) {
            report(source, "spawn", pendingTarget, Status.NOT_FINITE);
            handle = Entities.NULL;
        } else if (!prefab.isEmpty()) { // rare: value objects are fine here
            handle = prefabs.has(prefab) ? prefabs.instantiate(prefab, new Vec3(px, py, pz),
                    new Quat(qx, qy, qz, qw).normalized(), new Vec3(sx, sy, sz)) : Entities.NULL;
            if (!prefabs.has(prefab)) runtime.log(LogEntry.Level.WARN, source, "spawn not applied: no prefab named '" + prefab + "'");
        } else {
            handle = world.spawn(px, py, pz, qx, qy, qz, qw, sx, sy, sz);
            if (handle == Entities.NULL) runtime.log(LogEntry.Level.WARN, source, "spawn not applied: entity limit reached");
        }
        if (handle != Entities.NULL) {
            if (!tags.isEmpty()) {
                for (String tag : tags.split(",")) if (!tag.isBlank()) world.addTag(handle, tag.trim());
            }
            applied++;
        }
        results.add(runtime.frameIndex(), requestId, handle);
    }

    private static boolean finite(float x, float y, float z) {
        return Float.isFinite(x) && Float.isFinite(y) && Float.isFinite(z);
    }

    @Override
    public void despawn(int source, long target) {
        long real = resolve(target);
        report(source, "despawn", target, runtime.despawn(real));
    }

    /**
     * True when {@code t} is physics-driven: the request went to the handler instead (in
     * canonical order, since requests are applied in it) and counts as applied.
     */
    private boolean routed(int source, long t, TransformRequest.Kind kind, Vec3 vector, Quat rotation,
                           RotationSpace space, Vec3 up) {
        PhysicsHandler handler = runtime.physics().routeOf(t);
        if (handler == null) return false;
        handler.onTransformRequest(new TransformRequest(kind, t, vector, rotation, space, up,
                runtime.scriptNameOf(source), source));
        applied++;
        return true;
    }

    @Override
    public void transformVec3(int source, CommandKind kind, long target, float x, float y, float z) {
        long t = resolve(target);
        if (runtime.physics().routeOf(t) != null) { // rare: a physics-driven entity (no handler: never)
            TransformRequest.Kind k = switch (kind) {
                case SET_POSITION -> TransformRequest.Kind.SET_POSITION;
                case TRANSLATE -> TransformRequest.Kind.TRANSLATE;
                case SET_SCALE -> TransformRequest.Kind.SET_SCALE;
                default -> TransformRequest.Kind.SET_VELOCITY;
            };
            routed(source, t, k, new Vec3(x, y, z), null, null, null);
            return;
        }
        Status s = switch (kind) {
            case SET_POSITION -> world.setPosition(t, x, y, z);
            case TRANSLATE -> world.translate(t, x, y, z);
            case SET_SCALE -> world.setScale(t, x, y, z);
            case SET_VELOCITY -> world.setVelocity(t, x, y, z);
            default -> Status.INVALID_ARGUMENT;
        };
        report(source, kind.apiName, target, s);
    }

    @Override
    public void transformQuat(int source, CommandKind kind, long target, Quat value) {
        // the original records: ROTATE turns about the world axes
        rotation(source, kind, target, value, RotationSpace.WORLD);
    }

    @Override
    public void rotation(int source, CommandKind kind, long target, Quat value, RotationSpace space) {
        long t = resolve(target);
        boolean set = kind == CommandKind.SET_ROTATION || kind == CommandKind.SET_ROTATION_EX;
        if (set && routed(source, t, TransformRequest.Kind.SET_ROTATION, null, value, null, null)) return;
        if (!set && routed(source, t, TransformRequest.Kind.ROTATE, null, value, space, null)) return;
        // no parent transforms: an entity's rotation in "local" space is its world rotation
        Status s = set ? world.setRotation(t, value) : world.rotate(t, value, space);
        report(source, kind.apiName, target, s);
    }

    @Override
    public void lookAt(int source, long target, Vec3 point, Vec3 up) {
        long t = resolve(target);
        if (routed(source, t, TransformRequest.Kind.LOOK_AT, point, null, null, up)) return;
        report(source, "look_at", target, world.lookAt(t, point, up));
    }

    @Override
    public void addComponent(int source, long target, long typeHash, byte[] data) {
        addComponent(source, target, typeHash, data, 0);
    }

    @Override
    public void addComponent(int source, long target, long typeHash, byte[] data, int fieldMask) {
        long t = resolve(target);
        Status s = world.addComponentWithPolicy(t, typeHash, data, fieldMask);
        if (s == Status.ALREADY_PRESENT || (s == Status.INVALID_ARGUMENT && world.componentStore(typeHash) != null)) {
            String component = world.componentStore(typeHash).schema().name();
            runtime.log(LogEntry.Level.WARN, source, "add_component not applied: " + (s == Status.ALREADY_PRESENT
                    ? "entity " + Entities.format(t) + " already has component '" + component
                            + "' and its policy is keep"
                    : "field mask 0x" + Integer.toHexString(fieldMask) + " names fields component '" + component
                            + "' does not have"));
            return;
        }
        report(source, "add_component", target, s);
    }

    @Override
    public void removeComponent(int source, long target, long typeHash) {
        report(source, "remove_component", target, world.removeComponent(resolve(target), typeHash));
    }

    @Override
    public void named(int source, CommandKind kind, long target, String name) {
        long t = resolve(target);
        Status s = switch (kind) {
            case ADD_TAG -> world.addTag(t, name);
            case REMOVE_TAG -> world.removeTag(t, name);
            case CONNECT_SIGNAL, DISCONNECT_SIGNAL -> connect(source, kind == CommandKind.CONNECT_SIGNAL, name);
            case DETACH_SCRIPT -> detach(t, name);
            default -> Status.INVALID_ARGUMENT;
        };
        report(source, kind.apiName, target, s);
    }

    private Status connect(int source, boolean connect, String name) {
        ScriptInstance instance = runtime.instance(source);
        if (instance == null) return Status.NOT_FOUND;
        long hash = NameHash.of(name);
        if (connect) runtime.signals().connect(instance, hash);
        else runtime.signals().disconnect(instance, hash);
        return Status.OK;
    }

    @Override
    public void connectSignal(int source, String name, long nameHash, long sender, long connectionId) {
        ScriptInstance instance = runtime.instance(source);
        Status s;
        if (instance == null) s = Status.NOT_FOUND;
        else if (Entities.isPending(sender)) s = Status.INVALID_ARGUMENT; // its id would name a request, not an entity
        else if (!runtime.signals().connect(instance, nameHash, sender, connectionId)) {
            runtime.log(LogEntry.Level.WARN, source, "connect_signal not applied: '" + name + "': the instance holds "
                    + SignalConnections.PER_INSTANCE_MAX + " connections already");
            return;
        } else s = Status.OK;
        report(source, "connect_signal", sender, s);
    }

    @Override
    public void disconnectSignal(int source, long connectionId) {
        ScriptInstance instance = runtime.instance(source);
        if (instance != null && runtime.signals().disconnectId(instance, connectionId)) {
            applied++;
            return;
        }
        runtime.log(LogEntry.Level.WARN, source, "disconnect_signal not applied: no connection with id "
                + Long.toHexString(connectionId) + " (never connected, or disconnected already)");
    }

    private Status detach(long target, String script) {
        if (!world.isAlive(target)) return Status.STALE_ENTITY;
        for (ScriptInstance i : List.copyOf(runtime.scriptsOn(target))) {
            if (i.scriptName().equals(script)) return runtime.detach(i);
        }
        return Status.NOT_FOUND;
    }

    @Override
    public void setVar(int source, long target, String key, VarValue value) {
        report(source, "set_var", target, world.setVar(resolve(target), key, value));
    }

    @Override
    public void log(int source, int level, String message) {
        LogEntry.Level l = switch (level) {
            case 1 -> LogEntry.Level.WARN;
            case 2 -> LogEntry.Level.ERROR;
            default -> LogEntry.Level.INFO;
        };
        runtime.log(l, source, message);
        applied++;
    }

    /** The last emitting instance id (0: none) and its entity. */
    private int lastSender;
    private long lastSenderEntity;

    @Override
    public void emitSignal(int source, long target, long nameHash, MemorySegment data, long nameAt, int nameLength,
                           int payloadSize) {
        long t = resolve(target);
        if (target != Entities.NULL && !world.isAlive(t)) {
            report(source, "emit_signal", target, Status.STALE_ENTITY);
            return;
        }
        if (source != lastSender) { // a script usually emits several in a row: one lookup for them
            ScriptInstance sender = runtime.sourceInstance(source);
            lastSenderEntity = sender == null ? Entities.NULL : sender.entity();
            lastSender = sender == null ? 0 : source; // an id maps to one entity for good: safe to keep
        }
        boolean queued = runtime.signals().enqueue(lastSenderEntity, t, nameHash, data, nameAt, nameLength, payloadSize);
        if (queued) applied++;
        else if (lastSender != 0) runtime.noteSignalRefused(lastSender); // past its share of the queue: its flood
    }

    @Override
    public void attachScript(int source, long target, String script, int priority, int phase) {
        long t = resolve(target);
        if (!world.isAlive(t)) {
            report(source, "attach_script", target, Status.STALE_ENTITY);
            return;
        }
        if (runtime.library(script) == null) {
            runtime.log(LogEntry.Level.WARN, source, "attach_script not applied: no script named '" + script + "' is loaded");
            return;
        }
        Phase p = phase == -1 ? null : Phase.ofCode(phase);
        if (phase != -1 && p == null) {
            report(source, "attach_script", target, Status.INVALID_ARGUMENT);
            return;
        }
        runtime.attach(t, script, priority, p);
        applied++;
    }

    @Override
    public void malformed(int source, int offset, String reason) {
        runtime.log(LogEntry.Level.ERROR, source, "malformed command record at byte " + offset + ": " + reason
                + " (rest of this script call's requests skipped)");
    }
}
