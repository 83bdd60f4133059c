package dev.kiln.embed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.ecs.ComponentPolicy;
import dev.kiln.ecs.FieldType;
import dev.kiln.ecs.NameHash;
import dev.kiln.ecs.Quat;
import dev.kiln.ecs.Status;
import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.Vec3;
import dev.kiln.script.TransformRequest;
import dev.kiln.testing.TestEngine;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The embedding facade end to end: input in, transforms out, signals both ways, the physics route. */
class EmbeddingApiTest {
    private static Kiln create() throws KilnException {
        return Kiln.create(KilnConfig.defaults().withBuildDir(TestEngine.buildDir()).withLog(e -> {}));
    }

    private static byte[] i32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    @Test
    void inputMovesTheEntityAndSignalsGoBothWays() throws Exception {
        try (Kiln kiln = create()) {
            kiln.loadScript(TestEngine.testScript("embed_probe.zig"));
            long e = kiln.spawn(0, 0, 0);
            kiln.world().addTag(e, "probe");
            assertThat(kiln.attach(e, "embed_probe")).isEqualTo(Status.OK);
            List<Signal> fired = new ArrayList<>();
            assertThat(kiln.onSignal("fired", fired::add)).isEqualTo(Status.OK);

            kiln.step(TestEngine.DT); // init connects to "bonus"; no input yet: does not move
            float[] xyz = new float[3];
            assertThat(kiln.transforms().position(e, xyz)).isTrue();
            assertThat(xyz[0]).isEqualTo(0f);

            assertThat(kiln.input().set("right", true)).isEqualTo(Status.OK);
            for (int i = 0; i < 3; i++) kiln.step(TestEngine.DT);
            kiln.transforms().position(e, xyz);
            assertThat(xyz[0]).isEqualTo(3f);

            kiln.input().set("right", false);
            kiln.input().set("left", true);
            kiln.input().axis("move_x", 0.5f);
            kiln.step(TestEngine.DT);
            kiln.transforms().position(e, xyz);
            assertThat(xyz[0]).isEqualTo(2.5f);

            assertThat(kiln.sendSignal("bonus", i32(7), e)).isEqualTo(Status.OK);
            kiln.input().set("left", false);
            kiln.input().axis("move_x", 0);
            kiln.input().pointer(4.25f, 1, 0);
            kiln.input().set("fire", true); // a tap: down and up before the next step
            kiln.input().set("fire", false);
            kiln.step(TestEngine.DT);
            assertThat(fired).hasSize(1);
            ByteBuffer report = fired.getFirst().payloadBuffer();
            assertThat(report.getInt(0)).isEqualTo(1);
            assertThat(report.getInt(4)).isEqualTo(7); // Java's signal arrived before update
            assertThat(report.getFloat(8)).isEqualTo(2.5f);
            assertThat(report.getFloat(12)).isEqualTo(4.25f);
            assertThat(fired.getFirst().sender()).isEqualTo(e);

            kiln.step(TestEngine.DT); // "pressed" lasted one frame
            assertThat(fired).hasSize(1);

            float[] all = new float[3];
            long[] handles = new long[1];
            assertThat(kiln.transforms().copyPositions("probe", all, handles)).isEqualTo(1);
            assertThat(handles[0]).isEqualTo(e);
            assertThat(all[0]).isEqualTo(2.5f);
        }
    }

