package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.KilnProcess;
import dev.kiln.testing.SourceEdit;
import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults that reach the whole process, each run as `kiln run` in a JVM of its own. A script that
 * calls exit() or abort() in the engine's process still ends it (only isolated mode contains
 * that), but its last words name the library, the hook and the entity, and say to run it
 * isolated. A call stopped while it was writing gigabytes is reported as an allocation.
 */
class ProcessLevelFaultTest {
    @Test
    void abortInAZigScriptNamesTheScriptAndTheEntity(@TempDir Path dir) throws Exception {
        Files.copy(TestEngine.testScript("rogue.zig"), dir.resolve("rogue.zig"));
        String err = runUntilItDies(dir, "rogue", "rogue.zig", "{\"rogue\": {\"i64\": 2}}");
        assertThat(err).containsPattern("kiln: the script in librogue-[0-9a-f]+\\.so called abort\\(\\) in kiln_script_update "
                + "for entity 0v1: the engine process is ending").contains("\"isolated\": true");
    }

    @Test
    void aCallStoppedWhileAllocatingGigabytesIsReportedAsAnAllocationNotAHang(@TempDir Path dir) throws Exception {
        Files.copy(TestEngine.testScript("rogue.zig"), dir.resolve("rogue.zig"));
        KilnProcess run = KilnProcess.run(dir, "rogue", "rogue.zig", "{\"rogue\": {\"i64\": 7}, \"bytes\": {\"i64\": 17179869184}}", 5);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out() + run.err()).contains("fault contained: a call was still allocating memory when it ran past its 500 ms budget")
                .doesNotContain("allocation written");
    }

    @Test
    void exitInACScriptNamesTheScript(@TempDir Path dir) throws Exception {
        String source = Files.readString(TestEngine.home().resolve("src/test/c/c_mover.c"));
        source = SourceEdit.replace(source, "#include \"kiln_script.h\"", "#include \"kiln_script.h\"\n#include <stdlib.h>");
        source = SourceEdit.replace(source, "s->updates++;",
                "s->updates++; if (s->updates == 3) { inst->status = KILN_STATUS_RUNNING; exit(3); }");
        Files.writeString(dir.resolve("c_mover.c"), source);
        String err = runUntilItDies(dir, "c_mover", "c_mover.c", "{}");
        assertThat(err).containsPattern("the script in libc_mover-[0-9a-f]+\\.so called exit\\(\\) in kiln_script_update for entity 0v1");
    }

    private static String runUntilItDies(Path dir, String script, String file, String vars) throws Exception {
        KilnProcess run = KilnProcess.run(dir, script, file, vars, 20);
        assertThat(run.exitCode()).as(run.err()).isNotZero();
        return run.err();
    }
}
