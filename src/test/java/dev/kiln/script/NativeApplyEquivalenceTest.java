package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.abi.CommandKind;
import dev.kiln.abi.CommandRecords;
import dev.kiln.abi.Layouts;
import dev.kiln.dataplane.HotApply;
import dev.kiln.ecs.Entities;
import dev.kiln.ecs.World;
import dev.kiln.testing.TestEngine;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * The native apply path (native/kiln_apply.c) and the Java decoder must be indistinguishable:
 * the same random command ranges — hot records with live, stale, pending and out-of-range
 * targets, non-finite values and overflowing translates, other kinds, malformed headers, wrong
 * sources, ranges past their quota — applied by one runtime with the native path and one without
 * leave the same world, the same snapshot rows, the same log lines and the same applied count;
 * so does integrating velocities after the update phase (natively: kiln_integrate). A third
 * runtime reads the same ranges from kiln_instance entries, as after a phase's batch call (the
 * collect fused into the native apply: kiln_apply_batch), and must agree too. The ranges carry
 * spawn and despawn traffic as well (native/kiln_churn.c): plain spawns, spawns with a prefab,
 * tags or non-finite values, unnormalised and zero rotations, despawns of live, stale, pending
 * and just-spawned entities and of entities with a name, tags, vars or scripts, spawns past the
 * tables' capacity; the entity tables and the spawn results must agree too. A third of the
 * phases are movers' batches (W1's: many instances of one TRANSLATE each, with the same trouble
 * now and then, quotas below one record among it). A fourth runtime gets the same ranges from
 * entries too, but with each range's first record, where the SDK would have written it as the
 * hook's own transform (a vec3 transform of the instance's entity, the range within its quota),
 * moved into the instance's own-transform slot (abi/kiln.h kiln_own_transform) and the entry's
 * entity set to the record's target: it must agree too.
 */
class NativeApplyEquivalenceTest {
    private static final int ENTITIES = 64;
    private static final int BUFFER_BYTES = 1 << 16;
    private static final int[] HOT = {CommandKind.TRANSLATE.code, CommandKind.SET_POSITION.code,
            CommandKind.SET_VELOCITY.code, CommandKind.SET_SCALE.code};

    private static HotApply hot() {
        if (HotApply.active() == null) new TestEngine().close(); // builds and installs it
        assertThat(HotApply.active()).as("the native apply path builds and loads").isNotNull();
        return HotApply.active();
    }

    /** One runtime and what it logged. */
    private static final class Side {
        final World world = new World(16);
        final List<String> logs = new ArrayList<>();
        final ScriptRuntime runtime;

        Side(HotApply hot) {
            runtime = new ScriptRuntime(world, 4f, BUFFER_BYTES, Duration.ofSeconds(5),
                    e -> logs.add(e.level() + " " + e.script() + " " + Entities.format(e.entity()) + " " + e.message()),
                    null); // no fault guard: no script runs here, the ranges are written by hand
            runtime.setHotApply(hot);
        }
    }

