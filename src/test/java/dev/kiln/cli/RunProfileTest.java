package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.build.ScriptCompiler;
import dev.kiln.engine.EngineOptions;
import org.junit.jupiter.api.Test;

/** Which build profile `kiln run` uses: the warm development compiler exactly when it watches. */
class RunProfileTest {
    @Test
    void aWatchedRunBuildsWithTheWarmDevelopmentCompiler() {
        EngineOptions o = RunProfile.options(EngineOptions.defaults().withMemoryBudgetBytes(12345), false, true);
        assertThat(o.mode()).isEqualTo(ScriptCompiler.Mode.DEVELOPMENT);
        assertThat(o.development()).isTrue();
        assertThat(o.memoryBudgetBytes()).as("the scene's settings kept").isEqualTo(12345);
    }

    @Test
    void aRunThatDoesNotWatchBuildsReleaseSafe() {
        assertThat(RunProfile.options(EngineOptions.defaults(), false, false).mode())
                .isEqualTo(ScriptCompiler.Mode.RELEASE_SAFE);
    }

    @Test
    void aReleaseRunBuildsReleaseFastWhateverItWatches() {
        assertThat(RunProfile.options(EngineOptions.defaults(), true, true).mode()).isEqualTo(ScriptCompiler.Mode.RELEASE_FAST);
        assertThat(RunProfile.options(EngineOptions.defaults(), true, false).development()).isFalse();
    }
}
