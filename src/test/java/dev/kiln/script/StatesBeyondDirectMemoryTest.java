package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * States do not count against the JVM's direct-memory limit (-XX:MaxDirectMemorySize, by
 * default the -Xmx value): a game with a small heap keeps many times that limit in States, and
 * swaps layout edits that each move all of them into a new slab. Run in a JVM of its own with
 * a small heap and a direct-memory limit a quarter of one version's States
 * ({@link StatesBeyondDirectMemoryRun}).
 */
class StatesBeyondDirectMemoryTest {
    /** The child's heap: small, as a game's might be (its default direct-memory limit). */
    private static final String HEAP = "128m";
    /** The child's direct-memory limit: 8 MiB, a quarter of the 32 MiB of States each version keeps. */
    private static final String DIRECT_MEMORY = "8m";
    /** The child's own limit: a few seconds on a 2-core machine, far more when it is loaded. */
    private static final long CHILD_TIMEOUT_SECONDS = 300;

    @Test
    void statesFarBeyondTheDirectMemoryLimitLoadAndMigrate(@TempDir Path dir) throws Exception {
        Map<String, String> lines = runChild(dir);
        assertThat(Long.parseLong(lines.get("size"))).isEqualTo(StatesBeyondDirectMemoryRun.STATE_BYTES);
        assertThat(Long.parseLong(lines.get("live"))).isEqualTo(StatesBeyondDirectMemoryRun.INSTANCES);
        // one update per frame on every instance: the first frame and one after each layout edit
        assertThat(Long.parseLong(lines.get("sum")))
                .isEqualTo((long) StatesBeyondDirectMemoryRun.INSTANCES * (1 + StatesBeyondDirectMemoryRun.LAYOUT_SWAPS));
    }

    /** The child's {@code TAG} lines: kind to value. */
    private static Map<String, String> runChild(Path dir) throws Exception {
        List<String> cmd = List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-Xms" + HEAP, "-Xmx" + HEAP, "-XX:MaxDirectMemorySize=" + DIRECT_MEMORY,
                "--enable-native-access=ALL-UNNAMED", "-Dkiln.home=" + TestEngine.home(),
                "-cp", System.getProperty("java.class.path"), StatesBeyondDirectMemoryRun.class.getName(), dir.toString());
        Path out = Files.createTempFile("states-direct", ".out"), err = Files.createTempFile("states-direct", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("the child did not end within " + CHILD_TIMEOUT_SECONDS + " s: " + Files.readString(out));
            }
            assertThat(p.exitValue()).as("child exit; stderr:%n%s", Files.readString(err)).isZero();
            Map<String, String> lines = new HashMap<>();
            for (String line : Files.readAllLines(out)) {
                String[] f = line.split(" ");
                if (f.length == 3 && f[0].equals(StatesBeyondDirectMemoryRun.TAG)) lines.put(f[1], f[2]);
            }
            return lines;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
