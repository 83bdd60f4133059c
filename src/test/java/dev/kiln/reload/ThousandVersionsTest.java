package dev.kiln.reload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
        List<String> cmd = List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-Xms" + HEAP, "-Xmx" + HEAP, "--enable-native-access=ALL-UNNAMED", "-Dkiln.home=" + TestEngine.home(),
                "-cp", System.getProperty("java.class.path"), ThousandVersionsRun.class.getName(), dir.toString());
        Path out = Files.createTempFile("thousand-versions", ".out"), err = Files.createTempFile("thousand-versions", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("the child did not end within " + CHILD_TIMEOUT_SECONDS + " s: " + Files.readString(out));
            }
            assertThat(p.exitValue()).as("child exit; stderr:%n%s", Files.readString(err)).isZero();
            Map<String, List<String[]>> lines = new HashMap<>();
            for (String line : Files.readAllLines(out)) {
                String[] f = line.split(" ");
                if (f.length > 2 && f[0].equals(ThousandVersionsRun.TAG))
                    lines.computeIfAbsent(f[1], k -> new ArrayList<>()).add(Arrays.copyOfRange(f, 2, f.length));
            }
            return lines;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
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
