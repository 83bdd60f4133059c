package dev.kiln.ecs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * The entity-component store. It knows nothing of scripts: it is mutated by plain method calls,
 * which the scripting layer makes only at barriers. Operations on a stale handle return
 * {@link Status#STALE_ENTITY} and change nothing.
 *
 * <p>A façade over tables with one job each: the entity lifecycle ({@link EntityTable}),
 * transforms as structure of arrays ({@link TransformStore}), change marks for the snapshot
 * publisher ({@link RowChanges}: every write marks the entity changed, with what changed, so the
 * publisher copies only changed rows, and of a row that only moved only its position), names
 * and the extras byte ({@link EntityExtras}), tags ({@link TagIndex}), components
 * ({@link ComponentTables}) and ScriptVars ({@link ScriptVars}). World checks every handle and
 * keeps the tables' rows in step (they grow together); the bulk kernels get the tables through
 * {@link HotTables}.
 */
public final class World {
    /** Upper bound of live entities; a spawn beyond it fails instead of exhausting memory. */
    public static final int ENTITIES_MAX = 1 << 22;

    /** Its position changed (and nothing else of the row but maybe its velocity). */
    public static final int CHANGED_POSITION = 1;
    /** Its velocity changed. */
    public static final int CHANGED_VELOCITY = 2;
    /** Anything else (spawned, despawned, rotation, scale): the whole row must be rewritten. */
    public static final int CHANGED_ROW = 4;

    /** Receives {@link #drainChanges}: an entity index and its CHANGED_* bits. */
    @FunctionalInterface
    public interface ChangeVisitor {
        void changed(int index, int what);
    }

    private final EntityTable entities = new EntityTable();
    private final RowChanges changes = new RowChanges();
    private final TransformStore transforms = new TransformStore(entities, changes);
    private final EntityExtras extras = new EntityExtras();
    private final TagIndex tags = new TagIndex();
    private final ComponentTables components = new ComponentTables();
    private final ScriptVars vars = new ScriptVars();
    private final HotTables hot = new HotTables(entities, transforms, changes, extras);
    /** Who hears of writes made through the public methods (null: nobody, as while a frame runs). */
    private WorldWrites writes;

    public World() {
        this(1024);
    }

    public World(int initialCapacity) {
        allocate(Math.max(16, initialCapacity));
    }

    private void allocate(int newCapacity) {
        entities.grow(newCapacity);
        changes.grow(newCapacity);
        transforms.grow(newCapacity);
        extras.grow(newCapacity);
        components.grow(newCapacity);
    }

    // ---- entities ----------------------------------------------------------------------------

    /** Spawns an entity; returns {@link Entities#NULL} when {@link #ENTITIES_MAX} are alive. */
    public long spawn(Vec3 position, Quat rotation, Vec3 scale) {
        return spawn(position.x(), position.y(), position.z(), rotation.x(), rotation.y(), rotation.z(), rotation.w(),
                scale.x(), scale.y(), scale.z(), false);
    }

    /**
     * {@link #spawn(Vec3, Quat, Vec3)} from primitives, as the command applier has them (no
     * objects per spawn request). The rotation is normalised here, as a script's may not be.
     */
    public long spawn(float px, float py, float pz, float qx, float qy, float qz, float qw, float sx, float sy, float sz) {
        return spawn(px, py, pz, qx, qy, qz, qw, sx, sy, sz, true);
    }

    private long spawn(float px, float py, float pz, float qx, float qy, float qz, float qw, float sx, float sy, float sz,
                       boolean normalize) {
        if (entities.full()) return Entities.NULL;
        if (entities.needsNewRow()) allocate(Math.min(entities.capacity() * 2, ENTITIES_MAX));
        int index = entities.claim();
        transforms.spawned(index, px, py, pz, qx, qy, qz, qw, sx, sy, sz, normalize);
        extras.spawned(index);
        changes.mark(index, CHANGED_ROW);
        long handle = entities.handleOf(index);
        if (writes != null) writes.spawned(handle);
        return handle;
    }

    public long spawn() {
        return spawn(Vec3.ZERO, Quat.IDENTITY, Vec3.ONE);
    }

    public Status despawn(long handle) {
        if (!isAlive(handle)) return Status.STALE_ENTITY;
        int index = Entities.index(handle);
        entities.release(index);
        tags.removeAll(index);
        components.removeAll(index);
        vars.removeAll(index);
        extras.despawned(index);
        transforms.despawned(index);
        changes.mark(index, CHANGED_ROW);
        if (writes != null) writes.despawned(handle);
        return Status.OK;
    }

    public boolean isAlive(long handle) {
        return entities.isAlive(handle);
    }

    /**
     * A count that moves whenever an entity that was alive may have stopped being alive: every
     * despawn, a keyframe restore, every native churn pass (which may despawn). The same value at
     * two times means every entity alive at the first is still alive at the second (and a handle
     * live then is live now: a row is reused only after a release). Frame thread.
     */
    public long releases() {
        return entities.releases();
    }

    /** Handle of the live entity at {@code index}, or NULL. */
    public long handleAt(int index) {
        return entities.handleAt(index);
    }

    public int aliveCount() {
        return entities.aliveCount();
    }

    /** Entity table rows in use (indices below this may be alive). */
    public int highWater() {
        return entities.highWater();
    }

    public int capacity() {
        return entities.capacity();
    }

    public void forEachAlive(LongConsumer action) {
        entities.forEachAlive(action);
    }

    public List<Long> aliveHandles() {
        List<Long> out = new ArrayList<>(entities.aliveCount());
        forEachAlive(out::add);
        return out;
    }

    public String name(long handle) {
        return isAlive(handle) ? extras.name(Entities.index(handle)) : null;
    }

    public Status setName(long handle, String name) {
        if (!isAlive(handle)) return Status.STALE_ENTITY;
        extras.setName(Entities.index(handle), name);
        if (writes != null) writes.nameSet(handle, name);
        return Status.OK;
    }

    /** The first live entity with this name, or NULL. */
    public long findByName(String name) {
        int index = extras.findByName(entities, name);
        return index < 0 ? Entities.NULL : entities.handleOf(index);
    }

    public int generationAt(int index) {
        return entities.generationAt(index);
    }

    public boolean aliveAt(int index) {
        return entities.aliveAt(index);
    }

    // ---- transform ---------------------------------------------------------------------------

    public Vec3 position(long handle) {
        return isAlive(handle) ? transforms.position(Entities.index(handle)) : null;
    }

    public Quat rotation(long handle) {
        return isAlive(handle) ? transforms.rotation(Entities.index(handle)) : null;
    }

    public Vec3 scale(long handle) {
        return isAlive(handle) ? transforms.scale(Entities.index(handle)) : null;
    }

    public Vec3 velocity(long handle) {
        return isAlive(handle) ? transforms.velocity(Entities.index(handle)) : null;
    }

    public Status setPosition(long handle, Vec3 p) {
        return setPosition(handle, p.x(), p.y(), p.z());
    }

    public Status setPosition(long handle, float x, float y, float z) {
        if (!isAlive(handle)) return Status.STALE_ENTITY;
        return written(handle, WorldWrites.POSITION, transforms.setPosition(Entities.index(handle), x, y, z));
    }

    public Status translate(long handle, Vec3 offset) {
        return translate(handle, offset.x(), offset.y(), offset.z());
    }

    /** The hottest request: primitives in, written in place, no temporary vectors. */
    public Status translate(long handle, float dx, float dy, float dz) {
        if (!isAlive(handle)) return Status.STALE_ENTITY;
        return written(handle, WorldWrites.POSITION, transforms.translate(Entities.index(handle), dx, dy, dz));
    }

    public Status setScale(long handle, Vec3 s) {
        return setScale(handle, s.x(), s.y(), s.z());
    }

    public Status setScale(long handle, float x, float y, float z) {
        if (!isAlive(handle)) return Status.STALE_ENTITY;
        return written(handle, WorldWrites.SCALE, transforms.setScale(Entities.index(handle), x, y, z));
    }

    public Status setVelocity(long handle, Vec3 v) {
        return setVelocity(handle, v.x(), v.y(), v.z());
    }

    public Status setVelocity(long handle, float x, float y, float z) {
        if (!isAlive(handle)) return Status.STALE_ENTITY;
        return written(handle, WorldWrites.VELOCITY, transforms.setVelocity(Entities.index(handle), x, y, z));
    }

    public Status setRotation(long handle, Quat q) {
        if (!isAlive(handle)) return Status.STALE_ENTITY;
        Status status = transforms.setRotation(Entities.index(handle), q);
        if (status == Status.OK && writes != null) writes.rotationSet(handle, q);
        return status;
    }

    /** {@code status}, after telling the observer of a {@code part} written when it is OK. */
    private Status written(long handle, int part, Status status) {
        if (status == Status.OK && writes != null) writes.transformWritten(handle, part);
        return status;
    }

    /** Applies {@code delta} after the current rotation, about the world axes (q' = delta * q). */
    public Status rotate(long handle, Quat delta) {
        return rotate(handle, delta, RotationSpace.WORLD);
    }

    /** Turns by {@code delta} about the entity's own axes (LOCAL: q' = q * delta) or the world's (q' = delta * q). */
    public Status rotate(long handle, Quat delta, RotationSpace space) {
        if (!isAlive(handle)) return Status.STALE_ENTITY;
        if (!delta.isFinite()) return Status.NOT_FINITE;
        Quat q = rotation(handle); // setRotation normalises the product (a script's delta may not be unit)
        return setRotation(handle, space == RotationSpace.LOCAL ? q.times(delta) : delta.times(q));
    }

    /** Turns the entity's forward axis (-Z) toward {@code point}. */
    public Status lookAt(long handle, Vec3 point, Vec3 up) {
        if (!isAlive(handle)) return Status.STALE_ENTITY;
        if (!point.isFinite() || !up.isFinite()) return Status.NOT_FINITE;
        return setRotation(handle, Quat.lookRotation(point.minus(position(handle)), up));
    }

    /** position += velocity * dt for every live entity that moves. */
    public void integrateVelocities(float dt) {
        integrateVelocities(dt, handle -> { });
    }

    /**
     * position += velocity * dt for every live entity that moves. An entity whose new position
     * would not be finite (a huge velocity, a huge step) stays where it is, like a refused
     * translate; {@code held} hears of it once, until its velocity is set again.
     */
    public void integrateVelocities(float dt, LongConsumer held) {
        transforms.integrate(dt, held);
    }

    /** Bumped when a position changes or an entity is spawned or despawned. */
    public long positionsVersion() {
        return transforms.positionsVersion();
    }

    /** Raw transform arrays, read by the snapshot publisher; never written outside World. */
    public float[] rawPositions() {
        return transforms.positions();
    }

    public float[] rawRotations() {
        return transforms.rotations();
    }

    public float[] rawScales() {
        return transforms.scales();
    }

    public float[] rawVelocities() {
        return transforms.velocities();
    }

    // ---- keyframes (rewind) --------------------------------------------------------------------

    /**
     * A copy of every table (entity rows, free list, tags, components, ScriptVars): a rewind
     * keyframe's world side. Frame thread, between frames; costs a copy of the rows up to the
     * high-water mark.
     */
    public WorldKeyframe exportKeyframe() {
        int n = entities.highWater();
        return new WorldKeyframe(n, entities.aliveCount(), transforms.movingCount(),
                Arrays.copyOf(entities.generations(), n), Arrays.copyOf(entities.alive(), n),
                Arrays.copyOf(transforms.positions(), n * 3), Arrays.copyOf(transforms.rotations(), n * 4),
                Arrays.copyOf(transforms.scales(), n * 3), Arrays.copyOf(transforms.velocities(), n * 3),
                Arrays.copyOf(extras.names(), n), Arrays.copyOf(transforms.integrationHeld(), n),
                Arrays.copyOf(entities.freeList(), entities.freeCount()), tags.copy(), components.copy(), vars.copy());
    }

    /**
     * Puts every table back as {@code k} holds it (rows past its high-water mark cleared, as
     * never used), so the world is what it was when {@code k} was exported; every row is marked
     * changed and every version moves on, so the snapshot and caches keyed by version see it.
     * Frame thread, between frames. Component types registered since stay registered, empty.
     */
    public void importKeyframe(WorldKeyframe k) {
        int n = k.highWater();
        while (entities.capacity() < n) allocate(Math.min(entities.capacity() * 2, ENTITIES_MAX));
        int cleared = Math.max(entities.highWater(), n);
        entities.restore(k, cleared);
        transforms.restore(k, cleared);
        tags.restore(k.tags());
        components.restore(k.components(), entities.capacity());
        vars.restore(k.vars());
        extras.restore(k, cleared, tags, vars, components.stores());
        for (int i = 0; i < cleared; i++) changes.mark(i, CHANGED_ROW);
    }

    // ---- change tracking (for the snapshot publisher) ----------------------------------------

    /** Calls {@code visitor} with each entity changed since the last drain and what changed, then clears. */
    public void drainChanges(ChangeVisitor visitor) {
        changes.drain(visitor);
    }

    // ---- the hot tables, for an applier that writes them in bulk ------------------------------

    /** Slots of the counters a {@link HotKernel} reads and updates (kiln_apply.h mirrors them). */
    public static final int HOT_HIGH_WATER = 0, HOT_DIRTY_COUNT = 1, HOT_MOVING_COUNT = 2, HOT_POSITIONS_VERSION = 3,
            HOT_COUNTERS = 4;

    /**
     * Writes transforms, velocities and change marks in bulk (the native apply path). It must keep
     * World's invariants exactly as the single-entity methods do: only live entities, finite
     * values, {@code changes}/{@code dirtyList} as {@code RowChanges.mark}, the moving count as
     * {@link #setVelocity}, a positions-version bump per position change. One exception: a
     * position or velocity change the kernel published to the snapshot row itself need not be
     * marked (the marks exist for the publisher only).
     */
    @FunctionalInterface
    public interface HotKernel {
        void run(int[] generations, byte[] alive, float[] positions, float[] scales, float[] velocities,
                 byte[] integrationHeld, byte[] changes, int[] dirtyList, long[] counters);
    }

    /**
     * Runs {@code kernel} over this world's tables. {@code counters} (at least
     * {@link #HOT_COUNTERS} long) carries the scalars in and out; the arrays are valid for the
     * call only (a spawn may reallocate them).
     */
    public void applyHot(HotKernel kernel, long[] counters) {
        hot.applyHot(kernel, counters);
    }

    /**
     * {@link #integrateVelocities(float, LongConsumer)} in bulk: integrates live moving entities
     * from index {@code from} on, keeping the same invariants as {@link HotKernel}; returns the
     * index of the first entity whose new position would not be finite and that is not held yet
     * (World holds and reports it, then runs the kernel again after it), or the high-water mark.
     */
    @FunctionalInterface
    public interface IntegrateKernel {
        int run(int from, float dt, byte[] alive, float[] positions, float[] velocities, byte[] integrationHeld,
                byte[] changes, int[] dirtyList, long[] counters);
    }

    /** {@link #integrateVelocities(float, LongConsumer)} through {@code kernel} (same results, same reports). */
    public void integrateVelocities(float dt, LongConsumer held, IntegrateKernel kernel, long[] counters) {
        hot.integrateVelocities(dt, held, kernel, counters);
    }

    // ---- the entity table, for an applier that spawns and despawns in bulk ---------------------

    /** Bits of the extras table: a name, tags, components or vars ({@link #despawn} clears them). */
    public static final int EXTRA_DATA = 1;
    /** Scripts are listed under the entity's index (the runtime's despawn detaches them). */
    public static final int EXTRA_SCRIPTS = 2;

    /** Whether scripts are listed under entity index {@code index} (see {@link #setScriptsListed}). */
    public boolean scriptsListed(int index) {
        return extras.scriptsListed(index);
    }

    /**
     * Tells the world whether scripts are listed under entity index {@code index} (the script
     * runtime, as it attaches and detaches them), so that a bulk despawn leaves such an entity
     * to the runtime's {@code despawn}. Frame thread.
     */
    public void setScriptsListed(int index, boolean listed) {
        extras.setScriptsListed(index, listed);
    }

    /**
     * Slots of the counters a {@link ChurnKernel} reads and updates (kiln_churn.h mirrors them):
     * the {@code HOT_*} four, then the free list's length, the live count (both in and out), the
     * tables' capacity and {@link #ENTITIES_MAX} (in).
     */
    public static final int CHURN_FREE_COUNT = HOT_COUNTERS, CHURN_ALIVE_COUNT = HOT_COUNTERS + 1,
            CHURN_CAPACITY = HOT_COUNTERS + 2, CHURN_ENTITIES_MAX = HOT_COUNTERS + 3, CHURN_COUNTERS = HOT_COUNTERS + 4;

    /**
     * Spawns and despawns in bulk (the native churn path). It must keep World's invariants
     * exactly as {@link #spawn(float, float, float, float, float, float, float, float, float, float)}
     * and {@link #despawn} do: the free list used last in, first out, generations as there,
     * the live and moving counts, a positions-version bump per spawn and despawn, the row marked
     * changed unless the kernel wrote the snapshot row itself; it despawns only entities whose
     * {@code extras} are 0 and never grows the tables (a spawn that needs a new row past the
     * capacity is left to {@link #spawn}).
     */
    @FunctionalInterface
    public interface ChurnKernel {
        void run(int[] generations, byte[] alive, byte[] extras, float[] positions, float[] rotations, float[] scales,
                 float[] velocities, byte[] integrationHeld, byte[] changes, int[] dirtyList, int[] freeList,
                 long[] counters);
    }

    /**
     * Runs {@code kernel} over this world's entity tables; {@code counters} (at least
     * {@link #CHURN_COUNTERS} long) carries the scalars in and out. The arrays are valid for the
     * call only.
     */
    public void applyChurn(ChurnKernel kernel, long[] counters) {
        hot.applyChurn(kernel, counters);
    }

    // ---- write observation (rewind) -----------------------------------------------------------

    /**
     * Installs {@code observer} (null: none) to hear of every write made through the public
     * methods from now on ({@link WorldWrites}); returns the one installed before, for putting
     * it back. Frame thread.
     */
    public WorldWrites observeWrites(WorldWrites observer) {
        WorldWrites was = writes;
        writes = observer;
        return was;
    }

    // ---- tags ---------------------------------------------------------------------------------

    public Status addTag(long handle, String tag) {
        if (!isAlive(handle)) return Status.STALE_ENTITY;
        if (tag.isEmpty()) return Status.INVALID_ARGUMENT;
        tags.add(Entities.index(handle), tag);
        extras.markData(Entities.index(handle));
        if (writes != null) writes.tagWritten(handle, tag, true);
        return Status.OK;
    }

    public Status removeTag(long handle, String tag) {
        if (!isAlive(handle)) return Status.STALE_ENTITY;
        if (!tags.remove(Entities.index(handle), tag)) return Status.NOT_FOUND;
        if (writes != null) writes.tagWritten(handle, tag, false);
        return Status.OK;
    }

    public boolean hasTag(long handle, String tag) {
        return isAlive(handle) && tags.has(Entities.index(handle), tag);
    }

    public Set<String> tagsOf(long handle) {
        return isAlive(handle) ? tags.tagsOf(Entities.index(handle)) : Set.of();
    }

    /** Live entities carrying {@code tag}, by ascending index. */
    public long[] findByTag(String tag) {
        return tags.indices(tag).stream().mapToLong(entities::handleOf).toArray();
    }

    public TagIndex tagIndex() {
        return tags;
    }

    // ---- components ---------------------------------------------------------------------------

    /** Registers a component type; registering the same schema twice is a no-op. */
    public ComponentStore registerComponent(ComponentSchema schema) {
        boolean known = components.store(schema.typeHash()) != null;
        ComponentStore store = components.register(schema, entities.capacity());
        if (!known && writes != null) writes.componentRegistered(schema);
        return store;
    }

    public ComponentStore componentStore(long typeHash) {
        return components.store(typeHash);
    }

    public ComponentStore componentStore(String name) {
        return components.store(NameHash.of(name));
    }

    public Collection<ComponentStore> componentStores() {
        return components.stores();
    }

    /**
     * Adds the component or overwrites it whatever its policy: the engine's own writes (a scene's
     * entities, prefabs, the inspector's edits). Scripts' requests go through
     * {@link #addComponentWithPolicy}.
     */
    public Status addComponent(long handle, long typeHash, byte[] data) {
        if (!isAlive(handle)) return Status.STALE_ENTITY;
        Status status = components.add(Entities.index(handle), typeHash, data);
        if (status == Status.OK) extras.markData(Entities.index(handle));
        if (status == Status.OK && writes != null) writes.componentWritten(handle, typeHash, false);
        return status;
    }

    /**
     * A script's add request: adds the component, or, when the entity has it, does what the
     * component's policy says:
     * REPLACE overwrites it, MERGE writes the fields of {@code fieldMask} (bit i: field i; 0:
     * all), KEEP refuses ({@link Status#ALREADY_PRESENT}). A mask naming a field the schema does
     * not have is {@link Status#INVALID_ARGUMENT} (checked whenever the policy is MERGE).
     */
    public Status addComponentWithPolicy(long handle, long typeHash, byte[] data, int fieldMask) {
        if (!isAlive(handle)) return Status.STALE_ENTITY;
        Status status = components.addWithPolicy(Entities.index(handle), typeHash, data, fieldMask);
        if (status == Status.OK) extras.markData(Entities.index(handle));
        if (status == Status.OK && writes != null) writes.componentWritten(handle, typeHash, false);
        return status;
    }

    public Status removeComponent(long handle, long typeHash) {
        if (!isAlive(handle)) return Status.STALE_ENTITY;
        Status status = components.remove(Entities.index(handle), typeHash);
        if (status == Status.OK && writes != null) writes.componentWritten(handle, typeHash, true);
        return status;
    }

    /** A copy of the component's bytes, or null when absent or stale. */
    public byte[] getComponent(long handle, long typeHash) {
        if (!isAlive(handle)) return null;
        return components.get(Entities.index(handle), typeHash);
    }

    // ---- ScriptVars ---------------------------------------------------------------------------

    public Status setVar(long handle, String key, VarValue value) {
        if (!isAlive(handle)) return Status.STALE_ENTITY;
        Status status = vars.set(Entities.index(handle), key, value);
        if (status == Status.OK) extras.markData(Entities.index(handle));
        if (status == Status.OK && writes != null) writes.varSet(handle, key, value);
        return status;
    }

    public VarValue getVar(long handle, String key) {
        if (!isAlive(handle)) return null;
        return vars.get(Entities.index(handle), key);
    }

    public Map<String, VarValue> vars(long handle) {
        if (!isAlive(handle)) return Map.of();
        return vars.of(Entities.index(handle));
    }

    /** Every entity's vars by entity index (for the snapshot publisher). */
    public Map<Integer, Map<String, VarValue>> allVars() {
        return vars.all();
    }

    public long varsVersion() {
        return vars.version();
    }
}
