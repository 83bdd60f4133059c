package dev.kiln.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A test's body run in a JVM of its own (this JVM's java, class path and native access, the
 * Kiln home), for what must not share a process with earlier tests: a fixed heap, a memory
 * limit, readings of the process's memory. The child prints lines the test reads.
 */
public final class ChildJvm {
    private ChildJvm() {}

    /**
     * Runs {@code main} with {@code jvmOptions} and {@code args}; its standard output's lines once
     * it exited 0. AssertionError when it did not end within {@code timeoutSeconds} (it is
     * killed) or exited otherwise (its standard error in the message).
     */
    public static List<String> run(Class<?> main, List<String> jvmOptions, long timeoutSeconds, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-Dkiln.home=" + TestEngine.home(),
                "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(main.getSimpleName(), ".out"), err = Files.createTempFile(main.getSimpleName(), ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("the child did not end within " + timeoutSeconds + " s: " + Files.readString(out));
            }
            assertThat(p.exitValue()).as("child exit; stderr:%n%s", Files.readString(err)).isZero();
            return Files.readAllLines(out);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The lines {@code tag kind field...} of {@code lines}, by kind: each line's fields after the kind. */
    public static Map<String, List<String[]>> tagged(List<String> lines, String tag) {
        Map<String, List<String[]>> byKind = new HashMap<>();
        for (String line : lines) {
            String[] f = line.split(" ");
            if (f.length > 2 && f[0].equals(tag)) byKind.computeIfAbsent(f[1], k -> new ArrayList<>()).add(Arrays.copyOfRange(f, 2, f.length));
        }
        return byKind;
    }
}
