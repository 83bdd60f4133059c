package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.kiln.abi.ConnectionIds;
import dev.kiln.ecs.ComponentPolicy;
import dev.kiln.ecs.ComponentSchema;
import dev.kiln.ecs.Entities;
import dev.kiln.ecs.FieldType;
import dev.kiln.ecs.NameHash;
import dev.kiln.ecs.Quat;
import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.Vec3;
import dev.kiln.ecs.World;
import dev.kiln.testing.TestEngine;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The script API as the design describes it, driven from api_tour.zig as ApiTourTest
 * does: rotations in a space and in Euler form, filtered queries, component policies, signal
 * connections by id. IsolatedApiFidelityTest runs each again with the script isolated.
 */
class ApiFidelityTest {
    TestEngine t;
    World world;
    long self;

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

    boolean isolated() {
        return false;
    }

    @AfterEach
    void tearDown() {
        t.close();
    }

    void op(long code, Vec3 v) {
        world.setVar(self, "op", new VarValue.I64(code));
        world.setVar(self, "v", new VarValue.V3(v));
        t.step();
        world.setVar(self, "op", new VarValue.I64(0));
    }

    // ---- rotations ------------------------------------------------------------------------------

    /** Hamilton product in double: the reference the engine's float result is checked against. */
    static double[] mul(double[] a, double[] b) {
        return new double[] {
                a[3] * b[0] + a[0] * b[3] + a[1] * b[2] - a[2] * b[1],
                a[3] * b[1] - a[0] * b[2] + a[1] * b[3] + a[2] * b[0],
                a[3] * b[2] + a[0] * b[1] - a[1] * b[0] + a[2] * b[3],
                a[3] * b[3] - a[0] * b[0] - a[1] * b[1] - a[2] * b[2]};
    }

    static double[] axisAngle(double x, double y, double z, double radians) {
        double len = Math.sqrt(x * x + y * y + z * z), s = Math.sin(radians / 2) / len;
        return new double[] {x * s, y * s, z * s, Math.cos(radians / 2)};
    }

    /** q and -q are the same rotation: compare up to sign. */
    static void assertSameRotation(Quat actual, double[] expected) {
        double dot = actual.x() * expected[0] + actual.y() * expected[1] + actual.z() * expected[2] + actual.w() * expected[3];
        assertThat(Math.abs(dot)).as("%s vs (%s, %s, %s, %s)", actual, expected[0], expected[1], expected[2], expected[3])
                .isCloseTo(1.0, offset(1e-6));
    }

    static Quat quat(double[] q) {
        return new Quat((float) q[0], (float) q[1], (float) q[2], (float) q[3]);
    }

    @Test
    void rotateInLocalSpacePostMultipliesAndInWorldSpacePreMultiplies() {
        double[] start = axisAngle(1, 0, 0, Math.PI / 2); // pitched a quarter turn about X
        double[] delta = axisAngle(0, 1, 0, 0.7);          // then a turn about Y
        world.setVar(self, "angle", new VarValue.F64(0.7));

        world.setRotation(self, quat(start));
        world.setVar(self, "space", new VarValue.I64(0)); // local
        op(26, new Vec3(0, 1, 0));
        Quat local = world.rotation(self);
        assertSameRotation(local, mul(start, delta));

        world.setRotation(self, quat(start));
        world.setVar(self, "space", new VarValue.I64(1)); // world
        op(26, new Vec3(0, 1, 0));
        Quat global = world.rotation(self);
        assertSameRotation(global, mul(delta, start));

        // About its own Y (which the start turned onto world Z) the entity's forward swings
        // differently than about the world's Y: the two really differ.
        Vec3 f1 = local.rotate(new Vec3(0, 0, -1)), f2 = global.rotate(new Vec3(0, 0, -1));
        assertThat(f1.distanceTo(f2)).isGreaterThan(0.5f);
    }

    @Test
    void theOriginalRotateRecordStillTurnsAboutTheWorldAxes() {
        double[] start = axisAngle(1, 0, 0, Math.PI / 2);
        world.setRotation(self, quat(start));
        world.setVar(self, "angle", new VarValue.F64(0.7));
        world.rotate(self, quat(axisAngle(0, 1, 0, 0.7)));   // the world API, as the ROTATE record applies
        assertSameRotation(world.rotation(self), mul(axisAngle(0, 1, 0, 0.7), start));
    }

    @Test
    void eulerAnglesAreYawPitchRollAboutYThenXThenZ() {
        float yaw = 0.4f, pitch = -0.9f, roll = 2.1f;
        world.setVar(self, "euler", new VarValue.V3(new Vec3(yaw, pitch, roll)));
        op(27, Vec3.ZERO);
        double[] expected = mul(mul(axisAngle(0, 1, 0, yaw), axisAngle(1, 0, 0, pitch)), axisAngle(0, 0, 1, roll));
        assertSameRotation(world.rotation(self), expected);
        op(28, Vec3.ZERO); // the SDK's quatToEuler of what the engine applied
        Vec3 back = ((VarValue.V3) world.getVar(self, "euler_out")).value();
        assertThat(back.x()).isCloseTo(yaw, offset(1e-4f));
        assertThat(back.y()).isCloseTo(pitch, offset(1e-4f));
        assertThat(back.z()).isCloseTo(roll, offset(1e-4f));
    }

