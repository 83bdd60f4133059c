package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.TestEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Generated bad input for `kiln run`: random out-of-range or malformed values for every
 * numeric option, and for scene fields. Each must end with exit code 2 and exactly one line on
 * stderr naming the option (or the scene's file:line:col), and never a stack trace.
 */
class BadInputPropertyTest {
    private static Path dir;
    private static Path validScene;

    @BeforeContainer
    static void setUp() throws Exception {
        dir = Files.createTempDirectory("kiln-bad-input");
        validScene = dir.resolve("valid.json");
        Files.writeString(validScene, "{\"kiln_scene\": 1, \"entities\": [{\"name\": \"rock\"}]}\n");
    }

    @AfterContainer
    static void tearDown() throws Exception {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) Files.delete(f);
        }
        Files.delete(dir);
    }

    // ---- options --------------------------------------------------------------------------------

    private static Arbitrary<String> junk() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("abcxyz_.,:/+e ").ofMinLength(1).ofMaxLength(8)
                        .filter(s -> !s.isBlank() && !s.strip().matches("[+]?[0-9.]*e?[0-9]*") && !s.startsWith("-")),
                Arbitraries.of("NaN", "Infinity", "-Infinity", "1e999", "0x10", "1,5", "ten", "", " "));
    }

    @Provide
    Arbitrary<Tuple.Tuple2<String, String>> badOptions() {
        Arbitrary<Tuple.Tuple2<String, String>> frames = Arbitraries.oneOf(
                Arbitraries.integers().lessOrEqual(-1).map(String::valueOf),
                Arbitraries.longs().greaterOrEqual(1L << 31).map(String::valueOf),
                junk()).map(v -> Tuple.of("--frames", v));
        Arbitrary<Tuple.Tuple2<String, String>> dt = Arbitraries.oneOf(
                Arbitraries.doubles().lessOrEqual(0).map(String::valueOf),
                Arbitraries.doubles().greaterOrEqual(1.01).ofScale(6).map(String::valueOf),
                Arbitraries.of("NaN", "Infinity", "-Infinity", "0", "-0", "1e40", "2"),
                junk().filter(s -> !s.strip().matches("NaN|[+-]?Infinity"))).map(v -> Tuple.of("--dt", v));
        Arbitrary<Tuple.Tuple2<String, String>> summary = Arbitraries.oneOf(
                Arbitraries.integers().lessOrEqual(0).map(String::valueOf), junk())
                .map(v -> Tuple.of("--summary-every", v));
        Arbitrary<Tuple.Tuple2<String, String>> port = Arbitraries.oneOf(
                Arbitraries.integers().lessOrEqual(-1).map(String::valueOf),
                Arbitraries.integers().greaterOrEqual(65_536).map(String::valueOf), junk())
                .map(v -> Tuple.of("--inspector-port", v));
        return Arbitraries.oneOf(frames, dt, summary, port);
    }

    @Property
    void aBadOptionValueIsExitCode2AndOneLineNamingTheOption(@ForAll("badOptions") Tuple.Tuple2<String, String> bad) {
        List<String> args = new ArrayList<>(List.of("run", validScene.toString(), "--build-dir",
                TestEngine.buildDir().toString(), "--no-watch", "--no-inspector", bad.get1() + "=" + bad.get2()));
        if (!bad.get1().equals("--frames")) args.addAll(List.of("--frames", "1"));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertThat(r.code()).as("%s=%s", bad.get1(), bad.get2()).isEqualTo(2);
        assertThat(r.errLines()).as("%s=%s", bad.get1(), bad.get2()).singleElement().asString()
                .startsWith("kiln run: ").contains(bad.get1());
        assertThat(r.noStackTrace()).isTrue();
    }

    // ---- scene fields ---------------------------------------------------------------------------

    /** JSON values that are never valid where {@link #badScenes} puts them. */
    private static Arbitrary<String> notANumber() {
        return Arbitraries.of("NaN", "Infinity", "-Infinity", "\"1\"", "null", "true", "[]", "{}", "[1]", "1e999",
                "-1e999", "tru", "'0.5'", "0.5.", "--1", "+1", ".5", "01", "1e", "\"\"");
    }

    @Provide
    Arbitrary<Tuple.Tuple2<String, String>> badScenes() {
        Arbitrary<String> fixedDt = Arbitraries.oneOf(notANumber(),
                Arbitraries.doubles().lessOrEqual(0).map(String::valueOf),
                Arbitraries.doubles().greaterOrEqual(1.01).ofScale(6).map(String::valueOf))
                .map(v -> "{\"kiln_scene\": 1, \"settings\": {\"fixed_dt\": " + v + "}}");
        Arbitrary<String> cellSize = Arbitraries.oneOf(notANumber(),
                Arbitraries.doubles().lessOrEqual(0).map(String::valueOf), Arbitraries.of("1e39", "-0"))
                .map(v -> "{\"kiln_scene\": 1,\n  \"settings\": {\"cell_size\": " + v + "}}");
        Arbitrary<String> version = Arbitraries.oneOf(notANumber(),
                Arbitraries.integers().filter(i -> i != 1).map(String::valueOf), Arbitraries.of("1.0", "1e0"))
                .map(v -> "{\"kiln_scene\": " + v + "}");
        Arbitrary<String> vector = Combinators.combine(
                Arbitraries.of("position", "velocity", "scale", "rotation"),
                Arbitraries.oneOf(notANumber(), notANumber().list().ofMinSize(1).ofMaxSize(4).map(l -> "[" + String.join(", ", l) + "]"),
                        Arbitraries.integers().between(0, 6).filter(n -> n != 3 && n != 4)
                                .map(n -> "[" + String.join(", ", Collections.nCopies(n, "1")) + "]")))
                .as((key, v) -> "{\"kiln_scene\": 1,\n \"entities\": [\n  {\"name\": \"a\", \"" + key + "\": " + v + "}]}");
        Arbitrary<String> name = Arbitraries.oneOf(Arbitraries.of("1", "null", "[]", "{}", "\"\"", "NaN"),
                        Arbitraries.strings().alpha().ofLength(65).map(s -> "\"" + s + "\""))
                .map(v -> "{\"kiln_scene\": 1, \"entities\": [{\"name\": " + v + "}]}");
        Arbitrary<String> duplicate = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8)
                .map(n -> "{\"kiln_scene\": 1, \"entities\": [{\"name\": \"" + n + "\"},\n {\"name\": \"" + n + "\"}]}");
        Arbitrary<String> deep = Arbitraries.integers().between(65, 3000)
                .map(n -> "{\"kiln_scene\": 1, \"entities\": " + "[".repeat(n) + "]".repeat(n) + "}");
        Arbitrary<String> binary = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(40)
                .map(b -> "{\"kiln_scene\": 1, \"x\": \"" + new String(b, StandardCharsets.ISO_8859_1) + "\"");
        return Arbitraries.oneOf(fixedDt, cellSize, version, vector, name, duplicate, deep, binary)
                .map(text -> Tuple.of(text, "scene.json"));
    }

    private static final Pattern LOCATED = Pattern.compile("^kiln run: \\S+scene\\.json:\\d+:\\d+: .+");

    @Property
    void aBadSceneFieldIsExitCode2AndOneLocatedLine(@ForAll("badScenes") Tuple.Tuple2<String, String> scene)
            throws Exception {
        Path file = dir.resolve(scene.get2());
        // The binary case carries raw bytes in a Latin-1 string: written back byte for byte.
        Files.write(file, scene.get1().getBytes(StandardCharsets.ISO_8859_1));
        CliRun r = CliRun.of("run", file.toString(), "--frames", "1", "--no-watch", "--no-inspector",
                "--build-dir", TestEngine.buildDir().toString());
        assertThat(r.code()).as(scene.get1()).isEqualTo(2);
        assertThat(r.errLines()).as(scene.get1()).singleElement().asString().matches(LOCATED);
        assertThat(r.noStackTrace()).isTrue();
    }
}
