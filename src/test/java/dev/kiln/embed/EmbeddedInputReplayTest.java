package dev.kiln.embed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.engine.EngineOptions;
import dev.kiln.replay.Replay;
import dev.kiln.rewind.Divergence;
import dev.kiln.rewind.FrameRecord;
import dev.kiln.rewind.HostEdit;
import dev.kiln.rewind.Recording;
import dev.kiln.rewind.RecordingFile;
import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
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
        Path scene = dir.resolve("scene.json");
        Files.writeString(scene, """
                { "kiln_scene": 1,
                  "settings": { "seed": 11 },
                  "scripts": { "embed_probe": "%s" },
                  "entities": [ { "name": "probe", "position": [0, 0, 0], "scripts": [ { "script": "embed_probe" } ] },
                                { "name": "still", "position": [5, 0, 0] } ] }
                """.formatted(TestEngine.testScript("embed_probe.zig")));
        KilnConfig config = KilnConfig.defaults().withBuildDir(TestEngine.buildDir()).withLog(e -> {});
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

        Divergence withoutInput = replayedDivergence(recorded, dir, FRAMES, e -> !(e instanceof HostEdit.Component));
        assertThat(withoutInput).as("without the input the probe does not move as recorded").isNotNull();
        assertThat(withoutInput.frame()).isZero(); // right is held from frame 0
    }

    /**
     * Replays {@code recorded} to {@code frames} in a fresh engine, in-process and from a file
     * saved in {@code dir}, asserting every hash comes back; then replays it with only the edits
     * {@code kept} lets through and returns that replay's divergence.
     */
    static Divergence replayedDivergence(Recording recorded, Path dir, int frames, Predicate<HostEdit> kept) throws Exception {
        EngineOptions options = EngineOptions.defaults().withBuildDir(TestEngine.buildDir()).withLog(e -> {});
        try (Replay replay = Replay.start(recorded, options)) {
            assertThat(replay.rewindTo(frames)).as("every frame's hash as recorded").isNull();
        }
        Path file = dir.resolve("run.kilnrec");
        RecordingFile.save(recorded, file);
        try (Replay replay = Replay.start(RecordingFile.load(file), options)) {
            assertThat(replay.rewindTo(frames)).as("from the saved file too").isNull();
        }
        Recording filtered = new Recording(recorded.scene(), recorded.seed(), recorded.libraries(), recorded.prelude(), Long.MAX_VALUE);
        for (FrameRecord f : recorded.frames()) {
            filtered.append(new FrameRecord(f.frame(), f.dt(), f.reloads(), f.edits().stream().filter(kept).toList(), f.hash(), f.hashed()));
        }
        try (Replay replay = Replay.start(filtered, options)) {
            return replay.rewindTo(frames);
        }
    }
}
