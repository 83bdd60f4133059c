package dev.kiln.compare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.bench.CompareMain;
import dev.kiln.bench.DataPlaneTargets;
import dev.kiln.bench.compare.Workload;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The data plane's verdicts that ./kiln compare writes under its tables, from given figures
 * (bench/'s own tests, which ./kiln test runs after the engine's).
 */
class DataPlaneTargetsTest {
    private static CompareMain.Row row(String impl, int n, double micros) {
        return new CompareMain.Row(impl, n, micros, 0, new double[] {micros});
    }

    @Test
    void w1VerdictsCompareKilnWithTheFloorChicoryAndPlainJavaAtTheirSizes() {
        List<String> lines = DataPlaneTargets.lines(Workload.W1, List.of(row("kiln", 10_000, 60), row("floor", 10_000, 25),
                row("chicory", 10_000, 100), row("java", 10_000, 50), row("kiln", 100_000, 900), row("floor", 100_000, 200)));
        assertThat(lines).containsExactly(
                "Target met — W1 10k ≤ 3× the floor (stretch): 2.4×",
                "**Target missed** — W1 10k ≥ 2× faster than Chicory: 1.67× (chicory ÷ Kiln's time)",
                "**Target missed** — W1 10k at least as fast as plain Java: 0.83× (java ÷ Kiln's time)",
                "**Target missed** — W1 100k ≤ 4× the floor (stretch): 4.5×");
    }

    @Test
    void frameTargetsAreMetAtTheirBoundAndMissedPastIt() {
        assertThat(DataPlaneTargets.lines(Workload.W6, List.of(row("kiln", 1000, 100), row("java", 1000, 80))))
                .containsExactly("Target met — W6 (200 libraries × 5 instances) frame ≤ 100 µs: 100.0 µs");
        assertThat(DataPlaneTargets.lines(Workload.DEMO, List.of(row("kiln", 1, 30.5))))
                .containsExactly("**Target missed** — the demo scene (inspector and watcher off), on average frame ≤ 30 µs: 30.5 µs");
        assertThat(DataPlaneTargets.lines(Workload.W5, List.of(row("kiln", 10_000, 340), row("chicory", 10_000, 500))))
                .containsExactly("Target met — W5 frame ≤ 350 µs: 340.0 µs",
                        "**Target missed** — W5 ≥ 1.5× faster than Chicory: 1.47× (chicory ÷ Kiln's time)");
    }

    @Test
    void aVerdictNeedsBothFiguresItCompares() {
        assertThat(DataPlaneTargets.lines(Workload.W4, List.of(row("kiln", 10_000, 100)))).isEmpty();
        assertThat(DataPlaneTargets.lines(Workload.W7, List.of(row("floor", 1_000_000, 5000)))).isEmpty();
    }
}
