package dev.kiln.ecs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * The entity-component store. It knows nothing of scripts: it is mutated by plain method calls,
 * which the scripting layer makes only at barriers. Operations on a stale handle return
 * {@link Status#STALE_ENTITY} and change nothing.
 *
 * <p>Transforms live in flat float arrays (structure of arrays). Every write marks the entity
 * changed, with what changed, so the snapshot publisher copies only changed rows, and of a
 * row that only moved only its position.
 */
public final class World {
    /** Upper bound of live entities; a spawn beyond it fails instead of exhausting memory. */
    public static final int ENTITIES_MAX = 1 << 22;

    private int capacity;
    private int[] generations;
    /** 1 when the row's entity is alive (bytes, not booleans: the native apply path reads them). */
    private byte[] alive;
    private float[] positions;
    private float[] rotations;
    private float[] scales;
    private float[] velocities;
    private String[] names;
    /**
     * Entities whose velocity integration was refused (it would have left the finite range)
     * since their velocity was last set: reported once, not every frame.
     */
    private byte[] integrationHeld;
    /**
     * EXTRA_* bits per entity: what a despawn must clean up besides the row. A native despawn
     * ({@link ChurnKernel}) applies only to entities with none; set when a name, tag, component,
     * var or script is added (never too few: a bit set with nothing behind it only sends that
     * despawn to Java), the data bit cleared when {@link #despawn} clears the data.
     */
    private byte[] extras;
    private int[] freeList;
    private int freeCount;
    private int highWater;
    private int aliveCount;

    /** CHANGED_* bits per entity since the last drain; 0 = unchanged. */
    private byte[] changes;
    private int[] dirtyList;
    private int dirtyCount;
    /** Live entities whose velocity is non-zero: integrateVelocities has nothing to do at 0. */
    private int movingCount;

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
    private long positionsVersion;

    private final TagIndex tags = new TagIndex();
    private final Map<Long, ComponentStore> components = new LinkedHashMap<>();
    private final Map<Integer, Map<String, VarValue>> vars = new HashMap<>();
    private long varsVersion;
    /** Who hears of writes made through the public methods (null: nobody, as while a frame runs). */
    private WorldWrites writes;

    public World() {
        this(1024);
    }

    public World(int initialCapacity) {
        allocate(Math.max(16, initialCapacity));
    }

    private void allocate(int newCapacity) {
        int old = capacity;
        capacity = newCapacity;
        generations = grow(generations, newCapacity);
        alive = alive == null ? new byte[newCapacity] : Arrays.copyOf(alive, newCapacity);
        changes = changes == null ? new byte[newCapacity] : Arrays.copyOf(changes, newCapacity);
        dirtyList = grow(dirtyList, newCapacity);
        freeList = grow(freeList, newCapacity);
        positions = growF(positions, newCapacity * 3);
        rotations = growF(rotations, newCapacity * 4);
        scales = growF(scales, newCapacity * 3);
        velocities = growF(velocities, newCapacity * 3);
        names = names == null ? new String[newCapacity] : Arrays.copyOf(names, newCapacity);
        integrationHeld = integrationHeld == null ? new byte[newCapacity] : Arrays.copyOf(integrationHeld, newCapacity);
        extras = extras == null ? new byte[newCapacity] : Arrays.copyOf(extras, newCapacity);
        for (ComponentStore store : components.values()) store.ensureEntityCapacity(newCapacity);
        for (int i = old; i < newCapacity; i++) generations[i] = 0;
    }

    private static int[] grow(int[] a, int n) {
        return a == null ? new int[n] : Arrays.copyOf(a, n);
    }

    private static float[] growF(float[] a, int n) {
        return a == null ? new float[n] : Arrays.copyOf(a, n);
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
        if (aliveCount >= ENTITIES_MAX) return Entities.NULL;
        int index;
        if (freeCount > 0) {
            index = freeList[--freeCount];
        } else {
            if (highWater == capacity) allocate(Math.min(capacity * 2, ENTITIES_MAX));
            index = highWater++;
        }
        int generation = generations[index] + 1;
        if (generation == 0 || generation == Entities.PENDING_GENERATION) generation = 1;
        generations[index] = generation;
        alive[index] = 1;
        aliveCount++;
        writeVec(positions, index, px, py, pz);
        if (normalize) {
            writeQuatNormalized(index, qx, qy, qz, qw);
        } else {
            writeQuat(index, qx, qy, qz, qw);
        }
        writeVec(scales, index, sx, sy, sz);
        writeVec(velocities, index, 0, 0, 0);
        integrationHeld[index] = 0;
        names[index] = null;
        positionsVersion++;
        markChanged(index, CHANGED_ROW);
        long handle = Entities.handle(index, generation);
        if (writes != null) writes.spawned(handle);
        return handle;
    }

    public long spawn() {
        return spawn(Vec3.ZERO, Quat.IDENTITY, Vec3.ONE);
    }

    public Status despawn(long handle) {
        if (!isAlive(handle)) return Status.STALE_ENTITY;
        int index = Entities.index(handle);
        alive[index] = 0;
        aliveCount--;
        tags.removeAll(index);
        for (ComponentStore store : components.values()) store.remove(index);
        if (vars.remove(index) != null) varsVersion++;
        names[index] = null;
        extras[index] &= (byte) ~EXTRA_DATA; // what the scripts bit stands for is the runtime's to clear
        freeList[freeCount++] = index;
        if (isMoving(index)) movingCount--;
        positionsVersion++;
        markChanged(index, CHANGED_ROW);
        if (writes != null) writes.despawned(handle);
        return Status.OK;
    }

    public boolean isAlive(long handle) {
        int index = Entities.index(handle);
        int generation = Entities.generation(handle);
        return generation != 0 && index >= 0 && index < highWater && alive[index] != 0
                && generations[index] == generation;
    }

    /** Handle of the live entity at {@code index}, or NULL. */
    public long handleAt(int index) {
        return index >= 0 && index < highWater && alive[index] != 0
                ? Entities.handle(index, generations[index]) : Entities.NULL;
    }

    public int aliveCount() {
        return aliveCount;
    }

    /** Entity table rows in use (indices below this may be alive). */
    public int highWater() {
        return highWater;
    }

    public int capacity() {
        return capacity;
    }

    public void forEachAlive(LongConsumer action) {
        for (int i = 0; i < highWater; i++) if (alive[i] != 0) action.accept(Entities.handle(i, generations[i]));
    }

    public List<Long> aliveHandles() {
        List<Long> out = new ArrayList<>(aliveCount);
        forEachAlive(out::add);
        return out;
    }

    public String name(long handle) {
        return isAlive(handle) ? names[Entities.index(handle)] : null;
    }

    public Status setName(long handle, String name) {
        if (!isAlive(handle)) return Status.STALE_ENTITY;
        names[Entities.index(handle)] = name;
        if (name != null) extras[Entities.index(handle)] |= EXTRA_DATA;
        if (writes != null) writes.nameSet(handle, name);
        return Status.OK;
    }

    /** The first live entity with this name, or NULL. */
    public long findByName(String name) {
        for (int i = 0; i < highWater; i++) {
            if (alive[i] != 0 && name.equals(names[i])) return Entities.handle(i, generations[i]);
        }
        return Entities.NULL;
    }

    // ---- transform ---------------------------------------------------------------------------

    public Vec3 position(long handle) {
        return isAlive(handle) ? readVec(positions, Entities.index(handle)) : null;
    }

    public Quat rotation(long handle) {
        if (!isAlive(handle)) return null;
        int i = Entities.index(handle) * 4;
        return new Quat(rotations[i], rotations[i + 1], rotations[i + 2], rotations[i + 3]);
    }

    public Vec3 scale(long handle) {
        return isAlive(handle) ? readVec(scales, Entities.index(handle)) : null;
    }

    public Vec3 velocity(long handle) {
        return isAlive(handle) ? readVec(velocities, Entities.index(handle)) : null;
    }

    public Status setPosition(long handle, Vec3 p) {
        return setPosition(handle, p.x(), p.y(), p.z());
    }

    public Status setPosition(long handle, float x, float y, float z) {
        return writeChecked(handle, x, y, z, positions);
    }

    public Status translate(long handle, Vec3 offset) {
        return translate(handle, offset.x(), offset.y(), offset.z());
    }

    /** The hottest request: primitives in, written in place, no temporary vectors. */
    public Status translate(long handle, float dx, float dy, float dz) {
        if (!isAlive(handle)) return Status.STALE_ENTITY;
        int o = Entities.index(handle) * 3;
        float x = positions[o] + dx, y = positions[o + 1] + dy, z = positions[o + 2] + dz;
        if (!Float.isFinite(x) || !Float.isFinite(y) || !Float.isFinite(z)) return Status.NOT_FINITE;
        positions[o] = x;
        positions[o + 1] = y;
        positions[o + 2] = z;
        markMoved(Entities.index(handle));
        if (writes != null) writes.transformWritten(handle, WorldWrites.POSITION);
        return Status.OK;
    }

    public Status setScale(long handle, Vec3 s) {
        return setScale(handle, s.x(), s.y(), s.z());
    }

    public Status setScale(long handle, float x, float y, float z) {
        return writeChecked(handle, x, y, z, scales);
    }

    public Status setVelocity(long handle, Vec3 v) {
        return setVelocity(handle, v.x(), v.y(), v.z());
    }

    public Status setVelocity(long handle, float x, float y, float z) {
        return writeChecked(handle, x, y, z, velocities);
    }

    public Status setRotation(long handle, Quat q) {
        if (!isAlive(handle)) return Status.STALE_ENTITY;
        if (!q.isFinite()) return Status.NOT_FINITE;
        writeQuat(Entities.index(handle), q.normalized());
        markChanged(Entities.index(handle), CHANGED_ROW);
        if (writes != null) writes.rotationSet(handle, q);
        return Status.OK;
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
        if (movingCount == 0) return; // the common case of scenes that move by translate: no pass
        for (int i = 0; i < highWater; i++) {
            if (alive[i] == 0) continue;
            int o = i * 3;
            float vx = velocities[o], vy = velocities[o + 1], vz = velocities[o + 2];
            if (vx == 0 && vy == 0 && vz == 0) continue;
            float x = positions[o] + vx * dt, y = positions[o + 1] + vy * dt, z = positions[o + 2] + vz * dt;
            if (!Float.isFinite(x) || !Float.isFinite(y) || !Float.isFinite(z)) {
                if (integrationHeld[i] == 0) {
                    integrationHeld[i] = 1;
                    held.accept(Entities.handle(i, generations[i]));
                }
                continue;
            }
            positions[o] = x;
            positions[o + 1] = y;
            positions[o + 2] = z;
            markMoved(i);
        }
    }

    private Status writeChecked(long handle, float x, float y, float z, float[] target) {
        if (!isAlive(handle)) return Status.STALE_ENTITY;
        if (!Float.isFinite(x) || !Float.isFinite(y) || !Float.isFinite(z)) return Status.NOT_FINITE;
        int index = Entities.index(handle);
        if (target == velocities) {
            integrationHeld[index] = 0; // a new velocity may be fine again: report anew
            boolean was = isMoving(index);
            writeVec(target, index, x, y, z);
            boolean is = isMoving(index);
            if (was != is) movingCount += is ? 1 : -1;
            markChanged(index, CHANGED_VELOCITY);
            if (writes != null) writes.transformWritten(handle, WorldWrites.VELOCITY);
            return Status.OK;
        }
        writeVec(target, index, x, y, z);
        if (target == positions) markMoved(index);
        else markChanged(index, CHANGED_ROW);
        if (writes != null) writes.transformWritten(handle, target == positions ? WorldWrites.POSITION : WorldWrites.SCALE);
        return Status.OK;
    }

    /** The predicate integrateVelocities skips on (-0 counts as 0, as there). */
    private boolean isMoving(int index) {
        int o = index * 3;
        return velocities[o] != 0 || velocities[o + 1] != 0 || velocities[o + 2] != 0;
    }

    private static Vec3 readVec(float[] a, int index) {
        int o = index * 3;
        return new Vec3(a[o], a[o + 1], a[o + 2]);
    }

    private static void writeVec(float[] a, int index, float x, float y, float z) {
        int o = index * 3;
        a[o] = x;
        a[o + 1] = y;
        a[o + 2] = z;
    }

    /** Writes q / |q| (identity for a zero quaternion), as {@link Quat#normalized} does. */
    private void writeQuatNormalized(int index, float x, float y, float z, float w) {
        if ((float) Math.sqrt(x * x + y * y + z * z + w * w) != 1f) {
            // In double: squares of large finite floats (above ~1.8e19) overflow a float.
            double len = Math.sqrt((double) x * x + (double) y * y + (double) z * z + (double) w * w);
            if (len < 1e-12) {
                x = 0;
                y = 0;
                z = 0;
                w = 1;
            } else {
                x = (float) (x / len);
                y = (float) (y / len);
                z = (float) (z / len);
                w = (float) (w / len);
            }
        }
        writeQuat(index, x, y, z, w);
    }

    private void writeQuat(int index, Quat q) {
        writeQuat(index, q.x(), q.y(), q.z(), q.w());
    }

    private void writeQuat(int index, float x, float y, float z, float w) {
        int o = index * 4;
        rotations[o] = x;
        rotations[o + 1] = y;
        rotations[o + 2] = z;
        rotations[o + 3] = w;
    }

    /** A position changed: the spatial grid must be rebuilt, the row's position republished. */
    private void markMoved(int index) {
        positionsVersion++;
        markChanged(index, CHANGED_POSITION);
    }

    /** Part {@code what} (CHANGED_*) of the entity's row changed: the snapshot must copy it. */
    private void markChanged(int index, int what) {
        int had = changes[index];
        if (had == 0) dirtyList[dirtyCount++] = index;
        changes[index] = (byte) (had | what);
    }

    // ---- keyframes (rewind) --------------------------------------------------------------------

    /**
     * A copy of every table (entity rows, free list, tags, components, ScriptVars): a rewind
     * keyframe's world side. Frame thread, between frames; costs a copy of the rows up to the
     * high-water mark.
     */
    public WorldKeyframe exportKeyframe() {
        int n = highWater;
        Map<Long, WorldKeyframe.ComponentRows> stores = new LinkedHashMap<>();
        for (Map.Entry<Long, ComponentStore> e : components.entrySet()) stores.put(e.getKey(), e.getValue().copyRows());
        Map<Integer, Map<String, VarValue>> varsCopy = new HashMap<>();
        for (Map.Entry<Integer, Map<String, VarValue>> e : vars.entrySet()) varsCopy.put(e.getKey(), new LinkedHashMap<>(e.getValue()));
        return new WorldKeyframe(n, aliveCount, movingCount, Arrays.copyOf(generations, n), Arrays.copyOf(alive, n),
                Arrays.copyOf(positions, n * 3), Arrays.copyOf(rotations, n * 4), Arrays.copyOf(scales, n * 3),
                Arrays.copyOf(velocities, n * 3), Arrays.copyOf(names, n), Arrays.copyOf(integrationHeld, n),
                Arrays.copyOf(freeList, freeCount), tags.copy(), stores, varsCopy);
    }

    /**
     * Puts every table back as {@code k} holds it (rows past its high-water mark cleared, as
     * never used), so the world is what it was when {@code k} was exported; every row is marked
     * changed and every version moves on, so the snapshot and caches keyed by version see it.
     * Frame thread, between frames. Component types registered since stay registered, empty.
     */
    public void importKeyframe(WorldKeyframe k) {
        int n = k.highWater();
        while (capacity < n) allocate(Math.min(capacity * 2, ENTITIES_MAX));
        int cleared = Math.max(highWater, n);
        System.arraycopy(k.generations(), 0, generations, 0, n);
        System.arraycopy(k.alive(), 0, alive, 0, n);
        System.arraycopy(k.positions(), 0, positions, 0, n * 3);
        System.arraycopy(k.rotations(), 0, rotations, 0, n * 4);
        System.arraycopy(k.scales(), 0, scales, 0, n * 3);
        System.arraycopy(k.velocities(), 0, velocities, 0, n * 3);
        System.arraycopy(k.names(), 0, names, 0, n);
        System.arraycopy(k.integrationHeld(), 0, integrationHeld, 0, n);
        Arrays.fill(generations, n, cleared, 0);
        Arrays.fill(alive, n, cleared, (byte) 0);
        Arrays.fill(positions, n * 3, cleared * 3, 0f);
        Arrays.fill(rotations, n * 4, cleared * 4, 0f);
        Arrays.fill(scales, n * 3, cleared * 3, 0f);
        Arrays.fill(velocities, n * 3, cleared * 3, 0f);
        Arrays.fill(names, n, cleared, null);
        Arrays.fill(integrationHeld, n, cleared, (byte) 0);
        System.arraycopy(k.freeList(), 0, freeList, 0, k.freeList().length);
        freeCount = k.freeList().length;
        highWater = n;
        aliveCount = k.aliveCount();
        movingCount = k.movingCount();
        tags.restore(k.tags());
        for (Map.Entry<Long, ComponentStore> e : components.entrySet()) {
            WorldKeyframe.ComponentRows rows = k.components().get(e.getKey());
            if (rows != null) e.getValue().restoreRows(rows, capacity);
            else e.getValue().restoreRows(null, capacity);
        }
        for (Map.Entry<Long, WorldKeyframe.ComponentRows> e : k.components().entrySet()) {
            if (!components.containsKey(e.getKey())) registerComponent(e.getValue().schema()).restoreRows(e.getValue(), capacity);
        }
        vars.clear();
        for (Map.Entry<Integer, Map<String, VarValue>> e : k.vars().entrySet()) vars.put(e.getKey(), new LinkedHashMap<>(e.getValue()));
        varsVersion++;
        positionsVersion++;
        restoreExtras(n, cleared);
        for (int i = 0; i < cleared; i++) markChanged(i, CHANGED_ROW);
    }

    /**
     * The data bit of rows [0, cleared) as the restored tables say (a name, tags, components or
     * vars), the scripts bit kept: the runtime's attachments are not part of a keyframe.
     */
    private void restoreExtras(int n, int cleared) {
        for (int i = 0; i < cleared; i++) {
            boolean data = i < n && (names[i] != null || tags.isTagged(i) || vars.containsKey(i));
            extras[i] = (byte) ((extras[i] & EXTRA_SCRIPTS) | (data ? EXTRA_DATA : 0));
        }
        for (ComponentStore store : components.values()) {
            for (int i = 0; i < n; i++) if (store.has(i)) extras[i] |= EXTRA_DATA;
        }
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

    // ---- change tracking (for the snapshot publisher) ----------------------------------------

    /** Calls {@code visitor} with each entity changed since the last drain and what changed, then clears. */
    public void drainChanges(ChangeVisitor visitor) {
        for (int i = 0; i < dirtyCount; i++) {
            int index = dirtyList[i];
            int what = changes[index];
            changes[index] = 0;
            visitor.changed(index, what);
        }
        dirtyCount = 0;
    }

    // ---- the hot tables, for an applier that writes them in bulk ------------------------------

    /** Slots of the counters a {@link HotKernel} reads and updates (kiln_apply.h mirrors them). */
    public static final int HOT_HIGH_WATER = 0, HOT_DIRTY_COUNT = 1, HOT_MOVING_COUNT = 2, HOT_POSITIONS_VERSION = 3,
            HOT_COUNTERS = 4;

    /**
     * Writes transforms, velocities and change marks in bulk (the native apply path). It must keep
     * World's invariants exactly as the single-entity methods do: only live entities, finite
     * values, {@code changes}/{@code dirtyList} as {@link #markChanged}, the moving count as
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
        hotCountsOut(counters);
        kernel.run(generations, alive, positions, scales, velocities, integrationHeld, changes, dirtyList, counters);
        hotCountsIn(counters);
    }

    /** The HOT_* slots a kernel reads... */
    private void hotCountsOut(long[] counters) {
        counters[HOT_HIGH_WATER] = highWater;
        counters[HOT_DIRTY_COUNT] = dirtyCount;
        counters[HOT_MOVING_COUNT] = movingCount;
        counters[HOT_POSITIONS_VERSION] = positionsVersion;
    }

    /** ... and the ones it updates (the high-water mark only a churn kernel moves). */
    private void hotCountsIn(long[] counters) {
        dirtyCount = (int) counters[HOT_DIRTY_COUNT];
        movingCount = (int) counters[HOT_MOVING_COUNT];
        positionsVersion = counters[HOT_POSITIONS_VERSION];
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
        if (movingCount == 0) return;
        int i = 0;
        while (i < highWater) {
            hotCountsOut(counters);
            i = kernel.run(i, dt, alive, positions, velocities, integrationHeld, changes, dirtyList, counters);
            dirtyCount = (int) counters[HOT_DIRTY_COUNT];
            positionsVersion = counters[HOT_POSITIONS_VERSION];
            if (i >= highWater) break;
            integrationHeld[i] = 1; // as integrateVelocities: reported once, until its velocity is set again
            held.accept(Entities.handle(i, generations[i]));
            i++;
        }
    }

    // ---- the entity table, for an applier that spawns and despawns in bulk ---------------------

    /** Bits of the extras table: a name, tags, components or vars ({@link #despawn} clears them). */
    public static final int EXTRA_DATA = 1;
    /** Scripts are listed under the entity's index (the runtime's despawn detaches them). */
    public static final int EXTRA_SCRIPTS = 2;

    /**
     * Tells the world whether scripts are listed under entity index {@code index} (the script
     * runtime, as it attaches and detaches them), so that a bulk despawn leaves such an entity
     * to the runtime's {@code despawn}. Frame thread.
     */
    /** Whether scripts are listed under entity index {@code index} (see {@link #setScriptsListed}). */
    public boolean scriptsListed(int index) {
        return index >= 0 && index < capacity && (extras[index] & EXTRA_SCRIPTS) != 0;
    }

    public void setScriptsListed(int index, boolean listed) {
        if (index < 0 || index >= capacity) return;
        extras[index] = (byte) (listed ? extras[index] | EXTRA_SCRIPTS : extras[index] & ~EXTRA_SCRIPTS);
    }

    /**
     * Slots of the counters a {@link ChurnKernel} reads and updates (kiln_churn.h mirrors them):
     * the {@code HOT_*} four, then the free list's length, the live count (both in and out), the
     * tables' capacity and {@link #ENTITIES_MAX} (in).
     */
    public static final int CHURN_FREE_COUNT = HOT_COUNTERS, CHURN_ALIVE_COUNT = HOT_COUNTERS + 1,
            CHURN_CAPACITY = HOT_COUNTERS + 2, CHURN_MAX_ENTITIES = HOT_COUNTERS + 3, CHURN_COUNTERS = HOT_COUNTERS + 4;

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
        hotCountsOut(counters);
        counters[CHURN_FREE_COUNT] = freeCount;
        counters[CHURN_ALIVE_COUNT] = aliveCount;
        counters[CHURN_CAPACITY] = capacity;
        counters[CHURN_MAX_ENTITIES] = ENTITIES_MAX;
        kernel.run(generations, alive, extras, positions, rotations, scales, velocities, integrationHeld, changes,
                dirtyList, freeList, counters);
        hotCountsIn(counters);
        highWater = (int) counters[HOT_HIGH_WATER];
        freeCount = (int) counters[CHURN_FREE_COUNT];
        aliveCount = (int) counters[CHURN_ALIVE_COUNT];
    }

    /** Bumped when a position changes or an entity is spawned or despawned. */
    public long positionsVersion() {
        return positionsVersion;
    }

    public int generationAt(int index) {
        return generations[index];
    }

    public boolean aliveAt(int index) {
        return index < highWater && alive[index] != 0;
    }

    /** Raw transform arrays, read by the snapshot publisher; never written outside World. */
    public float[] rawPositions() {
        return positions;
    }

    public float[] rawRotations() {
        return rotations;
    }

    public float[] rawScales() {
        return scales;
    }

    public float[] rawVelocities() {
        return velocities;
    }

    // ---- tags ---------------------------------------------------------------------------------

    public Status addTag(long handle, String tag) {
        if (!isAlive(handle)) return Status.STALE_ENTITY;
        if (tag.isEmpty()) return Status.INVALID_ARGUMENT;
        tags.add(Entities.index(handle), tag);
        extras[Entities.index(handle)] |= EXTRA_DATA;
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
        return tags.indices(tag).stream().mapToLong(i -> Entities.handle(i, generations[i])).toArray();
    }

    public TagIndex tagIndex() {
        return tags;
    }

    // ---- components ---------------------------------------------------------------------------

    /** Registers a component type; registering the same schema twice is a no-op. */
    public ComponentStore registerComponent(ComponentSchema schema) {
        ComponentStore existing = components.get(schema.typeHash());
        if (existing != null) {
            if (!existing.schema().equals(schema)) {
                throw new IllegalArgumentException("component '" + schema.name()
                        + "' is already registered with a different layout or policy");
            }
            return existing;
        }
        ComponentStore store = new ComponentStore(schema);
        store.ensureEntityCapacity(capacity);
        components.put(schema.typeHash(), store);
        if (writes != null) writes.componentRegistered(schema);
        return store;
    }

    public ComponentStore componentStore(long typeHash) {
        return components.get(typeHash);
    }

    public ComponentStore componentStore(String name) {
        return components.get(NameHash.of(name));
    }

    public Collection<ComponentStore> componentStores() {
        return components.values();
    }

    /**
     * Adds the component or overwrites it whatever its policy: the engine's own writes (a scene's
     * entities, prefabs, the inspector's edits). Scripts' requests go through
     * {@link #addComponentWithPolicy}.
     */
    public Status addComponent(long handle, long typeHash, byte[] data) {
        if (!isAlive(handle)) return Status.STALE_ENTITY;
        ComponentStore store = components.get(typeHash);
        if (store == null) return Status.UNKNOWN_COMPONENT;
        if (data.length != store.schema().size()) return Status.SIZE_MISMATCH;
        store.put(Entities.index(handle), data);
        extras[Entities.index(handle)] |= EXTRA_DATA;
        if (writes != null) writes.componentWritten(handle, typeHash, false);
        return Status.OK;
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
        ComponentStore store = components.get(typeHash);
        if (store == null) return Status.UNKNOWN_COMPONENT;
        ComponentSchema schema = store.schema();
        if (data.length != schema.size()) return Status.SIZE_MISMATCH;
        int index = Entities.index(handle);
        byte[] present = store.has(index) ? store.get(index) : null;
        byte[] written = data;
        switch (schema.policy()) {
            case KEEP -> {
                if (present != null) return Status.ALREADY_PRESENT;
            }
            case MERGE -> {
                written = schema.merge(present != null ? present : data, data, fieldMask);
                if (written == null) return Status.INVALID_ARGUMENT;
            }
            case REPLACE -> { }
        }
        store.put(index, written);
        extras[index] |= EXTRA_DATA;
        if (writes != null) writes.componentWritten(handle, typeHash, false);
        return Status.OK;
    }

    public Status removeComponent(long handle, long typeHash) {
        if (!isAlive(handle)) return Status.STALE_ENTITY;
        ComponentStore store = components.get(typeHash);
        if (store == null) return Status.UNKNOWN_COMPONENT;
        if (!store.remove(Entities.index(handle))) return Status.NOT_FOUND;
        if (writes != null) writes.componentWritten(handle, typeHash, true);
        return Status.OK;
    }

    /** A copy of the component's bytes, or null when absent or stale. */
    public byte[] getComponent(long handle, long typeHash) {
        if (!isAlive(handle)) return null;
        ComponentStore store = components.get(typeHash);
        return store == null ? null : store.get(Entities.index(handle));
    }

    // ---- ScriptVars ---------------------------------------------------------------------------

    public Status setVar(long handle, String key, VarValue value) {
        if (!isAlive(handle)) return Status.STALE_ENTITY;
        if (key.isEmpty()) return Status.INVALID_ARGUMENT;
        if (value instanceof VarValue.F64 f && !Double.isFinite(f.value())) return Status.NOT_FINITE;
        if (value instanceof VarValue.V3 v && !v.value().isFinite()) return Status.NOT_FINITE;
        vars.computeIfAbsent(Entities.index(handle), i -> new LinkedHashMap<>()).put(key, value);
        extras[Entities.index(handle)] |= EXTRA_DATA;
        varsVersion++;
        if (writes != null) writes.varSet(handle, key, value);
        return Status.OK;
    }

    public VarValue getVar(long handle, String key) {
        if (!isAlive(handle)) return null;
        Map<String, VarValue> m = vars.get(Entities.index(handle));
        return m == null ? null : m.get(key);
    }

    public Map<String, VarValue> vars(long handle) {
        if (!isAlive(handle)) return Map.of();
        return Collections.unmodifiableMap(vars.getOrDefault(Entities.index(handle), Map.of()));
    }

    /** Every entity's vars by entity index (for the snapshot publisher). */
    public Map<Integer, Map<String, VarValue>> allVars() {
        return Collections.unmodifiableMap(vars);
    }

    public long varsVersion() {
        return varsVersion;
    }
}
