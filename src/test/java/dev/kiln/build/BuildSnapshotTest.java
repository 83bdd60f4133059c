package dev.kiln.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.script.ScriptInstance;
import dev.kiln.script.ScriptLibrary;
import dev.kiln.script.StateFields;
import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A library is named by exactly the bytes it was compiled from: a save that lands while the
 * compiler runs never puts its content into the library named by the earlier content.
 */
class BuildSnapshotTest {
    /**
     * Embeds data.txt only after some comptime work, so the compiler reads the file well after
     * it started: a save landing in between is what it would read from the real tree.
     */
    static final String EMBEDS_LATE = """
            const kiln = @import("kiln");
            const text = blk: {
                @setEvalBranchQuota(10_000_000);
                var i: u64 = 0;
                while (i < 1_000_000) : (i += 1) {}
                break :blk @embedFile("data.txt");
            };
            pub const State = struct { len: u32 = 0 };
            pub fn update(self: *State, ctx: *kiln.Context) !void {
                _ = ctx;
                self.len = text.len;
            }
            """;

    @TempDir
    Path dir;
    TestEngine t;

    @BeforeEach
    void start() {
        t = new TestEngine();
    }

    @AfterEach
    void stop() {
        t.close();
    }

    /** The `len` the library's code computes: the length of the data.txt it embedded. */
    long embeddedLength(BuildResult r, Path source, int run) throws Exception {
        ScriptLibrary lib = t.engine.scripts().load(r.library(), source);
        ScriptInstance i = t.engine.scripts().attach(t.engine.world().spawn(), lib.name(), 0, null);
        t.run(1);
        long len = (Long) StateFields.read(i, "len");
        t.engine.scripts().detach(i);
        t.run(1);
        t.engine.scripts().unload(lib);
        return len;
    }

    @Test
    void aSaveWhileTheCompilerRunsIsNotCachedUnderTheEarlierContent() throws Exception {
        Path script = dir.resolve("late" + System.nanoTime() + ".zig"); // a name no earlier run cached
        Path data = dir.resolve("data.txt");
        Files.writeString(script, EMBEDS_LATE);
        Files.writeString(data, "xx");
        ScriptCompiler compiler = t.engine.compiler();
        CompletableFuture<BuildResult> building = CompletableFuture.supplyAsync(() -> compiler.build(script));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (compilers() == 0 && !building.isDone() && System.nanoTime() < deadline) Thread.sleep(2);
        Files.writeString(data, "yyyyy"); // lands while the compiler runs, before it reaches @embedFile
        BuildResult x = building.get();
        assertThat(x.ok()).as(x.compilerOutput()).isTrue();
        assertThat(x.inputs()).contains(script, data); // the embedded file is an input too

        Files.writeString(data, "xx"); // content X again: the cached library must be X's
        BuildResult again = compiler.build(script);
        assertThat(again.cached()).isTrue();
        assertThat(again.library()).isEqualTo(x.library());
        assertThat(embeddedLength(again, script, 1)).isEqualTo(2);

        Files.writeString(data, "yyyyy");
        BuildResult y = compiler.build(script);
        assertThat(y.library()).isNotEqualTo(x.library());
        assertThat(embeddedLength(y, script, 2)).isEqualTo(5);
    }

    @Test
    void aFileNamedOnlyAtComptimeIsFoundFromWhatTheCompilerAskedFor() throws Exception {
        Path script = dir.resolve("computed" + System.nanoTime() + ".zig");
        Files.writeString(script, EMBEDS_LATE.replace("@embedFile(\"data.txt\")", "@embedFile(\"da\" ++ \"ta.txt\")")
                .replace("1_000_000", "1"));
        Path data = dir.resolve("data.txt");
        Files.writeString(data, "abcd");
        BuildResult r = t.engine.compiler().build(script);
        assertThat(r.ok()).as(r.compilerOutput()).isTrue();
        assertThat(r.inputs()).contains(data);
        assertThat(embeddedLength(r, script, 1)).isEqualTo(4);
    }

    @Test
    void aFreshBuildDirGetsItsLibraryAndInputList() throws Exception {
        Path fresh = Files.createDirectories(dir.resolve("fresh-build"));
        for (String cache : new String[] {"zig-cache", "zig-global-cache"}) { // Zig's caches stay warm
            Files.createDirectories(TestEngine.buildDir().resolve(cache));
            Files.createSymbolicLink(fresh.resolve(cache), TestEngine.buildDir().resolve(cache));
        }
        ScriptCompiler compiler = new ScriptCompiler(t.engine.compiler().zig(), TestEngine.home(), fresh,
                ScriptCompiler.Mode.RELEASE_SAFE);
        Path script = dir.resolve("fresh.zig");
        Files.writeString(script, EMBEDS_LATE.replace("1_000_000", "1"));
        Files.writeString(dir.resolve("data.txt"), "abc");
        BuildResult r = compiler.build(script);
        assertThat(r.ok()).as(r.compilerOutput()).isTrue();
        assertThat(r.library()).startsWith(fresh.resolve("libs"));
        assertThat(BuildInputs.of(r.library(), dir)).hasValueSatisfying(
                inputs -> assertThat(inputs).contains(script, dir.resolve("data.txt")));
    }

    private static long compilers() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/zig")).orElse(false)).count();
    }
}