    @Property(tries = 300)
    void nativeAndJavaApplyAgree(@ForAll long seed) {
        HotApply hot = hot();
        Side java = new Side(null), nat = new Side(hot), fused = new Side(hot), own = new Side(hot);
        Side[] sides = {java, nat, fused, own};
        Random setup = new Random(seed);
        List<Long> handles = new ArrayList<>();
        spawnOnEvery(sides, setup, handles);
        for (int i = 0; i < ENTITIES / 8; i++) { // stale handles in the mix
            long h = handles.get(setup.nextInt(ENTITIES));
            for (Side side : sides) side.world.despawn(h);
        }
        for (int i = 0; i < ENTITIES / 4; i++) { // entities a despawn must clean up after: Java's
            long h = handles.get(setup.nextInt(ENTITIES));
            int what = setup.nextInt(4);
            for (Side side : sides) {
                switch (what) {
                    case 0 -> side.world.addTag(h, "marked");
                    case 1 -> side.world.setName(h, "named");
                    case 2 -> side.world.setVar(h, "hp", new dev.kiln.ecs.VarValue.I64(3));
                    default -> side.world.setScriptsListed(Entities.index(h), true);
                }
            }
        }
        // A huge step now and then: integration would leave the finite range, entities are held and reported.
        double dt = setup.nextInt(4) == 0 ? 1e37 : 1 / 60.0;
        for (Side side : sides) side.runtime.beginFrame(1, dt, 0); // publishes every row: the native path writes into them
        // No library reads the rows' positions here, so the runtime lets them go (the position
        // table alone is kept); the fused side keeps them, as with a C script loaded.
        fused.runtime.snapshot().keepRowPositions(true, fused.world);
        // Entities spawned after the frame's publish, some at freed indices, the rest past the
        // rows published so far (the world's tables grow): the native paths must apply requests
        // to them as the decoder does (movers target them too).
        spawnOnEvery(sides, setup, handles);
        try (InstanceBatch batch = new InstanceBatch(); InstanceBatch ownBatch = new InstanceBatch()) {
            for (Phase phase : new Phase[] {Phase.PRE_UPDATE, Phase.UPDATE, Phase.POST_UPDATE}) {
                long phaseSeed = setup.nextLong();
                // request ids past the earlier phases' (a spawner's next run), now and then below them
                int idBase = (phase.ordinal() + 1) * 1_000_000;
                for (Side side : new Side[] {java, nat}) {
                    for (int[] range : writeRanges(side.runtime, new Random(phaseSeed), handles, idBase)) {
                        side.runtime.commandRanges().add(range[0], range[1], range[2], range[3], range[4], range[5]);
                    }
                    side.runtime.barrier(phase);
                }
                writeEntries(batch, phase, writeRanges(fused.runtime, new Random(phaseSeed), handles, idBase));
                fused.runtime.applyFromEntriesAtBarrier(batch);
                fused.runtime.barrier(phase);
                List<int[]> ownRanges = writeRanges(own.runtime, new Random(phaseSeed), handles, idBase);
                writeEntries(ownBatch, phase, ownRanges);
                OWN_TRANSFORMS.addAndGet(moveFirstRecordsToOwnSlots(ownBatch, own.runtime, ownRanges));
                own.runtime.applyFromEntriesAtBarrier(ownBatch);
                own.runtime.barrier(phase);
                assertSame(java, nat);
                assertSame(java, fused);
                assertSame(java, own);
            }
        }
        NATIVE_CHURN_RECORDS.addAndGet(nat.runtime.churnAppliedNatively() + fused.runtime.churnAppliedNatively());
        assertThat(java.runtime.churnAppliedNatively()).isZero();
        java.runtime.close();
        nat.runtime.close();
        fused.runtime.close();
        own.runtime.close();
    }

    /** Own transforms moved into slots over every try: the fourth runtime was not the third again. */
    private static final AtomicLong OWN_TRANSFORMS = new AtomicLong();

    @AfterContainer
    static void ownTransformsWereApplied() {
        assertThat(OWN_TRANSFORMS.get()).as("first records moved into own-transform slots").isPositive();
    }

    /**
     * Where the SDK would have: each range whose first record is a vec3 transform of 32 bytes by
     * its owner, the range aligned and within its quota, loses that record to its instance's
     * own-transform slot (value and kind), its entry's entity becomes the record's target and its
     * range starts after the record. Returns how many were moved.
     */
    private static int moveFirstRecordsToOwnSlots(InstanceBatch batch, ScriptRuntime runtime, List<int[]> ranges) {
        MemorySegment data = runtime.commandBuffer().data();
        int moved = 0;
        for (int i = 0; i < ranges.size(); i++) {
            int[] range = ranges.get(i);
            int offset = range[0], length = range[1], owner = range[2], quota = range[3];
            if ((offset & 7) != 0 || length < 32 || (quota > 0 && length > quota)) continue;
            int kind = Short.toUnsignedInt(data.get(ValueLayout.JAVA_SHORT, offset));
            int size = Short.toUnsignedInt(data.get(ValueLayout.JAVA_SHORT, offset + 2));
            int source = data.get(ValueLayout.JAVA_INT, offset + 4);
            CommandKind k = CommandKind.ofCode(kind);
            boolean vec3 = k != null && k.record == CommandRecords.VEC3;
            if (!vec3 || size != 32 || source != owner) continue;
            MemorySegment slot = batch.ownSlot(i);
            MemorySegment.copy(data, offset + 16, slot, 0, 12); // the value
            slot.set(ValueLayout.JAVA_INT, Layouts.offset(Layouts.OWN_TRANSFORM, "kind"), kind);
            MemorySegment entry = batch.entry(i);
            entry.set(ValueLayout.JAVA_LONG, Layouts.INSTANCE_ENTITY, data.get(ValueLayout.JAVA_LONG, offset + 8));
            entry.set(ValueLayout.JAVA_INT, Layouts.INSTANCE_CMD_OFFSET, offset + 32);
            entry.set(ValueLayout.JAVA_INT, Layouts.INSTANCE_CMD_BYTES, length - 32);
            moved++;
        }
        return moved;
    }

