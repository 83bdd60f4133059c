package dev.kiln.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.kiln.abi.Layouts;
import dev.kiln.abi.LibraryLoadException;
import dev.kiln.abi.ScriptInfo;
import dev.kiln.build.BuildResult;
import dev.kiln.build.Diagnostic;
import dev.kiln.build.ScriptBuildException;
import dev.kiln.script.LogEntry;
import dev.kiln.script.ScriptLibrary;
import dev.kiln.testing.TestEngine;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the engine accepts and refuses when loading script libraries. */
class LibraryLoadingTest {
    private static Path cScript(String file) {
        return TestEngine.home().resolve("src/test/c").resolve(file);
    }

    @Test
    void aScriptWrittenInCAgainstTheHeaderRuns() {
        try (TestEngine t = new TestEngine()) {
            checkTheCMoverRuns(t, t.load(cScript("c_mover.c")));
        }
    }

    /** c_mover.c (loaded as {@code lib}) reports its fields, says hello and moves 1 unit a second. */
    static void checkTheCMoverRuns(TestEngine t, ScriptLibrary lib) {
        assertThat(lib.info().stateFields()).extracting(ScriptInfo.StateField::name).containsExactly("speed", "updates");
        long e = t.engine.world().spawn();
        t.engine.scripts().attach(e, "c_mover", 0, null);
        t.run(60);
        assertThat(t.engine.world().position(e).x()).isCloseTo(1f, offset(1e-3f));
        assertThat(t.logs).extracting(LogEntry::message).containsExactly("hello from C");
    }

    @Test
    void zigScriptMetadataIsGeneratedByTheSdk() {
        try (TestEngine t = new TestEngine()) {
            ScriptInfo info = t.load(TestEngine.example("mover.zig")).info();
            assertThat(info.name()).isEqualTo("mover");
            assertThat(info.abiVersion()).isEqualTo(Layouts.ABI_VERSION);
            assertThat(info.sourceHash()).matches("[0-9a-f]{64}");
            assertThat(info.buildTimeUnix()).isGreaterThan(1_700_000_000L);
            assertThat(info.structVersion()).isEqualTo(Layouts.SCRIPT_INFO_STRUCT_VERSION);
            assertThat(info.buildModeName()).isEqualTo("ReleaseSafe"); // TestEngine builds the default mode
            assertThat(info.stateType().fields()).extracting(f -> f.name() + ":" + f.type().describe())
                    .containsExactly("speed:f32", "direction:struct Vec3", "updates:u32");
            assertThat(info.stateFields()).extracting(f -> f.name() + ":" + f.typeName())
                    .containsExactly("speed:f32", "direction:vec3", "updates:u32");
            ByteBuffer defaults = ByteBuffer.wrap(info.stateDefaults()).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(defaults.getFloat(info.stateFields().getFirst().offset())).isEqualTo(2.0f); // speed: f32 = 2.0
            assertThat(info.exports()).containsExactlyInAnyOrder(NativeLibrary.EXPORT_INFO, NativeLibrary.EXPORT_INIT,
                    NativeLibrary.EXPORT_UPDATE, NativeLibrary.EXPORT_SHUTDOWN, NativeLibrary.EXPORT_SIGNAL,
                    NativeLibrary.EXPORT_SIGNAL_BATCH, NativeLibrary.EXPORT_SIGNAL_LANE);
        }
    }

    @Test
    void aLibraryBuiltForAnotherAbiVersionIsRefusedWithAClearError() {
        try (TestEngine t = new TestEngine()) {
            assertThatThrownBy(() -> t.engine.loadScript(cScript("abi_v2.c")))
                    .isInstanceOfSatisfying(LibraryLoadException.class,
                            e -> assertThat(e.reason()).isEqualTo(LibraryLoadException.Reason.ABI_MISMATCH))
                    .hasMessageContaining("built for Kiln ABI version 2")
                    .hasMessageContaining("this engine speaks ABI version 1");
            assertThat(t.engine.scripts().libraries()).isEmpty();
        }
    }

    @Test
    void aLibraryMissingARequiredExportIsRefusedNamingIt() {
        try (TestEngine t = new TestEngine()) {
            assertThatThrownBy(() -> t.engine.loadScript(cScript("no_update.c")))
                    .isInstanceOfSatisfying(LibraryLoadException.class,
                            e -> assertThat(e.reason()).isEqualTo(LibraryLoadException.Reason.MISSING_EXPORTS))
                    .hasMessageContaining("missing required export(s) kiln_script_update");
            assertThat(t.engine.scripts().libraries()).isEmpty();
        }
    }

