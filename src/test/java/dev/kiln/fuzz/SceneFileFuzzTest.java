package dev.kiln.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.scene.SceneException;
import dev.kiln.scene.SceneLoader;
import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * A scene file is user input: any mutation of a valid scene must either parse or fail with a
 * SceneException that names the file and a line — never another exception.
 */
class SceneFileFuzzTest {
    private static Path dir;
    private static String demo;

    @BeforeContainer
    static void setUp() throws Exception {
        dir = Files.createTempDirectory("kiln-scene-fuzz");
        demo = Files.readString(TestEngine.home().resolve("demo/scene.json"));
    }

    @AfterContainer
    static void tearDown() throws Exception {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) Files.delete(f);
        }
        Files.delete(dir);
    }

    @Provide
    Arbitrary<String> mutatedScenes() {
        Arbitrary<Integer> position = Arbitraries.integers().between(0, demo.length() - 1);
        Arbitrary<String> insert = Arbitraries.of("{", "}", "[", "]", ",", ":", "\"", "0", "-1e99", "null", "true",
                "\"phase\": \"x\"", "\u00e9", "\\", " ", "1.5", "\"kiln_scene\": 2");
        return Arbitraries.integers().between(1, 6).flatMap(n ->
                Arbitraries.entries(position, insert).list().ofSize(n).map(edits -> {
                    StringBuilder b = new StringBuilder(demo);
                    for (var e : edits) {
                        int at = Math.min(e.getKey(), b.length());
                        if (e.getValue().equals(" ")) b.deleteCharAt(Math.max(0, Math.min(at, b.length() - 1)));
                        else b.insert(at, e.getValue());
                    }
                    return b.toString();
                }));
    }

    @Property
    void mutatedScenesFailOnlyWithALocatedSceneException(@ForAll("mutatedScenes") String text) throws Exception {
        Path file = dir.resolve("scene.json");
        Files.writeString(file, text);
        try {
            SceneLoader.parse(file);
        } catch (SceneException e) {
            assertThat(e.getMessage()).startsWith(file.toString() + ":").matches("(?s)^\\S+:\\d+:\\d+: .*");
        }
    }

    @Property
    void randomTextFailsWithALocatedSceneException(@ForAll("noise") String text) throws Exception {
        Path file = dir.resolve("noise.json");
        Files.writeString(file, text);
        try {
            SceneLoader.parse(file);
        } catch (SceneException e) {
            assertThat(e.getMessage()).startsWith(file.toString() + ":");
        }
    }

    @Provide
    Arbitrary<String> noise() {
        return Arbitraries.strings().withChars("{}[]\":,0123456789.-eE truefalsnl\\\n").ofMaxLength(200);
    }
}
