package dev.kiln.embed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.ecs.ComponentPolicy;
import dev.kiln.ecs.FieldType;
import dev.kiln.ecs.Status;
import dev.kiln.testing.TestEngine;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The embedding facade end to end: input in, transforms out, signals both ways. */
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
