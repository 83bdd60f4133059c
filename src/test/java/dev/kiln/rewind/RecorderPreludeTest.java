package dev.kiln.rewind;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.ecs.Entities;
import dev.kiln.script.LogEntry;
import dev.kiln.testing.TestEngine;
import org.junit.jupiter.api.Test;

/** Edits a host makes before a scene loads are the recording's prelude, bounded and never dropped silently. */
class RecorderPreludeTest {
    @Test
    void aPreludePastItsBoundIsSaidOnceNotDroppedSilently() {
        try (TestEngine t = new TestEngine()) {
            Recorder r = t.engine.recorder();
            assertThat(r).as("a development engine records").isNotNull();
            for (int k = 0; k < Recorder.PRELUDE_EDITS_MAX + 10; k++) r.noteEdit(new HostEdit.Spawn(Entities.NULL, "e" + k));
            assertThat(t.logs).filteredOn(l -> l.level() == LogEntry.Level.WARN)
                    .singleElement().asString().contains("the recording's prelude is full (" + Recorder.PRELUDE_EDITS_MAX);
        }
    }
}
