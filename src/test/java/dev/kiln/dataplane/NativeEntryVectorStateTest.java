package dev.kiln.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every function the engine calls in its apply library (the names HotApply, ChurnApply and
 * NativeSignals look up) clears the JVM's dirty upper vector state first
 * (native/kiln_avx.h): the library is baseline SSE code, which ran about three times slower per
 * entity without it. An entry point added without the call would lose that silently: no result
 * changes, only the frame's time.
 */
class NativeEntryVectorStateTest {
    private static final String[] CALLERS = {"HotApply.java", "ChurnApply.java", "NativeSignals.java"};
    private static final String[] SOURCES = {"kiln_apply.c", "kiln_churn.c", "kiln_signals.c"};

    @Test
    void everyEntryPointTheEngineLooksUpStartsByClearingTheUpperVectorState() throws Exception {
        Path home = TestEngine.home();
        List<String> entries = new ArrayList<>();
        Pattern lookup = Pattern.compile("lookup\\.find\\(\"(kiln_\\w+)\"\\)");
        for (String caller : CALLERS) {
            Matcher m = lookup.matcher(Files.readString(home.resolve("src/main/java/dev/kiln/dataplane").resolve(caller)));
            while (m.find()) entries.add(m.group(1));
        }
        StringBuilder native_ = new StringBuilder();
        for (String source : SOURCES) native_.append(Files.readString(home.resolve("native").resolve(source)));
        assertThat(entries).as("the names the engine looks up").hasSizeGreaterThanOrEqualTo(10);
        for (String entry : entries) {
            // A definition: return type at the start of a line, the name, its parameters, then the body.
            Matcher definition = Pattern.compile("(?m)^\\w+ " + entry + "\\([^;{]*\\)\\s*\\{\\s*([^;]*);")
                    .matcher(native_);
            assertThat(definition.find()).as("definition of %s in native/%s", entry, String.join(", ", SOURCES)).isTrue();
            assertThat(definition.group(1)).as("first statement of %s", entry).isEqualTo("kiln_avx_clear_upper()");
        }
    }
}
