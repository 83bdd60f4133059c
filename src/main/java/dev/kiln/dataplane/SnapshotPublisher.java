package dev.kiln.dataplane;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.abi.Layouts;
import dev.kiln.ecs.ComponentStore;
import dev.kiln.ecs.Entities;
import dev.kiln.ecs.NameHash;
import dev.kiln.ecs.SpatialGrid;
import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.World;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Publishes the world into the native snapshot tables scripts read (kiln_snapshot). Runs after
 * every barrier and copies only what changed: dirty entity rows, and the tag / component / var /
 * grid tables whose version moved.
 */
public final class SnapshotPublisher implements AutoCloseable {
    private static final long ROW_SIZE = Layouts.ENTITY_ROW.byteSize();
    private static final long POSITION_ENTRY = Layouts.POSITION_ENTRY.byteSize();
    private static final long ENTRY_GENERATION = Layouts.offset(Layouts.POSITION_ENTRY, "generation");

    private final Arena arena = Arena.ofShared();
    private final MemorySegment root;
    private final GrowableSegment rows = new GrowableSegment(1024 * ROW_SIZE);
    /** kiln_snapshot.live_generations: per row, the generation while alive, else 0 (4 bytes a row). */
    private final GrowableSegment liveGenerations = new GrowableSegment(1024 * 4L);
    /**
     * kiln_snapshot.positions: per row, the entity's position and its generation while alive
     * (kiln_position_entry, 16 bytes a row), always current.
     */
    private final GrowableSegment positions = new GrowableSegment(1024 * POSITION_ENTRY);
    private final GrowableSegment tagBuckets = new GrowableSegment(1024);
    private final GrowableSegment tagEntities = new GrowableSegment(1024);
    private final GrowableSegment componentTables = new GrowableSegment(1024);
    private final Map<Long, GrowableSegment[]> componentData = new HashMap<>();
    private final Map<Long, Long> componentVersions = new HashMap<>();
    private final GrowableSegment vars = new GrowableSegment(1024);
    private final GrowableSegment gridStart = new GrowableSegment(1024);
    private final GrowableSegment gridEntities = new GrowableSegment(1024);
    private final SpatialGrid grid;

    private int publishedCapacity = -1;
    /**
     * Whether the rows' positions are kept current too: while a loaded library reads them (no
     * KILN_READS_POSITION_TABLE). Starts true: until the runtime says otherwise, every reader the
     * ABI had before the position table is served.
     */
    private boolean rowPositionsKept = true;
    private SpawnResults publishedResults;
    private long publishedResultsVersion;
    private long tagsVersion = -1;
    private long varsVersion = -1;
    private long positionsVersion = -1;
    private int componentCount = -1;
    /**
     * Publishes since a script last queried the grid (see kiln_snapshot.grid_wanted). Starts at
     * 0, so the grid is built from the first frame: a scene whose scripts all query at once
     * never pays a frame of full scans.
     */
    private int publishesSinceGridWanted = 0;
    /**
     * How long the grid stays built after the last query: ~100 frames of three barriers. A scene
     * that queries keeps it fresh; one that stops querying stops paying for it.
     */
    private static final int GRID_KEEP_PUBLISHES = 300;
    private static final long GRID_WANTED = Layouts.offset(Layouts.SNAPSHOT, "grid_wanted");
    private static final long GRID_VALID = Layouts.offset(Layouts.SNAPSHOT, "grid.valid");
    // Field offsets resolved once: Layouts.offset parses a path, too slow for every publish.
    private static final long AT_ENTITY_CAPACITY = Layouts.offset(Layouts.SNAPSHOT, "entity_capacity");
    private static final long AT_ENTITIES = Layouts.offset(Layouts.SNAPSHOT, "entities");
    private static final long AT_LIVE_GENERATIONS = Layouts.offset(Layouts.SNAPSHOT, "live_generations");
    private static final long AT_POSITIONS = Layouts.offset(Layouts.SNAPSHOT, "positions");
    private static final long AT_TAG_BUCKET_COUNT = Layouts.offset(Layouts.SNAPSHOT, "tag_bucket_count");
    private static final long AT_TAG_BUCKETS = Layouts.offset(Layouts.SNAPSHOT, "tag_buckets");
    private static final long AT_TAG_ENTITIES = Layouts.offset(Layouts.SNAPSHOT, "tag_entities");
    private static final long AT_COMPONENT_TABLE_COUNT = Layouts.offset(Layouts.SNAPSHOT, "component_table_count");
    private static final long AT_COMPONENT_TABLES = Layouts.offset(Layouts.SNAPSHOT, "component_tables");
    private static final long AT_VAR_COUNT = Layouts.offset(Layouts.SNAPSHOT, "var_count");
    private static final long AT_VARS = Layouts.offset(Layouts.SNAPSHOT, "vars");
    private static final long AT_GRID_BUCKET_COUNT = Layouts.offset(Layouts.SNAPSHOT, "grid.bucket_count");
    private static final long AT_GRID_BUCKET_START = Layouts.offset(Layouts.SNAPSHOT, "grid.bucket_start");
    private static final long AT_GRID_BUCKET_ENTITIES = Layouts.offset(Layouts.SNAPSHOT, "grid.bucket_entities");
    private static final long AT_GRID_ENTITY_COUNT = Layouts.offset(Layouts.SNAPSHOT, "grid.entity_count");
    private static final long AT_SPAWN_RESULT_COUNT = Layouts.offset(Layouts.SNAPSHOT, "spawn_result_count");
    private static final long AT_SPAWN_RESULTS = Layouts.offset(Layouts.SNAPSHOT, "spawn_results");

