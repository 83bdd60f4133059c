package dev.kiln.scene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.script.ScriptInstance;
import dev.kiln.script.ScriptLibrary;
import dev.kiln.script.ScriptRuntime;
import dev.kiln.testing.TestEngine;
import org.junit.jupiter.api.Test;

/** ScriptRuntime.unload, which the scene loader uses to undo a load that failed half-way. */
class SceneScriptUnloadTest {

    @Test
    void anUnusedLibraryIsForgottenAndCanBeLoadedAgain() {
        try (TestEngine t = new TestEngine()) {
            ScriptRuntime runtime = t.engine.scripts();
            ScriptLibrary mover = t.load(TestEngine.example("mover.zig"));
            runtime.unload(mover);
            assertThat(runtime.libraries()).isEmpty();
            assertThat(runtime.library("mover")).isNull();

            t.load(TestEngine.example("mover.zig"));
            long e = t.engine.world().spawn();
            runtime.attach(e, "mover", 0, null);
            t.run(30);
            assertThat(t.engine.world().position(e).x()).isCloseTo(1f, within(1e-3f));
            assertThat(t.logs).isEmpty();
        }
    }

    @Test
    void aLibraryThatRanInstancesCanBeUnloadedOnceTheyAreShutDown() {
        try (TestEngine t = new TestEngine()) {
            ScriptRuntime runtime = t.engine.scripts();
            ScriptLibrary mover = t.load(TestEngine.example("mover.zig"));
            long e = t.engine.world().spawn();
            ScriptInstance instance = runtime.attach(e, "mover", 0, null);
            t.run(2);

            assertThatThrownBy(() -> runtime.unload(mover)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("cannot unload script 'mover': 1 instance(s) still attached or awaiting "
                            + "shutdown");
            runtime.detach(instance);
            // Detached but its shutdown has not run: its State still lives in the library.
            assertThatThrownBy(() -> runtime.unload(mover)).isInstanceOf(IllegalStateException.class);
            runtime.flushLifecycle();
            runtime.unload(mover);
            assertThat(runtime.libraries()).isEmpty();
            t.run(2); // the frame loop no longer touches the library
            assertThat(t.logs).isEmpty();
        }
    }

    @Test
    void aLibraryOfAnotherRuntimeIsRefused() {
        try (TestEngine a = new TestEngine(); TestEngine b = new TestEngine()) {
            ScriptLibrary mover = a.load(TestEngine.example("mover.zig"));
            assertThatThrownBy(() -> b.engine.scripts().unload(mover))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not loaded in this runtime");
            assertThat(a.engine.scripts().libraries()).containsExactly(mover);
        }
    }
}
