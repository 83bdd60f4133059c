package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.build.ScriptCompiler;
import dev.kiln.engine.EngineOptions;
import org.junit.jupiter.api.Test;

/** Which build profile `kiln run` uses: the warm development compiler for a watched run that asks for it. */
class RunProfileTest {
    @Test
    void theWarmCompilerIsAskedForAndNoWarmCompilerTurnsItOff() {
        RunCommand plain = new RunCommand();
        new picocli.CommandLine(plain).parseArgs("scene.json");
        assertThat(plain.warmCompiler).as("no compiler kept running unless asked").isFalse();
        RunCommand off = new RunCommand();
        new picocli.CommandLine(off).parseArgs("scene.json", "--no-warm-compiler");
        assertThat(off.warmCompiler).isFalse();
        RunCommand asked = new RunCommand();
        new picocli.CommandLine(asked).parseArgs("scene.json", "--warm-compiler");
        assertThat(asked.warmCompiler).isTrue();
    }

    @Test
    void aWatchedRunWithWarmCompilerBuildsWithTheWarmDevelopmentCompiler() {
        EngineOptions o = RunProfile.options(EngineOptions.defaults().withMemoryBudgetBytes(12345), false, true, true);
        assertThat(o.mode()).isEqualTo(ScriptCompiler.Mode.DEVELOPMENT);
        assertThat(o.development()).isTrue();
        assertThat(o.memoryBudgetBytes()).as("the scene's settings kept").isEqualTo(12345);
    }

    @Test
    void aWatchedRunBuildsReleaseSafeWithoutTheWarmCompiler() {
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
