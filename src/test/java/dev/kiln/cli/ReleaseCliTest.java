package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `kiln run --release`: ReleaseFast builds and no watcher, said at start. */
class ReleaseCliTest {
    @Test
    void aReleaseRunBuildsReleaseFastAndWatchesNothing(@TempDir Path dir) throws Exception {
        Files.copy(TestEngine.example("mover.zig"), dir.resolve("mover.zig"));
        Files.writeString(dir.resolve("scene.json"), """
                { "kiln_scene": 1, "scripts": { "mover": "mover.zig" },
                  "entities": [ { "name": "walker", "scripts": [ { "script": "mover" } ] } ] }
                """);
        CliRun run = CliRun.of("run", dir.resolve("scene.json").toString(), "--frames", "5", "--release",
                "--build-dir", TestEngine.buildDir().toString());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("release run").doesNotContain("watching script sources");
        try (var libs = Files.list(TestEngine.buildDir().resolve("libs"))) {
            assertThat(libs.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("libmover-"));
        }
    }
}
