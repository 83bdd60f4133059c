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
 * (`zig ast-check`), is built only once it has stayed so for {@link #SETTLE}.
 */
final class TransientSave {
    /** Longer than an editor's truncate-then-write or a slow network save; short enough that a real typo is reported promptly. */
    static final Duration SETTLE = Duration.ofSeconds(2);
    /** ast-check parses one file in milliseconds; a check slower than this is treated as settled. */
    private static final Duration AST_CHECK_TIMEOUT = Duration.ofSeconds(10);

    private TransientSave() {}

    /** Why {@code file} looks like a save still in progress, or empty when it looks finished. */
    static Optional<String> why(Path file, ZigToolchain zig) {
        if (!file.toString().endsWith(".zig")) return Optional.empty(); // embedded data may be anything
        byte[] bytes;
        try {
            if (!Files.exists(file)) return Optional.of("is missing");
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return Optional.of("cannot be read (" + e.getMessage() + ")");
        }
        if (new String(bytes, StandardCharsets.UTF_8).isBlank()) return Optional.of("is empty");
        return parses(file, zig) ? Optional.empty() : Optional.of("does not parse");
    }

    private static boolean parses(Path file, ZigToolchain zig) {
        try {
            Process p = new ProcessBuilder(zig.executable().toString(), "ast-check", file.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(AST_CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return true;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return true; // cannot check: the build will say what is wrong
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}
