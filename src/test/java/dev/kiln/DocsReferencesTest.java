package dev.kiln;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.TestEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the README and docs/ point at exists: the tests and classes they cite as evidence, the
 * files and folders they name, their links, the packages on the maps (DocsInterfacesTest checks
 * the commands, calls and routes they show). A rename or removal that leaves a doc behind fails
 * here, with the doc's file and line.
 */
class DocsReferencesTest {
    /** The folders of the repository a doc may name a file in (build/ and target/ are made by runs). */
    private static final Pattern REPO_PATH =
            Pattern.compile("(?<![\\w./-])((?:abi|native|zig|src|docs|demo|examples|bench|\\.ci)/[\\w./*-]*)");
    private static final Pattern TEST_NAME = Pattern.compile("(?<![*\\w])([A-Z]\\w*(?:Test|Bench))\\b(?:\\.([a-z]\\w*))?");
    private static final Pattern CAMEL_NAME = Pattern.compile("(?<![\\w.*-])([A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+)\\b");
    private static final Pattern MEMBER = Pattern.compile("\\b([A-Z][A-Za-z0-9]*)\\.([a-zA-Z_]\\w*)\\b");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    /** Files of the game project docs/embedding.md builds, not of this repository. */
    private static final Set<String> USER_PROJECT_FILES = Set.of("src/main/java/Main.java");
    /** File names read as `Name.ext` (`Main.java`), not as a class and its member. */
    private static final Set<String> FILE_EXTENSIONS = Set.of("java", "zig", "c", "h", "md", "json");
    /** The source the docs' names are looked up in. */
    private static final List<String> SOURCE_ROOTS =
            List.of("src/main/java", "src/test/java", "src/test/c", "bench/src", "examples", "zig/sdk", "zig/examples",
                    "abi", "native");

