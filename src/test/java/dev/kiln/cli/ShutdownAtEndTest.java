package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When a run ends — its frames done, or a SIGTERM (what Ctrl-C's SIGINT and a supervisor's stop
 * do the same way) — every instance's shutdown runs and its last words are printed.
 */
class ShutdownAtEndTest {
    static final String COUNTER = """
            const kiln = @import("kiln");
            pub const State = struct { updates: u32 = 0 };
            pub fn update(self: *State, ctx: *kiln.Context) !void {
                _ = ctx;
                self.updates += 1;
            }
            pub fn shutdown(self: *State, ctx: *kiln.Context) void {
                ctx.logInfo("shutdown after {d} updates", .{self.updates});
            }
            """;

    private static Path scene(Path dir) throws Exception {
        Files.writeString(dir.resolve("counter.zig"), COUNTER);
        Path scene = dir.resolve("scene.json");
        Files.writeString(scene, """
                {"kiln_scene": 1, "scripts": {"counter": "counter.zig"},
                 "entities": [{"name": "counted", "scripts": [{"script": "counter"}]}]}
                """);
        return scene;
    }

    @Test
    void aRunWhoseFramesAreDoneShutsEveryInstanceDown(@TempDir Path dir) throws Exception {
        CliRun run = CliRun.of("run", scene(dir).toString(), "--frames", "5", "--no-watch", "--no-inspector",
                "--build-dir", TestEngine.buildDir().toString());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out() + run.err()).contains("counter @ 0v1 (counted): shutdown after 5 updates");
    }

    @Test
    void aRealTimeRunStoppedBySigtermShutsEveryInstanceDown(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out.txt");
        List<String> cmd = List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-Dkiln.home=" + TestEngine.home(),
                "-cp", System.getProperty("java.class.path"), "dev.kiln.cli.KilnCli", "run", scene(dir).toString(),
                "--no-watch", "--no-inspector", "--build-dir", TestEngine.buildDir().toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (!Files.readString(out).contains("running in real time") && System.nanoTime() < deadline) {
                assertThat(p.isAlive()).as(Files.readString(out)).isTrue();
                Thread.sleep(100);
            }
            assertThat(Files.readString(out)).as("the run started within 180 s").contains("running in real time");
            Thread.sleep(500); // some frames run
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the run ended after SIGTERM").isTrue();
        } finally {
            p.destroyForcibly();
        }
        Matcher m = Pattern.compile("counter @ 0v1 \\(counted\\): shutdown after (\\d+) updates").matcher(Files.readString(out));
        assertThat(m.find()).as(Files.readString(out)).isTrue();
    }
}
