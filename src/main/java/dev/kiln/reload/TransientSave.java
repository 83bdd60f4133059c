package dev.kiln.reload;

import dev.kiln.build.ZigToolchain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Tells a save still being written from a finished one. An editor that truncates and then
 * writes, or a slow save to a network mount, leaves the file empty or cut off for a moment; an
 * empty Zig file is a valid script without State, so building it would wipe every instance's
 * State. A file that is missing, empty or whitespace only, or that does not parse
 * (`zig fmt --check`), is built only once it has stayed so for {@link #SETTLE}.
 */
final class TransientSave {
    /** Longer than an editor's truncate-then-write or a slow network save; short enough that a real typo is reported promptly. */
    static final Duration SETTLE = Duration.ofSeconds(2);
    /** Parsing one file takes milliseconds; a check slower than this is treated as settled. */
    private static final Duration PARSE_CHECK_TIMEOUT = Duration.ofSeconds(10);

    private TransientSave() {}

    /**
     * The checks that cost no process: missing, unreadable, empty. Run before a build; the parse
     * check ({@link #unparseable}) runs only after a build failed, so a good save never waits
     * for a `zig fmt` process (≈ 10 ms of a ≈ 50 ms reload).
     */
    static Optional<String> quick(Path file) {
        if (!file.toString().endsWith(".zig")) return Optional.empty(); // embedded data may be anything
        byte[] bytes;
        try {
            if (!Files.exists(file)) return Optional.of("is missing");
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return Optional.of("cannot be read (" + e.getMessage() + ")");
        }
        if (new String(bytes, StandardCharsets.UTF_8).isBlank()) return Optional.of("is empty");
        return Optional.empty();
    }

    /** "does not parse" when `zig fmt --check` finds a parse error in {@code file} (a .zig file). */
    static Optional<String> unparseable(Path file, ZigToolchain zig) {
        if (!file.toString().endsWith(".zig") || !Files.isRegularFile(file)) return Optional.empty();
        return parses(file, zig) ? Optional.empty() : Optional.of("does not parse");
    }

    /**
     * True unless `zig fmt --check` reports a parse error. fmt only parses (it exits 1 for a file
     * that merely needs formatting, with nothing on stderr), so a mistake the parser accepts,
     * like an undeclared name, is built and reported at once. Its stderr goes to a file: a pipe
     * read before the wait could block past the timeout.
     */
    private static boolean parses(Path file, ZigToolchain zig) {
        Path errors = null;
        try {
            errors = Files.createTempFile("kiln-fmt-check", ".txt");
            Process p = new ProcessBuilder(zig.executable().toString(), "fmt", "--check", file.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(errors.toFile()).start();
            if (!p.waitFor(PARSE_CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return true;
            }
            return !Files.readString(errors, StandardCharsets.UTF_8).contains(": error: ");
        } catch (IOException e) {
            return true; // cannot check: the build will say what is wrong
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        } finally {
            if (errors != null) errors.toFile().delete();
        }
    }
}
