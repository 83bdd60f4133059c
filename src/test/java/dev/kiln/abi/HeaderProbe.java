package dev.kiln.abi;

import dev.kiln.build.ZigToolchain;
import dev.kiln.testing.Commands;
import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Asks the C compiler about the headers: builds a C program (zig cc, with abi/ and native/ on the
 * include path) whose every output line is "key value...", runs it, and returns key → the rest of
 * its line, in output order. The mirror tests use it so their truth is the compiler's, not a regex's.
 */
final class HeaderProbe {
    private HeaderProbe() {}

    /** Compiles {@code program} as {@code dir}/{@code name}.c, runs it; throws when either fails. */
    static Map<String, String> run(Path dir, String name, CharSequence program) throws Exception {
        Path source = Files.writeString(dir.resolve(name + ".c"), program);
        Path exe = dir.resolve(name);
        String zig = ZigToolchain.locate(TestEngine.home()).executable().toString();
        Commands.run(List.of(zig, "cc", "-std=c11", "-I", TestEngine.home().resolve("abi").toString(),
                "-I", TestEngine.home().resolve("native").toString(), "-o", exe.toString(), source.toString()));
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : Commands.run(List.of(exe.toString())).split("\n")) {
            int space = line.indexOf(' ');
            out.put(line.substring(0, space), line.substring(space + 1));
        }
        return out;
    }
}
