package dev.kiln.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one compiler process with a deadline. Its stdin comes from a file and its stdout and
 * stderr go to files, so no pipe can fill up and block it, and the wait below is the only
 * blocking call: the timeout really fires. On timeout or cancellation the whole process tree
 * is killed before this returns, so no compiler outlives its build.
 */
final class SupervisedProcess {
    /** How a run ended; {@code stdout} and {@code stderr} are what the process wrote. */
    record Outcome(int exitCode, boolean timedOut, boolean cancelled, byte[] stdout, String stderr) {
        boolean finished() {
            return !timedOut && !cancelled;
        }
    }

    private SupervisedProcess() {}

    static Outcome run(List<String> cmd, Path workDir, Path ioDir, byte[] stdin, Map<String, String> env,
                       Duration timeout, BuildCancellation cancellation) throws IOException, InterruptedException {
        Files.createDirectories(ioDir);
        Path in = ioDir.resolve("compiler.stdin");
        Path out = ioDir.resolve("compiler.stdout");
        Path err = ioDir.resolve("compiler.stderr");
        Files.write(in, stdin);
        if (cancellation.cancelled()) return new Outcome(-1, false, true, new byte[0], "");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile())
                .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        cancellation.attach(p);
        boolean finished;
        try {
            finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            cancellation.detach();
            // Timeout, cancellation or an interrupt of this thread: nothing may keep running.
            if (p.isAlive() || !p.descendants().toList().isEmpty()) ProcessTree.kill(p.toHandle());
        }
        boolean cancelled = cancellation.cancelled();
        int code = finished ? p.exitValue() : -1;
        return new Outcome(code, !finished && !cancelled, cancelled, Files.readAllBytes(out),
                new String(Files.readAllBytes(err), StandardCharsets.UTF_8));
    }
}
