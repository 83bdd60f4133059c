package dev.kiln.rewind;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.engine.EngineOptions;
import dev.kiln.scene.SceneLoader;
import dev.kiln.script.ScriptInstance;
import dev.kiln.script.StateCapture;
import dev.kiln.testing.TestEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The frame hash covers the contents of the containers a State names, not their handles: the
 * demo's follower keeps a kiln.List; changing one element changes the hash, and restoring the
 * original contents (which gives the container a new handle) gives the original hash back.
 */
class FrameHasherContainersTest {
    static final Path DEMO = TestEngine.home().resolve("demo/scene.json");

    @Test
    void containerContentsAreHashedAndTheirHandlesAreNot() throws Exception {
        EngineOptions options = SceneLoader.readSettings(DEMO).applyTo(EngineOptions.defaults().withBuildDir(TestEngine.buildDir()));
        try (TestEngine t = new TestEngine(options)) {
            SceneLoader.load(t.engine, DEMO);
            t.engine.run(120, SceneLoader.readSettings(DEMO).fixedDt());
            ScriptInstance follower = t.engine.scripts().instances().stream()
                    .filter(i -> !t.engine.scripts().captureState(i).containers().stream().allMatch(c -> c.len() == 0))
                    .findFirst().orElseThrow();
            StateCapture original = t.engine.scripts().captureState(follower);
            long before = new FrameHasher().hash(t.engine.world(), t.engine.scripts());

            List<StateCapture.Container> changed = new ArrayList<>(original.containers());
            StateCapture.Container first = changed.stream().filter(c -> c.len() > 0).findFirst().orElseThrow();
            byte[] elements = first.elements().clone();
            elements[0] ^= 1; // the low byte of the first element's first field
            changed.set(changed.indexOf(first), new StateCapture.Container(first.offset(), first.elemSize(), elements));
            t.engine.scripts().restoreState(follower, new StateCapture(original.instance(), original.stateType(), original.state(), changed));
            assertThat(new FrameHasher().hash(t.engine.world(), t.engine.scripts())).isNotEqualTo(before);

            t.engine.scripts().restoreState(follower, original);
            assertThat(t.engine.scripts().captureState(follower).state()).as("the restore made new handles")
                    .isNotEqualTo(original.state());
            assertThat(new FrameHasher().hash(t.engine.world(), t.engine.scripts())).isEqualTo(before);
        }
    }
}
