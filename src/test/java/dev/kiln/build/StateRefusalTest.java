package dev.kiln.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * State that cannot survive a hot reload (it would point into the unloaded library, or mean
 * something else in the next one) is refused when the script is built, naming the field.
 */
class StateRefusalTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "label: []const u8 = \"hello\"                  | `label` is a slice",
            "target: ?*u32 = null                            | `target.?` is a pointer",
            "inner: struct { name: [*:0]const u8 = \"x\" } = .{} | `inner.name` is a pointer",
            "names: [2][]const u8 = .{ \"a\", \"b\" }          | `names[]` is a slice",
            "last: anyerror!u32 = 0                          | `last` holds an error",
    })
    void aStateFieldThatCannotSurviveAReloadIsRefusedAtBuildTime(String field, String expected) throws Exception {
        Path script = dir.resolve("refused.zig");
        Files.writeString(script, """
                const kiln = @import("kiln");
                pub const State = struct { %s };
                pub fn update(self: *State, ctx: *kiln.Context) void { _ = self; _ = ctx; }
                """.formatted(field));
        BuildResult result = ScriptCompiler.forHome(TestEngine.buildDir()).build(script);
        assertThat(result.ok()).isFalse();
        assertThat(result.diagnostics()).anySatisfy(d -> assertThat(d.message())
                .contains("State field " + expected).contains("hot reload").contains("fixed array"));
    }
}
