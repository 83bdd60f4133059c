package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A script that calls exit() or abort() in the engine's own process still ends it (only
 * isolated mode contains that), but the last words name the library, the hook and the entity,
 * and say to run it isolated. Each case runs `kiln run` in a process of its own.
 */
class LastGaspTest {
    @Test
    void abortInAZigScriptNamesTheScriptAndTheEntity(@TempDir Path dir) throws Exception {
        Files.copy(TestEngine.testScript("rogue.zig"), dir.resolve("rogue.zig"));
        String err = runUntilItDies(dir, "rogue", "rogue.zig", "\"vars\": {\"rogue\": {\"i64\": 2}}");
        assertThat(err).containsPattern("kiln: the script in librogue-[0-9a-f]+\\.so called abort\\(\\) in kiln_script_update "
                + "for entity 0v1: the engine process is ending").contains("\"isolated\": true");
    }

    @Test
    void exitInACScriptNamesTheScript(@TempDir Path dir) throws Exception {
        String source = Files.readString(TestEngine.home().resolve("src/test/c/c_mover.c"))
                .replace("#include \"kiln.h\"", "#include \"kiln.h\"\n#include <stdlib.h>")
                .replace("s->updates++;", "s->updates++; if (s->updates == 3) { inst->status = KILN_STATUS_RUNNING; exit(3); }");
        Files.writeString(dir.resolve("c_mover.c"), source);
        String err = runUntilItDies(dir, "c_mover", "c_mover.c", "\"vars\": {}");
        assertThat(err).containsPattern("the script in libc_mover-[0-9a-f]+\\.so called exit\\(\\) in kiln_script_update for entity 0v1");
    }

    /** Runs a one-entity scene in a JVM of its own; returns its stderr once it ended (not normally). */
    private static String runUntilItDies(Path dir, String script, String file, String vars) throws Exception {
        Files.writeString(dir.resolve("scene.json"), """
                { "kiln_scene": 1, "scripts": { "%s": "%s" },
                  "entities": [ { "name": "victim", %s, "scripts": [ { "script": "%s" } ] } ] }
                """.formatted(script, file, vars, script));
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-Dkiln.home=" + TestEngine.home(),
                "-cp", System.getProperty("java.class.path"), "dev.kiln.cli.KilnCli", "run", dir.resolve("scene.json").toString(),
                "--frames", "20", "--no-watch", "--no-inspector", "--build-dir", TestEngine.buildDir().toString()));
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(err).isNotZero();
        return err;
    }
}
