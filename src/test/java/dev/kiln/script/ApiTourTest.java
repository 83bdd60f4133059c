package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.kiln.abi.Layouts;
import dev.kiln.ecs.ComponentSchema;
import dev.kiln.ecs.Entities;
import dev.kiln.ecs.FieldType;
import dev.kiln.ecs.NameHash;
import dev.kiln.ecs.Quat;
import dev.kiln.ecs.Status;
import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.Vec3;
import dev.kiln.ecs.World;
import dev.kiln.testing.TestEngine;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drives every API function from a real Zig script (src/test/zig/api_tour.zig): the test sets
 * the operation in ScriptVars, runs a frame, and checks the world after the barrier.
 */
class ApiTourTest {
    TestEngine t;
    private World world;
    private long self;

    @BeforeEach
    void setUp() {
        t = new TestEngine();
        world = t.engine.world();
        world.registerComponent(ComponentSchema.of("health", List.of(
                new ComponentSchema.Field("hp", FieldType.F32, 0), new ComponentSchema.Field("max", FieldType.F32, 0))));
        if (isolated()) t.loadIsolated(TestEngine.testScript("api_tour.zig"));
        else t.loadTest("api_tour.zig");
        self = world.spawn();
        t.engine.scripts().attach(self, "api_tour", 0, null);
    }

    /** IsolatedApiTourTest runs every test here against a script in isolated mode. */
    boolean isolated() {
        return false;
    }

    @AfterEach
    void tearDown() {
        t.close();
    }

    private void op(long code, Vec3 v) {
        world.setVar(self, "op", new VarValue.I64(code));
        world.setVar(self, "v", new VarValue.V3(v));
        t.step();
        world.setVar(self, "op", new VarValue.I64(0));
    }

    private void setTarget(long handle) {
        world.setVar(self, "target", new VarValue.I64(handle));
    }

    private VarValue var(String key) {
        return world.getVar(self, key);
    }

    private long longVar(String key) {
        return ((VarValue.I64) var(key)).value();
    }

    @Test
    void setPositionTranslateScaleAndVelocityAreAppliedAtTheBarrier() {
        op(1, new Vec3(1, 2, 3));
        assertThat(world.position(self)).isEqualTo(new Vec3(1, 2, 3));
        op(2, new Vec3(1, 0, -1));
        assertThat(world.position(self)).isEqualTo(new Vec3(2, 2, 2));
        op(3, new Vec3(2, 3, 4));
        assertThat(world.scale(self)).isEqualTo(new Vec3(2, 3, 4));
        op(4, new Vec3(60, 0, 0));
        assertThat(world.velocity(self)).isEqualTo(new Vec3(60, 0, 0));
        // Velocity is integrated between update and post-update: one frame at 1/60 s moved x by 1.
        assertThat(world.position(self).x()).isCloseTo(3f, offset(1e-4f));
    }

    @Test
    void setRotationRotateAndLookAtTurnTheEntity() {
        world.setVar(self, "angle", new VarValue.F64(Math.PI / 2));
        op(5, Vec3.ZERO);
        Quat q = world.rotation(self);
        assertThat(q.rotate(new Vec3(1, 0, 0)).z()).isCloseTo(-1f, offset(1e-5f));
        op(6, Vec3.ZERO); // another quarter turn
        assertThat(world.rotation(self).rotate(new Vec3(1, 0, 0)).x()).isCloseTo(-1f, offset(1e-5f));
        op(7, new Vec3(10, 0, 0)); // look at +X: forward (-Z) now points along +X
        Vec3 forward = world.rotation(self).rotate(new Vec3(0, 0, -1));
        assertThat(forward.x()).isCloseTo(1f, offset(1e-5f));
        assertThat(forward.y()).isCloseTo(0f, offset(1e-5f));
    }

    @Test
    void spawnReturnsAPendingHandleThatResolvesAfterTheBarrier() {
        op(8, new Vec3(5, 0, 0));
        assertThat(world.aliveCount()).isEqualTo(2);
        long spawned = world.findByTag("spawned")[0];
        assertThat(world.position(spawned)).isEqualTo(new Vec3(5, 0, 0));
        assertThat(world.hasTag(spawned, "test")).isTrue();
        t.step(); // the script resolves its pending handle from the spawn results table
        assertThat(longVar("spawned")).isEqualTo(spawned);
    }

