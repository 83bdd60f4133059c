package dev.kiln;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.abi.Layouts;
import dev.kiln.ecs.Status;
import dev.kiln.testing.TestEngine;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What the README and docs/ state that the code can confirm: versions, status codes, named bounds. */
class DocsClaimsTest {
    private static final String[] PACKAGES = {"abi", "build", "cli", "ecs", "embed", "engine", "inspector", "isolate", "reload",
            "replay", "rewind", "scene", "script", "state"};

    private static String read(String file) throws Exception {
        return Files.readString(TestEngine.home().resolve(file));
    }

    @Test
    void theReadmeNamesThePinnedZig() throws Exception {
        String pinned = read("zig/ZIG_VERSION").strip();
        Matcher m = Pattern.compile("pinned in `zig/ZIG_VERSION` \\(([^)]+)\\)").matcher(read("README.md"));
        assertThat(m.find()).isTrue();
        assertThat(m.group(1)).isEqualTo(pinned);
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

    /** Every `Class.CONSTANT` the docs name exists; where the docs give its plain value "(3)", that value. */
    @Test
    void everyNamedBoundInTheDocsExistsWithTheStatedValue() throws Exception {
        Pattern named = Pattern.compile("`([A-Z]\\w+)\\.([A-Z][A-Z0-9_]+)`( \\((\\d+)\\))?");
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
                if (m.group(4) != null && field.getType().isPrimitive()) {
                    Object value = field.get(null);
                    if (!String.valueOf(value).equals(m.group(4))) {
                        problems.add(doc.getFileName() + ": " + m.group(1) + "." + m.group(2) + " is " + value
                                + ", the doc says " + m.group(4));
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
    void noPermanentTextPointsIntoTheIssueTracker() throws Exception {
        Pattern tracker = Pattern.compile("\\bissues? #?\\d+", Pattern.CASE_INSENSITIVE);
        List<String> found = new ArrayList<>();
        for (String root : List.of("README.md", "docs", "src", "zig", "native", "abi", "examples", "bench")) {
            try (Stream<Path> files = Files.walk(TestEngine.home().resolve(root))) {
                for (Path f : files.filter(Files::isRegularFile).filter(DocsClaimsTest::isText).toList()) {
                    String[] lines = Files.readString(f).split("\n", -1);
                    for (int i = 0; i < lines.length; i++) {
                        if (tracker.matcher(lines[i]).find()) {
                            found.add(TestEngine.home().relativize(f) + ":" + (i + 1) + ": " + lines[i].strip());
                        }
                    }
                }
            }
        }
        assertThat(found).isEmpty();
    }

    private static boolean isText(Path f) {
        String n = f.getFileName().toString();
        return n.endsWith(".md") || n.endsWith(".java") || n.endsWith(".zig") || n.endsWith(".c") || n.endsWith(".h")
                || n.endsWith(".js") || n.endsWith(".html") || n.endsWith(".css") || n.endsWith(".json");
    }

    private static Field constant(String simpleClass, String name) {
        for (String pkg : PACKAGES) {
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
