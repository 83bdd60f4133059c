package dev.kiln.scene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.build.ScriptBuildException;
import dev.kiln.ecs.ComponentSchema;
import dev.kiln.ecs.FieldType;
import dev.kiln.testing.TestEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failures once the engine is involved: builds, loads, a clash with the engine. Nothing stays loaded. */
class SceneBuildFailureTest {
    @TempDir
    Path dir;
    Path file;

    @BeforeEach
    void scripts() throws IOException {
        Files.createDirectories(dir.resolve("scripts"));
        Files.copy(TestEngine.example("mover.zig"), dir.resolve("scripts/mover.zig"));
        file = dir.resolve("scene.json");
    }

    @Test
    void everyScriptThatDoesNotCompileIsReportedWithTheCompilerDiagnostics() throws IOException {
        Files.writeString(dir.resolve("scripts/broken.zig"), """
                //! Does not compile: `speed` is not declared.
                const kiln = @import("kiln");

                pub const State = struct {};

                pub fn update(self: *State, ctx: *kiln.Context) !void {
                    _ = self;
                    try ctx.translate(ctx.entity, kiln.vec3(speed, 0, 0));
                }
                """);
        Files.writeString(dir.resolve("scripts/bad.c"), """
                #include "kiln.h"
                int broken(void) { return missing; }
                """);
        String json = """
                {
                  "kiln_scene": 1,
                  "scripts": { "mover": "scripts/mover.zig", "broken": "scripts/broken.zig",
                               "bad": "scripts/bad.c" },
                  "entities": [ { "scripts": [ { "script": "mover" } ] } ]
                }
                """;
        Files.writeString(file, json);
        try (TestEngine t = new TestEngine()) {
            SceneException e = loadFails(t);
            assertThat(e.problems()).hasSize(2);
            String broken = e.problems().get(0).format();
            assertThat(broken).startsWith(file + ":" + SceneErrorTest.at(json, "\"scripts/broken.zig\"")
                    + ": scripts.broken: script 'broken' does not compile:\n    ");
            assertThat(broken).contains("broken.zig:8:45: error: use of undeclared identifier 'speed'\n")
                    .contains("\n        try ctx.translate(ctx.entity, kiln.vec3(speed, 0, 0));\n");
            String bad = e.problems().get(1).format();
            assertThat(bad).startsWith(file + ":" + SceneErrorTest.at(json, "\"scripts/bad.c\"")
                    + ": scripts.bad: script 'bad' does not compile:\n    ");
            assertThat(bad).contains("bad.c:2:27: error: use of undeclared identifier 'missing'");
            assertThat(e.getMessage()).isEqualTo(broken + "\n" + bad);
            assertThat(e.getSuppressed()).hasSize(2).allMatch(s -> s instanceof ScriptBuildException);
            assertEmpty(t);
        }
    }

    @Test
    void aLoadFailureUnloadsTheLibrariesLoadedBeforeIt() throws IOException, SceneException {
        Path renamed = TestEngine.testScript("renamed.zig");
        String json = """
                {
                  "kiln_scene": 1,
                  "scripts": { "mover": "scripts/mover.zig", "renamed": "%s" },
                  "entities": [ { "name": "a", "scripts": [ { "script": "mover" } ] } ]
                }
                """.formatted(renamed);
        Files.writeString(file, json);
        try (TestEngine t = new TestEngine()) {
            SceneException e = loadFails(t);
            assertThat(e.getMessage()).isEqualTo(file + ":" + SceneErrorTest.at(json, "\"" + renamed + "\"")
                    + ": scripts.renamed: script 'renamed' calls itself 'someone_else' "
                    + "(its `pub const name`); a script's key in \"scripts\" must be its name");
            assertEmpty(t);

            // The engine is as it was: the same scene without the culprit loads into it.
            Files.writeString(file, json.replace(", \"renamed\": \"" + renamed + "\"", ""));
            LoadedScene scene = SceneLoader.load(t.engine, file);
            t.run(30);
            assertThat(t.engine.world().position(scene.entity("a")).x()).isCloseTo(1f, within(1e-3f));
        }
    }

    @Test
    void aComponentTheEngineHasWithAnotherLayoutIsRefusedBeforeAnythingIsLoaded() throws IOException {
        String json = """
                {
                  "kiln_scene": 1,
                  "scripts": { "mover": "scripts/mover.zig" },
                  "components": { "health": [ { "name": "hp", "type": "f32" } ] },
                  "entities": [
                    { "components": { "health": { "hp": 3 } }, "scripts": [ { "script": "mover" } ] }
                  ]
                }
                """;
        Files.writeString(file, json);
        try (TestEngine t = new TestEngine()) {
            t.engine.world().registerComponent(ComponentSchema.of("health",
                    List.of(new ComponentSchema.Field("hp", FieldType.I32, 0))));
            SceneException e = loadFails(t);
            assertThat(e.getMessage()).startsWith(file + ": components.health: the engine already has a "
                    + "component 'health' with a different layout");
            assertEmpty(t);
        }
    }

    private SceneException loadFails(TestEngine t) {
        SceneException e = catchThrowableOfType(SceneException.class, () -> SceneLoader.load(t.engine, file));
        assertThat(e).as("loading " + file + " should fail").isNotNull();
        return e;
    }

    private static void assertEmpty(TestEngine t) {
        assertThat(t.engine.world().aliveCount()).isZero();
        assertThat(t.engine.scripts().libraries()).isEmpty();
        assertThat(t.engine.scripts().instances()).isEmpty();
    }
}
