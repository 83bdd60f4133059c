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
    private static final long VAR = Layouts.VAR_ENTRY.byteSize();
    private static final long SPAWN = Layouts.SPAWN_RESULT.byteSize();
    private static final long GRID = Layouts.offset(Layouts.SNAPSHOT, "grid");
    private static final long GRID_WANTED = Layouts.offset(Layouts.SNAPSHOT, "grid_wanted");

    private SnapshotCopy() {}

    /** Copies {@code snapshot} (engine memory) into {@code region}'s scratch; returns the copy. */
    static MemorySegment copy(MemorySegment snapshot, Region region) {
        MemorySegment root = snapshot.reinterpret(Layouts.SNAPSHOT.byteSize());
        MemorySegment out = region.copyIn(root, 16);
        int capacity = root.get(JAVA_INT, field("entity_capacity"));
        table(root, out, field("entities"), capacity * ROW, region);
        int buckets = root.get(JAVA_INT, field("tag_bucket_count"));
        table(root, out, field("tag_buckets"), buckets * BUCKET, region);
        table(root, out, field("tag_entities"), 8L * tagEntityCount(root, buckets), region);
        int components = root.get(JAVA_INT, field("component_table_count"));
        MemorySegment tables = table(root, out, field("component_tables"), components * TABLE, region);
        for (int c = 0; c < components; c++) {
            MemorySegment source = root.get(ADDRESS, field("component_tables")).reinterpret(components * TABLE)
                    .asSlice(c * TABLE, TABLE);
            MemorySegment copy = tables.asSlice(c * TABLE, TABLE);
            long rowBytes = (long) source.get(JAVA_INT, 8) * source.get(JAVA_INT, 12);
            table(source, copy, Layouts.offset(Layouts.COMPONENT_TABLE, "entity_to_row"), 4L * capacity, region);
            table(source, copy, Layouts.offset(Layouts.COMPONENT_TABLE, "rows"), rowBytes, region);
        }
        table(root, out, field("vars"), root.get(JAVA_INT, field("var_count")) * VAR, region);
        table(root, out, field("spawn_results"), root.get(JAVA_INT, field("spawn_result_count")) * SPAWN, region);
        long grid = GRID;
        int bucketCount = root.get(JAVA_INT, grid + Layouts.offset(Layouts.SPATIAL_GRID, "bucket_count"));
        int gridEntities = root.get(JAVA_INT, grid + Layouts.offset(Layouts.SPATIAL_GRID, "entity_count"));
        table(root, out, grid + Layouts.offset(Layouts.SPATIAL_GRID, "bucket_start"), 4L * (bucketCount + 1L), region);
        table(root, out, grid + Layouts.offset(Layouts.SPATIAL_GRID, "bucket_entities"), 4L * gridEntities, region);
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

    /** Entries of tag_entities the buckets reach. */
    private static long tagEntityCount(MemorySegment root, int buckets) {
        if (buckets == 0) return 0;
        MemorySegment table = root.get(ADDRESS, field("tag_buckets")).reinterpret(buckets * BUCKET);
        long end = 0;
        for (int b = 0; b < buckets; b++) {
            end = Math.max(end, Integer.toUnsignedLong(table.get(JAVA_INT, b * BUCKET + 8))
                    + Integer.toUnsignedLong(table.get(JAVA_INT, b * BUCKET + 12)));
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
