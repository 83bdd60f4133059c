package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.kiln.abi.ConnectionIds;
import dev.kiln.ecs.ComponentPolicy;
import dev.kiln.ecs.ComponentSchema;
import dev.kiln.ecs.Euler;
import dev.kiln.ecs.FieldType;
import dev.kiln.ecs.NameHash;
import dev.kiln.ecs.Quat;
import dev.kiln.ecs.Vec3;
import dev.kiln.ecs.World;
import dev.kiln.testing.TestEngine;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * src/test/c/c_api_forms.c, a plain C script, writes the new records by hand from abi/kiln.h
 * (Euler and spaced rotations, a field-masked component, a connection by id and its removal):
 * in the engine's process and isolated.
 */
class CScriptApiFormsTest {
    @Test
    void inProcess() {
        run(false);
    }

    @Test
    void isolated() {
        run(true);
    }

    private static void run(boolean isolated) {
        try (TestEngine t = new TestEngine()) {
            World w = t.engine.world();
            long health = NameHash.of("health");
            w.registerComponent(ComponentSchema.of("health", List.of(new ComponentSchema.Field("hp", FieldType.F32, 0),
                    new ComponentSchema.Field("max", FieldType.F32, 0)), ComponentPolicy.MERGE));
            var source = TestEngine.home().resolve("src/test/c/c_api_forms.c");
            if (isolated) t.loadIsolated(source);
            else t.load(source);
            long e = w.spawn();
            w.addComponent(e, health, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1).putFloat(7).array());
            ScriptInstance instance = t.engine.scripts().attach(e, "c_api_forms", 0, null);
            long id = ConnectionIds.of(NameHash.of("hello"), 0);

            t.step(); // init connects, update 1 sets the rotation from Euler angles
            assertThat(instance.connections().indexOfId(id)).isNotNegative();
            Quat euler = new Euler(0.5f, 0.25f, -0.1f).toQuat().normalized();
            assertThat(w.rotation(e)).isEqualTo(euler);

            t.step(); // update 2: 0.3 rad about its own X axis
            Quat expected = euler.times(Quat.axisAngle(new Vec3(1, 0, 0), 0.3f));
            Quat q = w.rotation(e);
            float dot = q.x() * expected.x() + q.y() * expected.y() + q.z() * expected.z() + q.w() * expected.w();
            assertThat(Math.abs(dot)).isCloseTo(1f, offset(1e-6f));

            t.step(); // update 3: hp only
            ByteBuffer b = ByteBuffer.wrap(w.getComponent(e, health)).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(b.getFloat(0)).isEqualTo(42f);
            assertThat(b.getFloat(4)).isEqualTo(7f);

            t.step(); // update 4: disconnect by the id it computed itself
            assertThat(instance.connections().indexOfId(id)).isNegative();
            assertThat(t.messages(LogEntry.Level.WARN)).isEmpty();
            assertThat(t.messages(LogEntry.Level.ERROR)).isEmpty();
        }
    }
}
