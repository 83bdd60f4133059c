package dev.kiln.ecs;

import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * Transforms as structure of arrays (position, rotation, scale, velocity per entity row) and
 * what their writes keep: the moving count, the positions version, which entities' velocity
 * integration is held, and a change mark per write ({@link RowChanges}) so the snapshot
 * publisher copies only changed rows, and of a row that only moved only its position. Rows are
 * indices the caller checked alive ({@link World} does, for every handle). Frame thread only.
 */
final class TransformStore {
    private final EntityTable entities;
    private final RowChanges changes;
    private float[] positions;
    private float[] rotations;
    private float[] scales;
    private float[] velocities;
    /**
     * Entities whose velocity integration was refused (it would have left the finite range)
     * since their velocity was last set: reported once, not every frame.
     */
    private byte[] integrationHeld;
    /** Live entities whose velocity is non-zero: integrateVelocities has nothing to do at 0. */
    private int movingCount;
    private long positionsVersion;

    TransformStore(EntityTable entities, RowChanges changes) {
        this.entities = entities;
        this.changes = changes;
    }

    /** Reallocates to {@code capacity} rows (never fewer), keeping their contents. */
    void grow(int capacity) {
        positions = growF(positions, capacity * 3);
        rotations = growF(rotations, capacity * 4);
        scales = growF(scales, capacity * 3);
        velocities = growF(velocities, capacity * 3);
        integrationHeld = integrationHeld == null ? new byte[capacity] : Arrays.copyOf(integrationHeld, capacity);
    }

    private static float[] growF(float[] a, int n) {
        return a == null ? new float[n] : Arrays.copyOf(a, n);
    }

    /** A new entity's row: its transform, at rest; the rotation normalised when {@code normalize}. */
    void spawned(int index, float px, float py, float pz, float qx, float qy, float qz, float qw,
                 float sx, float sy, float sz, boolean normalize) {
        writeVec(positions, index, px, py, pz);
        if (normalize) {
            writeQuatNormalized(index, qx, qy, qz, qw);
        } else {
            writeQuat(index, qx, qy, qz, qw);
        }
        writeVec(scales, index, sx, sy, sz);
        writeVec(velocities, index, 0, 0, 0);
        integrationHeld[index] = 0;
        positionsVersion++;
    }

    /** The entity at {@code index} is gone: it no longer moves, and positions changed. */
    void despawned(int index) {
        if (isMoving(index)) movingCount--;
        positionsVersion++;
    }

    Vec3 position(int index) {
        return readVec(positions, index);
    }

    Quat rotation(int index) {
        int i = index * 4;
        return new Quat(rotations[i], rotations[i + 1], rotations[i + 2], rotations[i + 3]);
    }

    Vec3 scale(int index) {
        return readVec(scales, index);
    }

    Vec3 velocity(int index) {
        return readVec(velocities, index);
    }

    Status setPosition(int index, float x, float y, float z) {
        return writeChecked(index, x, y, z, positions);
    }

    Status setScale(int index, float x, float y, float z) {
        return writeChecked(index, x, y, z, scales);
    }

    Status setVelocity(int index, float x, float y, float z) {
        return writeChecked(index, x, y, z, velocities);
    }

    /** The hottest request: primitives in, written in place, no temporary vectors. */
    Status translate(int index, float dx, float dy, float dz) {
        int o = index * 3;
        float x = positions[o] + dx, y = positions[o + 1] + dy, z = positions[o + 2] + dz;
        if (!Float.isFinite(x) || !Float.isFinite(y) || !Float.isFinite(z)) return Status.NOT_FINITE;
        positions[o] = x;
        positions[o + 1] = y;
        positions[o + 2] = z;
        markMoved(index);
        return Status.OK;
    }

    Status setRotation(int index, Quat q) {
        if (!q.isFinite()) return Status.NOT_FINITE;
        writeQuat(index, q.normalized());
        changes.mark(index, World.CHANGED_ROW);
        return Status.OK;
    }

