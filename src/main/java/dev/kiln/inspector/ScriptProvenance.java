package dev.kiln.inspector;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The git commit a script's source was last committed in ("a1b2c3d", with "+dirty" when the
 * file has uncommitted changes), or null when its folder is not in a git repository or git is
 * not installed. Cached per source hash: git runs once per build, never on the frame thread.
 */
final class ScriptProvenance {
    private static final String NONE = "";
    private final Map<String, String> bySourceAndHash = new ConcurrentHashMap<>();

    String commit(String source, String sourceHash) {
        if (source == null) return null;
        String found = bySourceAndHash.computeIfAbsent(source + "@" + sourceHash, k -> lookUp(Path.of(source)));
        return found.equals(NONE) ? null : found;
    }

    private static String lookUp(Path source) {
        Path dir = source.toAbsolutePath().getParent();
        String file = source.getFileName().toString();
        String commit = git(dir, "log", "-1", "--format=%h", "--", file);
        if (commit == null || commit.isEmpty()) return NONE;
        String status = git(dir, "status", "--porcelain", "--", file);
        return status != null && !status.isEmpty() ? commit + "+dirty" : commit;
    }

    /** Output of a git command, or null when it failed (not a repository, no git). */
    private static String git(Path dir, String... args) {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "git";
        cmd[1] = "-C";
        cmd[2] = dir.toString();
        System.arraycopy(args, 0, cmd, 3, args.length);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null; // git is not installed: provenance is optional
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
