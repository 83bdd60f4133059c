package dev.kiln.embed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.TestEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The development features a game opts into: hot reload of its scripts, and the inspector. */
class EmbeddingDevToolsTest {
    /** A build, a load and a swap: seconds; generous for a busy machine. */
    static final Duration RELOAD_LIMIT = Duration.ofSeconds(120);

    static String mover(int step) {
        return "const kiln = @import(\"kiln\");\n"
                + "pub const State = struct {};\n"
                + "pub fn update(self: *State, ctx: *kiln.Context) !void {\n"
                + "    _ = self;\n"
                + "    try ctx.translate(ctx.entity, kiln.vec3(" + step + ", 0, 0));\n"
                + "}\n";
    }

    @Test
    void aSavedScriptRunsItsNewCodeAtTheNextStep(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("hopper.zig");
        Files.writeString(file, mover(1));
        KilnConfig config = KilnConfig.defaults().withBuildDir(TestEngine.buildDir()).withLog(e -> {})
                .withHotReload(true);
        try (Kiln kiln = Kiln.create(config)) {
            assertThat(kiln.reloads()).isNotNull();
            kiln.loadScript(file);
            long e = kiln.spawn(0, 0, 0);
            kiln.attach(e, "hopper");
            float[] xyz = new float[3];
            kiln.step(TestEngine.DT);
            kiln.transforms().position(e, xyz);
            assertThat(xyz[0]).isEqualTo(1f);

            Path temp = dir.resolve(".hopper.zig.swp"); // saved as editors do: write, then rename over
            Files.writeString(temp, mover(10));
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            long deadline = System.nanoTime() + RELOAD_LIMIT.toNanos();
            float moved = 0;
            while (System.nanoTime() < deadline && moved != 10f) {
                float before = xyz[0];
                kiln.step(TestEngine.DT);
                kiln.transforms().position(e, xyz);
                moved = xyz[0] - before;
                Thread.sleep(5);
            }
            assertThat(moved).as("a frame's move after the save").isEqualTo(10f);
        }
    }

    @Test
    void theInspectorServesTheRunningEngine() throws Exception {
        KilnConfig config = KilnConfig.defaults().withBuildDir(TestEngine.buildDir()).withLog(e -> {})
                .withInspector(true);
        try (Kiln kiln = Kiln.create(config)) {
            String url = kiln.inspectorUrl();
            assertThat(url).startsWith("http://127.0.0.1:").contains("token=");
            HttpResponse<String> page = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
        }
        KilnConfig off = KilnConfig.defaults().withBuildDir(TestEngine.buildDir()).withLog(e -> {});
        try (Kiln kiln = Kiln.create(off)) {
            assertThat(kiln.inspectorUrl()).isNull();
            assertThat(kiln.reloads()).isNull();
        }
    }
}
