package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `kiln run --record` saves the demo's recording; `kiln replay` in a fresh JVM reproduces every
 * hash, and reports the frame of a hash that was altered in the file.
 */
class ReplayCliTest {
    static final Path DEMO = TestEngine.home().resolve("demo/scene.json");

    /** `kiln replay <file>` in a JVM of its own: exit code and stdout. */
    private static String[] replayInFreshProcess(Path dir, Path file) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-Dkiln.home=" + TestEngine.home(),
                "-cp", System.getProperty("java.class.path"), "dev.kiln.cli.KilnCli", "replay", file.toString(),
                "--build-dir", TestEngine.buildDir().toString()));
        Path out = dir.resolve("replay-out.txt");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("kiln replay did not end within 180 s: " + Files.readString(out));
        }
        return new String[] {String.valueOf(p.exitValue()), Files.readString(out)};
    }

    @Test
    void aSavedDemoRecordingReplaysWithTheSameHashesInAFreshProcess(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("demo.kilnrec");
        CliRun run = CliRun.of("run", DEMO.toString(), "--frames", "300", "--no-watch", "--no-inspector",
                "--build-dir", TestEngine.buildDir().toString(), "--record", file.toString());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("recording of 300 frames saved to " + file);

        String[] ok = replayInFreshProcess(dir, file);
        assertThat(ok[1]).contains("300 frames replayed, every hash matches the recording");
        assertThat(ok[0]).isEqualTo("0");

        // The last hashed frame has its hash altered: the replay reports that frame and stops
        // there (the recorder hashes every K-th frame; frame 0 always).
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        long altered = -1;
        int line = -1;
        for (int i = 0; i < lines.size(); i++) {
            String[] f = lines.get(i).split(" ");
            if (f[0].equals("frame") && !f[3].equals("-")) {
                altered = Long.parseLong(f[1]);
                line = i;
            }
        }
        assertThat(altered).isGreaterThanOrEqualTo(0);
        String[] f = lines.get(line).split(" ");
        lines.set(line, "frame " + altered + " " + f[2] + " " + Long.toHexString(Long.parseUnsignedLong(f[3], 16) ^ 1));
        Files.write(file, lines);
        String[] diverged = replayInFreshProcess(dir, file);
        assertThat(diverged[1]).containsPattern("kiln replay: diverged at frames? (\\d+ to )?" + altered + "\\b");
        assertThat(diverged[0]).isEqualTo(String.valueOf(ReplayCommand.EXIT_DIVERGED));
    }

    @Test
    void recordWithReleaseIsAUserError(@TempDir Path dir) {
        CliRun run = CliRun.of("run", DEMO.toString(), "--frames", "1", "--release", "--record",
                dir.resolve("x.kilnrec").toString());
        assertThat(run.code()).isEqualTo(UserError.EXIT_CODE);
        assertThat(run.err()).contains("--record cannot be used with --release");
        assertThat(run.noStackTrace()).isTrue();
    }

    @Test
    void aFileThatIsNotARecordingIsReportedWithItsLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.kilnrec");
        Files.writeString(file, "kiln-recording 2\nscene " + DEMO + "\nseed 12\nframe 0 zz 1\n");
        CliRun run = CliRun.of("replay", file.toString());
        assertThat(run.code()).isEqualTo(UserError.EXIT_CODE);
        assertThat(run.err()).contains(file + ":4: expected a delta time's bits in hex");
    }
}
