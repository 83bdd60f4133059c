package dev.kiln.embed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.build.KilnHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/embedding.md's minimal program works as written: the engine is installed into a local
 * Maven repository (this checkout's, see {@link MavenProjects}), the page's files are copied into a fresh Maven project that depends only on
 * dev.kiln:kiln-engine, which is compiled and run; its output is the one the page shows, and
 * its classpath has none of the CLI's or inspector's libraries.
 */
class EmbeddingQuickstartTest {
    /** The program builds the fault guard and one script: seconds with a warm Zig cache. */
    private static final long RUN_MINUTES = 3;
    private static final Pattern FILE_BLOCK =
            Pattern.compile("<!-- quickstart: (\\S+) -->\\s*```\\w*\\n(.*?)```", Pattern.DOTALL);

    @Test
    void theMinimalProgramOfTheGuideBuildsAgainstTheInstalledArtifactAndRuns() throws Exception {
        Path home = KilnHome.locate();
        MavenProjects.installEngine();

        Path project = home.resolve("target/embedding-quickstart");
        clearExceptBuildCache(project);
        Map<String, String> files = quickstartFiles(home.resolve("docs/embedding.md"));
        assertThat(files).containsOnlyKeys("pom.xml", "scripts/walker.zig", "src/main/java/Main.java");
        for (var f : files.entrySet()) {
            Path p = project.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue());
        }

        String classpath = MavenProjects.compile(project);
        assertThat(classpath).contains("kiln-engine-").contains("jackson-core")
                .doesNotContain("picocli").doesNotContain("javalin").doesNotContain("slf4j");

        String out = MavenProjects.run(project, RUN_MINUTES, MavenProjects.java(), "--enable-native-access=ALL-UNNAMED",
                "-Dkiln.home=" + home, "-cp", classpath, "Main");
        assertThat(out).contains("milestone at x = 1.55").contains("1 walker at x = 3.00");
    }

    private static Map<String, String> quickstartFiles(Path guide) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        Matcher m = FILE_BLOCK.matcher(Files.readString(guide));
        while (m.find()) files.put(m.group(1), m.group(2));
        return files;
    }

    /** A fresh project each run, but Zig's cache (build/) is kept: a cold one costs ~10 s. */
    private static void clearExceptBuildCache(Path project) throws IOException {
        if (!Files.isDirectory(project)) return;
        try (Stream<Path> all = Files.walk(project)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Path rel = project.relativize(p);
                if (p.equals(project) || rel.startsWith("build")) continue;
                Files.delete(p);
            }
        }
    }
}
