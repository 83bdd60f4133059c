package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.build.ScriptCompiler;
import dev.kiln.engine.EngineOptions;
import org.junit.jupiter.api.Test;

/** Which build profile `kiln run` uses: the warm development compiler when a watched run asks for it. */
class RunProfileTest {
    @Test
    void aWatchedRunWithWarmCompilerBuildsWithTheWarmDevelopmentCompiler() {
        EngineOptions o = RunProfile.options(EngineOptions.defaults().withMemoryBudgetBytes(12345), false, true, true);
        assertThat(o.mode()).isEqualTo(ScriptCompiler.Mode.DEVELOPMENT);
        assertThat(o.development()).isTrue();
        assertThat(o.memoryBudgetBytes()).as("the scene's settings kept").isEqualTo(12345);
    }

    @Test
    void aWatchedRunBuildsReleaseSafeUnlessItAsksForTheWarmCompiler() {
        assertThat(RunProfile.options(EngineOptions.defaults(), false, true, false).mode())
                .isEqualTo(ScriptCompiler.Mode.RELEASE_SAFE);
        assertThat(RunProfile.options(EngineOptions.defaults(), false, false, true).mode())
                .as("no watching, nothing to keep warm").isEqualTo(ScriptCompiler.Mode.RELEASE_SAFE);
    }

    @Test
    void aReleaseRunBuildsReleaseFastWhateverItWatches() {
        assertThat(RunProfile.options(EngineOptions.defaults(), true, true, true).mode()).isEqualTo(ScriptCompiler.Mode.RELEASE_FAST);
        assertThat(RunProfile.options(EngineOptions.defaults(), true, false, false).development()).isFalse();
    }
}
