package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.build.KilnHome;
import dev.kiln.loader.NativeLibrary;
import dev.kiln.scene.LoadedScene;
import dev.kiln.scene.SceneLoader;
import dev.kiln.script.LogEntry;
import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `kiln new`: the project it writes runs as a scene, and its build.zig builds with Zig. */
class ScaffoldTest {
    @Test
    void aNewProjectRunsAndItsBuildZigCompilesTheScript(@TempDir Path tmp) throws Exception {
        Path project = tmp.resolve("my-game");
        Scaffold.create(project, "hello", KilnHome.sdkDir(TestEngine.home()));
        assertThat(project.resolve("scripts/hello.zig")).exists();

        try (TestEngine t = new TestEngine()) {
            LoadedScene scene = SceneLoader.load(t.engine, project.resolve("scene.json"));
            long e = scene.entity("hello-entity");
            t.run(30);
            assertThat(t.engine.world().position(e).y()).isNotEqualTo(1f); // it bobs
            assertThat(t.logs).extracting(LogEntry::message).containsExactly("hello attached");

            // The editor-facing build.zig builds the same script with `zig build`, finding the
            // SDK relative to the project: no absolute checkout path is written into it.
            Path sdk = KilnHome.sdkDir(TestEngine.home());
            assertThat(Files.readString(project.resolve("build.zig"))).doesNotContain("\"" + sdk);
            zigBuild(t, project, null);
            // Moved away from the Kiln it came from, it finds the SDK through KILN_HOME.
            Path moved = Files.createDirectories(tmp.resolve("elsewhere/deeper")).resolve("my-game");
            Files.move(project, moved);
            zigBuild(t, moved, TestEngine.home());
        }
    }

    /** Runs `zig build` in {@code project} (with KILN_HOME set when given) and checks the library it built. */
    private static void zigBuild(TestEngine t, Path project, Path kilnHome) throws Exception {
        Path zig = t.engine.compiler().zig().executable();
        Path cache = TestEngine.buildDir();
        ProcessBuilder pb = new ProcessBuilder(zig.toString(), "build").directory(project.toFile()).redirectErrorStream(true);
        pb.environment().put("ZIG_GLOBAL_CACHE_DIR", cache.resolve("zig-global-cache").toString());
        pb.environment().put("ZIG_LOCAL_CACHE_DIR", cache.resolve("scaffold-cache").toString());
        pb.environment().remove("KILN_SDK");
        pb.environment().remove("KILN_HOME");
        if (kilnHome != null) pb.environment().put("KILN_HOME", kilnHome.toString());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        Path built = project.resolve("zig-out/lib/libhello.so");
        assertThat(built).exists();
        try (NativeLibrary lib = NativeLibrary.load(built, null)) { // unguarded: only its metadata is read
            assertThat(lib.info().name()).isEqualTo("hello");
        }
    }

    @Test
    void itNeverWritesIntoAFolderThatHasFiles(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("precious.txt"), "mine");
        assertThatThrownBy(() -> Scaffold.create(tmp, "hello", KilnHome.sdkDir(TestEngine.home())))
                .hasMessageContaining("already exists and is not an empty folder");
        assertThat(Files.readString(tmp.resolve("precious.txt"))).isEqualTo("mine");
        assertThatThrownBy(() -> Scaffold.create(tmp.resolve("x"), "Bad-Name", KilnHome.sdkDir(TestEngine.home())))
                .hasMessageContaining("lower_snake_case");
    }
}
