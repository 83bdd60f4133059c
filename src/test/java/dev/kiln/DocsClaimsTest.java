package dev.kiln;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.abi.Layouts;
import dev.kiln.ecs.Status;
import dev.kiln.testing.TestEngine;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import dev.kiln.abi.CommandBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
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
     * "`KILN_ERR_OUT_OF_MEMORY` (15)", "`KILN_COMPONENT_MASK_FIELDS` = 32"), the header's.
     */
    @Test
    void everyKilnNameInTheDocsIsDefinedWithTheStatedValue() throws Exception {
        Map<String, Long> defined = headerValues();
        Pattern stated = Pattern.compile("`(KILN_\\w+)`(?: =|,)? \\(?" + Quantity.PATTERN);
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

    /**
     * Bounds and defaults the docs state in words ("names ≤ 64 bytes", "default 500 ms") are the
     * values of the code's constants: each phrase below is found in its doc (so rewording it
     * fails here, not silently) and its number is checked.
     */
    @Test
    void theBoundsAndDefaultsTheDocsStateInWordsAreTheCodes() throws Exception {
        List<String> problems = new ArrayList<>();
        for (WordedClaim c : WORDED_CLAIMS) {
            Matcher m = Pattern.compile(c.phrase() + Quantity.PATTERN).matcher(read(c.doc()));
            if (!m.find()) {
                problems.add(c.doc() + ": no longer says \"" + c.phrase() + "...\" (reword the claim here too)");
                continue;
            }
            do {
                Object value = c.value().get();
                String text = m.group(1) + (m.group(2) == null ? "" : " " + m.group(2));
                if (!Quantity.matches(value, text)) {
                    problems.add(c.doc() + ": \"" + m.group() + "\" but " + c.source() + " is " + value);
                }
            } while (m.find());
        }
        assertThat(problems).isEmpty();
    }

    /** A bound or default a doc states in words: the phrase before the number, and where the number comes from. */
    private record WordedClaim(String doc, String phrase, String source, Supplier<Object> value) {}

    private static WordedClaim claim(String doc, String phrase, String constant) {
        String[] parts = constant.split("\\.");
        return new WordedClaim(doc, phrase, constant, () -> {
            Field f = constant(parts[0], parts[1]);
            assertThat(f).as(constant).isNotNull();
            try {
                return f.get(null);
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        });
    }

    /** A constant held as a long of nanoseconds (or seconds), stated in the doc as a time. */
    private static WordedClaim nanos(String doc, String phrase, String constant) {
        WordedClaim c = claim(doc, phrase, constant);
        return new WordedClaim(doc, phrase, constant, () -> Duration.ofNanos((Long) c.value().get()));
    }

    private static WordedClaim seconds(String doc, String phrase, String constant) {
        WordedClaim c = claim(doc, phrase, constant);
        return new WordedClaim(doc, phrase, constant, () -> Duration.ofSeconds((Long) c.value().get()));
    }

    private static final List<WordedClaim> WORDED_CLAIMS = List.of(
            claim("README.md", "request quota per phase \\(", "CommandBuffer.DEFAULT_REQUEST_QUOTA_BYTES"),
            claim("README.md", "stopped after ", "WarmCompilers.IDLE_STOP"),
            claim("README.md", "has not changed for ", "TransientSave.SETTLE"),
            claim("docs/abi.md", "names ≤ ", "Layouts.NAME_MAX_BYTES"),
            claim("docs/abi.md", "signal payload ≤ ", "Layouts.SIGNAL_PAYLOAD_MAX"),
            claim("docs/abi.md", "log message ≤ ", "Layouts.LOG_MESSAGE_MAX"),
            claim("docs/abi.md", "component ≤ ", "Layouts.COMPONENT_MAX_BYTES"),
            claim("docs/abi.md", "strings at most ", "ScriptInfoReader.METADATA_STRING_MAX"),
            claim("docs/abi.md", "bytes, at most ", "ScriptInfoReader.STATE_FIELDS_MAX"),
            claim("docs/abi.md", "State at most ", "ScriptInfoReader.STATE_SIZE_MAX"),
            claim("docs/abi.md", "in up to ", "ScriptRuntime.MAX_DISPATCH_ROUNDS"),
            nanos("docs/architecture.md", "at most every ", "FrameBridge.SNAPSHOT_INTERVAL_NANOS"),
            claim("docs/embedding.md", "At most (?=\\d+ actions)", "Input.ACTIONS_MAX"),
            claim("docs/embedding.md", "actions and ", "Input.AXES_MAX"),
            claim("docs/embedding.md", "names of 1–", "Layouts.NAME_MAX_BYTES"),
            claim("docs/embedding.md", "Payloads up to ", "Layouts.SIGNAL_PAYLOAD_MAX"),
            claim("docs/embedding.md", "At most (?=\\d+ names subscribed)", "HostSignals.MAX_SUBSCRIBED_NAMES"),
            seconds("docs/inspector.md", "waits ≤ ", "InspectorApi.EDIT_TIMEOUT_SECONDS"),
            seconds("docs/inspector.md", "boundary \\(at most ", "InspectorApi.EDIT_TIMEOUT_SECONDS"),
            nanos("docs/inspector.md", "copied at most every ", "FrameBridge.SNAPSHOT_INTERVAL_NANOS"),
            claim("docs/reliability.md", "`EngineOptions.callBudget`, default ", "EngineOptions.DEFAULT_CALL_BUDGET"),
            claim("docs/reliability.md", "names > ", "Layouts.NAME_MAX_BYTES"),
            claim("docs/reliability.md", "payloads > ", "Layouts.SIGNAL_PAYLOAD_MAX"),
            claim("docs/reliability.md", "components > ", "Layouts.COMPONENT_MAX_BYTES"),
            claim("docs/reliability.md", "at most (?=\\d+ Mi signals)", "SignalBus.MAX_QUEUED_SIGNALS"),
            claim("docs/reliability.md", "the last (?=\\d+ Ki kept)", "SignalBus.KEPT_SIGNALS"),
            claim("docs/reliability.md", "senders holding fewer than ", "SignalBus.SMALL_SENDER_SIGNALS"),
            claim("docs/reliability.md", "at most (?=\\d+ dispatch rounds)", "ScriptRuntime.MAX_DISPATCH_ROUNDS"),
            claim("docs/reliability.md", "memory budget \\(", "ScriptRuntime.DEFAULT_MEMORY_BUDGET_BYTES"),
            claim("docs/reliability.md", "isolatedMemoryLimit` \\(default ", "EngineOptions.DEFAULT_ISOLATED_MEMORY_LIMIT"),
            claim("docs/reliability.md", "takes more than ", "IsolatedLibrary.START_TIMEOUT"),
            nanos("docs/reliability.md", "reply counter for up to ", "HostProcess.SPIN_NANOS"),
            claim("docs/reliability.md", "\\((?=\\d+ MiB − )", "CommandBuffer.DEFAULT_CAPACITY_BYTES"),
            claim("docs/reload.md", "at most (?=\\d+ run)", "WarmCompilers.MAX_SESSIONS"),
            claim("docs/reload.md", "\\((?=\\d+ GiB resident)", "WarmCompilers.MEMORY_BOUND"),
            claim("docs/reload.md", "keeps the last ", "LibraryPruner.RECENT_VERSIONS_KEPT"),
            claim("docs/reload.md", "running and good versions and its ", "LibraryPruner.RECENT_VERSIONS_KEPT"),
            claim("docs/reload.md", "build run again \\(at most ", "ScriptCompiler.MAX_DISCOVERY_ROUNDS"),
            claim("docs/reload.md", "at most (?=\\d+ KiB per State)", "NativeLibrary.STATE_BLOB_MAX"),
            claim("docs/reload.md", "the build timeout \\(", "ScriptCompiler.BUILD_TIMEOUT"),
            claim("docs/reload.md", "build takes longer than ", "ScriptCompiler.BUILD_TIMEOUT"),
            claim("docs/scenes.md", "Names are 1–", "SceneValue.NAME_MAX_BYTES"),
            claim("docs/scenes.md", "nested more than ", "JsonTreeReader.MAX_DEPTH"),
            claim("docs/scripting.md", "may hold ", "ScriptRuntime.DEFAULT_MEMORY_BUDGET_BYTES"),
            claim("docs/scripting.md", "barrier \\(up to ", "ScriptRuntime.MAX_DISPATCH_ROUNDS"),
            claim("docs/scripting.md", "capped at ", "EngineOptions.DEFAULT_ISOLATED_MEMORY_LIMIT"),
            new WordedClaim("docs/scripting.md", "default \\((?=[\\d,]+ `setPosition`)", "the default quota over a kiln_cmd_vec3 record",
                    () -> CommandBuffer.DEFAULT_REQUEST_QUOTA_BYTES / headerSize("kiln_cmd_vec3")),
            new WordedClaim("docs/scripting.md", "`translate`, ", "the default quota over a kiln_cmd_spawn record",
                    () -> CommandBuffer.DEFAULT_REQUEST_QUOTA_BYTES / headerSize("kiln_cmd_spawn")),
            new WordedClaim("docs/reliability.md", "1 MiB \\(", "the default quota over a kiln_cmd_vec3 record",
                    () -> CommandBuffer.DEFAULT_REQUEST_QUOTA_BYTES / headerSize("kiln_cmd_vec3")),
            new WordedClaim("docs/reliability.md", "1 MiB is ", "the default quota over a kiln_cmd_vec3 record",
                    () -> CommandBuffer.DEFAULT_REQUEST_QUOTA_BYTES / headerSize("kiln_cmd_vec3")));

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

    /** A struct's size as abi/kiln.h asserts it (_Static_assert(sizeof(x) == n, ...)). */
    private static long headerSize(String struct) {
        try {
            Matcher m = Pattern.compile("sizeof\\(" + struct + "\\) == (\\d+)").matcher(read("abi/kiln.h"));
            assertThat(m.find()).as("abi/kiln.h asserts the size of " + struct).isTrue();
            return Long.parseLong(m.group(1));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
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
