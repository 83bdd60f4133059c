package dev.kiln.build;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One long-lived `zig build-lib --listen=-` process for one script (the development profile's
 * warm compiler). Each {@link #update} sends the compiler server's `update` message and reads
 * its answers up to the `error_bundle` that ends every update (lib/compiler/Maker/Step.zig
 * reads it the same way under `--watch`). With `-fincremental` the compiler keeps its analysis
 * of std and the SDK in memory, so an update re-analyses only what the edit touched.
 *
 * <p>A session that is cancelled, times out or whose process dies is dead for good: its whole
 * process tree is killed and the next build starts a new one. Its stderr goes to a file, so it
 * can never fill a pipe and block the compiler.
 */
final class CompilerSession implements AutoCloseable {
    /** Compiler server: client message tags (lib/std/zig/Client.zig). */
    private static final int CLIENT_EXIT = 0;
    private static final int CLIENT_UPDATE = 1;
    /** Server tag that ends every update, even one without errors (then an empty bundle). */
    private static final int SERVER_ERROR_BUNDLE = 1;
    /** A message body larger than this is not a compiler message: the stream is broken. */
    private static final int MESSAGE_BYTES_MAX = 256 << 20;
    /** How long {@link #close} waits for the compiler to exit after `exit` before killing it. */
    private static final Duration EXIT_WAIT = Duration.ofSeconds(2);
    /** Kills sessions whose update ran past its deadline; daemon, so it never holds the JVM. */
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(r ->
            Thread.ofPlatform().daemon().name("kiln-compiler-deadlines").unstarted(r));

    private final Process process;
    private final List<String> command;
    private final OutputStream toCompiler;
    private final InputStream fromCompiler;
    private final Path stderrFile;
    private long stderrRead;
    private int updates;
    private volatile boolean dead;

    private CompilerSession(Process process, List<String> command, Path stderrFile) {
        this.process = process;
        this.command = command;
        this.toCompiler = process.getOutputStream();
        this.fromCompiler = process.getInputStream();
        this.stderrFile = stderrFile;
    }

    /** Starts the compiler; it waits for its first `update`. */
    static CompilerSession start(List<String> command, Path workDir, Path ioDir, Map<String, String> env)
            throws IOException {
        Files.createDirectories(ioDir);
        Path err = ioDir.resolve("compiler.stderr");
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectError(err.toFile());
        pb.environment().putAll(env);
        return new CompilerSession(pb.start(), command, err);
    }

    /** The command line it was started with: a build whose command differs needs another session. */
    List<String> command() {
        return command;
    }

    /** Updates answered so far (1 after the first build): tests check a reload reused the process. */
    int updates() {
        return updates;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return !dead && process.isAlive();
    }

    /** Pages of /proc/PID/statm: the kernel's unit, 4 KiB on x86_64 Linux. */
    private static final long PAGE_BYTES = 4096;

    /**
     * Resident memory of the compiler and any process it started, in bytes (Linux
     * {@code /proc/PID/statm}); 0 for what cannot be read (a process that just ended).
     */
    long residentBytes() {
        long total = residentBytes(process.pid());
        for (ProcessHandle child : process.descendants().toList()) total += residentBytes(child.pid());
        return total;
    }

    private static long residentBytes(long pid) {
        try {
            String[] fields = Files.readString(Path.of("/proc", Long.toString(pid), "statm")).trim().split("\\s+");
            return fields.length > 1 ? Long.parseLong(fields[1]) * PAGE_BYTES : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Runs one update under {@code timeout} and {@code cancellation}. A stopped update (timeout,
     * cancellation, the process ending) kills the session; the outcome says which.
     */
    SupervisedProcess.Outcome update(Duration timeout, BuildCancellation cancellation) throws IOException {
        if (cancellation.cancelled()) return new SupervisedProcess.Outcome(-1, false, true, new byte[0], "");
        if (!alive()) throw new IOException("the compiler session ended before this update");
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> deadline = DEADLINES.schedule(() -> {
            timedOut.set(true);
            kill();
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        cancellation.attach(process);
        ByteArrayOutputStream messages = new ByteArrayOutputStream();
        boolean ended = false;
        try {
            send(CLIENT_UPDATE);
            ended = readUntilErrorBundle(messages);
        } catch (IOException e) {
            ended = false; // killed meanwhile, or the compiler crashed: told apart below
        } finally {
            deadline.cancel(false);
            cancellation.detach();
        }
        String stderr = newStderr();
        if (!ended) {
            kill();
            boolean cancelled = cancellation.cancelled();
            boolean late = timedOut.get() && !cancelled;
            int code = process.isAlive() ? -1 : exitCodeOrMinusOne();
            String why = cancelled || late ? "" : "\nerror: the compiler ended during the update (exit code " + code + ")";
            if (!cancelled && !late) return new SupervisedProcess.Outcome(code, false, false, messages.toByteArray(), stderr + why);
            return new SupervisedProcess.Outcome(-1, late, cancelled, messages.toByteArray(), stderr);
        }
        updates++;
        return new SupervisedProcess.Outcome(0, false, false, messages.toByteArray(), stderr);
    }

    private int exitCodeOrMinusOne() {
        try {
            return process.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Copies every message into {@code out}; true when the update's closing error_bundle arrived. */
    private boolean readUntilErrorBundle(ByteArrayOutputStream out) throws IOException {
        byte[] header = new byte[8];
        while (true) {
            readFully(header);
            ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
            int tag = h.getInt();
            int len = h.getInt();
            if (len < 0 || len > MESSAGE_BYTES_MAX) throw new IOException("compiler message of " + len + " bytes");
            byte[] body = new byte[len];
            readFully(body);
            out.write(header);
            out.write(body);
            if (tag == SERVER_ERROR_BUNDLE) return true;
        }
    }

    private void readFully(byte[] into) throws IOException {
        int n = 0;
        while (n < into.length) {
            int r = fromCompiler.read(into, n, into.length - n);
            if (r < 0) throw new EOFException("compiler output ended");
            n += r;
        }
    }

    private void send(int tag) throws IOException {
        byte[] header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(tag).putInt(0).array();
        toCompiler.write(header);
        toCompiler.flush();
    }

    /** What the compiler wrote to stderr since the last update (its stderr file only grows). */
    private String newStderr() {
        try (RandomAccessFile f = new RandomAccessFile(stderrFile.toFile(), "r")) {
            long len = f.length();
            if (len <= stderrRead) return "";
            byte[] bytes = new byte[(int) Math.min(len - stderrRead, MESSAGE_BYTES_MAX)];
            f.seek(stderrRead);
            f.readFully(bytes);
            stderrRead = len;
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private void kill() {
        dead = true;
        ProcessTree.kill(process.toHandle());
    }

    /** Asks the compiler to exit; kills its tree when it does not within {@link #EXIT_WAIT}. */
    @Override
    public void close() {
        if (alive()) {
            try {
                send(CLIENT_EXIT);
                toCompiler.close();
                if (process.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS) && process.descendants().findAny().isEmpty()) {
                    dead = true;
                    return;
                }
            } catch (IOException e) {
                // already gone: killed below to be sure of its children
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        kill();
    }
}
