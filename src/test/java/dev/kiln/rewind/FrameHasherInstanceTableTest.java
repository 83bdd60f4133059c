package dev.kiln.rewind;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.script.ScriptInstance;
import dev.kiln.testing.TestEngine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The frame hash reads the instance table (id, entity, enabled) again only when
 * ScriptRuntime.instanceTableVersion changed: one hasher kept across changes (as the recorder
 * keeps it) must give what a fresh hasher gives after every attach, detach, disable and enable,
 * and each of those changes the hash.
 */
class FrameHasherInstanceTableTest {
    @Test
    void aKeptHasherSeesEveryChangeToTheInstanceTable() {
        try (TestEngine t = new TestEngine()) {
            t.load(TestEngine.example("spinner.zig"));
            List<ScriptInstance> spinners = new ArrayList<>();
            for (int k = 0; k < 4; k++) spinners.add(t.engine.scripts().attach(t.engine.world().spawn(), "spinner", 0, null));
            t.engine.run(3, TestEngine.DT);
            FrameHasher kept = new FrameHasher();
            long start = agreed(t, kept);
            assertThat(agreed(t, kept)).as("nothing changed").isEqualTo(start);

            t.engine.scripts().setEnabled(spinners.get(1), false);
            long disabled = agreed(t, kept);
            assertThat(disabled).isNotEqualTo(start);
            t.engine.scripts().setEnabled(spinners.get(1), true);
            assertThat(agreed(t, kept)).as("enabled again: the table as at the start").isEqualTo(start);

            ScriptInstance late = t.engine.scripts().attach(spinners.get(2).entity(), "spinner", 1, null);
            long attached = agreed(t, kept);
            assertThat(attached).isNotEqualTo(start);
            t.engine.scripts().detach(late);
            t.engine.run(1, TestEngine.DT); // its shutdown runs; the States move on a frame
            long detached = agreed(t, kept);
            assertThat(detached).isNotEqualTo(attached);
        }
    }

    /** The kept hasher's hash, checked against a fresh one's. */
    private static long agreed(TestEngine t, FrameHasher kept) {
        long h = kept.hash(t.engine.world(), t.engine.scripts());
        assertThat(h).as("a kept hasher agrees with a fresh one").isEqualTo(new FrameHasher().hash(t.engine.world(), t.engine.scripts()));
        return h;
    }
}
