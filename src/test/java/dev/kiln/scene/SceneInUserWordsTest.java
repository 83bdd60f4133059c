package dev.kiln.scene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kiln.script.LogEntry;
import dev.kiln.testing.TestEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Syntax errors in the words of someone writing JSON by hand, each at file:line:col (deep
 * nesting and bytes that are not text too); duplicate entity names refused naming both places;
 * a scale that is not positive loads with a located warning.
 */
class SceneInUserWordsTest {
    @TempDir
    Path dir;

    private SceneException parseFails(String text) throws IOException {
        Path file = dir.resolve("scene.json");
        Files.writeString(file, text);
        SceneException e = catchThrowableOfType(SceneException.class, () -> SceneLoader.parse(file));
        assertThat(e).as(text).isNotNull();
        return e;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"kiln_scene\": NaN}|1:16|NaN is not a JSON number",
            "{\"kiln_scene\": -Infinity}|1:16|-Infinity is not a JSON number",
            "{\"kiln_scene\": 1} // the demo|1:19|comments are not allowed in JSON",
            "/* scene */ {\"kiln_scene\": 1}|1:1|comments are not allowed in JSON",
            "{\"kiln_scene\": 1,}|1:18|JSON allows no trailing comma",
            "{'kiln_scene': 1}|1:2|keys are written in double quotes",
            "{\"kiln_scene\": +1}|1:17|a number cannot start with '+'",
            "{\"kiln_scene\": tru}|1:16|unknown word 'tru'",
            "{\"kiln_scene\": 1|1:17|the text ends before the object opened at line 1, column 1 is closed"})
    void syntaxErrorsSayWhatIsWrongInJsonTerms(String text, String lineColumn, String reason) throws IOException {
        SceneException e = parseFails(text);
        assertThat(e.getMessage()).isEqualTo(dir.resolve("scene.json") + ":" + lineColumn + ": " + e.reason());
        assertThat(e.reason()).startsWith("JSON syntax error: ");
        assertThat(e.reason()).contains(reason)
                .doesNotContain("Feature").doesNotContain("enable").doesNotContain("(code ").doesNotContain("`");
    }

    @Test
    void deepNestingIsReportedWhereItCrossesTheLimit() throws IOException {
        String deep = "{\"kiln_scene\": 1, \"entities\":\n" + "[".repeat(2000) + "]".repeat(2000) + "}";
        SceneException e = parseFails(deep);
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.column()).isEqualTo(64); // the 64th '[' is level 65: the root object is level 1
        assertThat(e.reason()).isEqualTo("nested more than 64 levels deep; a scene needs at most a few levels")
                .doesNotContain("StreamReadConstraints");
    }

    @Test
    void bytesThatAreNotTextAreReportedAtTheFirstBadByte() throws IOException {
        Path file = dir.resolve("scene.json");
        Files.write(file, new byte[] {'{', '\n', ' ', ' ', '"', 'k', (byte) 0xC3, (byte) 0x28, '"', '}'});
        SceneException e = catchThrowableOfType(SceneException.class, () -> SceneLoader.parse(file));
        assertThat(e.getMessage()).isEqualTo(file + ":2:5: byte 0xC3 is not UTF-8 text; save the scene as UTF-8"
                + " (is this a text file?)");
        SceneException nul = parseFails("{\"kiln_scene\": 1,\n\u0000}");
        assertThat(nul.line() + ":" + nul.column()).isEqualTo("2:1");
        assertThat(nul.reason()).contains("control character U+0000 is not allowed here");
    }

    @Test
    void duplicateEntityNamesAreRefusedNamingBothPlaces() throws IOException {
        String text = """
                { "kiln_scene": 1,
                  "entities": [ { "name": "rock" },
                                { "name": "tree" },
                                { "name": "rock" } ] }
                """;
        SceneException e = parseFails(text);
        Path file = dir.resolve("scene.json");
        assertThat(e.getMessage()).isEqualTo(file + ":4:27: entities[2].name: duplicate entity name 'rock', already"
                + " the name of entities[0].name at " + file + ":2:27; give each entity its own name (logs and"
                + " references show it)");
    }

    @Test
    void aScaleThatIsNotPositiveLoadsWithALocatedWarningNamingTheEntity() throws Exception {
        Path file = dir.resolve("scene.json");
        Files.writeString(file, """
                { "kiln_scene": 1,
                  "entities": [ { "name": "rock", "scale": [1, 0, 1] },
                                { "name": "tree", "scale": [2, 2, 2] },
                                { "scale": [-1, 1, 1] } ] }
                """);
        try (TestEngine t = new TestEngine()) {
            LoadedScene loaded = SceneLoader.load(t.engine, file);
            assertThat(loaded.entities()).hasSize(3);
            assertThat(t.logs).filteredOn(l -> l.level() == LogEntry.Level.WARN).extracting(LogEntry::message)
                    .containsExactly(
                            file + ":2:44: entities[0].scale: scale [1, 0, 1] of entity 'rock' is not positive on"
                                    + " every axis: the entity is flat or mirrored; write values greater than 0",
                            file + ":4:28: entities[2].scale: scale [-1, 1, 1] of this entity is not positive on"
                                    + " every axis: the entity is flat or mirrored; write values greater than 0");
        }
    }
}
