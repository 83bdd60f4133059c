package dev.kiln.rewind;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.ecs.Entities;
import dev.kiln.scene.SceneLoader;
import dev.kiln.script.LogEntry;
import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Edits a host makes before a scene loads are the recording's prelude, bounded and never dropped
 * silently: said once, when a scene starts the recording (an engine that never loads one never
 * records, and its prelude never matters).
 */
class RecorderPreludeTest {
    @Test
    void aPreludePastItsBoundIsSaidOnceNotDroppedSilently(@TempDir Path dir) throws Exception {
        try (TestEngine t = new TestEngine()) {
            Recorder r = t.engine.recorder();
            assertThat(r).as("a development engine records").isNotNull();
            for (int k = 0; k < Recorder.PRELUDE_EDITS_MAX + 10; k++) r.noteEdit(new HostEdit.Spawn(Entities.NULL, "e" + k));
            assertThat(t.logs).as("no scene yet").noneMatch(l -> l.level() == LogEntry.Level.WARN);
            SceneLoader.load(t.engine, Files.writeString(dir.resolve("scene.json"), """
                    { "kiln_scene": 1, "entities": [ { "name": "a" } ] }
                    """));
            assertThat(r.recording().prelude()).hasSize(Recorder.PRELUDE_EDITS_MAX);
            assertThat(t.logs).filteredOn(l -> l.level() == LogEntry.Level.WARN)
                    .singleElement().asString().contains("the recording's prelude is full (" + Recorder.PRELUDE_EDITS_MAX);
        }
    }
}
