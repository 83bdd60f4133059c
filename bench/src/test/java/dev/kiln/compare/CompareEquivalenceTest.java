package dev.kiln.compare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.bench.compare.Impl;
import dev.kiln.bench.compare.Workload;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Smoke test of the comparison benchmarks (dev.kiln.bench.compare, which no test runs):
 * every implementation of a workload leaves the same world after {@value #FRAMES} frames from
 * the same deterministic start. The plain-Java baseline is the reference; positions must agree
 * within a float tolerance (Lua computes in doubles, neighbour sums differ in order).
 * Entity counts are small so the test stays fast; the benchmark sizes are in CompareBench.
 */
class CompareEquivalenceTest {
    static final int FRAMES = 100;
    static final int ENTITIES = 1_000;
    /**
     * W6 runs n/5 distinct libraries, each a Zig build of its own (≈ 1 s each, cached after):
     * 50 entities = 10 libraries, over the three phases and every request count, keep a cold
     * run short. The benchmark runs 1,000 (200 libraries).
     */
    static final int MIX_ENTITIES = 50;
    static final float ABSOLUTE = 1e-3f;
    static final float RELATIVE = 1e-5f;

    @BeforeAll
    static void ownBuildDir() {
        System.setProperty("kiln.compare.buildRoot", "target/kiln-compare-test-build");
    }

    @ParameterizedTest
    @EnumSource(value = Workload.class, names = "DEMO", mode = EnumSource.Mode.EXCLUDE) // Kiln only: nothing to compare
    void everyImplementationEndsInTheSameWorld(Workload workload) {
        float[] reference = run("java", workload);
        assertThat(reference).isNotNull();
        List<String> compared = new ArrayList<>();
        for (String name : Impl.NAMES) {
            if (name.equals("java")) continue;
            float[] actual = run(name, workload);
            if (actual == null) continue;
            compared.add(name);
            assertThat(actual.length).as("%s %s: live entities × 3", name, workload).isEqualTo(reference.length);
            for (int i = 0; i < reference.length; i++) {
                float tolerance = ABSOLUTE + RELATIVE * Math.abs(reference[i]);
                if (Math.abs(actual[i] - reference[i]) > tolerance) {
                    throw new AssertionError(String.format("%s %s: entity %d coordinate %d is %s, java has %s",
                            name, workload, i / 3, i % 3, actual[i], reference[i]));
                }
            }
        }
        List<String> expected = new ArrayList<>();
        for (String name : Impl.NAMES) if (!name.equals("java") && Impl.supports(name, workload)) expected.add(name);
        assertThat(compared).as("implementations compared with java on %s", workload).isEqualTo(expected).contains("kiln");
        // The world moved: a start position is not what the workload ends with.
        if (workload != Workload.W3) assertThat(reference[0]).isNotEqualTo(0f);
    }

    private static float[] run(String name, Workload workload) {
        Impl impl = Impl.create(name, workload, workload == Workload.W6 ? MIX_ENTITIES : ENTITIES);
        if (impl == null) return null;
        try (impl) {
            for (int f = 0; f < FRAMES; f++) impl.frame();
            impl.requireHealthy();
            return impl.positions();
        }
    }
}
