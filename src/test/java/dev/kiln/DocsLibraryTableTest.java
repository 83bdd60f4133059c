package dev.kiln;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's library table names every library the project's poms depend on (the engine's,
 * the benchmarks', the arena example's): a dependency added without saying what it is for and
 * why fails here, naming it.
 */
class DocsLibraryTableTest {
    private static final List<String> POMS = List.of("pom.xml", "bench/pom.xml", "examples/arena/pom.xml");
    private static final Pattern DEPENDENCY = Pattern.compile(
            "<dependency>\\s*<groupId>([^<]+)</groupId>\\s*<artifactId>([^<]+)</artifactId>");

    @Test
    void theLibraryTableNamesEveryDependencyOfThePoms() {
        String table = libraryTable().toLowerCase(Locale.ROOT);
        List<String> unnamed = new ArrayList<>();
        for (String pom : POMS) {
            // a plugin's own dependencies (an annotation processor) are build tooling, not libraries
            String text = DocsText.read(pom).replaceAll("(?s)<plugins>.*?</plugins>", "");
            Matcher m = DEPENDENCY.matcher(text);
            while (m.find()) {
                String group = m.group(1).strip(), artifact = m.group(2).strip();
                if (group.equals("dev.kiln")) continue; // the engine itself
                if (!named(table, group, artifact)) unnamed.add(pom + ": " + group + ":" + artifact);
            }
        }
        assertThat(unnamed).as("dependencies the README's library table does not name").isEmpty();
    }

    /** The table names it: its artifact id, the artifact's first word, or the group's last part. */
    private static boolean named(String table, String group, String artifact) {
        String lastGroupPart = group.substring(group.lastIndexOf('.') + 1);
        String firstWord = artifact.split("-")[0];
        return table.contains(artifact.toLowerCase(Locale.ROOT)) || table.contains(firstWord.toLowerCase(Locale.ROOT))
                || table.contains(lastGroupPart.toLowerCase(Locale.ROOT));
    }

    private static String libraryTable() {
        String readme = DocsText.read("README.md");
        int start = readme.indexOf("## Libraries used, and why");
        assertThat(start).as("README's library table").isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }
}
