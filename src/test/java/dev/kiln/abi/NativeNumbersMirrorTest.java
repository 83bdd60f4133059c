package dev.kiln.abi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.TestEngine;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The numbers native/*.h shares with the Java side — counter slots, modes, request codes, function
 * indexes, fault kinds, bounds — are one source: every enum member and valued #define with a
 * mirrored prefix is read from the headers (so a new one cannot be missed), the C compiler says
 * its value, and the Java constant it names must hold that value. A constant with no Java mirror
 * must be listed in C_ONLY with the reason.
 */
class NativeNumbersMirrorTest {
    /** Header → the name prefixes whose every constant the Java side mirrors. */
    private static final Map<String, List<String>> PREFIXES = Map.of(
            "kiln_apply.h", List.of("KILN_APPLY_"),
            "kiln_signals.h", List.of("KILN_ROUTE_"),
            "kiln_host.h", List.of("KILN_HOST_"),
            "kiln_guard.h", List.of("FAULT_"));
    /** Constants the Java side has no use for, and why. */
    private static final Map<String, String> C_ONLY = Map.of(
            "KILN_HOST_MAGIC", "the host writes it into control.magic; the engine checks the protocol version",
            "KILN_HOST_OP_QUIT", "the engine ends a host by ending its stdin or killing it, never by this request");

    @TempDir
    static Path dir;
    /** Constant name → its value as the C compiler computes it. */
    static Map<String, Long> c;

    @BeforeAll
    static void askTheCCompiler() throws Exception {
        Pattern enumBody = Pattern.compile("enum\\s*\\{(.*?)\\}", Pattern.DOTALL);
        Pattern define = Pattern.compile("^#define\\s+(\\w+)[ \\t]+\\S", Pattern.MULTILINE);
        StringBuilder program = new StringBuilder("#include <stdio.h>\n");
        List<String> names = new ArrayList<>();
        for (var e : PREFIXES.entrySet()) {
            String text = Files.readString(TestEngine.home().resolve("native/" + e.getKey()))
                    .replaceAll("(?s)/\\*.*?\\*/", "");
            program.append("#include \"").append(e.getKey()).append("\"\n");
            List<String> found = new ArrayList<>();
            Matcher m = enumBody.matcher(text);
            while (m.find()) {
                for (String member : m.group(1).split(",")) {
                    String name = member.split("=")[0].trim();
                    if (!name.isEmpty()) found.add(name);
                }
            }
            Matcher d = define.matcher(text);
            while (d.find()) found.add(d.group(1));
            for (String name : found) {
                if (e.getValue().stream().anyMatch(name::startsWith) && !names.contains(name)) names.add(name);
            }
        }
        program.append("int main(void) {\n");
        for (String name : names) {
            program.append("  printf(\"%s %lld\\n\", \"").append(name).append("\", (long long)(").append(name).append("));\n");
        }
        program.append("  return 0;\n}\n");
        c = new LinkedHashMap<>();
        HeaderProbe.run(dir, "numbers", program).forEach((name, value) -> c.put(name, Long.parseLong(value)));
    }

