package dev.kiln.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.testing.TestEngine;
import java.io.File;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every function the engine calls in its apply library (the names HotApply, ChurnApply and
 * NativeSignals look up) clears the JVM's dirty upper vector state first (native/kiln_avx.h):
 * the library is baseline SSE code, which ran about three times slower per entity without it.
 * An entry point added without the clear would lose that silently: no result changes, only
 * the frame's time. Checked on the built library where the machine allows: its disassembly
 * (every exported function tests the AVX flag and runs vzeroupper before any vector register
 * or call, or is only reached from one that did) and the flag itself, read from the loaded
 * library (the CPU and OS detection reports what /proc/cpuinfo says: on this machine's
 * AVX-512 CPU, usable). Those need a disassembler on the PATH (binutils' or LLVM's objdump:
 * Zig ships none) and Linux on x86-64, so they are skipped elsewhere; the check of the C
 * sources (the first statement of each entry point) runs everywhere.
 */
class NativeEntryVectorStateTest {
    private static final String[] CALLERS = {"HotApply.java", "ChurnApply.java", "NativeSignals.java"};
    private static final String[] SOURCES = {"kiln_apply.c", "kiln_churn.c", "kiln_signals.c"};
    /** The detection's flag (native/kiln_avx.h): static, so one copy per source file of the library. */
    private static final String AVX_FLAG = "kiln_avx_usable";
    /** How long one disassembler run may take (the library is ~30 KB: well under a second). */
    private static final long TOOL_TIMEOUT_SECONDS = 60;

    @Test
    void everyEntryPointTheEngineLooksUpStartsByClearingTheUpperVectorState() throws Exception {
        Path home = TestEngine.home();
        List<String> entries = engineEntries();
        StringBuilder native_ = new StringBuilder();
        for (String source : SOURCES) native_.append(Files.readString(home.resolve("native").resolve(source)));
        for (String entry : entries) {
            // A definition: return type at the start of a line, the name, its parameters, then the body.
            Matcher definition = Pattern.compile("(?m)^\\w+ " + entry + "\\([^;{]*\\)\\s*\\{\\s*([^;]*);")
                    .matcher(native_);
            assertThat(definition.find()).as("definition of %s in native/%s", entry, String.join(", ", SOURCES)).isTrue();
            assertThat(definition.group(1)).as("first statement of %s", entry).isEqualTo("kiln_avx_clear_upper()");
        }
    }

    @Test
    void theBuiltLibraryClearsTheUpperVectorStateBeforeAnyVectorInstructionOfEveryEntryPoint() throws Exception {
        String objdump = disassembler();
        Path library = applyLibrary();
        Map<String, List<String>> functions = disassembly(objdump, library);
        List<String> exported = exportedFunctions(objdump, library);
        assertThat(exported).as("functions the built library exports").containsAll(engineEntries());
        List<String> clearing = new ArrayList<>(), inner = new ArrayList<>();
        for (String name : exported) {
            List<String> body = functions.get(name);
            assertThat(body).as("disassembly of %s", name).isNotNull().isNotEmpty();
            if (clearsFirst(body)) clearing.add(name);
            else inner.add(name);
        }
        assertThat(inner).as("entry points the engine calls that do not clear first").doesNotContainAnyElementsOf(engineEntries());
        Set<String> reached = reachedFrom(clearing, functions);
        for (String name : inner) { // only reached from inside an entry point, after its clear
            assertThat(reached).as("%s does not clear the upper vector state first, so an entry point that does must reach it", name)
                    .contains(name);
        }
        assertThat(clearing).as("entry points that clear").hasSizeGreaterThanOrEqualTo(10);
    }

    @Test
    void theAvxDetectionReportsWhatTheCpuAndOperatingSystemOffer() throws Exception {
        String objdump = disassembler();
        Path cpuinfo = Path.of("/proc/cpuinfo");
        assumeTrue(Files.isReadable(cpuinfo), "no /proc/cpuinfo to compare the detection with");
        Path library = applyLibrary();
        // Linux lists the avx flag only when the CPU has AVX and the kernel enabled its register state.
        boolean avx = Files.readAllLines(cpuinfo).stream().filter(l -> l.startsWith("flags"))
                .findFirst().map(l -> List.of(l.split("\\s+")).contains("avx")).orElse(false);
        long integrate = symbolValue(run(objdump, "-T", library.toString()), "kiln_integrate").orElseThrow();
        List<Long> flags = new ArrayList<>();
        for (String line : run(objdump, "-t", library.toString())) {
            if (line.matches(".*\\s" + AVX_FLAG)) flags.add(Long.parseUnsignedLong(line.split("\\s+")[0], 16));
        }
        assertThat(flags).as("a copy of %s per source file", AVX_FLAG).hasSize(SOURCES.length);
        try (Arena arena = Arena.ofConfined()) {
            // The library is the engine's (dlopen gives its mapping back): where it lies, from an exported function.
            long base = SymbolLookup.libraryLookup(library, arena).find("kiln_integrate").orElseThrow().address() - integrate;
            for (long at : flags) {
                int usable = MemorySegment.ofAddress(base + at).reinterpret(4).get(ValueLayout.JAVA_INT, 0);
                assertThat(usable).as("%s at +0x%x (the CPU and OS %s AVX)", AVX_FLAG, at, avx ? "offer" : "do not offer")
                        .isEqualTo(avx ? 1 : 0);
            }
        }
    }