    @Test
    void rotateEulerTurnsInTheGivenSpace() {
        double[] start = axisAngle(0, 0, 1, 1.0);
        world.setRotation(self, quat(start));
        world.setVar(self, "euler", new VarValue.V3(new Vec3(0.3f, 0.2f, 0.1f)));
        world.setVar(self, "space", new VarValue.I64(0));
        op(29, Vec3.ZERO);
        double[] delta = mul(mul(axisAngle(0, 1, 0, 0.3), axisAngle(1, 0, 0, 0.2)), axisAngle(0, 0, 1, 0.1));
        assertSameRotation(world.rotation(self), mul(start, delta));
    }

    // ---- component policies ---------------------------------------------------------------------

    /** Re-registers "health" (hp, max) with {@code policy} (a fresh engine has only this script's use). */
    void healthPolicy(ComponentPolicy policy) {
        t.close();
        t = new TestEngine();
        world = t.engine.world();
        world.registerComponent(ComponentSchema.of("health", List.of(
                new ComponentSchema.Field("hp", FieldType.F32, 0), new ComponentSchema.Field("max", FieldType.F32, 0)),
                policy));
        if (isolated()) t.loadIsolated(TestEngine.testScript("api_tour.zig"));
        else t.loadTest("api_tour.zig");
        self = world.spawn();
        t.engine.scripts().attach(self, "api_tour", 0, null);
    }

    float[] health() {
        byte[] bytes = world.getComponent(self, NameHash.of("health"));
        if (bytes == null) return null;
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        return new float[] {b.getFloat(0), b.getFloat(4)};
    }

    @Test
    void replaceOverwritesTheWholeComponentEvenWhenTheRequestNamesFields() {
        healthPolicy(ComponentPolicy.REPLACE);
        op(10, new Vec3(7, 10, 0));
        op(31, new Vec3(3, 99, 0)); // names only hp, but the policy replaces
        assertThat(health()).containsExactly(3f, 99f);
    }

    @Test
    void mergeWritesOnlyTheFieldsTheRequestSets() {
        healthPolicy(ComponentPolicy.MERGE);
        op(31, new Vec3(5, 50, 0)); // absent: the whole value is added
        assertThat(health()).containsExactly(5f, 50f);
        op(31, new Vec3(3, 99, 0)); // present: only hp
        assertThat(health()).containsExactly(3f, 50f);
        op(10, new Vec3(8, 80, 0)); // addComponent names no fields: all of them
        assertThat(health()).containsExactly(8f, 80f);
    }

    @Test
    void keepRefusesWhenPresentAndSaysWhoAndWhat() {
        healthPolicy(ComponentPolicy.KEEP);
        op(10, new Vec3(7, 10, 0));
        op(10, new Vec3(1, 1, 0));
        assertThat(health()).containsExactly(7f, 10f);
        assertThat(t.logsOf("api_tour")).anySatisfy(l -> {
            assertThat(l.level()).isEqualTo(LogEntry.Level.WARN);
            assertThat(l.entity()).isEqualTo(self);
            assertThat(l.message()).isEqualTo("add_component not applied: entity " + Entities.format(self)
                    + " already has component 'health' and its policy is keep");
        });
        op(11, Vec3.ZERO); // removed: a keep component can be added again
        op(10, new Vec3(2, 2, 0));
        assertThat(health()).containsExactly(2f, 2f);
    }

    // ---- signal connections by id ---------------------------------------------------------------

    /** Runs one frame in which each entity of {@code ops} does its op (target and slot as given). */
    void frame(long[][] ops) {
        for (long[] o : ops) {
            world.setVar(o[0], "op", new VarValue.I64(o[1]));
            world.setVar(o[0], "target", new VarValue.I64(o[2]));
            world.setVar(o[0], "slot", new VarValue.I64(o[3]));
        }
        t.step();
        for (long[] o : ops) world.setVar(o[0], "op", new VarValue.I64(0));
    }

    long hellos() {
        t.step(); // the receiver's update publishes what its handler counted
        return ((VarValue.I64) world.getVar(self, "hello_count")).value();
    }

