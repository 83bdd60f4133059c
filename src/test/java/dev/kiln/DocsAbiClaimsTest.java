package dev.kiln;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.abi.Layouts;
import dev.kiln.ecs.Status;
import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
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

/**
 * What the docs say of the C ABI is what abi/kiln.h (and the code beside it) says: status codes
 * and every `KILN_*` value, struct sizes, the ABI version, the exports.
 */
class DocsAbiClaimsTest {
    private static String read(String file) {
        return DocsText.read(file);
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
        for (String dir : List.of("src/main/java/dev/kiln/abi", "src/main/java/dev/kiln/loader", "src/main/java/dev/kiln/isolate",
                "zig/sdk")) {
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
}