    /**
     * position += velocity * dt for every live entity that moves. An entity whose new position
     * would not be finite (a huge velocity, a huge step) stays where it is, like a refused
     * translate; {@code held} hears of it once, until its velocity is set again.
     */
    void integrate(float dt, LongConsumer held) {
        if (movingCount == 0) return; // the common case of scenes that move by translate: no pass
        byte[] alive = entities.alive();
        for (int i = 0; i < entities.highWater(); i++) {
            if (alive[i] == 0) continue;
            int o = i * 3;
            float vx = velocities[o], vy = velocities[o + 1], vz = velocities[o + 2];
            if (vx == 0 && vy == 0 && vz == 0) continue;
            float x = positions[o] + vx * dt, y = positions[o + 1] + vy * dt, z = positions[o + 2] + vz * dt;
            if (!Float.isFinite(x) || !Float.isFinite(y) || !Float.isFinite(z)) {
                if (integrationHeld[i] == 0) {
                    integrationHeld[i] = 1;
                    held.accept(entities.handleOf(i));
                }
                continue;
            }
            positions[o] = x;
            positions[o + 1] = y;
            positions[o + 2] = z;
            markMoved(i);
        }
    }

    private Status writeChecked(int index, float x, float y, float z, float[] target) {
        if (!Float.isFinite(x) || !Float.isFinite(y) || !Float.isFinite(z)) return Status.NOT_FINITE;
        if (target == velocities) {
            integrationHeld[index] = 0; // a new velocity may be fine again: report anew
            boolean was = isMoving(index);
            writeVec(target, index, x, y, z);
            boolean is = isMoving(index);
            if (was != is) movingCount += is ? 1 : -1;
            changes.mark(index, World.CHANGED_VELOCITY);
            return Status.OK;
        }
        writeVec(target, index, x, y, z);
        if (target == positions) markMoved(index);
        else changes.mark(index, World.CHANGED_ROW);
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
        changes.mark(index, World.CHANGED_POSITION);
    }

    // The raw tables and counts, for World's bulk kernels, keyframes and the snapshot publisher;
    // valid until the next grow.

    float[] positions() {
        return positions;
    }

    float[] rotations() {
        return rotations;
    }

    float[] scales() {
        return scales;
    }

    float[] velocities() {
        return velocities;
    }

    byte[] integrationHeld() {
        return integrationHeld;
    }

    int movingCount() {
        return movingCount;
    }

    void setMovingCount(int movingCount) {
        this.movingCount = movingCount;
    }

    /** Bumped when a position changes or an entity is spawned or despawned. */
    long positionsVersion() {
        return positionsVersion;
    }

    void setPositionsVersion(long positionsVersion) {
        this.positionsVersion = positionsVersion;
    }

    /**
     * Puts the rows back as keyframe {@code k} holds them, rows from its high-water mark up to
     * {@code cleared} zeroed as never used; the positions version moves on. The caller grew the
     * tables to hold them.
     */
    void restore(WorldKeyframe k, int cleared) {
        int n = k.highWater();
        System.arraycopy(k.positions(), 0, positions, 0, n * 3);
        System.arraycopy(k.rotations(), 0, rotations, 0, n * 4);
        System.arraycopy(k.scales(), 0, scales, 0, n * 3);
        System.arraycopy(k.velocities(), 0, velocities, 0, n * 3);
        System.arraycopy(k.integrationHeld(), 0, integrationHeld, 0, n);
        Arrays.fill(positions, n * 3, cleared * 3, 0f);
        Arrays.fill(rotations, n * 4, cleared * 4, 0f);
        Arrays.fill(scales, n * 3, cleared * 3, 0f);
        Arrays.fill(velocities, n * 3, cleared * 3, 0f);
        Arrays.fill(integrationHeld, n, cleared, (byte) 0);
        movingCount = k.movingCount();
        positionsVersion++;
    }
}