    @Test
    void aPhysicsHandlerGetsTheTransformRequestsOfFlaggedEntitiesAndTheOthersApply() throws Exception {
        try (Kiln kiln = create()) {
            kiln.loadScript(TestEngine.testScript("embed_probe.zig")); // translates by +1 x while "right" is held
            long body = kiln.spawn(0, 0, 0), plain = kiln.spawn(0, 5, 0);
            kiln.attach(body, "embed_probe");
            kiln.attach(plain, "embed_probe");
            List<TransformRequest> received = new ArrayList<>();
            kiln.setPhysicsHandler(r -> { // a stand-in physics: moves the body half as far as asked
                received.add(r);
                kiln.world().translate(r.entity(), r.vector().x() / 2, r.vector().y() / 2, r.vector().z() / 2);
            });
            assertThat(kiln.setPhysicsDriven(body, true)).isEqualTo(Status.OK);
            assertThat(kiln.isPhysicsDriven(body)).isTrue();
            assertThat(kiln.isPhysicsDriven(plain)).isFalse();

            kiln.input().set("right", true);
            kiln.step(TestEngine.DT);
            kiln.step(TestEngine.DT);
            assertThat(received).extracting(TransformRequest::kind)
                    .containsExactly(TransformRequest.Kind.TRANSLATE, TransformRequest.Kind.TRANSLATE);
            assertThat(received).allSatisfy(r -> {
                assertThat(r.entity()).isEqualTo(body);
                assertThat(r.vector()).isEqualTo(new Vec3(1, 0, 0));
                assertThat(r.script()).isEqualTo("embed_probe");
            });
            float[] xyz = new float[3];
            kiln.transforms().position(body, xyz);
            assertThat(xyz).containsExactly(1f, 0f, 0f); // what the handler made of two +1 requests
            kiln.transforms().position(plain, xyz);
            assertThat(xyz).containsExactly(2f, 5f, 0f); // applied directly

            assertThat(kiln.setPhysicsDriven(body, false)).isEqualTo(Status.OK);
            kiln.step(TestEngine.DT);
            assertThat(received).hasSize(2);
            kiln.transforms().position(body, xyz);
            assertThat(xyz[0]).isEqualTo(2f); // off the route: applied directly again

            kiln.setPhysicsDriven(body, true);
            assertThat(kiln.despawn(body)).isEqualTo(Status.OK);
            kiln.step(TestEngine.DT);
            assertThat(kiln.isPhysicsDriven(body)).isFalse(); // the flag ended with the entity
            assertThat(kiln.setPhysicsDriven(body, true)).isEqualTo(Status.STALE_ENTITY);
        }
    }

    /** api_tour.zig's op {@code code} with vector {@code v} in one frame (see ApiFidelityTest). */
    private static void op(Kiln kiln, long e, long code, Vec3 v) {
        kiln.world().setVar(e, "op", new VarValue.I64(code));
        kiln.world().setVar(e, "v", new VarValue.V3(v));
        kiln.step(TestEngine.DT);
        kiln.world().setVar(e, "op", new VarValue.I64(0));
    }

    private static float[] health(Kiln kiln, long e) {
        ByteBuffer b = ByteBuffer.wrap(kiln.world().getComponent(e, NameHash.of("health"))).order(ByteOrder.LITTLE_ENDIAN);
        return new float[] {b.getFloat(0), b.getFloat(4)};
    }

    @Test
    void aComponentRegisteredFromJavaIsTheScriptsExternStructWithItsPolicyAndDetachStopsTheScript() throws Exception {
        try (Kiln kiln = create()) {
            assertThat(kiln.registerComponent("health", ComponentPolicy.MERGE,
                    Kiln.Field.of("hp", FieldType.F32), Kiln.Field.of("max", FieldType.F32))).isEqualTo(Status.OK);
            kiln.loadScript(TestEngine.testScript("api_tour.zig")); // Health = extern struct { hp: f32, max: f32 }
            long e = kiln.spawn(0, 0, 0);
            assertThat(kiln.attach(e, "api_tour")).isEqualTo(Status.OK);
            op(kiln, e, 10, new Vec3(7, 10, 0)); // addComponent(Health{ .hp = 7, .max = 10 })
            assertThat(health(kiln, e)).containsExactly(7f, 10f);
            op(kiln, e, 31, new Vec3(3, 99, 0)); // addComponentFields(.., &.{"hp"}): merge writes hp only
            assertThat(health(kiln, e)).containsExactly(3f, 10f);

            assertThat(kiln.detach(e, "api_tour")).isEqualTo(Status.OK);
            assertThat(kiln.detach(e, "api_tour")).isEqualTo(Status.NOT_FOUND);
            op(kiln, e, 10, new Vec3(1, 1, 0)); // no script left to do it
            assertThat(health(kiln, e)).containsExactly(3f, 10f);
        }
    }

