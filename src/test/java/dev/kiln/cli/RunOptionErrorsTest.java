package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.TestEngine;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * `kiln run` with numbers out of range, a busy port, an unwritable build folder: exit code 2
 * and one line naming the option and the value, never a stack trace (unless --verbose).
 */
class RunOptionErrorsTest {
    @TempDir
    Path dir;

    private Path emptyScene() throws Exception {
        Path scene = dir.resolve("empty.json");
        Files.writeString(scene, "{\"kiln_scene\": 1, \"entities\": [{\"name\": \"rock\"}]}\n");
        return scene;
    }

    private CliRun run(String... options) throws Exception {
        String[] args = new String[options.length + 4];
        args[0] = "run";
        args[1] = emptyScene().toString();
        args[2] = "--build-dir";
        args[3] = TestEngine.buildDir().toString();
        System.arraycopy(options, 0, args, 4, options.length);
        return CliRun.of(args);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--dt|NaN|--dt must be a finite number",
            "--dt|Infinity|--dt must be a finite number",
            "--dt|-1|--dt must be greater than 0",
            "--dt|0|--dt must be greater than 0",
            "--dt|1e40|--dt must be greater than 0 and at most 1",
            "--frames|-5|--frames must be 0",
            "--summary-every|0|--summary-every must be at least 1",
            "--inspector-port|99999|--inspector-port must be between 0",
            "--inspector-port|-1|--inspector-port must be between 0",
            "--frames|abc|'abc' is not an int",
            "--dt|fast|'fast' is not a double"})
    void aNumberOutOfRangeIsOneLineNamingTheOption(String option, String value, String expected) throws Exception {
        CliRun r = option.equals("--frames") ? run(option, value) : run(option, value, "--frames", "1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().startsWith("kiln run: ").contains(expected)
                .contains(option);
        assertThat(r.noStackTrace()).isTrue();
    }

    @Test
    void aValidRunStillRuns() throws Exception {
        CliRun r = run("--frames", "3", "--dt", "0.5", "--summary-every", "1");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("kiln: 3 frames (1.5 s of game time)");
    }

    @Test
    void aSceneFixedDtOutOfRangeIsRefusedAtItsPlace() throws Exception {
        Path scene = dir.resolve("slow.json");
        Files.writeString(scene, "{\"kiln_scene\": 1,\n \"settings\": {\"fixed_dt\": 1e30}}\n");
        CliRun r = CliRun.of("run", scene.toString(), "--frames", "1", "--build-dir", TestEngine.buildDir().toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString()
                .startsWith("kiln run: " + scene + ":2:27: settings.fixed_dt: fixed_dt must be greater than 0 and at most 1");
    }

    @Test
    void anUnwritableBuildFolderIsOneLineBeforeAnythingIsBuilt() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
        CliRun r = CliRun.of("run", emptyScene().toString(), "--frames", "1", "--build-dir", file.resolve("sub").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString()
                .startsWith("kiln run: --build-dir " + file.resolve("sub") + " is not writable")
                .endsWith("pass a folder you can write to");
        assertThat(r.out()).doesNotContain("unguarded");
        assertThat(r.noStackTrace()).isTrue();
    }

    /** The recording is written when the run ends: a path that can never be written is said before the run. */
    @Test
    void aRecordPathThatCannotBeWrittenIsOneLineBeforeTheRun() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        for (Path record : new Path[] {file.resolve("run.rec"), dir.resolve("missing/run.rec"), dir}) {
            CliRun r = run("--frames", "1", "--record", record.toString());
            assertThat(r.code()).as("%s", record).isEqualTo(2);
            assertThat(r.errLines()).singleElement().asString().startsWith("kiln run: --record " + record);
            assertThat(r.out()).doesNotContain("frames (");
            assertThat(r.noStackTrace()).isTrue();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aBusyInspectorPortIsOneLineSayingWhatToDo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            CliRun r = run("--frames", "0", "--no-watch", "--inspector-port", String.valueOf(port));
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.errLines()).singleElement().asString()
                    .startsWith("kiln run: --inspector-port " + port + " cannot be used")
                    .contains("--no-inspector");
            assertThat(r.noStackTrace()).isTrue();
        }
    }

    @Test
    void aMissingKilnHomeIsOneLineSayingHowToPointAtIt() throws Exception {
        String scene = emptyScene().toString(), builds = TestEngine.buildDir().toString();
        String saved = System.getProperty("kiln.home");
        System.setProperty("kiln.home", dir.toString());
        try {
            CliRun r = CliRun.of("run", scene, "--frames", "1", "--build-dir", builds);
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.errLines()).singleElement().asString()
                    .isEqualTo("kiln run: -Dkiln.home = " + dir + " has no zig/ZIG_VERSION: not a Kiln checkout");
        } finally {
            if (saved == null) System.clearProperty("kiln.home");
            else System.setProperty("kiln.home", saved);
        }
    }

    @Test
    void verbosePrintsTheStackTraceToo() throws Exception {
        Path file = Files.writeString(dir.resolve("in-the-way"), "x");
        CliRun r = CliRun.of("run", emptyScene().toString(), "--frames", "1", "--verbose",
                "--build-dir", file.resolve("sub").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines().getFirst()).startsWith("kiln run: --build-dir");
        assertThat(r.noStackTrace()).isFalse();
    }
}
