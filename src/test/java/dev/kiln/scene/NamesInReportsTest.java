package dev.kiln.scene;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.ecs.Entities;
import dev.kiln.script.LogEntry;
import dev.kiln.script.ScriptInstance;
import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a person reads about a scene entity names it: the handle with the scene's name beside it. */
class NamesInReportsTest {
    @Test
    void instancesAndLogLinesShowTheSceneName(@TempDir Path dir) throws Exception {
        Files.copy(TestEngine.example("mover.zig"), dir.resolve("mover.zig"));
        Path file = dir.resolve("scene.json");
        Files.writeString(file, """
                { "kiln_scene": 1, "scripts": { "mover": "mover.zig" },
                  "entities": [ { "name": "walker", "scripts": [ { "script": "mover" } ] }, { "scripts": [ { "script": "mover" } ] } ] }
                """);
        try (TestEngine t = new TestEngine()) {
            LoadedScene loaded = SceneLoader.load(t.engine, file);
            long walker = loaded.entity("walker");
            long unnamed = loaded.entities().get(1);
            ScriptInstance named = t.engine.scripts().scriptsOn(walker).getFirst();
            assertThat(named.toString()).endsWith("@ " + Entities.format(walker) + " (walker)");
            assertThat(t.engine.scripts().scriptsOn(unnamed).getFirst().toString())
                    .endsWith("@ " + Entities.format(unnamed));
            LogEntry line = new LogEntry(3, LogEntry.Level.INFO, "mover", walker, "walker", "hello");
            assertThat(line.toString()).isEqualTo("[frame 3] INFO mover @ " + Entities.format(walker) + " (walker): hello");
        }
    }
}
