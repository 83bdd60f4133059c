package dev.kiln.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.build.ZigToolchain;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs the `test` blocks of one of the checkout's Zig files (`zig test`), for the Java test that owns them. */
public final class ZigTests {
    private ZigTests() {}

    /** Asserts that `zig test` on {@code file} (relative to the kiln home) passes, with its output as the message. */
    public static void assertPass(String file) throws Exception {
        Path home = TestEngine.home();
        String zig = ZigToolchain.locate(home).executable().toString();
        Process p = new ProcessBuilder(zig, "test", home.resolve(file).toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8); // ends when zig does
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("zig test finished").isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("passed");
    }
}