    /** ENTITIES entities at random x, the same on every side; the handles (the same on each) into {@code handles}. */
    private static void spawnOnEvery(Side[] sides, Random r, List<Long> handles) {
        for (int i = 0; i < ENTITIES; i++) {
            float x = r.nextFloat() * 100;
            handles.add(sides[0].world.spawn(x, 0, 0, 0, 0, 0, 1, 1, 1, 1));
            for (int s = 1; s < sides.length; s++) sides[s].world.spawn(x, 0, 0, 0, 0, 0, 1, 1, 1, 1);
        }
    }

    /** Spawns and despawns the native churn pass applied over every try: not Java against Java. */
    private static final AtomicLong NATIVE_CHURN_RECORDS = new AtomicLong();

    @AfterContainer
    static void theNativeChurnPassRan() {
        assertThat(NATIVE_CHURN_RECORDS.get()).as("spawn and despawn records applied natively").isPositive();
    }

    /**
     * Lays out one instance per range (id = the range's owner, its quota) in {@code batch} and
     * writes each range into its kiln_instance's outputs, as the SDK does after a hook.
     */
    private static void writeEntries(InstanceBatch batch, Phase phase, List<int[]> ranges) {
        List<ScriptInstance> instances = new ArrayList<>();
        for (int[] range : ranges) {
            ScriptInstance instance = new ScriptInstance(range[2], null, Entities.NULL, 0, phase, range[2]);
            instance.setRequestQuota(range[3]);
            instance.setStateMemory(MemorySegment.NULL);
            instances.add(instance);
        }
        batch.build(instances);
        for (int i = 0; i < ranges.size(); i++) {
            MemorySegment entry = batch.entry(i);
            int[] range = ranges.get(i);
            entry.set(ValueLayout.JAVA_INT, Layouts.INSTANCE_CMD_OFFSET, range[0]);
            entry.set(ValueLayout.JAVA_INT, Layouts.INSTANCE_CMD_BYTES, range[1]);
            entry.set(ValueLayout.JAVA_INT, Layouts.INSTANCE_CMD_REFUSED, range[4]);
            entry.set(ValueLayout.JAVA_INT, Layouts.INSTANCE_LOG_DROPPED, range[5]);
        }
    }