    @Test
    void copyGivesPositionsRotationsScalesAndHandlesAndFillsOnlyAsFarAsTheArraysGo() throws Exception {
        try (Kiln kiln = create()) {
            long[] crates = new long[3];
            for (int i = 0; i < 3; i++) {
                crates[i] = kiln.spawn(i, 2 * i, 3 * i);
                kiln.world().addTag(crates[i], "crate");
            }
            kiln.world().setRotation(crates[1], Quat.axisAngle(new Vec3(0, 1, 0), 0.5f));
            kiln.world().setScale(crates[2], 4, 5, 6);
            kiln.step(TestEngine.DT);

            assertThat(kiln.transforms().count("crate")).isEqualTo(3);
            float[] xyz = new float[9], rotation = new float[12], scale = new float[9];
            long[] handles = new long[3];
            assertThat(kiln.transforms().copy("crate", xyz, rotation, scale, handles)).isEqualTo(3);
            assertThat(handles).containsExactly(crates); // by ascending entity index
            assertThat(xyz).containsExactly(0, 0, 0, 1, 2, 3, 2, 4, 6);
            Quat turned = kiln.world().rotation(crates[1]);
            assertThat(turned.y()).isCloseTo((float) Math.sin(0.25), Offset.offset(1e-6f));
            assertThat(Arrays.copyOfRange(rotation, 0, 8)).containsExactly(0, 0, 0, 1, turned.x(), turned.y(), turned.z(), turned.w());
            assertThat(Arrays.copyOfRange(scale, 0, 9)).containsExactly(1, 1, 1, 1, 1, 1, 4, 5, 6);

            float[] two = new float[6];
            long[] twoHandles = new long[2];
            assertThat(kiln.transforms().copyPositions("crate", two, twoHandles)).isEqualTo(3); // the count, not what fit
            assertThat(two).containsExactly(0, 0, 0, 1, 2, 3);
            assertThat(twoHandles).containsExactly(crates[0], crates[1]);
            assertThat(kiln.transforms().copyPositions("nobody", two, null)).isZero();
        }
    }

    @Test
    void refusalsAreStatusValues() throws Exception {
        try (Kiln kiln = create()) {
            assertThat(kiln.attach(kiln.spawn(0, 0, 0), "nope")).isEqualTo(Status.NOT_FOUND);
            assertThat(kiln.sendSignal("", new byte[0], 0)).isEqualTo(Status.INVALID_ARGUMENT);
            assertThat(kiln.sendSignal("x", new byte[257], 0)).isEqualTo(Status.TOO_LONG);
            assertThat(kiln.input().set("x".repeat(65), true)).isEqualTo(Status.TOO_LONG);
            assertThat(kiln.input().axis("a", Float.NaN)).isEqualTo(Status.NOT_FINITE);
            for (int i = 0; i < Input.ACTIONS_MAX; i++) assertThat(kiln.input().set("k" + i, true)).isEqualTo(Status.OK);
            assertThat(kiln.input().set("one-too-many", true)).isEqualTo(Status.BUFFER_FULL);
            assertThat(kiln.registerComponent("hp", ComponentPolicy.REPLACE, Kiln.Field.of("hp", FieldType.F32)))
                    .isEqualTo(Status.OK);
            assertThat(kiln.registerComponent("hp", ComponentPolicy.REPLACE, Kiln.Field.of("hp", FieldType.F64)))
                    .isEqualTo(Status.SIZE_MISMATCH);
        }
    }

    @Test
    void aMissingSceneIsAnExceptionNamingTheFile() throws Exception {
        try (Kiln kiln = create()) {
            Assertions.assertThatThrownBy(() -> kiln.loadScene(Path.of("no-such-scene.json")))
                    .isInstanceOf(KilnException.class).hasMessageContaining("no-such-scene.json");
        }
    }
}
