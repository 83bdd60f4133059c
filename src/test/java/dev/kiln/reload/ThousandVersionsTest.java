package dev.kiln.reload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.ChildJvm;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A thousand distinct library versions swapped in one after another (distinct files with
 * distinct contents, as a long editing session makes), in a JVM of its own with a fixed heap
 * ({@link ThousandVersionsRun}): no old version stays mapped, and after the first 50 versions
 * neither the resident memory outside the Java heap nor the bytes malloc has handed out move by
 * more than 10 MiB.
 */
class ThousandVersionsTest {
    /** The child's heap, fixed (-Xms = -Xmx): the counter script needs little, and a fixed heap cannot grow. */
    private static final String HEAP = "128m";
    /** A leak of 0.1 MiB per version would add ~95 MiB; the JIT's residue after its warm-up is ≈ 1 MiB. */
    private static final long ALLOWED_DRIFT_BYTES = 10L << 20;
    /** The child's own limit: ~10-25 s on a 2-core machine, far more when it is loaded. */
    private static final long CHILD_TIMEOUT_SECONDS = 300;

    @Test
    void aThousandVersionsLeaveNoMappingAndNoNativeMemoryBehind(@TempDir Path dir) throws Exception {
        Map<String, List<String[]>> lines = runChild(dir);
        List<String[]> mapped = lines.get("mapped");
        assertThat(mapped).hasSize(ThousandVersionsRun.VERSIONS / ThousandVersionsRun.TRACE_EVERY);
        for (String[] m : mapped)
            assertThat(m[1]).as("versions mapped after swapping in version %s", m[0]).isEqualTo("libcounter-v" + m[0] + ".so");

        long[] warm = reading(lines, "warm"), end = reading(lines, "end");
        System.out.printf("ThousandVersionsTest: outside the heap %.2f -> %.2f MiB resident, malloc %.2f -> %.2f MiB (versions %d -> %d)%n",
                mib(warm[0]), mib(end[0]), mib(warm[1]), mib(end[1]), ThousandVersionsRun.WARM_UP, ThousandVersionsRun.VERSIONS);
        // quick readings every 100 versions (no settling: the JIT's working arenas show): where it grew, if it did
        String trace = lines.get("trace").stream().map(f -> "v" + f[0] + ": " + mib(Long.parseLong(f[1])) + " MiB").toList().toString();
        assertThat(end[0] - warm[0]).as("resident bytes outside the heap since version %d; %s", ThousandVersionsRun.WARM_UP, trace)
                .isBetween(-ALLOWED_DRIFT_BYTES, ALLOWED_DRIFT_BYTES);
        assertThat(end[1] - warm[1]).as("bytes in use by malloc since version %d", ThousandVersionsRun.WARM_UP)
                .isBetween(-ALLOWED_DRIFT_BYTES, ALLOWED_DRIFT_BYTES);
        // one update per frame: the first frame, the JIT warm-up's swaps and the distinct versions
        assertThat(Long.parseLong(lines.get("count").getFirst()[1]))
                .isEqualTo(1L + ThousandVersionsRun.JIT_WARM_UP_SWAPS + ThousandVersionsRun.VERSIONS);
    }

    /** The child's {@code TAG} lines, by kind: each line's fields after the kind. */
    private static Map<String, List<String[]>> runChild(Path dir) throws Exception {
        return ChildJvm.tagged(ChildJvm.run(ThousandVersionsRun.class, List.of("-Xms" + HEAP, "-Xmx" + HEAP),
                CHILD_TIMEOUT_SECONDS, dir.toString()), ThousandVersionsRun.TAG);
    }

    /** A reading's resident bytes outside the heap and malloc'd bytes. */
    private static long[] reading(Map<String, List<String[]>> lines, String kind) {
        String[] f = lines.get(kind).getFirst();
        return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])};
    }

    private static double mib(long bytes) {
        return bytes / (double) (1 << 20);
    }
}
