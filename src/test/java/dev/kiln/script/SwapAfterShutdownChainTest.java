package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.build.BuildResult;
import dev.kiln.loader.ScriptCode;
import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A swap runs every shutdown the old code owes first, including those that shutdowns cause: a
 * script whose shutdown despawns its entity's child (which carries the same script) detaches
 * more of its instances while the swap flushes the first. Each must shut down on the version
 * whose State layout it has; one left waiting would run on the new version with an old State.
 */
class SwapAfterShutdownChainTest {
    /** Version {@code %d}; its shutdown logs the version and despawns its State's "child" (0: none). */
    static final String CHAIN = """
            const kiln = @import("kiln");
            pub const State = struct { child: u64 = 0%s };
            pub fn update(self: *State, ctx: *kiln.Context) void { _ = self; _ = ctx; }
            pub fn shutdown(self: *State, ctx: *kiln.Context) void {
                ctx.log(.info, "shutdown v%d", .{});
                if (self.child != 0) ctx.despawn(@enumFromInt(self.child)) catch {};
            }
            """;

    @Test
    void aLayoutEditWaitsOutAChainOfShutdownsOnTheOldCode(@TempDir Path dir) throws Exception {
        try (TestEngine t = new TestEngine()) {
            Path file = dir.resolve("chain.zig");
            Files.writeString(file, CHAIN.formatted("", 1));
            ScriptRuntime scripts = t.engine.scripts();
            t.load(file);
            long[] links = new long[4];
            ScriptInstance[] instances = new ScriptInstance[links.length];
            for (int k = 0; k < links.length; k++) {
                links[k] = t.engine.world().spawn();
                instances[k] = scripts.attach(links[k], "chain", 0, null);
            }
            t.step(); // the inits: each has its State
            for (int k = 0; k + 1 < links.length; k++) {
                assertThat(StateFields.write(instances[k], "child", Long.toString(links[k + 1]))).isNull();
            }
            scripts.despawn(links[0]); // its shutdown is owed; it despawns links[1], and so on

            Files.writeString(file, CHAIN.formatted(", b: [64]u8 = @splat(0)", 2)); // a larger State
            SwapResult swap = scripts.swapLibrary("chain", build(t, file));
            assertThat(swap.ok()).as(swap.error()).isTrue();
            t.step();
            t.step();

            assertThat(t.logsOf("chain")).extracting(LogEntry::message)
                    .as("every link shut down on the code it ran, none on the new version")
                    .containsExactly("shutdown v1", "shutdown v1", "shutdown v1", "shutdown v1");
            for (long link : links) assertThat(t.engine.world().isAlive(link)).isFalse();
        }
    }

    private static ScriptCode build(TestEngine t, Path file) throws Exception {
        BuildResult built = t.engine.compiler().build(file);
        assertThat(built.ok()).as(built.compilerOutput()).isTrue();
        return t.engine.scripts().loadCode(built.library(), false);
    }
}
