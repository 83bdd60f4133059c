package dev.kiln.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.build.BuildResult;
import dev.kiln.engine.EngineOptions;
import dev.kiln.rewind.Divergence;
import dev.kiln.rewind.Recorder;
import dev.kiln.rewind.Recording;
import dev.kiln.rewind.RecordingFile;
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
        // Frame 0 is always hashed; the world changes every frame (sparks fly), so two hashed
        // frames' hashes differ.
        assertThat(recorded.frame(0).hashed()).isTrue();
        List<Long> hashes = recorded.frames().stream().filter(f -> f.hashed()).map(f -> f.hash()).toList();
        assertThat(hashes).hasSizeGreaterThan(FRAMES / Recorder.HASH_INTERVAL_MAX);
        assertThat(hashes.get(1)).isNotEqualTo(hashes.get(0));
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
    void rewindingBackFromTheEndAndReplayingReproducesEveryHash() throws Exception {
        // The demo attaches a script to each spark it spawns: the keyframe restored re-creates the
        // instance table as it was at its frame.
        try (Replay replay = Replay.start(recorded, options())) {
            assertThat(replay.rewindTo(FRAMES)).isNull();
            assertThat(replay.keyframeFrames()).startsWith(0L).hasSizeGreaterThan(1);
            assertThat(replay.rewindTo(100)).isNull();
            assertThat(replay.frame()).isEqualTo(100);
            assertThat(replay.replayTo(FRAMES)).isNull();
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
    void aDivergenceBetweenTwoHashedFramesIsReportedAtItsExactFrame(@TempDir Path dir) throws Exception {
        Recording sparse;
        try (TestEngine t = new TestEngine(SceneLoader.readSettings(DEMO).applyTo(options()))) {
            SceneLoader.load(t.engine, DEMO);
            t.engine.recorder().hashEvery(10); // frames 0, 10, 20, …: 95 to 99 are not hashed
            t.engine.run(120, SceneLoader.readSettings(DEMO).fixedDt());
            sparse = t.engine.recorder().recording().copy();
        }
        assertThat(sparse.frame(90).hashed()).isTrue();
        assertThat(sparse.frame(95).hashed()).isFalse();
        assertThat(sparse.frame(100).hashed()).isTrue();
        Path changed = dir.resolve("mover.zig");
        Files.writeString(changed, Files.readString(TestEngine.example("mover.zig"))
                .replace("self.speed * ctx.deltaTime()", "self.speed * 1.5 * ctx.deltaTime()"));
        try (Replay replay = Replay.start(sparse, options())) {
            BuildResult built = replay.engine().compiler().build(changed);
            assertThat(built.ok()).as(built.compilerOutput()).isTrue();
            assertThat(replay.rewindTo(95)).isNull();
            replay.swap("mover", built.library());
            Divergence d = replay.replayTo(120);
            // Seen at hashed frame 100, found at 95 by stepping a rebuilt reference and replay together.
            assertThat(d).isNotNull();
            assertThat(d.frame()).isEqualTo(95);
            assertThat(d.entity()).contains("spawner");
            assertThat(d.field()).isEqualTo("position");
            assertThat(replay.frame()).as("the replay stands just after the divergent frame").isEqualTo(96);
            // The rebuilt engine carries the swapped code on: replaying on diverges again at once.
            assertThat(replay.engine().scripts().library("mover").libraryPath()).isEqualTo(built.library());
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
