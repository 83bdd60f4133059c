package dev.kiln.ecs;

import java.util.Arrays;

/**
 * Rows of one component type as a sparse set: dense rows plus entity-index → row. Removal
 * swaps the last row into the hole, so rows stay dense.
 */
public final class ComponentStore {
    private final ComponentSchema schema;
    private int[] entityToRow = new int[0];
    private int[] rowToEntity = new int[16];
    private byte[] rows;
    private int rowCount;
    private long version;

    ComponentStore(ComponentSchema schema) {
        this.schema = schema;
        this.rows = new byte[16 * schema.size()];
    }

    public ComponentSchema schema() {
        return schema;
    }

    /** Bumped on every change, so the snapshot republishes only changed tables. */
    public long version() {
        return version;
    }

    public int rowCount() {
        return rowCount;
    }

    public int[] entityToRow() {
        return entityToRow;
    }

    public byte[] rows() {
        return rows;
    }

    void ensureEntityCapacity(int capacity) {
        if (entityToRow.length >= capacity) return;
        int old = entityToRow.length;
        entityToRow = Arrays.copyOf(entityToRow, capacity);
        Arrays.fill(entityToRow, old, capacity, -1);
    }

    public boolean has(int index) {
        return index < entityToRow.length && entityToRow[index] >= 0;
    }

    void put(int index, byte[] data) {
        int row = entityToRow[index];
        if (row < 0) {
            row = rowCount++;
            if (row >= rowToEntity.length) {
                rowToEntity = Arrays.copyOf(rowToEntity, rowToEntity.length * 2);
                rows = Arrays.copyOf(rows, rowToEntity.length * schema.size());
            }
            entityToRow[index] = row;
            rowToEntity[row] = index;
        }
        System.arraycopy(data, 0, rows, row * schema.size(), schema.size());
        version++;
    }

    boolean remove(int index) {
        if (!has(index)) return false;
        int row = entityToRow[index];
        int last = --rowCount;
        if (row != last) {
            int moved = rowToEntity[last];
            System.arraycopy(rows, last * schema.size(), rows, row * schema.size(), schema.size());
            rowToEntity[row] = moved;
            entityToRow[moved] = row;
        }
        entityToRow[index] = -1;
        version++;
        return true;
    }

    public byte[] get(int index) {
        if (!has(index)) return null;
        int start = entityToRow[index] * schema.size();
        return Arrays.copyOfRange(rows, start, start + schema.size());
    }

    /** A copy of the rows (a rewind keyframe's part of this store). */
    WorldKeyframe.ComponentRows copyRows() {
        return new WorldKeyframe.ComponentRows(schema, entityToRow.clone(), Arrays.copyOf(rowToEntity, rowCount),
                Arrays.copyOf(rows, rowCount * schema.size()), rowCount);
    }

    /** Puts {@code copy}'s rows back (null: no rows), sized for {@code capacity} entities; the version moves on. */
    void restoreRows(WorldKeyframe.ComponentRows copy, int capacity) {
        int n = copy == null ? 0 : copy.rowCount();
        entityToRow = new int[Math.max(capacity, copy == null ? 0 : copy.entityToRow().length)];
        Arrays.fill(entityToRow, -1);
        if (copy != null) System.arraycopy(copy.entityToRow(), 0, entityToRow, 0, copy.entityToRow().length);
        rowToEntity = Arrays.copyOf(copy == null ? new int[0] : copy.rowToEntity(), Math.max(16, n));
        rows = Arrays.copyOf(copy == null ? new byte[0] : copy.rows(), Math.max(16, n) * schema.size());
        rowCount = n;
        version++;
    }
}