    /** The names the engine looks up in the apply library (its callers' sources). */
    private static List<String> engineEntries() throws IOException {
        List<String> entries = new ArrayList<>();
        Pattern lookup = Pattern.compile("lookup\\.find\\(\"(kiln_\\w+)\"\\)");
        for (String caller : CALLERS) {
            Matcher m = lookup.matcher(Files.readString(TestEngine.home().resolve("src/main/java/dev/kiln/dataplane").resolve(caller)));
            while (m.find()) entries.add(m.group(1));
        }
        assertThat(entries).as("the names the engine looks up").hasSizeGreaterThanOrEqualTo(10);
        return entries;
    }

    /**
     * True when the function tests the AVX flag, then runs vzeroupper, before any instruction
     * that names a vector register and before any call or jump out of it (the instructions in
     * address order: a clear laid out after its first use would fail this).
     */
    static boolean clearsFirst(List<String> body) {
        boolean tested = false;
        for (String instruction : body) {
            if (instruction.contains("<" + AVX_FLAG + ">")) tested = true;
            else if (instruction.startsWith("vzeroupper")) return tested;
            else if (instruction.matches(".*%[xyz]mm\\d.*") || instruction.startsWith("call")
                    || instruction.matches("jmp\\S*\\s+[0-9a-f]+ <(?!.*\\+0x).*")) return false;
        }
        return false;
    }

    /** Every function {@code roots} call or jump to, directly or through others (a PLT entry counts as its function). */
    private static Set<String> reachedFrom(List<String> roots, Map<String, List<String>> functions) {
        Pattern target = Pattern.compile("^(?:call|jmp)\\S*\\s+[0-9a-f]+ <([^+>@]+)(?:@plt)?>");
        Set<String> reached = new HashSet<>();
        ArrayDeque<String> next = new ArrayDeque<>(roots);
        while (!next.isEmpty()) {
            for (String instruction : functions.getOrDefault(next.poll(), List.of())) {
                Matcher m = target.matcher(instruction);
                if (m.find() && reached.add(m.group(1))) next.add(m.group(1));
            }
        }
        return reached;
    }

    /** The built apply library (the engine builds it once, cached by content, and loads it). */
    private static Path applyLibrary() {
        try (TestEngine t = new TestEngine()) {
            var built = t.engine.compiler().buildApply();
            assertThat(built.ok()).as("the apply library builds").isTrue();
            return built.library();
        }
    }

    /** Each function's instructions (mnemonic and operands), by name. */
    private static Map<String, List<String>> disassembly(String objdump, Path library) throws Exception {
        Map<String, List<String>> functions = new LinkedHashMap<>();
        Pattern header = Pattern.compile("^[0-9a-f]+ <([^>]+)>:$"), instruction = Pattern.compile("^\\s*[0-9a-f]+:\\s+(\\S.*)$");
        List<String> current = null;
        for (String line : run(objdump, "-d", "--no-show-raw-insn", library.toString())) {
            Matcher h = header.matcher(line), i = instruction.matcher(line);
            if (h.matches()) functions.put(h.group(1), current = new ArrayList<>());
            else if (i.matches() && current != null) current.add(i.group(1).trim());
        }
        return functions;
    }

    /** The functions the library defines in its dynamic symbol table (what dlsym finds). */
    private static List<String> exportedFunctions(String objdump, Path library) throws Exception {
        List<String> names = new ArrayList<>();
        for (String line : run(objdump, "-T", library.toString())) {
            String[] f = line.trim().split("\\s+");
            if (line.contains("DF") && line.contains(".text") && f[f.length - 1].startsWith("kiln_")) names.add(f[f.length - 1]);
        }
        return names;
    }

    private static Optional<Long> symbolValue(List<String> table, String name) {
        return table.stream().filter(l -> l.matches(".*\\s" + name))
                .map(l -> Long.parseUnsignedLong(l.trim().split("\\s+")[0], 16)).findFirst();
    }

    /** binutils' objdump or LLVM's on the PATH, on Linux x86-64; the test is skipped otherwise. */
    private static String disassembler() {
        assumeTrue(System.getProperty("os.arch").equals("amd64") && System.getProperty("os.name").equals("Linux"),
                "the upper vector state is x86-64's; the library's symbols are read as ELF");
        Optional<String> found = Stream.of("objdump", "llvm-objdump")
                .filter(tool -> Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                        .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))))
                .findFirst();
        assumeTrue(found.isPresent(), "no objdump or llvm-objdump on the PATH to disassemble the library with");
        return found.get();
    }

    private static List<String> run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(TOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("%s ended", String.join(" ", command)).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", command), text).isZero();
        return text.lines().toList();
    }
}