    @Test
    void commandsMayTargetThePendingHandleInTheSamePhase() {
        op(21, new Vec3(7, 8, 9));
        long child = world.findByTag("child")[0];
        assertThat(world.position(child)).isEqualTo(new Vec3(7, 8, 9));
        assertThat(world.getVar(child, "born")).isEqualTo(new VarValue.Bool(true));
    }

    @Test
    void despawnRemovesTheEntityAndStaleHandlesAreRejected() {
        long victim = world.spawn();
        setTarget(victim);
        op(9, Vec3.ZERO);
        assertThat(world.isAlive(victim)).isFalse();
        assertThat(longVar("status")).isZero();
        long reused = world.spawn(); // takes the freed index with a new generation
        assertThat(Entities.index(reused)).isEqualTo(Entities.index(victim));
        op(18, new Vec3(1, 0, 0)); // translate the stale handle
        assertThat(longVar("status")).isEqualTo(Status.STALE_ENTITY.code());
        assertThat(world.position(reused)).isEqualTo(Vec3.ZERO);
        op(9, Vec3.ZERO); // despawn the stale handle
        assertThat(world.isAlive(reused)).isTrue();
        assertThat(t.messages(LogEntry.Level.ERROR)).anyMatch(m -> m.contains("StaleEntity"));
    }