    private static void assertSame(Side java, Side nat) {
        assertThat(nat.logs).isEqualTo(java.logs);
        assertThat(nat.runtime.commandsApplied()).isEqualTo(java.runtime.commandsApplied());
        assertThat(nat.world.highWater()).isEqualTo(java.world.highWater());
        assertThat(nat.world.aliveCount()).isEqualTo(java.world.aliveCount());
        assertThat(nat.world.aliveHandles()).isEqualTo(java.world.aliveHandles());
        assertThat(nat.world.exportKeyframe().freeList()).isEqualTo(java.world.exportKeyframe().freeList());
        assertThat(nat.world.exportKeyframe().movingCount()).isEqualTo(java.world.exportKeyframe().movingCount());
        assertThat(nat.world.exportKeyframe().generations()).isEqualTo(java.world.exportKeyframe().generations());
        assertThat(nat.world.exportKeyframe().integrationHeld()).isEqualTo(java.world.exportKeyframe().integrationHeld());
        assertThat(nat.world.rawRotations()).isEqualTo(java.world.rawRotations());
        assertThat(nat.world.tagIndex().all()).isEqualTo(java.world.tagIndex().all());
        assertThat(nat.world.allVars()).isEqualTo(java.world.allVars());
        assertThat(nat.world.findByName("named")).isEqualTo(java.world.findByName("named"));
        assertThat(spawnResults(nat)).isEqualTo(spawnResults(java));
        assertThat(nat.world.rawPositions()).isEqualTo(java.world.rawPositions());
        assertThat(nat.world.rawVelocities()).isEqualTo(java.world.rawVelocities());
        assertThat(nat.world.rawScales()).isEqualTo(java.world.rawScales());
        assertThat(nat.world.positionsVersion()).isEqualTo(java.world.positionsVersion());
        int rows = java.world.capacity();
        // The rows (their positions aside: left as they were where no library reads them) and the
        // position table: the same on every side, and the world's positions for every live entity;
        // the side that keeps the rows' positions has the world's there too.
        assertThat(rowsWithoutPositions(nat, rows)).isEqualTo(rowsWithoutPositions(java, rows));
        for (Side side : new Side[] {java, nat}) {
            MemorySegment table = side.runtime.snapshot().positionTable();
            long entry = Layouts.POSITION_ENTRY.byteSize();
            MemorySegment rowTable = side.runtime.snapshot().rowTable();
            boolean rowsKept = side.runtime.snapshot().rowPositionsKept();
            for (int i = 0; i < java.world.highWater(); i++) {
                // the entry's generation: the world's while alive, 0 when not (as live_generations)
                assertThat(table.get(ValueLayout.JAVA_INT, i * entry + 12)).as("positions[%d].generation", i)
                        .isEqualTo(java.world.aliveAt(i) ? java.world.generationAt(i) : 0);
                if (!java.world.aliveAt(i)) continue;
                for (int k = 0; k < 3; k++) {
                    float expected = java.world.rawPositions()[3 * i + k];
                    assertThat(table.get(ValueLayout.JAVA_FLOAT, i * entry + 4L * k)).as("positions[%d][%d]", i, k)
                            .isEqualTo(expected);
                    if (rowsKept) {
                        assertThat(rowTable.get(ValueLayout.JAVA_FLOAT, i * Layouts.ENTITY_ROW.byteSize() + Layouts.ROW_POSITION + 4L * k))
                                .as("rows[%d].position[%d]", i, k).isEqualTo(expected);
                    }
                }
            }
        }
        // live_generations, which the native churn writes beside the rows: the same, and the world's
        int[] liveGenerations = nat.runtime.snapshot().liveGenerationTable().asSlice(0, 4L * rows).toArray(ValueLayout.JAVA_INT);
        assertThat(liveGenerations)
                .isEqualTo(java.runtime.snapshot().liveGenerationTable().asSlice(0, 4L * rows).toArray(ValueLayout.JAVA_INT));
        for (int i = 0; i < java.world.highWater(); i++) {
            assertThat(liveGenerations[i]).as("live_generations[%d]", i)
                    .isEqualTo(java.world.aliveAt(i) ? java.world.generationAt(i) : 0);
        }
    }

    /** The first {@code rows} snapshot rows' bytes with each row's position zeroed. */
    private static byte[] rowsWithoutPositions(Side side, int rows) {
        long size = Layouts.ENTITY_ROW.byteSize();
        byte[] bytes = side.runtime.snapshot().rowTable().asSlice(0, rows * size).toArray(ValueLayout.JAVA_BYTE);
        for (int i = 0; i < rows; i++) {
            int at = (int) (i * size + Layouts.ROW_POSITION);
            Arrays.fill(bytes, at, at + 12, (byte) 0);
        }
        return bytes;
    }

    /** The published spawn-result table: (request id, entity) pairs. */
    private static long[] spawnResults(Side side) {
        MemorySegment root = side.runtime.snapshot().root();
        int n = root.get(ValueLayout.JAVA_INT, dev.kiln.abi.Layouts.offset(dev.kiln.abi.Layouts.SNAPSHOT, "spawn_result_count"));
        MemorySegment table = root.get(ValueLayout.ADDRESS, dev.kiln.abi.Layouts.offset(dev.kiln.abi.Layouts.SNAPSHOT, "spawn_results"));
        return table.reinterpret(16L * n).toArray(ValueLayout.JAVA_LONG);
    }

