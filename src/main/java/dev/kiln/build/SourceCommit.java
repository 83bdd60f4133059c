package dev.kiln.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The commit checked out in the git repository a script's source lives in (the first 12 hex
 * digits of HEAD), read from the .git folder itself: no git process, so it costs a build
 * nothing (a save-to-live loop is counted in milliseconds). Empty when the source is not in a
 * repository or HEAD cannot be read (a fresh repository without commits, a worktree layout it
 * does not follow).
 */
public final class SourceCommit {
    /** Enough digits to name a commit in any repository a game has. */
    static final int DIGITS = 12;
    /** Folders walked up from the source before giving up. */
    private static final int DEPTH_MAX = 64;

    private SourceCommit() {}

    public static Optional<String> of(Path source) {
        Path dir = source.toAbsolutePath().getParent();
        for (int depth = 0; dir != null && depth < DEPTH_MAX; depth++, dir = dir.getParent()) {
            Path git = dir.resolve(".git");
            if (Files.isDirectory(git)) return head(git);
            if (Files.isRegularFile(git)) return linked(git); // a worktree or submodule: "gitdir: <path>"
        }
        return Optional.empty();
    }

    private static Optional<String> linked(Path gitFile) {
        try {
            String line = Files.readString(gitFile).strip();
            if (!line.startsWith("gitdir:")) return Optional.empty();
            Path gitDir = gitFile.getParent().resolve(line.substring("gitdir:".length()).strip()).normalize();
            return head(gitDir);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> head(Path gitDir) {
        try {
            String head = Files.readString(gitDir.resolve("HEAD")).strip();
            if (!head.startsWith("ref:")) return hex(head);
            String ref = head.substring("ref:".length()).strip();
            for (Path dir : refDirs(gitDir)) {
                Path loose = dir.resolve(ref);
                if (Files.isRegularFile(loose)) return hex(Files.readString(loose).strip());
                Path packed = dir.resolve("packed-refs");
                if (Files.isRegularFile(packed)) {
                    for (String l : Files.readAllLines(packed)) {
                        if (l.endsWith(" " + ref)) return hex(l.substring(0, l.indexOf(' ')));
                    }
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A linked worktree keeps its HEAD, but branches live in the main repository ("commondir"). */
    private static Path[] refDirs(Path gitDir) throws IOException {
        Path common = gitDir.resolve("commondir");
        if (!Files.isRegularFile(common)) return new Path[] {gitDir};
        return new Path[] {gitDir, gitDir.resolve(Files.readString(common).strip()).normalize()};
    }

    private static Optional<String> hex(String text) {
        return text.matches("[0-9a-f]{40,64}") ? Optional.of(text.substring(0, DIGITS)) : Optional.empty();
    }
}