    @Test
    void everyTestAndBenchmarkTheDocsCiteExists() {
        Map<String, Path> javaFiles = javaFiles();
        List<String> problems = new ArrayList<>();
        for (DocsText.Piece code : DocsText.code()) {
            Matcher m = TEST_NAME.matcher(code.text());
            while (m.find()) {
                Path file = javaFiles.get(m.group(1));
                if (file == null) {
                    problems.add(code.where() + ": " + m.group(1) + " is no test or benchmark class");
                } else if (m.group(2) != null && !Pattern.compile("\\b" + m.group(2) + "\\s*\\(").matcher(read(file)).find()) {
                    problems.add(code.where() + ": " + m.group(1) + " has no method " + m.group(2));
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    /**
     * A `CamelCase` name in the docs (a class, a Zig type, an SDK error) is a word of the source,
     * and a `Class.member` of a Java class is a word of that class.
     */
    @Test
    void everyNameTheDocsCiteIsInTheSource() {
        Map<String, Path> javaFiles = javaFiles();
        Set<String> words = sourceWords();
        List<String> problems = new ArrayList<>();
        for (DocsText.Piece code : DocsText.code()) {
            Matcher camel = CAMEL_NAME.matcher(code.text());
            while (camel.find()) {
                String name = camel.group(1);
                boolean benchmarkPrefix = javaFiles.keySet().stream().anyMatch(c -> c.startsWith(name) && c.endsWith("Bench"));
                if (!words.contains(name) && !isJdkClass(name) && !benchmarkPrefix) {
                    problems.add(code.where() + ": " + camel.group(1) + " is not in the source");
                }
            }
            Matcher member = MEMBER.matcher(code.text());
            while (member.find()) {
                Path file = javaFiles.get(member.group(1));
                if (file != null && !FILE_EXTENSIONS.contains(member.group(2)) && !Pattern.compile("\\b" + member.group(2) + "\\b").matcher(read(file)).find()) {
                    problems.add(code.where() + ": " + member.group(1) + " has no " + member.group(2));
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyFileAndFolderTheDocsNameExists() {
        List<String> problems = new ArrayList<>();
        for (DocsText.Piece code : DocsText.code()) {
            Matcher m = REPO_PATH.matcher(code.text());
            while (m.find()) {
                String path = m.group(1).replaceAll("[.:]+$", "");
                if (!exists(path) && !USER_PROJECT_FILES.contains(path)) problems.add(code.where() + ": " + path + " does not exist");
            }
        }
        assertThat(problems).isEmpty();
    }

    /**
     * Every package of the engine is on the README's layout and the package map of
     * architecture.md, and DocsClaimsTest looks constants up in it.
     */
    @Test
    void everyPackageIsOnTheMaps() throws IOException {
        String readme = DocsText.read("README.md");
        String map = DocsText.read("docs/architecture.md").split("## Packages")[1].split("```")[1];
        List<String> problems = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(TestEngine.home().resolve("src/main/java/dev/kiln"))) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                String pkg = dir.getFileName().toString();
                if (!readme.contains("\n  " + pkg + "/ ")) problems.add("README.md's layout lacks " + pkg + "/");
                if (!Pattern.compile("(?m)^[\\w, ]*\\b" + pkg + "\\b").matcher(map).find()) {
                    problems.add("docs/architecture.md's package map lacks " + pkg);
                }
                if (!List.of(DocsClaimsTest.PACKAGES).contains(pkg)) problems.add("DocsClaimsTest.PACKAGES lacks " + pkg);
            }
        }
        assertThat(problems).isEmpty();
    }

    /** Relative links go to a file that exists and, with a #fragment, to one of its headings. */
    @Test
    void everyLinkBetweenTheDocsLands() {
        List<String> problems = new ArrayList<>();
        for (DocsText.Piece line : DocsText.lines()) {
            Matcher m = LINK.matcher(line.text());
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-z]+:.*")) continue;
                Path doc = TestEngine.home().resolve(line.where().replaceAll(":\\d+$", ""));
                String[] parts = target.split("#", 2);
                Path file = parts[0].isEmpty() ? doc : doc.getParent().resolve(parts[0]).normalize();
                if (!Files.exists(file)) {
                    problems.add(line.where() + ": " + target + " goes to no file");
                } else if (parts.length == 2 && !headingAnchors(file).contains(parts[1])) {
                    problems.add(line.where() + ": " + target + " goes to no heading of " + file.getFileName());
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    /** GitHub's anchors for a Markdown file's headings (lower case, punctuation dropped, spaces to '-'). */
    private static Set<String> headingAnchors(Path file) {
        Set<String> anchors = new HashSet<>();
        Matcher m = Pattern.compile("(?m)^#+ (.+)$").matcher(read(file).replaceAll("(?s)```.*?```", ""));
        while (m.find()) {
            anchors.add(m.group(1).strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
        }
        return anchors;
    }

    private static boolean exists(String path) {
        Path home = TestEngine.home();
        if (!path.contains("*")) return Files.exists(home.resolve(path));
        PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + path);
        try (Stream<Path> files = Files.walk(home.resolve(path.substring(0, path.lastIndexOf('/', path.indexOf('*')))))) {
            return files.anyMatch(f -> glob.matches(home.relativize(f)));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isJdkClass(String name) {
        for (String pkg : List.of("java.lang.", "java.lang.foreign.", "java.lang.management.", "java.util.",
                "java.security.", "java.io.")) {
            try {
                Class.forName(pkg + name);
                return true;
            } catch (ClassNotFoundException e) {
                // not in this package
            }
        }
        return false;
    }

    /** Every .java file under the source roots by its simple name. */
    static Map<String, Path> javaFiles() {
        Map<String, Path> files = new HashMap<>();
        for (Path f : sourceFiles()) {
            String n = f.getFileName().toString();
            if (n.endsWith(".java")) files.putIfAbsent(n.substring(0, n.length() - ".java".length()), f);
        }
        return files;
    }

    /** Every identifier-like word of the source files. */
    private static Set<String> sourceWords() {
        Set<String> words = new HashSet<>();
        Pattern word = Pattern.compile("[A-Za-z_]\\w*");
        for (Path f : sourceFiles()) {
            Matcher m = word.matcher(read(f));
            while (m.find()) words.add(m.group());
        }
        return words;
    }

    private static List<Path> sourceFiles() {
        List<Path> files = new ArrayList<>();
        for (String root : SOURCE_ROOTS) {
            try (Stream<Path> walk = Files.walk(TestEngine.home().resolve(root))) {
                walk.filter(Files::isRegularFile)
                        .filter(f -> f.toString().matches(".*\\.(java|zig|c|h)$"))
                        .filter(f -> !f.toString().contains("/target/") && !f.toString().contains("/.zig-cache/"))
                        .forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    private static String read(Path file) {
        return DocsText.read(file);
    }
}
