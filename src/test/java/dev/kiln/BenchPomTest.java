package dev.kiln;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks' project (bench/pom.xml) runs on the engine's jar without its pom (a system
 * dependency brings no transitive ones), so it names the engine's libraries again: each must be
 * the version the engine's pom.xml builds with, or a benchmark measures an engine on a library
 * it was never built or tested against.
 */
class BenchPomTest {
    private static final Pattern ARTIFACT =
            Pattern.compile("<artifactId>([^<]+)</artifactId>\\s*<version>([^<]+)</version>");
    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");

    @Test
    void everyLibraryTheBenchmarksShareWithTheEngineHasTheEnginesVersion() {
        String enginePom = DocsText.read("pom.xml"), benchPom = DocsText.read("bench/pom.xml");
        Map<String, String> engine = versions(enginePom);
        List<String> problems = new ArrayList<>();
        int shared = 0;
        for (Map.Entry<String, String> b : versions(benchPom).entrySet()) {
            String engineVersion = engine.get(b.getKey());
            if (engineVersion == null) continue;
            shared++;
            if (!engineVersion.equals(b.getValue())) {
                problems.add(b.getKey() + ": bench/pom.xml has " + b.getValue() + ", pom.xml " + engineVersion);
            }
        }
        assertThat(problems).isEmpty();
        assertThat(shared).as("artifacts both poms name (jackson, javalin, slf4j, junit, the engine)")
                .isGreaterThanOrEqualTo(6);
    }

    /** artifactId → version, with ${property} resolved from the pom's own properties. */
    private static Map<String, String> versions(String pom) {
        Map<String, String> out = new HashMap<>();
        Matcher m = ARTIFACT.matcher(pom);
        while (m.find()) out.put(m.group(1), resolve(pom, m.group(2)));
        return out;
    }

    private static String resolve(String pom, String version) {
        Matcher p = PROPERTY.matcher(version);
        if (!p.matches()) return version;
        Matcher value = Pattern.compile("<" + Pattern.quote(p.group(1)) + ">([^<]+)</").matcher(pom);
        assertThat(value.find()).as("the pom's property " + p.group(1)).isTrue();
        return value.group(1);
    }
}
