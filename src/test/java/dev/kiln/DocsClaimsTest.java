package dev.kiln;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.TestEngine;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the README and docs/ state that the code can confirm: versions, named constants and their
 * values, and that permanent text names no tracker entry and no date to come. The C ABI's claims
 * are DocsAbiClaimsTest's, bounds in words DocsWordedClaimsTest's, names and paths
 * DocsReferencesTest's, commands, calls and routes DocsInterfacesTest's.
 */
class DocsClaimsTest {
    /** Every package of the engine (DocsReferencesTest checks that none is missing). */
    static final String[] PACKAGES = {"abi", "build", "cli", "dataplane", "ecs", "embed", "engine", "inspector", "isolate",
            "loader", "reload", "replay", "rewind", "scene", "script", "state"};

    private static String read(String file) {
        return DocsText.read(file);
    }

    @Test
    void theReadmeNamesThePinnedZig() throws Exception {
        String pinned = read("zig/ZIG_VERSION").strip();
        Matcher m = Pattern.compile("pinned in `zig/ZIG_VERSION` \\(([^)]+)\\)").matcher(read("README.md"));
        assertThat(m.find()).isTrue();
        assertThat(m.group(1)).isEqualTo(pinned);
    }

    /**
     * Every version the docs give is the build's: Zig (the pin), kiln-engine (its pom), the
     * inspector's optional libraries (the engine's pom) and libGDX (the arena's pom).
     */
    @Test
    void everyVersionTheDocsGiveIsTheBuilds() {
        String pinnedZig = read("zig/ZIG_VERSION").strip();
        String enginePom = read("pom.xml");
        Map<Pattern, String> versions = Map.of(
                Pattern.compile("\\b[Zz]ig[ -](\\d+\\.\\d+\\.\\d+)"), pinnedZig,
                Pattern.compile("kiln-engine(?::|</artifactId>\\s*<version>)([\\w.-]+)"), pomVersion(enginePom, "kiln-engine"),
                Pattern.compile("io\\.javalin:javalin:([\\w.-]+)"), pomVersion(enginePom, "javalin"),
                Pattern.compile("slf4j-simple:([\\w.-]+)"), pomVersion(enginePom, "slf4j-simple"),
                Pattern.compile("libGDX (\\d+\\.\\d+\\.\\d+)"),
                pomProperty(read("examples/arena/pom.xml"), "gdx.version"));
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Path doc : DocsText.docs()) {
            String text = read(TestEngine.home().relativize(doc).toString());
            for (Map.Entry<Pattern, String> v : versions.entrySet()) {
                Matcher m = v.getKey().matcher(text);
                while (m.find()) {
                    checked++;
                    if (!m.group(1).equals(v.getValue())) {
                        problems.add(doc.getFileName() + ": \"" + m.group() + "\" but the build has " + v.getValue());
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(checked).isGreaterThan(5);
    }

    private static String pomVersion(String pom, String artifactId) {
        Matcher m = Pattern.compile("<artifactId>" + artifactId + "</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertThat(m.find()).as("the pom's version of " + artifactId).isTrue();
        return m.group(1);
    }

    private static String pomProperty(String pom, String property) {
        Matcher m = Pattern.compile("<" + Pattern.quote(property) + ">([^<]+)</").matcher(pom);
        assertThat(m.find()).as("the pom's " + property).isTrue();
        return m.group(1);
    }

    /**
     * Every `Class.CONSTANT` the docs name exists; where the docs give its value right after it
     * ("(3)", "(8 MiB of ...", ", 2 s)", "(3 %)"), that value.
     */
    @Test
    void everyNamedBoundInTheDocsExistsWithTheStatedValue() throws Exception {
        Pattern named = Pattern.compile("`([A-Z]\\w+)\\.([A-Z][A-Z0-9_]+)`(?:(?: \\(|, )" + Quantity.PATTERN + ")?");
        List<String> problems = new ArrayList<>();
        int checked = 0;
        List<Path> docs = new ArrayList<>(List.of(TestEngine.home().resolve("README.md")));
        try (Stream<Path> files = Files.list(TestEngine.home().resolve("docs"))) {
            files.filter(f -> f.toString().endsWith(".md")).forEach(docs::add);
        }
        for (Path doc : docs) {
            Matcher m = named.matcher(Files.readString(doc));
            while (m.find()) {
                Field field = constant(m.group(1), m.group(2));
                if (field == null) {
                    problems.add(doc.getFileName() + ": " + m.group(1) + "." + m.group(2) + " does not exist");
                    continue;
                }
                checked++;
                if (m.group(3) != null) {
                    Object value = field.get(null);
                    String stated = m.group(3) + (m.group(4) == null ? "" : " " + m.group(4));
                    if (!Quantity.matches(value, stated)) {
                        problems.add(doc.getFileName() + ": " + m.group(1) + "." + m.group(2) + " is " + value
                                + ", the doc says " + stated);
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(checked).isGreaterThan(10);
    }

    /**
     * Permanent text says what is true, not which tracker entry asked for it: a tracker number in a
     * comment or a doc means nothing to a reader without the tracker, and goes stale with it.
     */
    @Test
    void noPermanentTextPointsIntoTheIssueTracker() {
        Pattern tracker = Pattern.compile("\\bissues? #?\\d+", Pattern.CASE_INSENSITIVE);
        List<String> found = new ArrayList<>();
        for (DocsText.Piece line : DocsText.permanentText()) {
            if (tracker.matcher(line.text()).find()) found.add(line.where() + ": " + line.text().strip());
        }
        assertThat(found).isEmpty();
    }

    /**
     * A date in permanent text ("2026-11-30", "2026-11") is one that has come: a change, a
     * measurement or a changelog entry dated later is a guess written down as a fact.
     */
    @Test
    void noPermanentTextIsDatedInTheFuture() {
        Pattern date = Pattern.compile("\\b(20\\d\\d)-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\\d|3[01]))?\\b");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        List<String> found = new ArrayList<>();
        for (DocsText.Piece line : DocsText.permanentText()) {
            Matcher m = date.matcher(line.text());
            while (m.find()) {
                LocalDate first = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                        m.group(3) == null ? 1 : Integer.parseInt(m.group(3)));
                if (first.isAfter(today)) found.add(line.where() + ": " + m.group());
            }
        }
        assertThat(found).isEmpty();
    }


    /**
     * The static field {@code name} of the engine class (or test support class, dev.kiln.testing)
     * with that simple name, accessible; null if none.
     */
    static Field constant(String simpleClass, String name) {
        for (String pkg : Stream.concat(Stream.of(PACKAGES), Stream.of("testing")).toList()) {
            try {
                Class<?> c = Class.forName("dev.kiln." + pkg + "." + simpleClass);
                Field f = c.getDeclaredField(name);
                if (!Modifier.isStatic(f.getModifiers())) return null;
                f.setAccessible(true);
                return f;
            } catch (ClassNotFoundException | NoSuchFieldException e) {
                // not in this package
            }
        }
        return null;
    }
}
