package dev.kiln.embed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.ecs.ComponentPolicy;
import dev.kiln.ecs.FieldType;
import dev.kiln.ecs.Status;
import dev.kiln.ecs.Vec3;
import dev.kiln.script.TransformRequest;
import dev.kiln.testing.TestEngine;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
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
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> kiln.loadScene(java.nio.file.Path.of("no-such-scene.json")))
                    .isInstanceOf(KilnException.class).hasMessageContaining("no-such-scene.json");
        }
    }
}