    public SnapshotPublisher(float cellSize) {
        this.grid = new SpatialGrid(cellSize);
        root = arena.allocate(Layouts.SNAPSHOT);
        root.set(JAVA_INT, Layouts.offset(Layouts.SNAPSHOT, "struct_version"), Layouts.SNAPSHOT_STRUCT_VERSION);
        root.set(JAVA_INT, Layouts.offset(Layouts.SNAPSHOT, "struct_size"), (int) Layouts.SNAPSHOT.byteSize());
        root.set(JAVA_FLOAT, Layouts.offset(Layouts.SNAPSHOT, "grid.cell_size"), cellSize);
    }

    public MemorySegment root() {
        return root;
    }

    /**
     * The published entity rows, which the native apply path writes positions and velocities
     * into at the barrier (instead of marking them for {@link #publish}); valid until the next
     * publish, and only its first {@link #rowTableCapacity} rows.
     */
    public MemorySegment rowTable() {
        return rows.segment();
    }

    /**
     * kiln_snapshot.live_generations, the same {@link #rowTableCapacity} entries as the rows: a
     * native pass that writes a row's generation or alive flag (the churn) writes its entry too.
     */
    public MemorySegment liveGenerationTable() {
        return liveGenerations.segment();
    }

    /**
     * kiln_snapshot.positions, the same {@link #rowTableCapacity} entries as the rows
     * (kiln_position_entry: position, generation while alive): a native pass that moves an entity
     * writes its entry's position (the row's only while {@link #rowPositionsKept}), one that spawns
     * or despawns it its whole entry.
     */
    public MemorySegment positionTable() {
        return positions.segment();
    }

    /** Whether the rows' positions are kept current as well as the position table (see {@link #keepRowPositions}). */
    public boolean rowPositionsKept() {
        return rowPositionsKept;
    }

    /**
     * Keeps the rows' positions current ({@code keep}: a loaded library reads them) or leaves them
     * as they are (every loaded library reads the position table); turning it on copies every
     * published row's position from {@code world} first, so a reader never sees a stale one.
     * Frame thread, before the phase whose scripts read them.
     */
    public void keepRowPositions(boolean keep, World world) {
        if (keep && !rowPositionsKept && publishedCapacity > 0) {
            MemorySegment s = rows.segment();
            float[] from = world.rawPositions();
            int n = Math.min(publishedCapacity, world.capacity());
            for (int i = 0; i < n; i++) {
                MemorySegment.copy(from, i * 3, s, JAVA_FLOAT, i * ROW_SIZE + Layouts.ROW_POSITION, 3);
            }
        }
        rowPositionsKept = keep;
    }

    /** Rows of {@link #rowTable} that are published (0 before the first publish). */
    public int rowTableCapacity() {
        return Math.max(0, publishedCapacity);
    }

    /** Spawn results to publish: request id → entity (NULL when the spawn failed). */
    public record SpawnResult(long requestId, long entity) {}

