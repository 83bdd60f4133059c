package dev.kiln.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A script's add request (World.addComponentWithPolicy) on a present component follows the schema's policy; the engine's own writes overwrite. */
class ComponentPolicyTest {
    private static byte[] of(int a, int b, int c) {
        return ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(a).putInt(b).putInt(c).array();
    }

    private static World worldWith(ComponentPolicy policy) {
        World w = new World();
        w.registerComponent(ComponentSchema.of("stats", List.of(new ComponentSchema.Field("a", FieldType.I32, 0),
                new ComponentSchema.Field("b", FieldType.I32, 0), new ComponentSchema.Field("c", FieldType.I32, 0)), policy));
        return w;
    }

    @Test
    void replaceOverwritesWhateverTheMaskSays() {
        World w = worldWith(ComponentPolicy.REPLACE);
        long e = w.spawn();
        long h = NameHash.of("stats");
        assertThat(w.addComponentWithPolicy(e, h, of(1, 2, 3), 0)).isEqualTo(Status.OK);
        assertThat(w.addComponentWithPolicy(e, h, of(4, 5, 6), 0b010)).isEqualTo(Status.OK);
        assertThat(w.getComponent(e, h)).isEqualTo(of(4, 5, 6));
    }

    @Test
    void mergeWritesTheMaskedFieldsAndRefusesAMaskBeyondTheSchema() {
        World w = worldWith(ComponentPolicy.MERGE);
        long e = w.spawn();
        long h = NameHash.of("stats");
        assertThat(w.addComponentWithPolicy(e, h, of(1, 2, 3), 0b010)).isEqualTo(Status.OK); // absent: all of it
        assertThat(w.getComponent(e, h)).isEqualTo(of(1, 2, 3));
        assertThat(w.addComponentWithPolicy(e, h, of(7, 8, 9), 0b101)).isEqualTo(Status.OK);
        assertThat(w.getComponent(e, h)).isEqualTo(of(7, 2, 9));
        assertThat(w.addComponentWithPolicy(e, h, of(0, 0, 0), 0b1000)).isEqualTo(Status.INVALID_ARGUMENT); // no field 3
        assertThat(w.getComponent(e, h)).isEqualTo(of(7, 2, 9));
        assertThat(w.addComponentWithPolicy(e, h, of(4, 5, 6), 0)).isEqualTo(Status.OK); // 0: every field
        assertThat(w.getComponent(e, h)).isEqualTo(of(4, 5, 6));
    }

    @Test
    void keepRefusesWhenPresent() {
        World w = worldWith(ComponentPolicy.KEEP);
        long e = w.spawn();
        long h = NameHash.of("stats");
        assertThat(w.addComponentWithPolicy(e, h, of(1, 2, 3), 0)).isEqualTo(Status.OK);
        assertThat(w.addComponentWithPolicy(e, h, of(4, 5, 6), 0)).isEqualTo(Status.ALREADY_PRESENT);
        assertThat(w.getComponent(e, h)).isEqualTo(of(1, 2, 3));
        assertThat(w.addComponent(e, h, of(4, 5, 6))).isEqualTo(Status.OK); // the engine's own write (an inspector edit)
        assertThat(w.getComponent(e, h)).isEqualTo(of(4, 5, 6));
    }
}
