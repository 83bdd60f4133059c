package dev.kiln.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.reload.ReloadEvent;
import dev.kiln.script.LogEntry;
import dev.kiln.testing.ReloadSession;
import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Build-time warnings for what breaks replay (docs/scripting.md, "Determinism and replay"): a
 * clock, OS randomness, files or the environment reached through std, and mutable state at file
 * scope, each at its line and column; nothing for the same words in comments or strings, for a
 * `var` inside a function or struct, or for ctx.random() and ctx.time().
 */
class DeterminismLintTest {
    static final Path FILE = Path.of("/scripts/s.zig");

    private static List<String> warnings(String source) {
        return DeterminismLint.check(FILE, source).stream()
                .map(d -> d.line() + ":" + d.column() + " " + d.message()).toList();
    }

    @Test
    void whatBreaksReplayIsWarnedAtItsLineAndColumn() {
        List<String> w = warnings("""
                const std = @import("std");
                var hits: u32 = 0;
                pub threadlocal var last: u64 = 0;
                pub const State = struct { speed: f32 = 2 };
                const Shared = struct {
                    var per_type: u32 = 0;
                };
                pub fn update(self: *State, ctx: *kiln.Context) !void {
                    const t = std.Io.Clock.real.now(io);
                    const old = std.time.milliTimestamp();
                    io.random(&buf);
                    const f = try std.fs.cwd().openFile("x", .{});
                    std.crypto.random.bytes(&buf);
                }
                """);
        assertThat(w).hasSize(8);
        assertThat(w.get(0)).startsWith("2:5 replay: 'hits' is mutable state at file scope");
        assertThat(w.get(1)).startsWith("3:21 replay: 'last' is mutable state at file scope");
        assertThat(w.get(2)).as("a struct's var is one per program too").startsWith("6:9 replay: 'per_type' is mutable state at file scope");
        assertThat(w.get(3)).startsWith("9:22 replay: 'Clock.real.now' reads a clock").contains("ctx.time()");
        assertThat(w.get(4)).startsWith("10:17 replay: 'std.time.milliTimestamp' reads a clock");
        assertThat(w.get(5)).startsWith("11:5 replay: 'io.random' takes OS randomness").contains("ctx.random()");
        assertThat(w.get(6)).startsWith("12:19 replay: 'std.fs' reads files");
        assertThat(w.get(7)).startsWith("13:5 replay: 'std.crypto.random' takes OS randomness");
    }

    @Test
    void aQuotedIdentifierIsNamedAsWritten() {
        assertThat(warnings("var @\"hit count\": u32 = 0;\n"))
                .singleElement().asString().startsWith("1:5 replay: '@\"hit count\"' is mutable state at file scope");
    }

    @Test
    void commentsStringsLocalsAndTheContextsOwnAreLeftAlone() {
        assertThat(warnings("""
                //! Uses std.time.milliTimestamp() only in this comment.
                const std = @import("std");
                pub const State = struct {
                    speed: f32 = 2,
                };
                pub fn update(self: *State, ctx: *kiln.Context) !void {
                    var x = ctx.random().float(f32); // std.crypto.random in a comment
                    const label = "std.fs and io.random( in a string";
                    const ns = std.time.ns_per_s;
                    x += ctx.time() + ctx.deltaTime();
                    const multi =
                        \\\\ var not_a_var = std.time.timestamp();
                    ;
                }
                """)).isEmpty();
    }

    @Test
    void loadingAScriptWithFileScopeStateLogsTheWarning() {
        try (TestEngine t = new TestEngine()) {
            t.load(TestEngine.testScript("global_counter.zig"));
            assertThat(t.logs).filteredOn(e -> e.level() == LogEntry.Level.WARN).extracting(LogEntry::message)
                    .anySatisfy(m -> assertThat(m).contains("global_counter.zig:5:5: warning: replay: 'updates' is mutable state at file scope"));
        }
    }

    @Test
    void aReloadThatAddsFileScopeStateLogsTheWarning(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("tally.zig");
        Files.copy(TestEngine.testScript("tally.zig"), script);
        try (TestEngine t = new TestEngine()) {
            t.load(script);
            assertThat(t.logs).noneMatch(e -> e.message().contains("warning: replay"));
            t.engine.scripts().attach(t.engine.world().spawn(), "tally", 0, null);
            t.run(2);
            ReloadSession session = ReloadSession.watching(t);
            ReloadSession.save(script, Files.readString(script).replace("pub const State", "var calls: u32 = 0;\npub const State"));
            session.await(ReloadEvent.Reloaded.class);
            session.await(() -> t.logs.stream().anyMatch(e -> e.level() == LogEntry.Level.WARN
                    && e.message().contains("tally.zig:6:5: warning: replay: 'calls' is mutable state at file scope")), "the reload's warning");
            session.close();
        }
    }
}
