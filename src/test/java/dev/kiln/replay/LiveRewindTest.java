package dev.kiln.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.build.BuildResult;
import dev.kiln.rewind.Divergence;
import dev.kiln.rewind.FrameHasher;
import dev.kiln.rewind.Recording;
import dev.kiln.scene.SceneLoader;
import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live run rewound in place: keyframes taken as it runs; rewinding to frame 130 restores one
 * and re-simulates to exactly the recorded state there (paused); replaying forward with the same
 * code reproduces the recorded hashes; rewinding to 100 and replaying with a changed mover
 * diverges at frame 100 and not before; resuming runs live on, and the recording, cut back and
 * re-recorded through all this, is a history a fresh replay reproduces hash for hash.
 */
class LiveRewindTest {
    static final int FRAMES = 300;

    @Test
    void theLiveRunRewindsReplaysWithAFixAndResumes(@TempDir Path dir) throws Exception {
        Path scene = KeyframeRewindTest.scene(dir);
        double dt = SceneLoader.readSettings(scene).fixedDt();
        try (TestEngine t = new TestEngine(KeyframeRewindTest.options(scene))) {
            SceneLoader.load(t.engine, scene);
            t.engine.recorder().hashEvery(1);
            LiveRewind live = LiveRewind.attach(t.engine);
            t.engine.run(FRAMES, dt);
            Recording before = t.engine.recorder().recording().copy();
            assertThat(live.keyframeFrames()).startsWith(0L).hasSizeGreaterThanOrEqualTo(FRAMES / LiveRewind.KEYFRAME_INTERVAL_MAX + 1);
            assertThat(live.rewound()).isFalse();

            assertThat(live.rewindTo(130)).isNull();
            assertThat(t.engine.frameIndex()).isEqualTo(130);
            assertThat(t.engine.paused()).as("paused there").isTrue();
            assertThat(live.rewound()).isTrue();
            assertThat(hash(t)).as("the world and States as recorded after frame 129").isEqualTo(before.frame(129).hash());
            assertThat(t.engine.recorder().recording().size()).as("the recording cut back to the rewind").isEqualTo(130);
            assertThat(t.engine.step(dt)).as("paused: no live frame runs").isNull();

            assertThat(live.replayTo(200)).as("the same code reproduces every hash").isNull();
            assertThat(hash(t)).isEqualTo(before.frame(199).hash());

            Path changed = dir.resolve("mover.zig");
            String source = Files.readString(TestEngine.example("mover.zig"));
            String faster = source.replace("self.speed * ctx.deltaTime()", "self.speed * 1.5 * ctx.deltaTime()");
            assertThat(faster).isNotEqualTo(source);
            Files.writeString(changed, faster);
            BuildResult built = t.engine.compiler().build(changed);
            assertThat(built.ok()).as(built.compilerOutput()).isTrue();

            assertThat(live.rewindTo(100)).isNull();
            assertThat(t.engine.frameIndex()).isEqualTo(100);
            // The fix, swapped in while paused (as a hot reload does at the frame boundary).
            assertThat(t.engine.scripts().swapLibrary("mover", t.engine.scripts().loadCode(built.library(), false)).ok()).isTrue();
            Divergence d = live.replayTo(FRAMES);
            assertThat(d).as("the change shows at once").isNotNull();
            assertThat(d.frame()).isEqualTo(100);
            assertThat(d.earliest()).as("nothing before frame 100 differs").isEqualTo(100);
            assertThat(t.engine.frameIndex()).as("replayed on to the end with the fix").isEqualTo(FRAMES);

            live.resume();
            assertThat(t.engine.paused()).isFalse();
            assertThat(live.rewound()).isFalse();
            t.engine.run(30, dt);
            Recording after = t.engine.recorder().recording().copy();
            assertThat(after.size()).isEqualTo(FRAMES + 30);
            assertThat(after.frame(100).reloads()).as("the fix recorded where it came in").hasSize(1);
            assertThat(after.frame(99).hash()).isEqualTo(before.frame(99).hash());
            assertThat(after.frame(100).hash()).isNotEqualTo(before.frame(100).hash());

            try (Replay replay = Replay.start(after, KeyframeRewindTest.options(scene))) {
                assertThat(replay.rewindTo(after.size())).as("the re-recorded history replays hash for hash").isNull();
            }
            live.detach();
        }
    }

    @Test
    void theKeyframeIntervalKeepsTakingThemWithinTheirShareOfTheFrame() {
        // A 5 ms keyframe on a 0.5 ms frame: 2 % of 0.5 ms is 10 µs, so every 500th frame.
        assertThat(LiveRewind.interval(5_000_000, 500_000)).isEqualTo(500);
        assertThat(LiveRewind.interval(1_000, 1_000_000)).as("never closer than").isEqualTo(LiveRewind.KEYFRAME_INTERVAL);
        assertThat(LiveRewind.interval(1_000_000_000, 1_000)).as("never further than").isEqualTo(LiveRewind.KEYFRAME_INTERVAL_MAX);
    }

    private static long hash(TestEngine t) {
        return new FrameHasher().hash(t.engine.world(), t.engine.scripts());
    }
}