    /** Publishes what changed, with {@code results} as the spawn-result table (tests, benchmarks). */
    public void publish(World world, List<SpawnResult> results) {
        SpawnResults table = new SpawnResults();
        for (SpawnResult r : results) table.add(0, r.requestId(), r.entity());
        publish(world, table);
    }

    /** Publishes what changed; the spawn-result table is rewritten only when {@code results} changed. */
    public void publish(World world, SpawnResults results) {
        publishRows(world);
        if (world.tagIndex().version() != tagsVersion) publishTags(world);
        publishComponents(world);
        if (world.varsVersion() != varsVersion) publishVars(world);
        publishGridIfWanted(world);
        publishSpawnResults(results);
    }

    private void publishRows(World world) {
        int capacity = world.capacity();
        if (capacity != publishedCapacity) {
            rows.ensure(capacity * ROW_SIZE, true);
            liveGenerations.ensure(capacity * 4L, true);
            positions.ensure(capacity * POSITION_ENTRY, true);
            MemorySegment s = rows.segment(), g = liveGenerations.segment(), p = positions.segment();
            for (int i = 0; i < capacity; i++) writeRow(world, s, g, p, i);
            world.drainChanges((i, what) -> {});
            root.set(JAVA_INT, AT_ENTITY_CAPACITY, capacity);
            root.set(ADDRESS, AT_ENTITIES, s);
            root.set(ADDRESS, AT_LIVE_GENERATIONS, g);
            root.set(ADDRESS, AT_POSITIONS, p);
            publishedCapacity = capacity;
            componentVersions.clear(); // entity_to_row tables are sized by capacity
            return;
        }
        MemorySegment s = rows.segment(), g = liveGenerations.segment(), p = positions.segment();
        boolean rowPositions = rowPositionsKept;
        world.drainChanges((i, what) -> {
            if ((what & World.CHANGED_ROW) != 0) {
                writeRow(world, s, g, p, i);
                return;
            }
            // Only moved (W1: every entity, every frame) or only a new velocity: 12 bytes, not 64.
            if ((what & World.CHANGED_POSITION) != 0) {
                MemorySegment.copy(world.rawPositions(), i * 3, p, JAVA_FLOAT, i * POSITION_ENTRY, 3);
                if (rowPositions) writeVec3(world.rawPositions(), s, i, Layouts.ROW_POSITION);
            }
            if ((what & World.CHANGED_VELOCITY) != 0) writeVec3(world.rawVelocities(), s, i, Layouts.ROW_VELOCITY);
        });
    }

    /** Three single stores: cheaper than a bulk copy's fixed cost at 12 bytes. */
    private static void writeVec3(float[] from, MemorySegment s, int i, long field) {
        long at = i * ROW_SIZE + field;
        int o = i * 3;
        s.set(JAVA_FLOAT, at, from[o]);
        s.set(JAVA_FLOAT, at + 4, from[o + 1]);
        s.set(JAVA_FLOAT, at + 8, from[o + 2]);
    }

    /** Row i, its live_generations entry (the row's generation while alive, else 0) and its position entry. */
    private static void writeRow(World world, MemorySegment s, MemorySegment liveGenerations, MemorySegment positions,
                                 int i) {
        long base = i * ROW_SIZE;
        boolean alive = world.aliveAt(i);
        s.set(JAVA_INT, base + Layouts.ROW_GENERATION, world.generationAt(i));
        s.set(JAVA_INT, base + Layouts.ROW_FLAGS, alive ? Layouts.ROW_ALIVE : 0);
        liveGenerations.setAtIndex(JAVA_INT, i, alive ? world.generationAt(i) : 0);
        // Four bulk copies instead of thirteen single stores: this runs for every moved entity.
        MemorySegment.copy(world.rawPositions(), i * 3, s, JAVA_FLOAT, base + Layouts.ROW_POSITION, 3);
        MemorySegment.copy(world.rawPositions(), i * 3, positions, JAVA_FLOAT, i * POSITION_ENTRY, 3);
        positions.set(JAVA_INT, i * POSITION_ENTRY + ENTRY_GENERATION, alive ? world.generationAt(i) : 0);
        MemorySegment.copy(world.rawRotations(), i * 4, s, JAVA_FLOAT, base + Layouts.ROW_ROTATION, 4);
        MemorySegment.copy(world.rawScales(), i * 3, s, JAVA_FLOAT, base + Layouts.ROW_SCALE, 3);
        MemorySegment.copy(world.rawVelocities(), i * 3, s, JAVA_FLOAT, base + Layouts.ROW_VELOCITY, 3);
    }

