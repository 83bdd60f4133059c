package dev.kiln.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.build.BuildResult;
import dev.kiln.rewind.Divergence;
import dev.kiln.rewind.Recording;
import dev.kiln.rewind.RecordingFile;
import dev.kiln.engine.EngineOptions;
import dev.kiln.scene.SceneLoader;
import dev.kiln.script.LogEntry;
import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo recorded for 600 frames, rewound and replayed: with the same code every hash comes
 * back; with a changed script swapped in at frame 100 the first divergence is at frame 100, on
 * an entity that script moves, and nothing before it differs.
 */
class DemoReplayTest {
    static final Path DEMO = TestEngine.home().resolve("demo/scene.json");
    static final int FRAMES = 600;
    static final List<LogEntry> logs = new CopyOnWriteArrayList<>();
    static Recording recorded;

    static EngineOptions options() {
        return EngineOptions.defaults().withBuildDir(TestEngine.buildDir()).withLog(logs::add);
    }

    @BeforeAll
    static void recordTheDemo() throws Exception {
        try (TestEngine t = new TestEngine(SceneLoader.readSettings(DEMO).applyTo(options()))) {
            SceneLoader.load(t.engine, DEMO);
            double dt = SceneLoader.readSettings(DEMO).fixedDt();
            t.engine.run(FRAMES, dt);
            recorded = t.engine.recorder().recording().copy();
        }
    }

    @Test
    void aDevelopmentRunRecordsEveryFrameOfItsScene() {
        assertThat(recorded.size()).isEqualTo(FRAMES);
        assertThat(recorded.libraries().keySet())
                .containsExactlyInAnyOrder("mover", "spinner", "spawner", "lifetime", "follower", "scoreboard");
        // The world changes every frame (sparks fly), so consecutive hashes differ.
        assertThat(recorded.frame(101).hash()).isNotEqualTo(recorded.frame(100).hash());
        assertThat(recorded.usedBytes()).isLessThan(FRAMES * 64L);
    }

    @Test
    void aReleaseRunRecordsNothing() throws Exception {
        try (TestEngine t = new TestEngine(SceneLoader.readSettings(DEMO).applyTo(options()).release())) {
            assertThat(t.engine.recorder()).isNull();
        }
    }

    @Test
    void rewindingToFrame100AndReplayingTheSameCodeReproducesEveryHash() throws Exception {
        try (Replay replay = Replay.start(recorded, options())) {
            assertThat(replay.rewindTo(100)).isNull();
            assertThat(replay.frame()).isEqualTo(100);
            assertThat(replay.replayTo(FRAMES)).isNull();
            assertThat(replay.frame()).isEqualTo(FRAMES);
        }
    }

    @Test
    void aChangedScriptSwappedInAtFrame100DivergesThereAndNotBefore(@TempDir Path dir) throws Exception {
        Path changed = dir.resolve("mover.zig");
        String source = Files.readString(TestEngine.example("mover.zig"));
        String faster = source.replace("self.speed * ctx.deltaTime()", "self.speed * 1.5 * ctx.deltaTime()");
        assertThat(faster).isNotEqualTo(source);
        Files.writeString(changed, faster);
        try (Replay replay = Replay.start(recorded, options())) {
            BuildResult built = replay.engine().compiler().build(changed);
            assertThat(built.ok()).as(built.compilerOutput()).isTrue();
            assertThat(replay.rewindTo(100)).as("frames 0 to 99 with the recorded code").isNull();
            replay.swap("mover", built.library());
            Divergence d = replay.replayTo(FRAMES);
            assertThat(d).isNotNull();
            assertThat(d.frame()).isEqualTo(100);
            // The spawner (entity 0) carries mover at priority 1: the first entity it moves.
            assertThat(d.entity()).contains("spawner");
            assertThat(d.field()).isEqualTo("position");
            assertThat(d.recorded()).isNotEqualTo(d.replayed());
            assertThat(replay.frame()).isEqualTo(101);
        }
    }

    @Test
    void aSavedRecordingLoadsWithTheSameFramesAndHashes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("demo.kilnrec");
        RecordingFile.save(recorded, file);
        Recording loaded = RecordingFile.load(file);
        assertThat(loaded.scene()).isEqualTo(recorded.scene());
        assertThat(loaded.seed()).isEqualTo(recorded.seed());
        assertThat(loaded.libraries()).isEqualTo(recorded.libraries());
        assertThat(loaded.frames()).isEqualTo(recorded.frames());
    }
}
