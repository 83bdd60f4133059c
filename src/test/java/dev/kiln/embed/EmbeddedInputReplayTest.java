package dev.kiln.embed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.rewind.Divergence;
import dev.kiln.rewind.HostEdit;
import dev.kiln.rewind.Recording;
import dev.kiln.testing.TestEngine;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A game's input, written through {@link Input} between steps, is part of the recording: the
 * embedding's input entity made before the scene (the recording's prelude) and every changed
 * input write before the frame that reads it. An embedded run driven by scripted input replays
 * in a fresh engine with every frame's hash as recorded, in-process and from a saved file; the
 * same recording without its input writes diverges, so the input is what the hashes depend on.
 */
class EmbeddedInputReplayTest {
    static final int FRAMES = 240;

    @Test
    void anEmbeddedRunWithScriptedInputReplaysWithIdenticalHashes(@TempDir Path dir) throws Exception {
        Path scene = EmbeddedReplays.probeScene(dir, 11, "{ \"name\": \"still\", \"position\": [5, 0, 0] }");
        KilnConfig config = EmbeddedReplays.quietConfig();
        Recording recorded;
        try (Kiln kiln = Kiln.create(config)) {
            kiln.loadScene(scene);
            kiln.engine().recorder().hashEvery(1);
            for (int f = 0; f < FRAMES; f++) {
                // Scripted play: right held for a while, then left, an axis sweeping, taps of fire.
                kiln.input().set("right", f % 90 < 40);
                kiln.input().set("left", f % 90 >= 60);
                kiln.input().axis("move_x", (f % 30) / 30f - 0.5f);
                kiln.input().pointer(f * 0.25f, 0, 0);
                if (f % 17 == 0) {
                    kiln.input().set("fire", true);
                    kiln.input().set("fire", false);
                }
                kiln.step(TestEngine.DT);
            }
            recorded = kiln.engine().recorder().recording().copy();
        }
        assertThat(recorded.prelude()).as("the input entity, made before the scene")
                .hasAtLeastOneElementOfType(HostEdit.Spawn.class).hasAtLeastOneElementOfType(HostEdit.Register.class);
        assertThat(recorded.frames().stream().filter(f -> f.edits().stream().anyMatch(e -> e instanceof HostEdit.Component)).count())
                .as("frames with an input write").isGreaterThan(FRAMES / 2);

        Divergence withoutInput = EmbeddedReplays.replayedDivergence(recorded, dir, FRAMES, e -> !(e instanceof HostEdit.Component));
        assertThat(withoutInput).as("without the input the probe does not move as recorded").isNotNull();
        assertThat(withoutInput.frame()).isZero(); // right is held from frame 0
    }
}
