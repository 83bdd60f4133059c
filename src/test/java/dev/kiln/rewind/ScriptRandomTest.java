package dev.kiln.rewind;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.ecs.VarValue;
import dev.kiln.script.ScriptRuntime;
import dev.kiln.testing.TestEngine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ctx.random(): a pure function of the scene seed, the instance, the frame and the phase, so a
 * replay draws the same numbers, while instances and frames draw different ones.
 */
class ScriptRandomTest {
    /** Runs two dice instances for {@code frames} frames under {@code seed}; each frame's draws of both. */
    private static List<List<Long>> draws(long seed, int frames) {
        try (TestEngine t = new TestEngine()) {
            t.loadTest("dice.zig");
            t.engine.scripts().setSeed(seed);
            long a = t.engine.world().spawn();
            long b = t.engine.world().spawn();
            t.engine.scripts().attach(a, "dice", 0, null);
            t.engine.scripts().attach(b, "dice", 0, null);
            List<List<Long>> out = new ArrayList<>();
            for (int f = 0; f < frames; f++) {
                t.step();
                out.add(List.of(bits(t, a, "first"), bits(t, a, "second"), bits(t, b, "first"), bits(t, b, "second")));
                double unit = ((VarValue.F64) t.engine.world().getVar(a, "unit")).value();
                assertThat(unit).isGreaterThanOrEqualTo(0).isLessThan(1);
            }
            return out;
        }
    }

    private static long bits(TestEngine t, long entity, String key) {
        return ((VarValue.I64) t.engine.world().getVar(entity, key)).value();
    }

    @Test
    void theSameSeedDrawsTheSameNumbersInEveryRun() {
        assertThat(draws(42, 5)).isEqualTo(draws(42, 5));
    }

    @Test
    void instancesFramesAndDrawsGetDifferentNumbers() {
        List<List<Long>> d = draws(ScriptRuntime.DEFAULT_SEED, 3);
        List<Long> all = d.stream().flatMap(List::stream).toList();
        assertThat(all).doesNotHaveDuplicates().hasSize(12);
    }

    @Test
    void anotherSeedDrawsOtherNumbers() {
        List<Long> one = draws(1, 2).stream().flatMap(List::stream).toList();
        List<Long> two = draws(2, 2).stream().flatMap(List::stream).toList();
        for (int i = 0; i < one.size(); i++) assertThat(one.get(i)).isNotEqualTo(two.get(i));
    }
}
