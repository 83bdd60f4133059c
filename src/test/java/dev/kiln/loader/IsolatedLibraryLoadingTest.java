package dev.kiln.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.abi.LibraryLoadException;
import dev.kiln.script.ScriptLibrary;
import dev.kiln.testing.TestEngine;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What isolated mode accepts and refuses: the same checks as in-process, plus the host's own. */
class IsolatedLibraryLoadingTest {
    private static Path cScript(String file) {
        return TestEngine.home().resolve("src/test/c").resolve(file);
    }

    @AfterEach
    void noHostOrRegionIsLeftBehind() {
        assertThat(TestEngine.isolatedHosts()).isZero();
        assertThat(TestEngine.isolatedRegionsMapped()).isZero();
    }

    @Test
    void aCScriptRunsIsolated() {
        try (TestEngine t = new TestEngine()) {
            ScriptLibrary lib = t.loadIsolated(cScript("c_mover.c"));
            assertThat(lib.isolated()).isTrue();
            LibraryLoadingTest.checkTheCMoverRuns(t, lib);
        }
    }

    @Test
    void anotherAbiVersionAndAMissingExportAreRefusedAsInProcess() {
        try (TestEngine t = new TestEngine()) {
            assertThatThrownBy(() -> t.engine.loadScript(cScript("abi_v2.c"), true))
                    .isInstanceOfSatisfying(LibraryLoadException.class,
                            e -> assertThat(e.reason()).isEqualTo(LibraryLoadException.Reason.ABI_MISMATCH))
                    .hasMessageContaining("built for Kiln ABI version 2");
            assertThatThrownBy(() -> t.engine.loadScript(cScript("no_update.c"), true))
                    .isInstanceOfSatisfying(LibraryLoadException.class,
                            e -> assertThat(e.reason()).isEqualTo(LibraryLoadException.Reason.MISSING_EXPORTS))
                    .hasMessageContaining("missing required export(s) kiln_script_update");
            assertThat(t.engine.scripts().libraries()).isEmpty();
        }
    }

    @Test
    void theHostsLoaderErrorIsReported() {
        try (TestEngine t = new TestEngine()) {
            assertThatThrownBy(() -> t.engine.loadScript(cScript("unresolved.c"), true))
                    .isInstanceOf(LibraryLoadException.class)
                    .hasMessageContaining("its isolated host could not load it: dlopen failed")
                    .hasMessageContaining("kiln_test_symbol_nobody_defines");
        }
    }

    @Test
    void aLibraryThatEndsItsProcessWhenLoadedEndsOnlyItsHost() {
        try (TestEngine t = new TestEngine()) {
            assertThatThrownBy(() -> t.engine.loadScript(cScript("ctor_exit.c"), true))
                    .isInstanceOf(LibraryLoadException.class)
                    .hasMessageContaining("cannot start its isolated host")
                    .hasMessageContaining("exit status 7");
            long e = t.engine.world().spawn();
            t.load(TestEngine.example("mover.zig"));
            t.engine.scripts().attach(e, "mover", 0, null);
            t.run(3); // the engine is fine
            assertThat(t.engine.world().position(e).x()).isPositive();
        }
    }
}