    @Test
    void twoConnectionsToOneNameWithDifferentSendersAndOneDisconnectedById() {
        long s1 = world.spawn(), s2 = world.spawn(), s3 = world.spawn();
        for (long s : new long[] {s1, s2, s3}) t.engine.scripts().attach(s, "api_tour", 0, null);
        frame(new long[][] {{self, 32, s1, 0}});
        long id1 = ((VarValue.I64) world.getVar(self, "conn_id")).value();
        frame(new long[][] {{self, 32, s2, 1}});
        long id2 = ((VarValue.I64) world.getVar(self, "conn_id")).value();
        long hello = NameHash.of("hello");
        assertThat(id1).isEqualTo(ConnectionIds.of(hello, s1)).isNotEqualTo(id2);
        assertThat(id2).isEqualTo(ConnectionIds.of(hello, s2));

        frame(new long[][] {{s1, 34, self, 0}, {s2, 34, self, 0}, {s3, 34, self, 0}}); // s3: not connected to
        assertThat(hellos()).isEqualTo(2);
        frame(new long[][] {{s1, 34, 0, 0}, {s3, 34, 0, 0}}); // broadcasts are filtered by sender too
        assertThat(hellos()).isEqualTo(3);

        frame(new long[][] {{self, 33, 0, 0}}); // drop the connection to s1 by its id
        assertThat(((VarValue.I64) world.getVar(self, "status")).value()).isZero();
        frame(new long[][] {{s1, 34, self, 0}, {s2, 34, self, 0}});
        assertThat(hellos()).isEqualTo(4);
        assertThat(((VarValue.I64) world.getVar(self, "hello_index_sum")).value())
                .isEqualTo(2L * Entities.index(s1) + 2L * Entities.index(s2));

        frame(new long[][] {{self, 33, 0, 0}}); // again: no such connection any more, said so
        assertThat(t.logsOf("api_tour")).anyMatch(l -> l.message().startsWith("disconnect_signal not applied: no connection with id "
                + Long.toHexString(id1)));
    }

    @Test
    void connectionsSurviveAHotReloadOfTheLibrary() throws Exception {
        long s1 = world.spawn(), s2 = world.spawn();
        for (long s : new long[] {s1, s2}) t.engine.scripts().attach(s, "api_tour", 0, null);
        frame(new long[][] {{self, 32, s1, 0}});
        frame(new long[][] {{self, 35, 0, 1}}); // and one from any sender
        var build = t.engine.compiler().build(TestEngine.testScript("api_tour.zig"));
        assertThat(t.engine.scripts().swapLibrary("api_tour", t.engine.scripts().loadCode(build.library(), isolated())).ok())
                .isTrue();
        frame(new long[][] {{s1, 34, self, 0}});
        assertThat(hellos()).isEqualTo(1); // one delivery although two connections match
        frame(new long[][] {{self, 33, 0, 1}}); // the any-sender one, by the id from before the reload
        frame(new long[][] {{s1, 34, self, 0}, {s2, 34, self, 0}});
        assertThat(hellos()).isEqualTo(2); // s1's still reaches it, s2's no longer does
    }

    // ---- filtered queries ---------------------------------------------------------------------

    @Test
    void filteredQueriesKeepRequiredAndDropExcludedTagsAndComponents() {
        world.registerComponent(ComponentSchema.of("armor", List.of(new ComponentSchema.Field("value", FieldType.I32, 0))));
        long ab = world.spawn(new Vec3(1, 0, 0), Quat.IDENTITY, Vec3.ONE);
        long a = world.spawn(new Vec3(2, 0, 0), Quat.IDENTITY, Vec3.ONE);
        long aHealth = world.spawn(new Vec3(3, 0, 0), Quat.IDENTITY, Vec3.ONE);
        long aHealthArmor = world.spawn(new Vec3(0, 0, 3), Quat.IDENTITY, Vec3.ONE);
        long farAHealth = world.spawn(new Vec3(50, 0, 0), Quat.IDENTITY, Vec3.ONE);
        for (long e : new long[] {ab, a, aHealth, aHealthArmor, farAHealth}) world.addTag(e, "a");
        world.addTag(ab, "b");
        for (long e : new long[] {aHealth, aHealthArmor, farAHealth}) world.addComponent(e, NameHash.of("health"), new byte[8]);
        world.addComponent(aHealthArmor, NameHash.of("armor"), new byte[4]);
        world.addComponent(self, NameHash.of("health"), new byte[8]); // the caller: excluded by the filter

        world.setVar(self, "req_tags", new VarValue.I64(1));  // with "a"
        world.setVar(self, "ex_tags", new VarValue.I64(2));   // without "b"
        world.setVar(self, "req_comps", new VarValue.I64(1)); // with health
        world.setVar(self, "ex_comps", new VarValue.I64(2));  // without armor
        world.setVar(self, "radius", new VarValue.F64(5));
        op(36, Vec3.ZERO);
        assertThat(((VarValue.I64) world.getVar(self, "count")).value()).isEqualTo(1);
        assertThat(((VarValue.I64) world.getVar(self, "found_mask")).value()).isEqualTo(1L << Entities.index(aHealth));
        assertThat(((VarValue.I64) world.getVar(self, "comp_count")).value()).isEqualTo(2); // near or not
        assertThat(((VarValue.I64) world.getVar(self, "comp_mask")).value())
                .isEqualTo(1L << Entities.index(aHealth) | 1L << Entities.index(farAHealth));

        world.setVar(self, "req_comps", new VarValue.I64(0));
        world.setVar(self, "ex_comps", new VarValue.I64(0));
        op(36, Vec3.ZERO); // tags only: a, aHealth, aHealthArmor (ab has b)
        assertThat(((VarValue.I64) world.getVar(self, "count")).value()).isEqualTo(3);
        assertThat(world.getVar(self, "too_small")).isEqualTo(new VarValue.Bool(true)); // the two-step protocol
    }
}
