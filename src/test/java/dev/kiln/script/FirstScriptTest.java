package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.ecs.Vec3;
import dev.kiln.testing.TestEngine;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class FirstScriptTest {
    @Test
    void moverTranslatesItsEntityEveryFrame() {
        try (TestEngine t = new TestEngine()) {
            t.load(TestEngine.example("mover.zig"));
            long e = t.engine.world().spawn();
            t.engine.scripts().attach(e, "mover", 0, null);
            t.run(60);
            Vec3 p = t.engine.world().position(e);
            assertThat(p.x()).isCloseTo(2.0f, Offset.offset(1e-3f));
            assertThat(t.logs).isEmpty();
        }
    }
}
