package dev.kiln.reload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.build.BuildResult;
import dev.kiln.build.ScriptCompiler;
import dev.kiln.script.ScriptInstance;
import dev.kiln.script.StateFields;
import dev.kiln.testing.ReloadSession;
import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds are supervised: a build that never ends is killed by its timeout or by a newer save of
 * the same script, never holds back another script, and leaves no compiler running.
 */
class BuildSupervisionTest {
    /** Comptime work of about four billion branches: the compiler computes for many minutes. */
    static final String HANGS = """
            const kiln = @import("kiln");
            const forever = blk: {
                @setEvalBranchQuota(4_000_000_000);
                var i: u64 = 0;
                while (i < 3_900_000_000) : (i += 1) {}
                break :blk i;
            };
            pub const State = struct { n: u32 = 0, version: u32 = 0 };
            pub fn update(self: *State, ctx: *kiln.Context) !void {
                _ = ctx;
                self.n += 1;
                self.version = @intCast(forever % 7);
            }
            """;

    static String version(int v) {
        return """
                const kiln = @import("kiln");
                pub const State = struct { n: u32 = 0, version: u32 = 0 };
                pub fn update(self: *State, ctx: *kiln.Context) !void {
                    _ = ctx;
                    self.n += 1;
                    self.version = %d;
                }
                """.formatted(v);
    }

    @TempDir
    Path dir;
    TestEngine t;
    ReloadSession session;

    @AfterEach
    void stop() throws Exception {
        if (session != null) session.close();
        if (t != null) t.close();
        assertThat(compilersRunning()).as("compilers left running").isEmpty();
    }

    /** Zig processes this JVM started (directly or not) that are still alive. */
    static List<ProcessHandle> compilersRunning() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/zig")).orElse(false)).toList();
    }

    ScriptInstance load(Path source, String name) {
        t.load(source);
        return t.engine.scripts().attach(t.engine.world().spawn(), name, 0, null);
    }

    @Test
    void theTimeoutKillsAHungCompiler() throws Exception {
        t = new TestEngine();
        Path hangs = dir.resolve("hangs.zig");
        Files.writeString(hangs, HANGS);
        long start = System.nanoTime();
        BuildResult r = t.engine.compiler().withTimeout(Duration.ofSeconds(3)).build(hangs);
        assertThat(r.ok()).isFalse();
        assertThat(r.cancelled()).isFalse();
        assertThat(r.compilerOutput()).contains(hangs.toString()).contains("took longer than the build timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
        assertThat(compilersRunning()).isEmpty();
    }

    @Test
    void aNewerSaveKillsTheHungBuildAndTheLatestContentRuns() throws Exception {
        t = new TestEngine();
        Path alpha = dir.resolve("alpha.zig");
        Path beta = dir.resolve("beta.zig");
        Files.writeString(alpha, version(1));
        Files.writeString(beta, version(1));
        ScriptInstance a = load(alpha, "alpha");
        ScriptInstance b = load(beta, "beta");
        t.run(2);
        session = ReloadSession.watching(t);

        ReloadSession.save(alpha, HANGS);
        session.await(() -> session.events.stream().anyMatch(e -> e instanceof ReloadEvent.BuildStarted s && s.script().equals("alpha"))
                && !compilersRunning().isEmpty(), "alpha's compiler running");
        Thread.sleep(500);
        assertThat(compilersRunning()).isNotEmpty(); // still compiling: it hangs
        // In the development profile the hung update is alpha's warm compiler's.
        long hungWarm = t.engine.compiler().warmCompiler(alpha).map(ScriptCompiler.WarmCompiler::pid).orElse(-1L);
        long n = (Long) StateFields.read(a, "n");

        ReloadSession.save(beta, version(2)); // another script reloads while alpha's build hangs
        session.await(() -> StateFields.read(b, "version").equals(2L), "beta version 2");
        assertThat(session.events).noneMatch(e -> e instanceof ReloadEvent.Reloaded r && r.script().equals("alpha"));

        ReloadSession.save(alpha, version(3)); // the fix: kills the hung build
        session.await(() -> StateFields.read(a, "version").equals(3L), "alpha version 3");
        assertThat((Long) StateFields.read(a, "n")).isGreaterThan(n); // State kept
        session.await(() -> !session.reloads.busy(), "reloads idle");
        // Nothing compiles any more; a development profile keeps each script's warm compiler,
        // idle until the next save, and alpha's is a new one.
        Set<Long> idleWarm = Stream.of(alpha, beta)
                .flatMap(s -> t.engine.compiler().warmCompiler(s).stream()).map(ScriptCompiler.WarmCompiler::pid)
                .collect(Collectors.toSet());
        assertThat(compilersRunning()).allMatch(p -> idleWarm.contains(p.pid()));
        assertThat(ProcessHandle.of(hungWarm).filter(ProcessHandle::isAlive)).as("the hung compiler").isEmpty();
        // The killed build is superseded, not a failure of the script.
        assertThat(session.events).noneMatch(e -> e instanceof ReloadEvent.BuildFailed);
        assertThat(session.events).anyMatch(e -> e instanceof ReloadEvent.Superseded s && s.script().equals("alpha"));
    }
}