    private void publishTags(World world) {
        Map<String, BitSet> all = world.tagIndex().all();
        record Bucket(long hash, BitSet indices) {}
        List<Bucket> buckets = new ArrayList<>();
        int total = 0;
        for (var e : all.entrySet()) {
            buckets.add(new Bucket(NameHash.of(e.getKey()), e.getValue()));
            total += e.getValue().cardinality();
        }
        buckets.sort((a, b) -> Long.compareUnsigned(a.hash, b.hash));
        tagBuckets.ensure(Math.max(1, buckets.size()) * Layouts.TAG_BUCKET.byteSize(), false);
        tagEntities.ensure(Math.max(1, total) * 8L, false);
        MemorySegment bs = tagBuckets.segment(), es = tagEntities.segment();
        int first = 0;
        for (int b = 0; b < buckets.size(); b++) {
            Bucket bucket = buckets.get(b);
            long at = b * Layouts.TAG_BUCKET.byteSize();
            bs.set(JAVA_LONG, at, bucket.hash);
            bs.set(JAVA_INT, at + 8, first);
            bs.set(JAVA_INT, at + 12, bucket.indices.cardinality());
            for (int i = bucket.indices.nextSetBit(0); i >= 0; i = bucket.indices.nextSetBit(i + 1)) {
                es.set(JAVA_LONG, 8L * first++, Entities.handle(i, world.generationAt(i)));
            }
        }
        root.set(JAVA_INT, AT_TAG_BUCKET_COUNT, buckets.size());
        root.set(ADDRESS, AT_TAG_BUCKETS, bs);
        root.set(ADDRESS, AT_TAG_ENTITIES, es);
        tagsVersion = world.tagIndex().version();
    }

    private void publishComponents(World world) {
        var stores = world.componentStores();
        boolean tableMoved = stores.size() != componentCount;
        if (tableMoved) {
            componentTables.ensure(Math.max(1, stores.size()) * Layouts.COMPONENT_TABLE.byteSize(), false);
            componentCount = stores.size();
        }
        int t = 0;
        for (ComponentStore store : stores) {
            long typeHash = store.schema().typeHash();
            Long seen = componentVersions.get(typeHash);
            if (tableMoved || seen == null || seen != store.version()) {
                writeComponentTable(world, store, t);
                componentVersions.put(typeHash, store.version());
            }
            t++;
        }
        root.set(JAVA_INT, AT_COMPONENT_TABLE_COUNT, stores.size());
        root.set(ADDRESS, AT_COMPONENT_TABLES, componentTables.segment());
    }

    private void writeComponentTable(World world, ComponentStore store, int slot) {
        long typeHash = store.schema().typeHash();
        GrowableSegment[] data = componentData.computeIfAbsent(typeHash,
                h -> new GrowableSegment[] {new GrowableSegment(4096), new GrowableSegment(4096)});
        int[] entityToRow = store.entityToRow();
        int capacity = world.capacity();
        data[0].ensure(4L * capacity, false);
        MemorySegment.copy(entityToRow, 0, data[0].segment(), JAVA_INT, 0, Math.min(capacity, entityToRow.length));
        long rowBytes = (long) store.rowCount() * store.schema().size();
        data[1].ensure(Math.max(8, rowBytes), false);
        MemorySegment.copy(store.rows(), 0, data[1].segment(), ValueLayout.JAVA_BYTE, 0, (int) rowBytes);
        MemorySegment tables = componentTables.segment();
        long at = slot * Layouts.COMPONENT_TABLE.byteSize();
        tables.set(JAVA_LONG, at, typeHash);
        tables.set(JAVA_INT, at + 8, store.schema().size());
        tables.set(JAVA_INT, at + 12, store.rowCount());
        tables.set(ADDRESS, at + 16, data[0].segment());
        tables.set(ADDRESS, at + 24, data[1].segment());
    }

