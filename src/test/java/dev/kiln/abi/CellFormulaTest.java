package dev.kiln.abi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.build.ZigToolchain;
import dev.kiln.ecs.SpatialGrid;
import dev.kiln.testing.Commands;
import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spatial grid's cell formula has three copies that must agree bit for bit, or a script's
 * query looks in other buckets than the engine filled: kiln.h's kiln_cell_coord and
 * kiln_cell_hash (what a C script uses), the SDK's cellCoord and cellHash (zig/sdk/snapshot.zig)
 * and SpatialGrid's (the engine). The same values go through all three, compiled as they are.
 */
class CellFormulaTest {
    private static final float[] CELL_SIZES = {0.3f, 1f, 2.5f, 3f, 4f, 7.1f, 1000f};

    @TempDir
    Path dir;

    @Test
    void kilnHTheSdkAndTheEngineComputeTheSameCellsAndBuckets() throws Exception {
        List<float[]> samples = samples();
        StringBuilder input = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (float[] s : samples) {
            float inverse = 1f / s[0];
            for (float v : s) input.append(Integer.toUnsignedString(Float.floatToRawIntBits(v))).append(' ');
            input.append('\n');
            int cx = SpatialGrid.cellCoord(s[1], inverse), cy = SpatialGrid.cellCoord(s[2], inverse);
            int cz = SpatialGrid.cellCoord(s[3], inverse);
            expected.add(cx + " " + cy + " " + cz + " " + Integer.toUnsignedString(SpatialGrid.cellHash(cx, cy, cz)));
        }
        Path in = Files.writeString(dir.resolve("samples.txt"), input);
        assertThat(lines(runC(in))).as("kiln.h against SpatialGrid").containsExactlyElementsOf(expected);
        assertThat(lines(runZig(in))).as("the SDK against SpatialGrid").containsExactlyElementsOf(expected);
    }

    /** (cell size, x, y, z): random positions, exact multiples of a cell, the clamp's range, NaN and infinities. */
    private static List<float[]> samples() {
        Random random = new Random(7);
        List<float[]> out = new ArrayList<>();
        for (float cell : CELL_SIZES) {
            for (int i = 0; i < 200; i++) {
                float scale = (float) Math.pow(10, random.nextInt(7) - 2);
                out.add(new float[] {cell, (random.nextFloat() * 2 - 1) * scale, (random.nextFloat() * 2 - 1) * scale,
                        (random.nextFloat() * 2 - 1) * scale});
            }
            for (int k = -5; k <= 5; k++) out.add(new float[] {cell, k * cell, -k * cell, Math.nextDown(k * cell)});
            out.add(new float[] {cell, 3.0e38f, -3.0e38f, 2.0e9f * cell});
            // not a position the world keeps, but a script's query center can be anything
            out.add(new float[] {cell, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY});
            out.add(new float[] {cell, -0f, Float.intBitsToFloat(0x7fc00001), 1.0e9f * cell});
        }
        return out;
    }

    private Path runC(Path in) throws Exception {
        Path source = Files.writeString(dir.resolve("cells.c"), """
                #include <stdio.h>
                #include <string.h>
                #include "kiln.h"
                static float f(unsigned bits) { float v; memcpy(&v, &bits, 4); return v; }
                int main(void) {
                    unsigned c, x, y, z;
                    while (scanf("%u %u %u %u", &c, &x, &y, &z) == 4) {
                        float inverse = 1.0f / f(c);
                        int32_t cx = kiln_cell_coord(f(x), inverse), cy = kiln_cell_coord(f(y), inverse);
                        int32_t cz = kiln_cell_coord(f(z), inverse);
                        printf("%d %d %d %u\\n", cx, cy, cz, kiln_cell_hash(cx, cy, cz));
                    }
                    return 0;
                }
                """);
        Path exe = dir.resolve("cells_c");
        Commands.run(List.of(zig(), "cc", "-std=c11", "-O2", "-ffp-contract=off", "-I", TestEngine.home().resolve("abi").toString(),
                "-o", exe.toString(), source.toString()), null);
        return Files.writeString(dir.resolve("c.out"), Commands.run(List.of(exe.toString()), in));
    }

    private Path runZig(Path in) throws Exception {
        // Beside a copy of the SDK's files, so snapshot.zig is imported as the SDK imports it.
        Path sdk = Files.createDirectories(dir.resolve("sdk"));
        try (var files = Files.list(TestEngine.home().resolve("zig/sdk"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".zig")).toList()) Files.copy(f, sdk.resolve(f.getFileName()));
        }
        Path source = Files.writeString(sdk.resolve("cells_main.zig"), """
                const std = @import("std");
                const snapshot = @import("snapshot.zig");
                pub fn main() !void {
                    var buf: [1 << 20]u8 = undefined;
                    var n: usize = 0;
                    while (true) {
                        const got = std.c.read(0, buf[n..].ptr, buf.len - n);
                        if (got <= 0) break;
                        n += @intCast(got);
                    }
                    var out: [1 << 22]u8 = undefined;
                    var len: usize = 0;
                    var lines = std.mem.tokenizeScalar(u8, buf[0..n], '\\n');
                    while (lines.next()) |line| {
                        var it = std.mem.tokenizeScalar(u8, line, ' ');
                        var v: [4]f32 = undefined;
                        for (&v) |*x| x.* = @bitCast(try std.fmt.parseInt(u32, it.next().?, 10));
                        const inverse = 1.0 / v[0];
                        const cx = snapshot.cellCoord(v[1], inverse);
                        const cy = snapshot.cellCoord(v[2], inverse);
                        const cz = snapshot.cellCoord(v[3], inverse);
                        len += (try std.fmt.bufPrint(out[len..], "{d} {d} {d} {d}\\n", .{ cx, cy, cz, snapshot.cellHash(cx, cy, cz) })).len;
                    }
                    _ = std.c.write(1, &out, len);
                }
                """);
        Path exe = dir.resolve("cells_zig");
        Commands.run(List.of(zig(), "build-exe", "-O", "ReleaseSafe", "-lc", "--cache-dir",
                TestEngine.home().resolve("target/kiln-test-build/zig-cache").toString(),
                // the tests' shared global cache: std and compiler_rt built once for every test
                "--global-cache-dir", TestEngine.home().resolve("target/kiln-test-build/zig-global-cache").toString(),
                "-femit-bin=" + exe, source.toString()), null);
        return Files.writeString(dir.resolve("zig.out"), Commands.run(List.of(exe.toString()), in));
    }

    private static List<String> lines(Path file) throws Exception {
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
    }

    private static String zig() {
        return ZigToolchain.locate(TestEngine.home()).executable().toString();
    }
}