    /** Each header constant → the Java value that mirrors it. */
    private static Map<String, Long> java() throws Exception {
        Map<String, Long> j = new LinkedHashMap<>();
        Class<?> world = Class.forName("dev.kiln.ecs.World");
        Class<?> hotApply = Class.forName("dev.kiln.dataplane.HotApply");
        j.put("KILN_APPLY_HIGH_WATER", value(world, "HOT_HIGH_WATER"));
        j.put("KILN_APPLY_DIRTY_COUNT", value(world, "HOT_DIRTY_COUNT"));
        j.put("KILN_APPLY_MOVING_COUNT", value(world, "HOT_MOVING_COUNT"));
        j.put("KILN_APPLY_POSITIONS_VERSION", value(world, "HOT_POSITIONS_VERSION"));
        j.put("KILN_APPLY_APPLIED", value(hotApply, "APPLIED"));
        j.put("KILN_APPLY_STOP_OFFSET", value(hotApply, "STOP_OFFSET"));
        j.put("KILN_APPLY_POSITION_TABLE", value(hotApply, "POSITION_TABLE"));
        j.put("KILN_APPLY_ROW_POSITIONS", value(hotApply, "ROW_POSITIONS"));
        j.put("KILN_APPLY_STOP_AT_OWN", value(hotApply, "STOP_AT_OWN"));
        j.put("KILN_APPLY_STOP_AT_LANE", value(hotApply, "STOP_AT_LANE"));
        // The native side's slots end where the Java side's own (the range a call stopped in) begin.
        j.put("KILN_APPLY_COUNTERS", value(hotApply, "STOP_RANGE"));

        Class<?> signals = Class.forName("dev.kiln.dataplane.NativeSignals");
        for (String slot : List.of("DELIVERIES", "NEEDED", "COUNTERS", "RECEIVERS", "LIBRARY", "MIXED", "TARGETS_LIVE",
                "BATCH_COUNTERS",
                "LIB_DELIVER", "LIB_NO_HANDLER", "LIB_POISONED")) {
            j.put("KILN_ROUTE_" + slot, value(signals, slot));
        }
        j.put("KILN_ROUTE_ENTITY_WIDTH", value(Class.forName("dev.kiln.dataplane.NativeSignals$Routes"),
                "ENTITY_ROUTE_WIDTH"));
        j.put("KILN_ROUTE_NO_ENTITY", value(Class.forName("dev.kiln.dataplane.NativeSignals$Routes"), "NO_ENTITY"));

        Class<?> region = Class.forName("dev.kiln.isolate.Region");
        j.put("KILN_HOST_PROTOCOL_VERSION", value(Class.forName("dev.kiln.isolate.HostProcess"), "PROTOCOL_VERSION"));
        j.put("KILN_HOST_INFO_AREA_OFFSET", value(region, "INFO_AREA"));
        j.put("KILN_HOST_INFO_AREA_END", value(region, "INFO_AREA_END"));
        for (String op : List.of("BATCH", "HOOK", "HEAP")) j.put("KILN_HOST_OP_" + op, value(region, "OP_" + op));
        for (String heap : List.of("SET_BUDGET", "FREE_INSTANCE", "READ", "CREATE", "USAGE", "TAKE_REFUSALS")) {
            j.put("KILN_HOST_HEAP_" + heap, value(region, "HEAP_" + heap));
        }
        j.put("KILN_HOST_DEFAULT_MEMORY_BUDGET", value(Class.forName("dev.kiln.script.ScriptRuntime"),
                "DEFAULT_MEMORY_BUDGET_BYTES"));
        Class<?> isolated = Class.forName("dev.kiln.isolate.IsolatedLibrary");
        for (String fn : List.of("INIT", "UPDATE", "SHUTDOWN", "SIGNAL", "UNLOAD", "HEALTH", "MIGRATE", "SERIALIZE",
                "DESERIALIZE", "METADATA")) {
            j.put("KILN_HOST_FN_" + fn, value(isolated, "FN_" + fn));
        }
        j.put("KILN_HOST_FN_COUNT", (long) exports().length);

        for (var kind : dev.kiln.loader.FaultGuard.Kind.values()) {
            if (kind != dev.kiln.loader.FaultGuard.Kind.HOST_ENDED) j.put("FAULT_" + kind.name(), (long) kind.ordinal());
        }
        return j;
    }

    private static long value(Class<?> owner, String name) throws Exception {
        Field f = owner.getDeclaredField(name);
        f.setAccessible(true);
        return ((Number) f.get(null)).longValue();
    }

    private static String[] exports() throws Exception {
        Field f = Class.forName("dev.kiln.isolate.IsolatedLibrary").getDeclaredField("EXPORTS");
        f.setAccessible(true);
        return (String[]) f.get(null);
    }

    @Test
    void everyMirroredHeaderConstantHasAJavaConstant() throws Exception {
        TreeSet<String> unmirrored = new TreeSet<>(c.keySet());
        unmirrored.removeAll(java().keySet());
        unmirrored.removeAll(C_ONLY.keySet());
        assertThat(unmirrored).as("header constants with no Java mirror (add one, or list it in C_ONLY)").isEmpty();
        assertThat(c).as("the headers still declare what C_ONLY excuses").containsKeys(C_ONLY.keySet().toArray(String[]::new));
    }

    @Test
    void everyJavaMirrorHoldsTheHeadersValue() throws Exception {
        Map<String, Long> java = java();
        assertThat(c).as("the headers declare every mirrored name").containsKeys(java.keySet().toArray(String[]::new));
        List<String> drifted = new ArrayList<>();
        java.forEach((name, value) -> {
            if (value.longValue() != c.get(name)) drifted.add(name + ": Java " + value + ", header " + c.get(name));
        });
        assertThat(drifted).as("Java mirrors that differ from the header").isEmpty();
        assertThat(java).hasSizeGreaterThanOrEqualTo(40);
    }

    /** The host finds the library's functions by KILN_HOST_FN_* index: IsolatedLibrary's EXPORTS in the same order. */
    @Test
    void theIsolatedLibrarysExportsAreTheHostsFunctionNamesInOrder() throws Exception {
        String host = Files.readString(TestEngine.home().resolve("native/kiln_host.c"));
        Matcher table = Pattern.compile("function_names\\[KILN_HOST_FN_COUNT\\]\\s*=\\s*\\{(.*?)\\}", Pattern.DOTALL)
                .matcher(host);
        assertThat(table.find()).as("kiln_host.c's function_names table").isTrue();
        String kiln = Files.readString(TestEngine.home().resolve("abi/kiln.h"));
        List<String> names = new ArrayList<>();
        for (String macro : table.group(1).split(",")) {
            if (macro.isBlank()) continue;
            Matcher d = Pattern.compile("#define " + macro.trim() + "\\s+\"(\\w+)\"").matcher(kiln);
            assertThat(d.find()).as("kiln.h defines %s", macro.trim()).isTrue();
            names.add(d.group(1));
        }
        assertThat(exports()).as("IsolatedLibrary.EXPORTS against kiln_host.c's function_names").containsExactlyElementsOf(names);
    }
}