    /**
     * A few instances' ranges of mostly hot records, with every kind of trouble now and then,
     * written into the runtime's command buffer; returns each as {offset, length, owner, quota,
     * refused, dropped log lines}.
     */
    private static List<int[]> writeRanges(ScriptRuntime runtime, Random r, List<Long> handles, int idBase) {
        List<int[]> ranges = new ArrayList<>();
        MemorySegment data = runtime.commandBuffer().data();
        ByteBuffer b = data.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        int at = 0;
        // A movers' batch now and then: many instances of one TRANSLATE each (W1's), which the
        // native side applies in a run of its own (translate_run) until one it leaves to the rest.
        boolean movers = r.nextInt(3) == 0;
        int instances = movers ? 8 + r.nextInt(40) : 1 + r.nextInt(6);
        for (int owner = 1; owner <= instances; owner++) {
            int start = at;
            int records = movers ? (r.nextInt(10) == 0 ? 2 * r.nextInt(2) : 1)
                    : r.nextInt(3) == 0 ? 1 : r.nextInt(12); // one record often: the fast path
            boolean churn = !movers && r.nextInt(3) == 0; // a spawner's range: mostly spawns and despawns
            for (int k = 0; k < records; k++) {
                at = churn && r.nextInt(8) != 0 ? writeChurnRecord(b, at, owner, r, handles, idBase)
                        : writeRecord(b, at, owner, r, handles, movers && r.nextInt(10) != 0 ? CommandKind.TRANSLATE.code : 0);
            }
            // 64: two records, past it refused by the engine; 8-24: not even one
            int quota = r.nextInt(8) == 0 ? (r.nextInt(3) == 0 ? 8 * (1 + r.nextInt(3)) : 64) : 0;
            int refused = r.nextInt(16) == 0 ? 1 : 0;
            int droppedLogs = r.nextInt(16) == 0 ? 1 + r.nextInt(3) : 0; // log lines its SDK dropped: a report
            int rangeStart = r.nextInt(40) == 0 ? start + 4 : start; // misaligned now and then
            ranges.add(new int[] {rangeStart, at - rangeStart, owner, quota, refused, droppedLogs});
        }
        return ranges;
    }

    /** A record of kind {@code kind}, or of a random one (mostly hot) when it is 0. */
    private static int writeRecord(ByteBuffer b, int at, int owner, Random r, List<Long> handles, int kind0) {
        int roll = r.nextInt(100);
        int kind = kind0 != 0 ? kind0 : roll < 80 ? HOT[r.nextInt(HOT.length)]
                : roll < 85 ? CommandKind.DESPAWN.code
                : roll < 90 ? CommandKind.LOG.code
                : roll < 93 ? CommandKind.SET_ROTATION.code
                : r.nextInt(40); // unknown kinds too
        int size = kind == CommandKind.LOG.code ? 32 : kind == CommandKind.DESPAWN.code ? 16 : 32;
        if (r.nextInt(50) == 0) size = r.nextInt(6) * 8; // short or empty
        if (r.nextInt(80) == 0) size += 4; // misaligned
        int source = r.nextInt(60) == 0 ? owner + 1 : owner;
        // a mover's target is its own entity (one per owner); any other record's, any entity
        long target = handles.get(kind0 != 0 ? owner % handles.size() : r.nextInt(handles.size()));
        int t = r.nextInt(40);
        if (t == 0) target = Entities.NULL;
        else if (t == 1) target = Entities.handle(r.nextInt(4), Entities.PENDING_GENERATION);
        else if (t == 2) target = Entities.handle(100_000 + r.nextInt(10), 1); // past the table
        else if (t == 3) target = Entities.handle(Entities.index(target), Entities.generation(target) + 1);
        if (at + Math.max(size, 32) > b.capacity()) return at;
        for (int i = 0; i < Math.max(size, 32); i++) b.put(at + i, (byte) 0);
        b.putShort(at, (short) kind);
        b.putShort(at + 2, (short) size);
        b.putInt(at + 4, source);
        b.putLong(at + 8, target);
        if (kind == CommandKind.LOG.code) {
            b.putInt(at + 16, 0);
            b.putInt(at + 20, 3);
            b.put(at + 24, (byte) 'a').put(at + 25, (byte) 'b').put(at + 26, (byte) 'c');
        } else if (kind == CommandKind.SET_ROTATION.code) {
            b.putFloat(at + 28, 1f);
        } else {
            for (int c = 0; c < 3; c++) b.putFloat(at + 16 + 4 * c, value(r));
        }
        return at + size;
    }

