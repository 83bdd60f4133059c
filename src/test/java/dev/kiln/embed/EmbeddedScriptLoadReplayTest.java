package dev.kiln.embed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.ecs.Status;
import dev.kiln.rewind.Recording;
import dev.kiln.testing.TestEngine;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A script a game loads after its scene ({@link Kiln#loadScript}) is in the recording (the
 * recorder notes a new library before the next frame as it notes a swap), and a replay loads it
 * there: the run replays with every hash as recorded, in a fresh engine and from a file.
 */
class EmbeddedScriptLoadReplayTest {
    static final int FRAMES = 60;
    static final int LOADED_AT = 10;

    @Test
    void aScriptLoadedAfterTheSceneReplaysHashForHash(@TempDir Path dir) throws Exception {
        Path scene = EmbeddedReplays.probeScene(dir, 3, "");
        KilnConfig config = EmbeddedReplays.quietConfig();
        Recording recorded;
        try (Kiln kiln = Kiln.create(config)) {
            kiln.loadScene(scene);
            kiln.engine().recorder().hashEvery(1);
            for (int f = 0; f < FRAMES; f++) {
                if (f == LOADED_AT) { // a script the scene does not name, counting into its entity's vars
                    kiln.loadScript(TestEngine.testScript("tally.zig"));
                    long e = kiln.spawn(2, 0, 0);
                    assertThat(kiln.attach(e, "tally")).isEqualTo(Status.OK);
                }
                kiln.step(TestEngine.DT);
            }
            recorded = kiln.engine().recorder().recording().copy();
        }
        assertThat(recorded.frames().get(LOADED_AT).reloads()).as("the new library, noted before the frame after the load")
                .anyMatch(r -> r.script().equals("tally"));
        assertThat(recorded.libraries()).as("the scene's scripts").doesNotContainKey("tally");
        assertThat(EmbeddedReplays.replayedDivergence(recorded, dir, FRAMES, edit -> true))
                .as("replayed with the script loaded at that frame").isNull();
    }
}
