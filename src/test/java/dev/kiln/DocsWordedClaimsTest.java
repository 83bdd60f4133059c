package dev.kiln;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.abi.CommandBuffer;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Bounds and defaults the docs state in words, without naming the constant ("names ≤ 64 bytes",
 * "default 500 ms"): each claim below is a phrase of its doc and the constant its number must be.
 */
class DocsWordedClaimsTest {
    private static String read(String file) {
        return DocsText.read(file);
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
            Field f = DocsClaimsTest.constant(parts[0], parts[1]);
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
            claim("docs/abi.md", "in up to ", "ScriptRuntime.DISPATCH_ROUNDS_MAX"),
            nanos("docs/architecture.md", "at most every ", "FrameBridge.SNAPSHOT_INTERVAL_NANOS"),
            claim("docs/embedding.md", "At most (?=\\d+ actions)", "Input.ACTIONS_MAX"),
            claim("docs/embedding.md", "actions and ", "Input.AXES_MAX"),
            claim("docs/embedding.md", "names of 1–", "Layouts.NAME_MAX_BYTES"),
            claim("docs/embedding.md", "Payloads up to ", "Layouts.SIGNAL_PAYLOAD_MAX"),
            claim("docs/embedding.md", "At most (?=\\d+ names subscribed)", "HostSignals.SUBSCRIBED_NAMES_MAX"),
            seconds("docs/inspector.md", "waits ≤ ", "InspectorApi.EDIT_TIMEOUT_SECONDS"),
            seconds("docs/inspector.md", "boundary \\(at most ", "InspectorApi.EDIT_TIMEOUT_SECONDS"),
            nanos("docs/inspector.md", "copied at most every ", "FrameBridge.SNAPSHOT_INTERVAL_NANOS"),
            claim("docs/reliability.md", "`EngineOptions.callBudget`, default ", "EngineOptions.DEFAULT_CALL_BUDGET"),
            claim("docs/reliability.md", "names > ", "Layouts.NAME_MAX_BYTES"),
            claim("docs/reliability.md", "payloads > ", "Layouts.SIGNAL_PAYLOAD_MAX"),
            claim("docs/reliability.md", "components > ", "Layouts.COMPONENT_MAX_BYTES"),
            claim("docs/reliability.md", "at most (?=\\d+ Mi signals)", "SignalBus.QUEUED_SIGNALS_MAX"),
            claim("docs/reliability.md", "the last (?=\\d+ Ki kept)", "SignalBus.KEPT_SIGNALS"),
            claim("docs/reliability.md", "senders holding fewer than ", "SignalBus.SMALL_SENDER_SIGNALS"),
            claim("docs/reliability.md", "at most (?=\\d+ dispatch rounds)", "ScriptRuntime.DISPATCH_ROUNDS_MAX"),
            claim("docs/reliability.md", "memory budget \\(", "ScriptRuntime.DEFAULT_MEMORY_BUDGET_BYTES"),
            claim("docs/reliability.md", "isolatedMemoryLimit` \\(default ", "EngineOptions.DEFAULT_ISOLATED_MEMORY_LIMIT"),
            claim("docs/reliability.md", "takes more than ", "IsolatedLibrary.START_TIMEOUT"),
            claim("docs/reliability.md", "resident memory grew by ", "FaultReports.ALLOCATION_GROWTH_REPORT_BYTES"),
            nanos("docs/reliability.md", "reply counter for up to ", "HostProcess.SPIN_NANOS"),
            claim("docs/reliability.md", "\\((?=\\d+ MiB − )", "CommandBuffer.DEFAULT_CAPACITY_BYTES"),
            claim("docs/reload.md", "at most (?=\\d+ run)", "WarmCompilers.SESSIONS_MAX"),
            claim("docs/reload.md", "\\((?=\\d+ GiB resident)", "WarmCompilers.MEMORY_BOUND"),
            claim("docs/reload.md", "keeps the last ", "LibraryPruner.RECENT_VERSIONS_KEPT"),
            claim("docs/reload.md", "running and good versions and its ", "LibraryPruner.RECENT_VERSIONS_KEPT"),
            claim("docs/reload.md", "build run again \\(at most ", "ScriptCompiler.DISCOVERY_ROUNDS_MAX"),
            claim("docs/reload.md", "at most (?=\\d+ KiB per State)", "NativeLibrary.STATE_BLOB_MAX"),
            claim("docs/reload.md", "the build timeout \\(", "ScriptCompiler.BUILD_TIMEOUT"),
            claim("docs/reload.md", "build takes longer than ", "ScriptCompiler.BUILD_TIMEOUT"),
            claim("docs/reload.md", "\\*\\*on probation\\*\\* for ", "Probation.DEFAULT_FRAMES"),
            claim("docs/reload.md", "the tests use ", "ReloadSession.QUIET"),
            claim("docs/scenes.md", "Names are 1–", "SceneValue.NAME_MAX_BYTES"),
            claim("docs/scenes.md", "nested more than ", "JsonTreeReader.DEPTH_MAX"),
            claim("docs/scenes.md", "the format version \\(", "SceneParser.FORMAT_VERSION"),
            claim("docs/scenes.md", "per instance and phase \\(", "CommandBuffer.REQUEST_QUOTA_BYTES_MIN"),
            claim("docs/scenes.md", "per instance and phase \\(\\d+ bytes to ", "CommandBuffer.CAPACITY_BYTES_MAX"),
            claim("docs/scenes.md", "`String`/`Map` \\(0 to ", "SceneParser.MEMORY_BUDGET_BYTES_MAX"),
            claim("docs/scenes.md", "\\(0 to \\d+ GiB; default ", "ScriptRuntime.DEFAULT_MEMORY_BUDGET_BYTES"),
            claim("docs/scripting.md", "may hold ", "ScriptRuntime.DEFAULT_MEMORY_BUDGET_BYTES"),
            claim("docs/scripting.md", "barrier \\(up to ", "ScriptRuntime.DISPATCH_ROUNDS_MAX"),
            claim("docs/scripting.md", "capped at ", "EngineOptions.DEFAULT_ISOLATED_MEMORY_LIMIT"),
            new WordedClaim("docs/scripting.md", "default \\((?=[\\d,]+ `setPosition`)", "the default quota over a kiln_cmd_vec3 record",
                    () -> CommandBuffer.DEFAULT_REQUEST_QUOTA_BYTES / headerSize("kiln_cmd_vec3")),
            new WordedClaim("docs/scripting.md", "`translate`, ", "the default quota over a kiln_cmd_spawn_at record (a bare spawn's)",
                    () -> CommandBuffer.DEFAULT_REQUEST_QUOTA_BYTES / headerSize("kiln_cmd_spawn_at")),
            new WordedClaim("docs/reliability.md", "1 MiB \\(", "the default quota over a kiln_cmd_vec3 record",
                    () -> CommandBuffer.DEFAULT_REQUEST_QUOTA_BYTES / headerSize("kiln_cmd_vec3")),
            new WordedClaim("docs/reliability.md", "1 MiB is ", "the default quota over a kiln_cmd_vec3 record",
                    () -> CommandBuffer.DEFAULT_REQUEST_QUOTA_BYTES / headerSize("kiln_cmd_vec3")));

    /** A struct's size as abi/kiln.h asserts it (_Static_assert(sizeof(x) == n, ...)). */
    private static long headerSize(String struct) {
        Matcher m = Pattern.compile("sizeof\\(" + struct + "\\) == (\\d+)").matcher(read("abi/kiln.h"));
        assertThat(m.find()).as("abi/kiln.h asserts the size of " + struct).isTrue();
        return Long.parseLong(m.group(1));
    }

}
