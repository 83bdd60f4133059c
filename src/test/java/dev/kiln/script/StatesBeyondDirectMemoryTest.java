package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.ChildJvm;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        List<String> out = ChildJvm.run(StatesBeyondDirectMemoryRun.class,
                List.of("-Xms" + HEAP, "-Xmx" + HEAP, "-XX:MaxDirectMemorySize=" + DIRECT_MEMORY), CHILD_TIMEOUT_SECONDS,
                dir.toString());
        Map<String, String> lines = new HashMap<>();
        ChildJvm.tagged(out, StatesBeyondDirectMemoryRun.TAG).forEach((kind, values) -> lines.put(kind, values.getLast()[0]));
        return lines;
    }
}
