package dev.kiln.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.engine.Engine;
import dev.kiln.rewind.FrameHasher;
import dev.kiln.rewind.Recording;
import dev.kiln.scene.SceneLoader;
import dev.kiln.script.ScriptInstance;
import dev.kiln.testing.TestEngine;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The demo attaches {@code lifetime} to every spark it spawns and detaches it when the spark is
 * caught or expires: its keyframes hold the instance table as it was, so the live run rewinds
 * across those attaches and detaches in place (instances attached since dropped, detached ones
 * back with their ids and States), re-simulates and replays with every recorded hash, and a
 * replay restores such a keyframe into the engine it has run on instead of starting over.
 */
class DemoLiveRewindTest {
    static final int FRAMES = 400;

    @Test
    void theDemoRewindsLiveAcrossAttachesAndDetachesAndReplaysHashForHash() throws Exception {
        double dt = SceneLoader.readSettings(DemoReplayTest.DEMO).fixedDt();
        try (TestEngine t = new TestEngine(SceneLoader.readSettings(DemoReplayTest.DEMO).applyTo(DemoReplayTest.options()))) {
            SceneLoader.load(t.engine, DemoReplayTest.DEMO);
            t.engine.recorder().hashEvery(1);
            LiveRewind live = LiveRewind.attach(t.engine);
            t.engine.run(150, dt);
            Set<Integer> at150 = ids(t.engine);
            long attachedBy150 = t.engine.scripts().attachCount();
            t.engine.run(FRAMES - 150, dt);
            Recording before = t.engine.recorder().recording().copy();
            assertThat(t.engine.scripts().attachCount()).as("sparks got scripts since frame 150").isGreaterThan(attachedBy150);
            assertThat(ids(t.engine)).as("and some were detached").isNotEqualTo(at150);

            assertThat(live.rewindTo(150)).as("re-simulated to 150 with every hash as recorded").isNull();
            assertThat(t.engine.frameIndex()).isEqualTo(150);
            assertThat(ids(t.engine)).as("the instance table as it was at 150").isEqualTo(at150);
            assertThat(t.engine.scripts().attachCount()).as("later attaches get the same ids again").isEqualTo(attachedBy150);
            assertThat(hash(t.engine)).isEqualTo(before.frame(149).hash());

            assertThat(live.replayTo(FRAMES)).as("the same code reproduces every hash, attaches and detaches included").isNull();
            assertThat(hash(t.engine)).isEqualTo(before.frame(FRAMES - 1).hash());

            assertThat(live.rewindTo(7)).isNull();
            assertThat(hash(t.engine)).isEqualTo(before.frame(6).hash());
            assertThat(live.replayTo(FRAMES)).isNull();

            live.resume();
            t.engine.run(30, dt);
            Recording after = t.engine.recorder().recording().copy();
            assertThat(after.size()).isEqualTo(FRAMES + 30);
            for (int f = 0; f < FRAMES; f++) assertThat(after.frame(f).hash()).as("frame %d", f).isEqualTo(before.frame(f).hash());

            try (Replay replay = Replay.start(after, DemoReplayTest.options())) {
                assertThat(replay.rewindTo(after.size())).as("the re-recorded history replays hash for hash").isNull();
                Engine ran = replay.engine();
                assertThat(replay.rewindTo(100)).isNull();
                assertThat(replay.engine()).as("a keyframe restored into the engine that ran on, not a fresh one").isSameAs(ran);
                assertThat(replay.replayTo(after.size())).isNull();
            }
            live.detach();
        }
    }

    private static Set<Integer> ids(Engine engine) {
        return engine.scripts().instances().stream().map(ScriptInstance::id).collect(Collectors.toSet());
    }

    private static long hash(Engine engine) {
        return new FrameHasher().hash(engine.world(), engine.scripts());
    }

}
