package dev.kiln.abi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.build.ZigToolchain;
import dev.kiln.testing.TestEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The SDK's spawn-result lookup (zig/sdk/snapshot.zig findSpawnResult: the dense-table guess,
 * then a branch-free bisection) against a linear search, by the Zig test next to it: random
 * sorted tables with and without gaps in the ids, keys present and absent.
 */
class SpawnResultLookupTest {
    @Test
    void theSdkLookupAgreesWithALinearSearch() throws Exception {
        Path home = TestEngine.home();
        String zig = ZigToolchain.locate(home).executable().toString();
        Process p = new ProcessBuilder(zig, "test", home.resolve("zig/sdk/snapshot.zig").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8); // ends when zig does
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("zig test finished").isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("passed");
    }
}