    private void publishVars(World world) {
        record Entry(int index, long hash, VarValue value) {}
        List<Entry> entries = new ArrayList<>();
        for (var e : world.allVars().entrySet()) {
            for (var kv : e.getValue().entrySet()) entries.add(new Entry(e.getKey(), NameHash.of(kv.getKey()), kv.getValue()));
        }
        entries.sort((a, b) -> a.index != b.index ? Integer.compare(a.index, b.index) : Long.compareUnsigned(a.hash, b.hash));
        long size = Layouts.VAR_ENTRY.byteSize();
        vars.ensure(Math.max(1, entries.size()) * size, false);
        MemorySegment s = vars.segment();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            long at = i * size;
            s.asSlice(at, size).fill((byte) 0);
            s.set(JAVA_LONG, at, e.hash);
            s.set(JAVA_INT, at + 8, e.index);
            s.set(JAVA_INT, at + 12, e.value.typeCode());
            switch (e.value) {
                case VarValue.F64 f -> s.set(JAVA_DOUBLE, at + 16, f.value());
                case VarValue.I64 l -> s.set(JAVA_LONG, at + 16, l.value());
                case VarValue.Bool b -> s.set(JAVA_LONG, at + 16, b.value() ? 1 : 0);
                case VarValue.V3 v -> {
                    s.set(JAVA_FLOAT, at + 16, v.value().x());
                    s.set(JAVA_FLOAT, at + 20, v.value().y());
                    s.set(JAVA_FLOAT, at + 24, v.value().z());
                }
            }
        }
        root.set(JAVA_INT, AT_VAR_COUNT, entries.size());
        root.set(ADDRESS, AT_VARS, s);
        varsVersion = world.varsVersion();
    }

    private void publishGridIfWanted(World world) {
        if (root.get(JAVA_INT, GRID_WANTED) != 0) {
            root.set(JAVA_INT, GRID_WANTED, 0);
            publishesSinceGridWanted = 0;
        } else if (publishesSinceGridWanted != Integer.MAX_VALUE) {
            publishesSinceGridWanted++;
        }
        boolean wanted = publishesSinceGridWanted <= GRID_KEEP_PUBLISHES;
        boolean stale = world.positionsVersion() != positionsVersion;
        if (wanted && (stale || root.get(JAVA_INT, GRID_VALID) == 0)) {
            publishGrid(world);
            root.set(JAVA_INT, GRID_VALID, 1);
        } else if (stale) {
            root.set(JAVA_INT, GRID_VALID, 0); // nobody queries: skip the rebuild, scripts scan if they start
            positionsVersion = world.positionsVersion();
        }
    }

    private void publishGrid(World world) {
        grid.rebuild(world);
        gridStart.ensure(4L * (grid.bucketCount() + 1), false);
        gridEntities.ensure(4L * Math.max(1, grid.entityCount()), false);
        MemorySegment.copy(grid.bucketStart(), 0, gridStart.segment(), JAVA_INT, 0, grid.bucketCount() + 1);
        MemorySegment.copy(grid.bucketEntities(), 0, gridEntities.segment(), JAVA_INT, 0, grid.entityCount());
        root.set(JAVA_INT, AT_GRID_BUCKET_COUNT, grid.bucketCount());
        root.set(ADDRESS, AT_GRID_BUCKET_START, gridStart.segment());
        root.set(ADDRESS, AT_GRID_BUCKET_ENTITIES, gridEntities.segment());
        root.set(JAVA_INT, AT_GRID_ENTITY_COUNT, grid.entityCount());
        positionsVersion = world.positionsVersion();
    }

    /**
     * Points the snapshot at the results' own memory (the native churn pass writes results
     * there: nothing is copied); only when they changed or moved since the last publish.
     */
    private void publishSpawnResults(SpawnResults results) {
        if (results == publishedResults && results.version() == publishedResultsVersion) return;
        publishedResults = results; // also keeps the published memory reachable
        publishedResultsVersion = results.version();
        root.set(JAVA_INT, AT_SPAWN_RESULT_COUNT, results.count());
        root.set(ADDRESS, AT_SPAWN_RESULTS, results.published());
    }

    @Override
    public void close() {
        rows.close();
        liveGenerations.close();
        positions.close();
        tagBuckets.close();
        tagEntities.close();
        componentTables.close();
        componentData.values().forEach(d -> {
            d[0].close();
            d[1].close();
        });
        vars.close();
        gridStart.close();
        gridEntities.close();
        arena.close();
    }
}