    @Test
    void addGetAndRemoveComponent() {
        op(10, new Vec3(7, 10, 0));
        byte[] bytes = world.getComponent(self, NameHash.of("health"));
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getFloat(0)).isEqualTo(7f);
        assertThat(b.getFloat(4)).isEqualTo(10f);
        op(12, Vec3.ZERO);
        assertThat(var("hp")).isEqualTo(new VarValue.F64(7));
        assertThat(var("has_health")).isEqualTo(new VarValue.Bool(true));
        op(11, Vec3.ZERO);
        assertThat(longVar("status")).isZero();
        assertThat(world.getComponent(self, NameHash.of("health"))).isNull();
        op(12, Vec3.ZERO); // get on a missing component
        assertThat(longVar("status")).isEqualTo(Status.NOT_FOUND.code());
    }

    @Test
    void readsSeeTheLastAppliedStateOfAnotherEntity() {
        long other = world.spawn(new Vec3(1, 2, 3), Quat.axisAngle(Vec3.UP, 1f), new Vec3(2, 2, 2));
        world.setVelocity(other, new Vec3(0, 0, 0));
        setTarget(other);
        op(13, Vec3.ZERO);
        assertThat(longVar("status")).isZero();
        assertThat(var("pos")).isEqualTo(new VarValue.V3(new Vec3(1, 2, 3)));
        assertThat(var("scale")).isEqualTo(new VarValue.V3(new Vec3(2, 2, 2)));
        assertThat(((VarValue.F64) var("rot_y")).value()).isCloseTo(Math.sin(0.5), offset(1e-6));
        world.despawn(other);
        op(13, Vec3.ZERO);
        assertThat(longVar("status")).isEqualTo(Status.STALE_ENTITY.code());
    }

    @Test
    void findByTagIsATwoStepQuery() {
        long a = world.spawn();
        long b = world.spawn();
        world.addTag(a, "findme");
        world.addTag(b, "findme");
        op(14, Vec3.ZERO);
        assertThat(longVar("count")).isEqualTo(2);
        assertThat(var("small_ok")).isEqualTo(new VarValue.Bool(false)); // BufferTooSmall
        assertThat(longVar("index_sum")).isEqualTo(Entities.index(a) + Entities.index(b));
    }

    @Test
    void queryNearbyFindsEntitiesWithinTheRadiusAndHonoursTheFilter() {
        long near1 = world.spawn(new Vec3(10.5f, 0, 0), Quat.IDENTITY, Vec3.ONE);
        long near2 = world.spawn(new Vec3(9, 1, 0), Quat.IDENTITY, Vec3.ONE);
        world.spawn(new Vec3(14, 0, 0), Quat.IDENTITY, Vec3.ONE); // outside radius 2
        world.spawn(new Vec3(-30, 0, 0), Quat.IDENTITY, Vec3.ONE);
        world.addTag(near2, "findme");
        world.setVar(self, "radius", new VarValue.F64(2));
        world.setPosition(self, new Vec3(10, 0, 0)); // self is excluded by the filter
        op(15, new Vec3(10, 0, 0));
        assertThat(longVar("count")).isEqualTo(2);
        assertThat(var("small_ok")).isEqualTo(new VarValue.Bool(false));
        assertThat(longVar("index_sum")).isEqualTo(Entities.index(near1) + Entities.index(near2));
        assertThat(longVar("tagged_count")).isEqualTo(1);
    }

    @Test
    void queryNearbyAgreesWithABruteForceScan() {
        Random random = new Random(42);
        for (int i = 0; i < 2000; i++) {
            world.spawn(new Vec3(random.nextFloat() * 80 - 40, random.nextFloat() * 20 - 10, random.nextFloat() * 80 - 40),
                    Quat.IDENTITY, Vec3.ONE);
        }
        world.setPosition(self, new Vec3(1000, 1000, 1000));
        for (float radius : new float[] {0.5f, 3f, 7.5f, 30f}) {
            Vec3 center = new Vec3(random.nextFloat() * 40 - 20, 0, random.nextFloat() * 40 - 20);
            world.setVar(self, "radius", new VarValue.F64(radius));
            op(15, center);
            long expected = world.aliveHandles().stream()
                    .filter(h -> h != self && world.position(h).distanceTo(center) <= radius).count();
            assertThat(longVar("count")).as("radius %s (seed 42)", radius).isEqualTo(Math.min(expected, Long.MAX_VALUE));
        }
    }

    @Test
    void theSpatialGridIsKeptBuiltOnlyWhileScriptsQueryIt() {
        long gridValid = Layouts.offset(Layouts.SNAPSHOT, "grid.valid");
        MemorySegment snapshot = t.engine.scripts().snapshot().root();
        t.step();
        assertThat(snapshot.get(ValueLayout.JAVA_INT, gridValid)).isEqualTo(1); // built from the start
        for (int i = 0; i < 110; i++) op(2, new Vec3(0.1f, 0, 0)); // positions change, nobody queries
        assertThat(snapshot.get(ValueLayout.JAVA_INT, gridValid)).isZero(); // no longer paid for
        long near = world.spawn(world.position(self).plus(new Vec3(1, 0, 0)), Quat.IDENTITY, Vec3.ONE);
        world.setVar(self, "radius", new VarValue.F64(2));
        op(15, world.position(self)); // a stale grid: the query scans the rows, and asks for the grid
        assertThat(longVar("count")).isEqualTo(1);
        op(15, world.position(self));
        assertThat(snapshot.get(ValueLayout.JAVA_INT, gridValid)).isEqualTo(1);
        assertThat(longVar("index_sum")).isEqualTo(Entities.index(near));
    }

    @Test
    void timeAndDeltaTimeComeFromTheFrame() {
        t.run(3);
        op(16, Vec3.ZERO);
        assertThat(((VarValue.F64) var("dt")).value()).isCloseTo(TestEngine.DT, offset(1e-6));
        assertThat(((VarValue.F64) var("time")).value()).isCloseTo(3 * TestEngine.DT, offset(1e-9));
        assertThat(longVar("frame")).isEqualTo(3);
    }

    @Test
    void logsAreTaggedWithScriptAndEntity() {
        op(17, Vec3.ZERO);
        List<LogEntry> logs = t.logsOf("api_tour");
        assertThat(logs).extracting(LogEntry::level, LogEntry::message).containsExactly(
                Tuple.tuple(LogEntry.Level.INFO, "info 1"),
                Tuple.tuple(LogEntry.Level.WARN, "warn two"),
                Tuple.tuple(LogEntry.Level.ERROR, "error 3.0"));
        assertThat(logs).allMatch(l -> l.entity() == self);
    }

    @Test
    void tagsCanBeAddedAndRemoved() {
        op(19, Vec3.ZERO);
        assertThat(world.hasTag(self, "marked")).isTrue();
        op(20, Vec3.ZERO);
        assertThat(world.hasTag(self, "marked")).isFalse();
        assertThat(longVar("status")).isZero();
    }

    @Test
    void absurdSizesAreRefusedAtTheCallWithAStatus() {
        op(25, Vec3.ZERO);
        assertThat(longVar("key_status")).isEqualTo(Status.TOO_LONG.code());
        assertThat(longVar("payload_status")).isEqualTo(Status.TOO_LONG.code());
        assertThat(world.vars(self).keySet()).noneMatch(k -> k.startsWith("a_script_vars_key"));
    }

    @Test
    void nanTransformsAreRefusedWithAStatus() {
        op(23, Vec3.ZERO);
        assertThat(longVar("status")).isEqualTo(Status.NOT_FINITE.code());
        assertThat(world.position(self)).isEqualTo(Vec3.ZERO);
    }
}
