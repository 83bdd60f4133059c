package dev.kiln.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.engine.Engine;
import dev.kiln.engine.EngineOptions;
import dev.kiln.rewind.Recording;
import dev.kiln.scene.SceneLoader;
import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rewinding back within a replay restores the nearest keyframe in place and re-simulates only
 * from there: a scene whose sparks are world entities only (tags, no scripts: nothing is
 * attached after the scene loads, so every keyframe applies), with hunters that keep their
 * catches in a kiln.List. Recorded with a hash every frame, so every frame after a restore is
 * checked against the recording: the restore is exact.
 */
class KeyframeRewindTest {
    static final int FRAMES = 300;

    static Path scene(Path dir) throws Exception {
        Path examples = TestEngine.home().resolve("zig/examples");
        String json = """
                { "kiln_scene": 1,
                  "settings": { "cell_size": 4.0, "fixed_dt": 0.0166667, "seed": 77 },
                  "scripts": { "mover": "%1$s/mover.zig", "spinner": "%1$s/spinner.zig",
                               "spawner": "%1$s/spawner.zig", "follower": "%1$s/follower.zig" },
                  "prefabs": { "spark": { "tags": ["spark"] } },
                  "entities": [
                    { "name": "spawner", "position": [0, 0, 0], "vars": { "speed": 2.5 },
                      "scripts": [ { "script": "spawner", "priority": 0 }, { "script": "mover", "priority": 1 } ] },
                    { "name": "hunter-1", "position": [3, 0, 2],
                      "scripts": [ { "script": "follower", "priority": 0 }, { "script": "spinner", "priority": 1 } ] },
                    { "name": "hunter-2", "position": [-3, 0, -2],
                      "scripts": [ { "script": "follower", "priority": 0 } ] }
                  ] }
                """.formatted(examples);
        Path file = dir.resolve("scene.json");
        Files.writeString(file, json);
        return file;
    }

    static EngineOptions options(Path scene) throws Exception {
        return SceneLoader.readSettings(scene).applyTo(EngineOptions.defaults().withBuildDir(TestEngine.buildDir()));
    }

    @Test
    void rewindingBackRestoresAKeyframeInPlaceAndEveryLaterHashComesBack(@TempDir Path dir) throws Exception {
        Path scene = scene(dir);
        Recording recorded;
        try (TestEngine t = new TestEngine(options(scene))) {
            SceneLoader.load(t.engine, scene);
            t.engine.recorder().hashEvery(1);
            t.engine.run(FRAMES, SceneLoader.readSettings(scene).fixedDt());
            recorded = t.engine.recorder().recording().copy();
            assertThat(t.engine.world().tagIndex().indices("spark").cardinality()).as("sparks were spawned").isPositive();
        }
        try (Replay replay = Replay.start(recorded, options(scene))) {
            assertThat(replay.rewindTo(FRAMES)).isNull();
            // Every KEYFRAME_INTERVAL frames, or at the next quiet boundary (no spawn result kept).
            long[] frames = replay.keyframeFrames();
            assertThat(frames).hasSizeGreaterThanOrEqualTo(FRAMES / Replay.KEYFRAME_INTERVAL).startsWith(0L);
            for (int k = 1; k < frames.length; k++) {
                assertThat(frames[k] - frames[k - 1]).isBetween((long) Replay.KEYFRAME_INTERVAL, Replay.KEYFRAME_INTERVAL + 10L);
            }
            assertThat(replay.keyframeBytes()).isPositive();
            Engine engine = replay.engine();

            assertThat(replay.rewindTo(130)).isNull();
            assertThat(replay.frame()).isEqualTo(130);
            assertThat(replay.engine()).as("restored in place, not a fresh engine from the scene").isSameAs(engine);
            assertThat(replay.replayTo(FRAMES)).as("every frame after the restore hashes as recorded").isNull();

            assertThat(replay.rewindTo(0)).isNull();
            assertThat(replay.frame()).isZero();
            assertThat(replay.engine()).isSameAs(engine);
            assertThat(replay.rewindTo(FRAMES)).isNull();
        }
    }
}
