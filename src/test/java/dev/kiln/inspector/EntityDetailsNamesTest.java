package dev.kiln.inspector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.ecs.ComponentSchema;
import dev.kiln.ecs.Entities;
import dev.kiln.ecs.FieldType;
import dev.kiln.ecs.World;
import dev.kiln.testing.TestEngine;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The inspector shows an entity a component points at with its scene name beside the handle. */
class EntityDetailsNamesTest {
    @Test
    void anEntityFieldShowsTheNameOfTheEntityItNames() {
        try (TestEngine t = new TestEngine()) {
            World w = t.engine.world();
            ComponentSchema aim = ComponentSchema.of("aim", List.of(new ComponentSchema.Field("target", FieldType.ENTITY, 0)));
            w.registerComponent(aim);
            long hunter = w.spawn(), prey = w.spawn();
            w.setName(prey, "prey");
            byte[] bytes = new byte[aim.size()];
            aim.wrap(bytes).putLong(0, prey);
            assertThat(w.addComponent(hunter, aim.typeHash(), bytes).ok()).isTrue();
            Snapshot.FieldView target = EntityDetails.of(t.engine, hunter).components().getFirst().fields().getFirst();
            assertThat(target.value()).isEqualTo(Entities.format(prey));
            assertThat(target.text()).isEqualTo(Entities.format(prey) + " (prey)");
        }
    }
}
