package dev.kiln.isolate;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.kiln.abi.Layouts;
import java.lang.foreign.MemorySegment;

/**
 * Deep copy of the engine's kiln_snapshot into an isolated library's region, pointers
 * rewritten to the copies: the host reads the same tables at the same addresses, and whatever
 * it scribbles over them never reaches the engine's own.
 */
final class SnapshotCopy {
    private static final long ROW = Layouts.ENTITY_ROW.byteSize();
    private static final long BUCKET = Layouts.TAG_BUCKET.byteSize();
    private static final long TABLE = Layouts.COMPONENT_TABLE.byteSize();
    private static final long TABLE_ROW_SIZE = Layouts.offset(Layouts.COMPONENT_TABLE, "row_size"),
            TABLE_ROW_COUNT = Layouts.offset(Layouts.COMPONENT_TABLE, "row_count");
    private static final long BUCKET_FIRST = Layouts.offset(Layouts.TAG_BUCKET, "first"),
            BUCKET_COUNT = Layouts.offset(Layouts.TAG_BUCKET, "count");
    private static final long VAR = Layouts.VAR_ENTRY.byteSize();
    private static final long SPAWN = Layouts.SPAWN_RESULT.byteSize();
    private static final long GRID = Layouts.offset(Layouts.SNAPSHOT, "grid");
    private static final long GRID_WANTED = Layouts.offset(Layouts.SNAPSHOT, "grid_wanted");
    // Field offsets resolved once: resolving a layout path by name on every copy (once per
    // isolated call) was a third of the demo scene's frame.
    private static final long ENTITY_CAPACITY = field("entity_capacity"), ENTITIES = field("entities"),
            LIVE_GENERATIONS = field("live_generations"), POSITIONS = field("positions"),
            TAG_BUCKET_COUNT = field("tag_bucket_count"), TAG_BUCKETS = field("tag_buckets"),
            TAG_ENTITIES = field("tag_entities"), COMPONENT_TABLE_COUNT = field("component_table_count"),
            COMPONENT_TABLES = field("component_tables"), VARS = field("vars"), VAR_COUNT = field("var_count"),
            SPAWN_RESULTS = field("spawn_results"), SPAWN_RESULT_COUNT = field("spawn_result_count");
    private static final long TABLE_ENTITY_TO_ROW = Layouts.offset(Layouts.COMPONENT_TABLE, "entity_to_row"),
            TABLE_ROWS = Layouts.offset(Layouts.COMPONENT_TABLE, "rows");
    private static final long GRID_BUCKET_COUNT = GRID + Layouts.offset(Layouts.SPATIAL_GRID, "bucket_count"),
            GRID_ENTITY_COUNT = GRID + Layouts.offset(Layouts.SPATIAL_GRID, "entity_count"),
            GRID_BUCKET_START = GRID + Layouts.offset(Layouts.SPATIAL_GRID, "bucket_start"),
            GRID_BUCKET_ENTITIES = GRID + Layouts.offset(Layouts.SPATIAL_GRID, "bucket_entities");

    private SnapshotCopy() {}

