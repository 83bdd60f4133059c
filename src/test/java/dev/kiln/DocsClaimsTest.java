package dev.kiln;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.abi.Layouts;
import dev.kiln.ecs.Status;
import dev.kiln.testing.TestEngine;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What the README and docs/ state that the code can confirm: versions, status codes, named bounds. */
class DocsClaimsTest {
    /** Every package of the engine (DocsReferencesTest checks that none is missing). */
    static final String[] PACKAGES = {"abi", "build", "cli", "ecs", "embed", "engine", "inspector", "isolate", "reload",
            "replay", "rewind", "scene", "script", "state"};

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

    /** Where the docs give a struct's size ("`kiln_snapshot`, 192 bytes"), abi/kiln.h asserts that size. */
    @Test
    void everyStructSizeTheDocsGiveIsTheHeaders() {
        Pattern size = Pattern.compile("`(kiln_\\w+)(?:\\[\\w*\\])?`,? \\(?(\\d+) bytes");
        List<String> problems = new ArrayList<>();
        for (DocsText.Piece line : DocsText.lines()) {
            Matcher m = size.matcher(line.text());
            while (m.find()) {
                Matcher asserted = Pattern.compile("sizeof\\(" + m.group(1) + "\\) == (\\d+)").matcher(read("abi/kiln.h"));
                if (!asserted.find()) {
                    problems.add(line.where() + ": abi/kiln.h asserts no size for " + m.group(1));
                } else if (!asserted.group(1).equals(m.group(2))) {
                    problems.add(line.where() + ": " + m.group(1) + " is " + asserted.group(1) + " bytes, the doc says " + m.group(2));
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    /**
     * abi.md's table of exports lists exactly the `kiln_script_*` symbols the SDK exports and the
     * engine looks up, and abi/kiln.h names each of them.
     */
    @Test
    void theExportTableIsWhatTheSdkExportsAndTheEngineLooksUp() throws Exception {
        Pattern symbol = Pattern.compile("\"(kiln_script_[a-z_]+)\"");
        String header = read("abi/kiln.h");
        Set<String> engine = new TreeSet<>();
        Set<String> sdk = new TreeSet<>();
        for (String dir : List.of("src/main/java/dev/kiln/abi", "src/main/java/dev/kiln/isolate", "zig/sdk")) {
            try (Stream<Path> files = Files.walk(TestEngine.home().resolve(dir))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Matcher m = symbol.matcher(Files.readString(f));
                    while (m.find()) {
                        // a typedef's name in a message (kiln_script_info) is no export
                        if (header.contains("} " + m.group(1) + ";")) continue;
                        (dir.startsWith("zig") ? sdk : engine).add(m.group(1));
                    }
                }
            }
        }
        String table = read("docs/abi.md").split("## Required exports")[1].split("\n\n")[1];
        Set<String> documented = new TreeSet<>();
        Matcher m = Pattern.compile("`(kiln_script_[a-z_]+)`").matcher(table);
        while (m.find()) documented.add(m.group(1));
        assertThat(documented).hasSizeGreaterThan(8);
        assertThat(documented).as("docs/abi.md's exports table against the SDK's exports").isEqualTo(sdk);
        assertThat(documented).as("docs/abi.md's exports table against the engine's look-ups").isEqualTo(engine);
        assertThat(documented).allSatisfy(s -> assertThat(header).as("abi/kiln.h names " + s).contains(s));
    }

    /** abi/kiln.h's comment above each struct ("... 64 bytes.") gives the size its _Static_assert does. */
    @Test
    void kilnHsStructCommentsGiveTheAssertedSizes() {
        String header = read("abi/kiln.h");
        Matcher commented = Pattern.compile("(\\d+) bytes\\.(?:(?!\\*/).)*\\*/\\s*typedef struct (kiln_\\w+)", Pattern.DOTALL)
                .matcher(header);
        List<String> problems = new ArrayList<>();
        int checked = 0;
        while (commented.find()) {
            Matcher asserted = Pattern.compile("sizeof\\(" + commented.group(2) + "\\) == (\\d+)").matcher(header);
            checked++;
            if (!asserted.find() || !asserted.group(1).equals(commented.group(1))) {
                problems.add(commented.group(2) + ": the comment says " + commented.group(1) + " bytes, the assert "
                        + (asserted.hitEnd() ? "is missing" : asserted.group(1)));
            }
        }
        assertThat(problems).isEmpty();
        assertThat(checked).isGreaterThan(20);
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

    @Test
    void abiMdListsEveryStatusCodeWithItsNumber() throws Exception {
        String section = read("docs/abi.md").split("## Status codes")[1].split("\n## ")[0];
        for (Status s : Status.values()) {
            String name = s == Status.OK ? "KILN_OK" : s.name();
            assertThat(section).as("docs/abi.md's status codes").containsPattern("`" + name + "` " + s.code() + "\\b");
        }
        Matcher version = Pattern.compile("\\*\\*ABI version: (\\d+)\\*\\*").matcher(read("docs/abi.md"));
        assertThat(version.find()).isTrue();
        assertThat(Integer.parseInt(version.group(1))).isEqualTo(Layouts.ABI_VERSION);
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
     * Every `KILN_...` name the docs use is defined by a header (abi/, native/) or is an
     * environment variable the engine reads; where the docs give its value ("`KILN_OK` 0",
     * "`KILN_ERR_OUT_OF_MEMORY` (15)", "`KILN_COMPONENT_MASK_FIELDS` = 32", "... is 2"), the header's.
     */
    @Test
    void everyKilnNameInTheDocsIsDefinedWithTheStatedValue() throws Exception {
        Map<String, Long> defined = headerValues();
        Pattern stated = Pattern.compile("`(KILN_\\w+)`(?: =|,| is)? \\(?" + Quantity.PATTERN);
        Pattern name = Pattern.compile("\\bKILN_[A-Z0-9_]+\\b");
        List<String> problems = new ArrayList<>();
        for (DocsText.Piece line : DocsText.lines()) {
            Matcher n = name.matcher(line.text());
            while (n.find()) {
                // a name ending in '_' is a family the doc names by its prefix (`KILN_SPACE_*`)
                boolean known = n.group().endsWith("_") ? defined.keySet().stream().anyMatch(k -> k.startsWith(n.group()))
                        : defined.containsKey(n.group()) || ENVIRONMENT.contains(n.group());
                if (!known) {
                    problems.add(line.where() + ": " + n.group() + " is in no header");
                }
            }
            Matcher v = stated.matcher(line.text());
            while (v.find()) {
                Long value = defined.get(v.group(1));
                String text = v.group(2) + (v.group(3) == null ? "" : " " + v.group(3));
                if (value != null && !Quantity.matches(value, text)) {
                    problems.add(line.where() + ": " + v.group(1) + " is " + value + ", the doc says " + text);
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(ENVIRONMENT).allSatisfy(env -> assertThat(read("src/main/java/dev/kiln/build/" + ENVIRONMENT_READERS.get(env)))
                .as(env + " is read by the engine").contains("getenv(\"" + env + "\")"));
    }

    /** Environment variables the docs name, and the class of dev.kiln.build that reads each. */
    private static final Map<String, String> ENVIRONMENT_READERS =
            Map.of("KILN_HOME", "KilnHome.java", "KILN_ZIG", "ZigToolchain.java");
    private static final Set<String> ENVIRONMENT = ENVIRONMENT_READERS.keySet();

    /** The integer `#define`s and enum constants of abi/kiln.h, abi/kiln_script.h and native/*.h. */
    private static Map<String, Long> headerValues() throws Exception {
        Map<String, Long> values = new HashMap<>();
        List<Path> headers = new ArrayList<>(List.of(TestEngine.home().resolve("abi/kiln.h"),
                TestEngine.home().resolve("abi/kiln_script.h")));
        try (Stream<Path> files = Files.list(TestEngine.home().resolve("native"))) {
            files.filter(f -> f.toString().endsWith(".h")).forEach(headers::add);
        }
        Pattern define = Pattern.compile("(?m)^#define (KILN_\\w+)(?:\\(\\w*\\))?(.*)$");
        Pattern number = Pattern.compile("^\\s*\\(?(-?(?:0x[0-9a-fA-F]+|\\d+))u?(?:ll|ull|l)?(?: << (\\d+))?\\)?\\s*(?:/\\*.*)?$");
        Pattern enumConstant = Pattern.compile("\\b(KILN_\\w+)\\s*=\\s*(-?\\d+)");
        for (Path h : headers) {
            String text = Files.readString(h);
            Matcher d = define.matcher(text);
            while (d.find()) {
                Matcher n = number.matcher(d.group(2).replace("u << ", " << "));
                values.put(d.group(1), n.find() ? number(n.group(1)) << (n.group(2) == null ? 0 : Integer.parseInt(n.group(2)))
                        : Long.MIN_VALUE);
            }
            Matcher e = enumConstant.matcher(text);
            while (e.find()) values.put(e.group(1), Long.parseLong(e.group(2)));
        }
        return values;
    }

    private static long number(String literal) {
        return literal.startsWith("0x") ? Long.parseUnsignedLong(literal.substring(2), 16) : Long.parseLong(literal);
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
