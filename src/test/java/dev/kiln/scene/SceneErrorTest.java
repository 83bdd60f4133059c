package dev.kiln.scene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kiln.testing.TestEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad scene files: each problem is reported as {@code file:line:col: field.path: reason}, and
 * the engine it was loaded into is left empty. Positions are found with {@link #at}, which
 * locates a unique snippet in the scene text; the first tests also spell them out.
 */
class SceneErrorTest {
    @TempDir
    Path dir;
    Path file;

    @BeforeEach
    void scripts() throws IOException {
        Files.createDirectories(dir.resolve("scripts"));
        Files.copy(TestEngine.example("mover.zig"), dir.resolve("scripts/mover.zig"));
        file = dir.resolve("scene.json");
    }

    /** A valid scene around {@code entity}, the only entity. */
    private static String withEntity(String entity) {
        return """
                {
                  "kiln_scene": 1,
                  "scripts": { "mover": "scripts/mover.zig" },
                  "components": { "health": [{"name": "hp", "type": "f32"}, {"name": "max", "type": "f32"}] },
                  "prefabs": { "bullet": { "tags": ["bullet"] } },
                  "entities": [
                    %s
                  ]
                }
                """.formatted(entity);
    }

    @Test
    void aJsonSyntaxErrorNamesFileLineAndColumn() throws IOException {
        String json = """
                {
                  "kiln_scene": 1,
                  "entities": [ { "name": "a" } }
                }
                """;
        SceneException e = loadFails(json);
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.column()).isEqualTo(33);
        assertThat(e.getMessage()).isEqualTo(file + ":3:33: JSON syntax error: found '}' where the array opened at"
                + " line 3, column 15 needs its closing ']'");
    }

    @Test
    void anUnknownKeyIsReportedWhereTheKeyIsWritten() throws IOException {
        String json = withEntity("{ \"name\": \"a\", \"velocty\": [0, 0, 1] }");
        SceneException e = loadFails(json);
        assertThat(e.line()).isEqualTo(7);
        assertThat(e.column()).isEqualTo(20);
        assertThat(e.field()).isEqualTo("entities[0].velocty");
        assertThat(e.getMessage()).isEqualTo(file + ":7:20: entities[0].velocty: unknown key 'velocty' "
                + "(expected name, prefab, position, rotation, scale, velocity, tags, components, vars "
                + "or scripts)");
    }

    @Test
    void aValueOfTheWrongType() throws IOException {
        String json = withEntity("{ \"tags\": [\"ok\", 7] }");
        assertProblem(loadFails(json), at(json, "7]"), "entities[0].tags[1]",
                "expected a string, found a number");
    }

    @Test
    void anUnknownPhase() throws IOException {
        String json = withEntity("{ \"scripts\": [ { \"script\": \"mover\", \"phase\": \"updte\" } ] }");
        assertProblem(loadFails(json), at(json, "\"updte\""), "entities[0].scripts[0].phase",
                "unknown phase 'updte' (expected pre_update, update or post_update)");
    }

    @Test
    void anUnknownScriptReference() throws IOException {
        String json = withEntity("{ \"scripts\": [ { \"script\": \"mvoer\" } ] }");
        assertProblem(loadFails(json), at(json, "\"mvoer\""), "entities[0].scripts[0].script",
                "unknown script 'mvoer' (declared scripts: mover)");
    }

    @Test
    void anUnknownComponent() throws IOException {
        String json = withEntity("{ \"components\": { \"helth\": { \"hp\": 1 } } }");
        assertProblem(loadFails(json), at(json, "\"helth\""), "entities[0].components.helth",
                "unknown component 'helth' (declared components: health)");
    }

    @Test
    void anUnknownComponentField() throws IOException {
        String json = withEntity("{ \"components\": { \"health\": { \"hp\": 1, \"mx\": 2 } } }");
        assertProblem(loadFails(json), at(json, "\"mx\""), "entities[0].components.health.mx",
                "unknown field 'mx' of component 'health' (fields: hp or max)");
    }

    @Test
    void aVectorOfTheWrongArity() throws IOException {
        String json = withEntity("{ \"velocity\": [1, 2] }");
        assertProblem(loadFails(json), at(json, "[1, 2]"), "entities[0].velocity",
                "expected 3 numbers [x, y, z], found 2");
        String rotation = withEntity("{ \"rotation\": [0, 0, 1] }");
        assertProblem(loadFails(rotation), at(rotation, "[0, 0, 1]"), "entities[0].rotation",
                "expected 4 numbers [x, y, z, w], found 3");
    }

    @Test
    void aMissingFormatVersion() throws IOException {
        String json = "{\n  \"entities\": []\n}\n";
        SceneException e = loadFails(json);
        assertThat(e.getMessage()).isEqualTo(file + ":1:1: kiln_scene: missing required key 'kiln_scene' "
                + "(the scene format version; this Kiln reads version 1)");
    }

    @Test
    void anUnsupportedFormatVersionIsReportedBeforeUnknownKeys() throws IOException {
        String json = "{\n  \"kiln_scene\": 2,\n  \"layers\": []\n}\n";
        assertProblem(loadFails(json), "2:17", "kiln_scene",
                "unsupported scene format version 2 (this Kiln reads version 1)");
    }

    /** An entity written wrong: the snippet where the problem is, its field path and the reason. */
    record Mistake(String entity, String snippet, String field, String reason) {
        @Override
        public String toString() {
            return field + ": " + reason;
        }
    }

    static List<Mistake> moreMistakes() {
        return List.of(
                new Mistake("{ \"name\": \"a\", \"name\": \"b\" }", "\"name\": \"b\"", "entities[0].name",
                        "duplicate key 'name' (first written at line 7)"),
                new Mistake("{ \"prefab\": \"ship\" }", "\"ship\"", "entities[0].prefab",
                        "unknown prefab 'ship' (declared prefabs: bullet)"),
                new Mistake("{ \"position\": [0, 1e39, 0] }", "1e39", "entities[0].position[1]",
                        "number 1.0E39 is too large for a 32-bit float"),
                new Mistake("{ \"rotation\": [0, 0, 0, 0] }", "[0, 0, 0, 0]", "entities[0].rotation",
                        "a rotation quaternion must not be all zeros (identity is [0, 0, 0, 1])"),
                new Mistake("{ \"scripts\": [ { \"script\": \"mover\", \"priority\": 1.5 } ] }", "1.5",
                        "entities[0].scripts[0].priority", "expected an integer, found 1.5"),
                new Mistake("{ \"vars\": { \"lives\": { \"i64\": 2.5 } } }", "2.5",
                        "entities[0].vars.lives.i64", "expected an integer, found 2.5"),
                new Mistake("{ \"vars\": { \"name\": \"x\" } }", "\"x\"", "entities[0].vars.name",
                        "expected a number, true, false, [x, y, z] or {\"i64\": n}, found a string"),
                new Mistake("{ \"tags\": [\"\"] }", "\"\"", "entities[0].tags[0]",
                        "a name must not be empty"),
                new Mistake("{ \"components\": { \"health\": { \"hp\": \"full\" } } }", "\"full\"",
                        "entities[0].components.health.hp", "expected a number, found a string"),
                new Mistake("{ \"components\": { \"health\": [] } }", "[]", "entities[0].components.health",
                        "expected an object, found an array"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("moreMistakes")
    void moreMistakesInEntities(Mistake m) throws IOException {
        String json = withEntity(m.entity());
        assertProblem(loadFails(json), at(json, m.snippet()), m.field(), m.reason());
    }

    @Test
    void mistakesInDeclarations() throws IOException {
        String badType = "{ \"kiln_scene\": 1, "
                + "\"components\": { \"c\": [ { \"name\": \"x\", \"type\": \"f23\" } ] } }";
        assertProblem(loadFails(badType), at(badType, "\"f23\""), "components.c[0].type",
                "unknown field type 'f23' (expected bool, i32, u32, i64, u64, f32, f64, vec3 or entity)");
        String wrongKey = "{ \"kiln_scene\": 1, \"scripts\": { \"turret\": \"scripts/mover.zig\" } }";
        assertProblem(loadFails(wrongKey), at(wrongKey, "\"turret\""), "scripts.turret",
                "script key 'turret' must be the script's name 'mover' (its file name without extension)");
        String missing = "{ \"kiln_scene\": 1, \"scripts\": { \"gone\": \"scripts/gone.zig\" } }";
        assertProblem(loadFails(missing), at(missing, "\"scripts/gone.zig\""), "scripts.gone",
                "script file 'scripts/gone.zig' not found (looked at "
                        + dir.resolve("scripts/gone.zig") + ")");
        String typo = "{ \"kiln_scene\": 1, \"scripts\": { \"mover\": "
                + "{ \"source\": \"scripts/mover.zig\", \"isolatd\": true } } }";
        assertProblem(loadFails(typo), at(typo, "\"isolatd\""), "scripts.mover.isolatd",
                "unknown key 'isolatd' (expected source, isolated, request_quota or memory_budget)");
        String negativeBudget = "{ \"kiln_scene\": 1, \"scripts\": { \"mover\": "
                + "{ \"source\": \"scripts/mover.zig\", \"memory_budget\": -1 } } }";
        assertProblem(loadFails(negativeBudget), at(negativeBudget, "-1 }"), "scripts.mover.memory_budget",
                "-1 is out of range for a memory budget in bytes (0 to 4294967296)");
        String tinyQuota = "{ \"kiln_scene\": 1, \"scripts\": { \"mover\": "
                + "{ \"source\": \"scripts/mover.zig\", \"request_quota\": 8 } } }";
        assertProblem(loadFails(tinyQuota), at(tinyQuota, "8 }"), "scripts.mover.request_quota",
                "8 is out of range for a request quota in bytes (64 to 1073741824)");
        String noSource = "{ \"kiln_scene\": 1, \"scripts\": { \"mover\": { \"isolated\": true } } }";
        assertProblem(loadFails(noSource), at(noSource, "{ \"isolated\""), "scripts.mover.source",
                "missing required key 'source' (the script's source file)");
        String negativeSeed = "{ \"kiln_scene\": 1, \"settings\": { \"seed\": -1 } }";
        assertProblem(loadFails(negativeSeed), at(negativeSeed, "-1 }"), "settings.seed",
                "-1 is out of range for a seed (0 to 18446744073709551615)");
        String settings = "{ \"kiln_scene\": 1, \"settings\": { \"cell_size\": 0 } }";
        assertProblem(loadFails(settings), at(settings, "0 }"), "settings.cell_size",
                "cell_size must be greater than 0, found 0.0");
    }

    @Test
    void entityFieldsMustNameExactlyOneSceneEntity() throws IOException {
        String json = """
                { "kiln_scene": 1,
                  "components": { "aim": [ { "name": "target", "type": "entity" } ] },
                  "entities": [ { "name": "a" }, { "name": "a" },
                                { "components": { "aim": { "target": "a" } } },
                                { "components": { "aim": { "target": "b" } } } ] }
                """;
        assertProblem(loadFails(json), at(json, "\"a\" },\n"), "entities[1].name",
                "duplicate entity name 'a', already the name of entities[0].name at " + file + ":" + at(json, "\"a\" }, {")
                        + "; give each entity its own name (logs and references show it)");
        String unknown = json.replace("{ \"name\": \"a\" }, { \"name\": \"a\" }", "{ \"name\": \"a\" }, {}");
        assertProblem(loadFails(unknown), at(unknown, "\"b\""), "entities[3].components.aim.target",
                "no entity named 'b' in this scene");
    }

    @Test
    void filesThatAreNotAScene() throws IOException {
        assertThat(loadFails("").getMessage()).isEqualTo(file + ":1:1: the file is empty");
        assertThat(loadFails("[1]").getMessage())
                .isEqualTo(file + ":1:1: expected an object, found an array");
        assertThat(loadFails("{ \"kiln_scene\": 1 } {}").getMessage())
                .isEqualTo(file + ":1:21: unexpected content after the end of the top-level value");
        Path nowhere = dir.resolve("nowhere.json");
        SceneException e = catchThrowableOfType(SceneException.class, () -> SceneLoader.parse(nowhere));
        assertThat(e.getMessage()).isEqualTo(nowhere + ": no such file");
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** Writes the scene, loads it into a fresh engine, and checks the engine stayed empty. */
    private SceneException loadFails(String json) throws IOException {
        Files.writeString(file, json);
        try (TestEngine t = new TestEngine()) {
            SceneException e =
                    catchThrowableOfType(SceneException.class, () -> SceneLoader.load(t.engine, file));
            assertThat(e).as("loading should fail:\n" + json).isNotNull();
            assertThat(e.file()).isEqualTo(file);
            assertThat(t.engine.world().aliveCount()).isZero();
            assertThat(t.engine.scripts().libraries()).isEmpty();
            return e;
        }
    }

    private void assertProblem(SceneException e, String lineColumn, String field, String reason) {
        assertThat(e.getMessage()).isEqualTo(file + ":" + lineColumn + ": " + field + ": " + reason);
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.line() + ":" + e.column()).isEqualTo(lineColumn);
    }

    /** "line:col" (1-based) of {@code snippet}, which must occur exactly once in {@code text}. */
    static String at(String text, String snippet) {
        int index = text.indexOf(snippet);
        assertThat(index).as("'" + snippet + "' in the scene").isNotNegative();
        assertThat(text.indexOf(snippet, index + 1)).as("'" + snippet + "' occurs once").isNegative();
        String before = text.substring(0, index);
        int line = (int) before.chars().filter(c -> c == '\n').count() + 1;
        return line + ":" + (index - before.lastIndexOf('\n'));
    }
}