    @Test
    void corruptTruncatedAndMissingLibrariesAreRefused(@TempDir Path dir) throws Exception {
        try (TestEngine t = new TestEngine()) {
            Path garbage = dir.resolve("libgarbage.so");
            Files.write(garbage, "this is not an ELF file".getBytes());
            assertThatThrownBy(() -> t.engine.loadLibrary(garbage))
                    .isInstanceOfSatisfying(LibraryLoadException.class,
                            e -> assertThat(e.reason()).isEqualTo(LibraryLoadException.Reason.NOT_LOADABLE));

            BuildResult good = t.engine.compiler().buildC(cScript("c_mover.c"));
            byte[] bytes = Files.readAllBytes(good.library());
            Path truncated = dir.resolve("libtruncated.so");
            Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 3));
            assertThatThrownBy(() -> t.engine.loadLibrary(truncated))
                    .isInstanceOf(LibraryLoadException.class).hasMessageContaining("libtruncated.so")
                    .hasMessageContaining("truncated: its ELF headers describe");

            assertThatThrownBy(() -> t.engine.loadLibrary(dir.resolve("libnothere.so")))
                    .isInstanceOfSatisfying(LibraryLoadException.class,
                            e -> assertThat(e.reason()).isEqualTo(LibraryLoadException.Reason.NOT_FOUND));
            assertThat(t.engine.scripts().libraries()).isEmpty();
        }
    }

    @Test
    void aLibraryForAnotherArchitectureIsRefusedNamingBoth(@TempDir Path dir) throws Exception {
        try (TestEngine t = new TestEngine()) {
            Path foreign = dir.resolve("libforeign.so");
            Process p = new ProcessBuilder(t.engine.compiler().zig().executable().toString(), "cc",
                    "-target", "aarch64-linux-musl", "-shared", "-fPIC", "-nostdlib",
                    "-I", TestEngine.home().resolve("abi").toString(), "-o", foreign.toString(),
                    cScript("c_mover.c").toString()).inheritIO().start();
            assertThat(p.waitFor()).isZero();
            assertThatThrownBy(() -> t.engine.loadLibrary(foreign))
                    .isInstanceOfSatisfying(LibraryLoadException.class,
                            e -> assertThat(e.reason()).isEqualTo(LibraryLoadException.Reason.NOT_LOADABLE))
                    .hasMessageContaining("built for aarch64, but this machine is x86_64");
        }
    }

    @Test
    void aScriptNameCanBeLoadedOnlyOnce() {
        try (TestEngine t = new TestEngine()) {
            t.load(TestEngine.example("mover.zig"));
            assertThatThrownBy(() -> t.engine.loadScript(TestEngine.example("mover.zig")))
                    .isInstanceOf(LibraryLoadException.class).hasMessageContaining("already loaded");
            assertThat(t.engine.scripts().libraries()).hasSize(1);
        }
    }

    @Test
    void aCompileErrorIsReportedWithFileLineAndColumn(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("broken.zig");
        Files.writeString(broken, """
                const kiln = @import("kiln");
                pub const State = struct { x: f32 = 0 };
                pub fn update(self: *State, ctx: *kiln.Context) !void {
                    self.x += undefined_name;
                    _ = ctx;
                }
                """);
        try (TestEngine t = new TestEngine()) {
            assertThatThrownBy(() -> t.engine.loadScript(broken))
                    .isInstanceOfSatisfying(ScriptBuildException.class, e -> {
                        Diagnostic d = e.result().errors().getFirst();
                        assertThat(d.file().getFileName().toString()).isEqualTo("broken.zig");
                        assertThat(d.line()).isEqualTo(4);
                        assertThat(d.column()).isEqualTo(15);
                        assertThat(d.message()).contains("use of undeclared identifier 'undefined_name'");
                        assertThat(d.sourceLines()).anyMatch(l -> l.contains("self.x += undefined_name;"));
                    })
                    .hasMessageContaining("broken.zig:4:15: error: use of undeclared identifier");
            assertThat(t.engine.scripts().libraries()).isEmpty();
        }
    }

    @Test
    void aWrongHookSignatureIsACompileErrorNamingTheExpectedForm(@TempDir Path dir) throws Exception {
        Path wrong = dir.resolve("wrong_hook.zig");
        Files.writeString(wrong, """
                const kiln = @import("kiln");
                pub const State = struct {};
                pub fn update(self: *State) void { _ = self; }
                """);
        try (TestEngine t = new TestEngine()) {
            assertThatThrownBy(() -> t.engine.loadScript(wrong))
                    .isInstanceOf(ScriptBuildException.class)
                    .hasMessageContaining("`update` has the wrong parameters; expected pub fn update(self: *State, ctx: *kiln.Context)");
        }
    }
}