    /** Copies {@code snapshot} (engine memory) into {@code region}'s scratch; returns the copy. */
    static MemorySegment copy(MemorySegment snapshot, Region region) {
        MemorySegment root = snapshot.reinterpret(Layouts.SNAPSHOT.byteSize());
        MemorySegment out = region.copyIn(root, 16);
        int capacity = rowsInUse(root, root.get(JAVA_INT, ENTITY_CAPACITY));
        out.set(JAVA_INT, ENTITY_CAPACITY, capacity); // every per-row table below has this many
        table(root, out, ENTITIES, capacity * ROW, region);
        table(root, out, LIVE_GENERATIONS, 4L * capacity, region);
        table(root, out, POSITIONS, Layouts.POSITION_ENTRY.byteSize() * capacity, region);
        int buckets = root.get(JAVA_INT, TAG_BUCKET_COUNT);
        table(root, out, TAG_BUCKETS, buckets * BUCKET, region);
        table(root, out, TAG_ENTITIES, 8L * tagEntityCount(root, buckets), region);
        int components = root.get(JAVA_INT, COMPONENT_TABLE_COUNT);
        MemorySegment tables = table(root, out, COMPONENT_TABLES, components * TABLE, region);
        for (int c = 0; c < components; c++) {
            MemorySegment source = root.get(ADDRESS, COMPONENT_TABLES).reinterpret(components * TABLE)
                    .asSlice(c * TABLE, TABLE);
            MemorySegment copy = tables.asSlice(c * TABLE, TABLE);
            long rowBytes = (long) source.get(JAVA_INT, TABLE_ROW_SIZE) * source.get(JAVA_INT, TABLE_ROW_COUNT);
            table(source, copy, TABLE_ENTITY_TO_ROW, 4L * capacity, region);
            table(source, copy, TABLE_ROWS, rowBytes, region);
        }
        table(root, out, VARS, root.get(JAVA_INT, VAR_COUNT) * VAR, region);
        table(root, out, SPAWN_RESULTS, root.get(JAVA_INT, SPAWN_RESULT_COUNT) * SPAWN, region);
        int bucketCount = root.get(JAVA_INT, GRID_BUCKET_COUNT);
        int gridEntities = root.get(JAVA_INT, GRID_ENTITY_COUNT);
        table(root, out, GRID_BUCKET_START, 4L * (bucketCount + 1L), region);
        table(root, out, GRID_BUCKET_ENTITIES, 4L * gridEntities, region);
        return out;
    }

    /** Carries a query's request to keep the grid built back to the engine's snapshot. */
    static void returnGridWanted(MemorySegment copy, MemorySegment snapshot) {
        if (copy.get(JAVA_INT, GRID_WANTED) != 0) {
            snapshot.reinterpret(Layouts.SNAPSHOT.byteSize()).set(JAVA_INT, GRID_WANTED, 1);
        }
    }

    private static long field(String name) {
        return Layouts.offset(Layouts.SNAPSHOT, name);
    }

    /**
     * Rows up to the last live entity's: the copy's entity_capacity. The world's tables start at
     * 1,024 rows, so a scene of 30 entities copied 64 KiB of dead rows (and their entries in the
     * other per-row tables) into the host on every call (the demo: ≈ 2 µs of its frame). A row
     * past the last live one holds no live entity, and a reader finds no live entity past
     * entity_capacity either (abi/kiln.h). Without live_generations (0 bytes), all {@code capacity}.
     */
    static int rowsInUse(MemorySegment root, int capacity) {
        MemorySegment pointer = root.get(ADDRESS, LIVE_GENERATIONS);
        if (pointer.equals(MemorySegment.NULL) || capacity <= 0) return Math.max(0, capacity);
        MemorySegment live = pointer.reinterpret(4L * capacity);
        int rows = capacity;
        while (rows > 0 && live.getAtIndex(JAVA_INT, rows - 1) == 0) rows--;
        return rows;
    }

    /** Entries of tag_entities the buckets reach. */
    private static long tagEntityCount(MemorySegment root, int buckets) {
        if (buckets == 0) return 0;
        MemorySegment table = root.get(ADDRESS, TAG_BUCKETS).reinterpret(buckets * BUCKET);
        long end = 0;
        for (int b = 0; b < buckets; b++) {
            end = Math.max(end, Integer.toUnsignedLong(table.get(JAVA_INT, b * BUCKET + BUCKET_FIRST))
                    + Integer.toUnsignedLong(table.get(JAVA_INT, b * BUCKET + BUCKET_COUNT)));
        }
        return end;
    }

    /**
     * Copies the {@code bytes} the pointer at {@code at} in {@code source} points to, and points
     * the same field of {@code copy} at the copy. NULL stays NULL.
     */
    private static MemorySegment table(MemorySegment source, MemorySegment copy, long at, long bytes, Region region) {
        MemorySegment pointer = source.get(ADDRESS, at);
        if (pointer.equals(MemorySegment.NULL)) return pointer;
        MemorySegment table = region.copyIn(pointer.reinterpret(bytes), 16);
        copy.set(ADDRESS, at, table);
        return table;
    }
}
