package dev.kiln.ecs;

import java.util.Arrays;

/**
 * A uniform spatial hash over entity positions, rebuilt from the world by counting sort.
 * The layout (bucket_start / bucket_entities, cell hash, cell coordinates) is exactly the
 * ABI's kiln_spatial_grid, so the same arrays serve Java queries and native scripts.
 */
public final class SpatialGrid {
    /** Fewer buckets than this wastes more time on collisions than it saves in memory. */
    private static final int BUCKETS_MIN = 64;

    private final float cellSize;
    private int bucketCount;
    private int[] bucketStart = new int[BUCKETS_MIN + 1];
    private int[] bucketEntities = new int[0];
    private int entityCount;
    private int[] scratch = new int[0];
    private int[] cursor = new int[0];

    public SpatialGrid(float cellSize) {
        if (!(cellSize > 0) || !Float.isFinite(cellSize)) {
            throw new IllegalArgumentException("cell size must be a positive number, got " + cellSize);
        }
        this.cellSize = cellSize;
    }

    public float cellSize() {
        return cellSize;
    }

    public int bucketCount() {
        return bucketCount;
    }

    public int[] bucketStart() {
        return bucketStart;
    }

    public int[] bucketEntities() {
        return bucketEntities;
    }

    public int entityCount() {
        return entityCount;
    }

    /** kiln_cell_hash of kiln.h (CellFormulaTest compares the three). */
    public static int cellHash(int cx, int cy, int cz) {
        return (cx * 73856093) ^ (cy * 19349663) ^ (cz * 83492791);
    }

    /**
     * kiln_cell_coord of kiln.h, step for step: floor(value * inverseCell) in float, clamped to
     * ±1e9, a NaN product giving 0 (CellFormulaTest).
     */
    public static int cellCoord(float value, float inverseCell) {
        float scaled = value * inverseCell;
        if (scaled != scaled) return 0; // NaN
        if (scaled <= -1.0e9f) return -1_000_000_000;
        if (scaled >= 1.0e9f) return 1_000_000_000;
        int truncated = (int) scaled; // toward zero; floor is one less below zero
        return (float) truncated > scaled ? truncated - 1 : truncated;
    }

    public void rebuild(World world) {
        int alive = world.aliveCount();
        bucketCount = Integer.highestOneBit(Math.max(BUCKETS_MIN, alive * 2 - 1)) << 1;
        if (bucketStart.length < bucketCount + 1) bucketStart = new int[bucketCount + 1];
        Arrays.fill(bucketStart, 0, bucketCount + 1, 0);
        if (bucketEntities.length < alive) bucketEntities = new int[Math.max(alive, 16)];
        if (scratch.length < world.highWater()) scratch = new int[Math.max(world.highWater(), 16)];
        float inv = 1f / cellSize;
        float[] p = world.rawPositions();
        int mask = bucketCount - 1;
        int high = world.highWater();
        for (int i = 0; i < high; i++) {
            if (!world.aliveAt(i)) continue;
            int b = cellHash(cellCoord(p[i * 3], inv), cellCoord(p[i * 3 + 1], inv), cellCoord(p[i * 3 + 2], inv)) & mask;
            scratch[i] = b;
            bucketStart[b + 1]++;
        }
        for (int b = 0; b < bucketCount; b++) bucketStart[b + 1] += bucketStart[b];
        if (cursor.length < bucketCount) cursor = new int[bucketCount];
        System.arraycopy(bucketStart, 0, cursor, 0, bucketCount);
        for (int i = 0; i < high; i++) {
            if (!world.aliveAt(i)) continue;
            bucketEntities[cursor[scratch[i]]++] = i;
        }
        entityCount = alive;
    }

    /** Live entities within {@code radius} of {@code center} (handles, unordered). */
    public long[] queryNearby(World world, Vec3 center, float radius) {
        long[] out = new long[16];
        int n = 0;
        float inv = 1f / cellSize;
        float r2 = radius * radius;
        float[] p = world.rawPositions();
        int loX = cellCoord(center.x() - radius, inv), hiX = cellCoord(center.x() + radius, inv);
        int loY = cellCoord(center.y() - radius, inv), hiY = cellCoord(center.y() + radius, inv);
        int loZ = cellCoord(center.z() - radius, inv), hiZ = cellCoord(center.z() + radius, inv);
        long cells = (long) (hiX - loX + 1) * (hiY - loY + 1) * (hiZ - loZ + 1);
        if (cells > bucketCount) {
            // As the SDK does: a query wider than the table scans every entity once.
            for (int k = 0; k < entityCount; k++) {
                int i = bucketEntities[k];
                float dx = p[i * 3] - center.x(), dy = p[i * 3 + 1] - center.y(), dz = p[i * 3 + 2] - center.z();
                if (dx * dx + dy * dy + dz * dz > r2) continue;
                if (n == out.length) out = Arrays.copyOf(out, n * 2);
                out[n++] = world.handleAt(i);
            }
            return Arrays.copyOf(out, n);
        }
        for (int cx = loX; cx <= hiX; cx++) {
            for (int cy = loY; cy <= hiY; cy++) {
                for (int cz = loZ; cz <= hiZ; cz++) {
                    int b = cellHash(cx, cy, cz) & (bucketCount - 1);
                    for (int k = bucketStart[b]; k < bucketStart[b + 1]; k++) {
                        int i = bucketEntities[k];
                        float x = p[i * 3], y = p[i * 3 + 1], z = p[i * 3 + 2];
                        if (cellCoord(x, inv) != cx || cellCoord(y, inv) != cy || cellCoord(z, inv) != cz) continue;
                        float dx = x - center.x(), dy = y - center.y(), dz = z - center.z();
                        if (dx * dx + dy * dy + dz * dz > r2) continue;
                        if (n == out.length) out = Arrays.copyOf(out, n * 2);
                        out[n++] = world.handleAt(i);
                    }
                }
            }
        }
        return Arrays.copyOf(out, n);
    }
}
