package dev.kiln.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
        assertThat(refusals("pub const State = struct { " + field + " };")).anySatisfy(d -> assertThat(d.message())
                .contains("State field " + expected).contains("hot reload").contains("fixed array"));
    }

    /** The diagnostics of building a script of {@code declarations} (which must fail). */
    private List<Diagnostic> refusals(String declarations) throws Exception {
        Path script = dir.resolve("refused.zig");
        Files.writeString(script, """
                const kiln = @import("kiln");
                const Named = struct { id: u32 = 0, name: kiln.String = .{} };
                %s
                pub fn update(self: *State, ctx: *kiln.Context) void { _ = self; _ = ctx; }
                """.formatted(declarations));
        BuildResult result = ScriptCompiler.forHome(TestEngine.buildDir()).build(script);
        assertThat(result.ok()).isFalse();
        return result.diagnostics();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "pub const State = struct { seen: kiln.List(Named) = .{} };           | State field `seen` is a kiln.List(refused.Named) whose elements hold a container (`seen[].name`)",
            "pub const State = struct { grid: kiln.List(kiln.List(u32)) = .{} };  | State field `grid` is a kiln.List(containers.List(u32)) whose elements hold a container (`grid[]`)",
            "pub const State = struct { inv: kiln.Map(u32, kiln.String) = .{} };   | State field `inv.entries` is a kiln.List(",
            "pub const State = struct { n: u32 = 0 }; var l: kiln.List(Named) = .{}; pub fn init(self: *State, ctx: *kiln.Context) !void { _ = self; try l.append(ctx, .{}); } | a kiln.List(refused.Named) holds a container in its elements (`[].name`)",
    })
    void aContainerInsideAContainerIsRefusedNamingWhereAndWhatToUse(String declarations, String expected) throws Exception {
        assertThat(refusals(declarations)).anySatisfy(d -> assertThat(d.message()).contains(expected)
                .contains("containers inside containers are refused").contains("one flat kiln.List beside it"));
    }
}
