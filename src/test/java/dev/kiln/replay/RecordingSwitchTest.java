package dev.kiln.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.engine.EngineOptions;
import dev.kiln.rewind.FrameHasher;
import dev.kiln.rewind.FrameRecord;
import dev.kiln.scene.SceneLoader;
import dev.kiln.testing.TestEngine;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EngineOptions#withRecording}: a development engine records a loaded scene unless told
 * not to; with recording off it has no recorder at all and runs the same frames to the same world.
 */
class RecordingSwitchTest {
    static final int FRAMES = 120;

    @Test
    void aDevelopmentRunRecordsByDefaultAndNotWithRecordingOff(@TempDir Path dir) throws Exception {
        Path scene = KeyframeRewindTest.scene(dir);
        EngineOptions options = KeyframeRewindTest.options(scene);
        assertThat(options.recording()).as("on by default").isTrue();
        long recordedHash, plainHash;
        try (TestEngine on = new TestEngine(options)) {
            SceneLoader.load(on.engine, scene);
            on.engine.run(FRAMES, TestEngine.DT);
            assertThat(on.engine.recorder().recording().size()).isEqualTo(FRAMES);
            assertThat(on.engine.recorder().recording().frames().subList(0, 64)).as("the first 64 frames are hashed, so the hash gets compiled")
                    .allMatch(FrameRecord::hashed);
            recordedHash = new FrameHasher().hash(on.engine.world(), on.engine.scripts());
        }
        try (TestEngine off = new TestEngine(options.withRecording(false))) {
            assertThat(off.engine.recorder()).as("no recorder, so nothing per frame").isNull();
            SceneLoader.load(off.engine, scene);
            off.engine.run(FRAMES, TestEngine.DT);
            plainHash = new FrameHasher().hash(off.engine.world(), off.engine.scripts());
        }
        assertThat(plainHash).as("recording changes nothing in the run").isEqualTo(recordedHash);
    }

    @Test
    void aReleaseRunNeverRecordsWhateverTheSwitchSays() {
        EngineOptions release = EngineOptions.defaults().release();
        assertThat(release.recording()).isTrue();
        assertThat(release.records()).isFalse();
        assertThat(EngineOptions.defaults().withRecording(false).records()).isFalse();
        assertThat(EngineOptions.defaults().records()).isTrue();
    }
}