    /**
     * A SPAWN (request id: idBase + its offset / 8 + 1, or now and then without idBase: below the
     * results already held, which the native path leaves to the decoder) or a DESPAWN, with
     * trouble now and then.
     */
    private static int writeChurnRecord(ByteBuffer b, int at, int owner, Random r, List<Long> handles, int idBase) {
        boolean spawn = r.nextBoolean();
        boolean spawnAt = spawn && r.nextInt(3) == 0; // the SDK's 40-byte form of a bare spawn
        int size = spawnAt ? (r.nextInt(10) == 0 ? 48 : 40) : spawn ? 72 : 16; // 48: longer than its struct
        if (spawn && !spawnAt && r.nextInt(8) == 0) size = 80; // a prefab name or tags follow
        if (r.nextInt(60) == 0) size = r.nextInt(10) * 8; // short or empty
        if (r.nextInt(80) == 0) size += 4; // misaligned
        if (at + Math.max(size, 80) > b.capacity()) return at;
        for (int i = 0; i < Math.max(size, 80); i++) b.put(at + i, (byte) 0);
        b.putShort(at, (short) (spawnAt ? CommandKind.SPAWN_AT.code : spawn ? CommandKind.SPAWN.code : CommandKind.DESPAWN.code));
        b.putShort(at + 2, (short) size);
        b.putInt(at + 4, r.nextInt(60) == 0 ? owner + 1 : owner);
        if (spawn) {
            int id = (r.nextInt(12) == 0 ? 0 : idBase) + at / 8 + 1;
            b.putLong(at + 8, Entities.handle(id, Entities.PENDING_GENERATION));
            b.putLong(at + 16, id);
            for (int c = 0; c < 3; c++) b.putFloat(at + 24 + 4 * c, r.nextInt(10) == 0 ? value(r) : r.nextFloat() * 50);
            if (spawnAt) {
                if (r.nextInt(4) == 0) b.putInt(at + 36, r.nextInt()); // reserved0: ignored, even a NaN's bits
                return at + size;
            }
            float[] q = switch (r.nextInt(4)) {
                case 0 -> new float[] {0, 0, 0, 1};
                case 1 -> new float[] {0, 0, 0, 0}; // zero: identity
                case 2 -> new float[] {value(r), value(r), value(r), value(r)}; // unnormalised, now and then not finite
                default -> new float[] {r.nextFloat(), r.nextFloat(), r.nextFloat(), r.nextFloat()};
            };
            for (int c = 0; c < 4; c++) b.putFloat(at + 36 + 4 * c, q[c]);
            for (int c = 0; c < 3; c++) b.putFloat(at + 52 + 4 * c, r.nextInt(20) == 0 ? value(r) : 1f);
            if (size == 80) {
                boolean prefab = r.nextBoolean();
                b.putShort(at + (prefab ? 64 : 66), (short) 3);
                b.put(at + 72, (byte) 'a').put(at + 73, (byte) 'b').put(at + 74, (byte) 'c');
            }
        } else {
            long target = handles.get(r.nextInt(handles.size()));
            int t = r.nextInt(10);
            if (t == 0) target = Entities.handle((r.nextInt(4) == 0 ? 0 : idBase) + r.nextInt(at / 8 + 2), Entities.PENDING_GENERATION); // maybe one just spawned
            else if (t == 1) target = Entities.NULL;
            else if (t == 2) target = Entities.handle(Entities.index(target), Entities.generation(target) + 1);
            else if (t <= 5) target = Entities.handle(r.nextInt(80), 1 + r.nextInt(3)); // spawned since, or stale
            b.putLong(at + 8, target);
        }
        return at + size;
    }

    private static float value(Random r) {
        return switch (r.nextInt(30)) {
            case 0 -> Float.NaN;
            case 1 -> Float.POSITIVE_INFINITY;
            case 2 -> Float.MAX_VALUE; // a translate by it overflows
            case 3 -> -0f;
            case 4 -> 0f;
            default -> (r.nextFloat() - 0.5f) * 10;
        };
    }
}
