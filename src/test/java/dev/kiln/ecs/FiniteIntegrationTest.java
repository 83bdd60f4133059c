package dev.kiln.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Velocity integration never writes a non-finite position, and says so once per entity. */
class FiniteIntegrationTest {
    @Test
    void anEntityThatWouldLeaveTheFiniteRangeStaysAndIsReportedOnce() {
        World w = new World();
        long rocket = w.spawn(), walker = w.spawn();
        w.setVelocity(rocket, new Vec3(3e38f, 0, 0));
        w.setVelocity(walker, new Vec3(1, 0, 0));
        List<Long> held = new ArrayList<>();
        for (int i = 0; i < 5; i++) w.integrateVelocities(1f, held::add);
        // 0 + 3e38 is finite, 3e38 + 3e38 is not: it stops after one frame, where it was.
        assertThat(w.position(rocket)).isEqualTo(new Vec3(3e38f, 0, 0));
        assertThat(w.position(walker)).isEqualTo(new Vec3(5, 0, 0));
        assertThat(held).containsExactly(rocket);
        // A new velocity is a new situation: reported again if it too cannot move.
        w.setVelocity(rocket, new Vec3(3.1e38f, 0, 0));
        w.integrateVelocities(1f, held::add);
        assertThat(held).containsExactly(rocket, rocket);
        w.setVelocity(rocket, new Vec3(-1, 0, 0));
        w.integrateVelocities(1f, held::add);
        assertThat(w.position(rocket).x()).isFinite();
        assertThat(held).hasSize(2);
    }

    @Test
    void aNanStepMovesNothing() {
        World w = new World();
        long e = w.spawn();
        w.setVelocity(e, new Vec3(1, 2, 3));
        w.integrateVelocities(Float.NaN, h -> { });
        assertThat(w.position(e)).isEqualTo(Vec3.ZERO);
    }
}
