package dev.kiln.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a tool (the Zig compiler, a program it built) for a test and fails the test when it fails. */
public final class Commands {
    private Commands() {}

    /** Runs {@code cmd} to its end (3 minutes at most) and returns what it printed; fails on a non-zero exit. */
    public static String run(List<String> cmd) throws Exception {
        return run(cmd, null);
    }

    /**
     * As {@link #run(List)}, with {@code stdin} (null: none) as the program's input; its standard
     * error is the test's, its exit status and output are in the failure message.
     */
    public static String run(List<String> cmd, Path stdin) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(stdin == null);
        if (stdin != null) pb.redirectInput(stdin.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("%s finished", String.join(" ", cmd)).isTrue();
        assertThat(p.exitValue()).as("%s:\n%s", String.join(" ", cmd), out).isZero();
        return out;
    }
}
