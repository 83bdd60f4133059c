package dev.kiln.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commit of a script's repository is read at build time and embedded in the library's metadata. */
class SourceCommitTest {
    @Test
    void aScriptInARepositoryCarriesItsCommitAndOneOutsideCarriesNone(@TempDir Path dir) throws Exception {
        Path repo = Files.createDirectories(dir.resolve("game"));
        Path script = repo.resolve("scripts/tagged.zig");
        Files.createDirectories(script.getParent());
        Files.writeString(script, """
                const kiln = @import("kiln");
                // %s: a fresh build, not one from the shared cache
                pub const State = struct { n: u32 = 0 };
                pub fn update(self: *State, ctx: *kiln.Context) void { _ = ctx; self.n += 1; }
                """.formatted(UUID.randomUUID()));
        git(repo, "init", "-q");
        git(repo, "add", ".");
        git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "first");
        String head = git(repo, "rev-parse", "HEAD").strip();

        assertThat(SourceCommit.of(script)).contains(head.substring(0, SourceCommit.DIGITS));
        try (TestEngine t = new TestEngine()) {
            assertThat(t.load(script).info().sourceCommit()).isEqualTo(head.substring(0, SourceCommit.DIGITS));
        }
        Path outside = Files.writeString(dir.resolve("loose.zig"), "");
        assertThat(SourceCommit.of(outside)).isEmpty();
    }

    private static String git(Path dir, String... args) throws Exception {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "git";
        cmd[1] = "-C";
        cmd[2] = dir.toString();
        System.arraycopy(args, 0, cmd, 3, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }
}
