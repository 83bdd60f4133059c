package dev.kiln.abi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.build.ZigToolchain;
import dev.kiln.testing.Commands;
import dev.kiln.testing.TestEngine;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.StructLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * abi/kiln.h is the one source of the ABI's layouts, checked exhaustively: the C compiler says
 * where every field of every struct it declares lies, and the Java layouts (Layouts) and the
 * Zig mirror (zig/sdk/abi.zig) must have exactly those fields, in that order, at those offsets,
 * with those sizes. A change in any one place fails here naming the struct and field.
 */
class AbiMirrorTest {
    /** C struct → its Zig mirror in zig/sdk/abi.zig (kiln_cmd_vec3 → CmdVec3). */
    static String zigName(String c) {
        StringBuilder b = new StringBuilder();
        for (String part : c.substring("kiln_".length()).split("_")) {
            b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return b.toString();
    }

    /** Where the C compiler puts things: "struct" → size, "struct.field" → "offset size". */
    static Map<String, String> truth;
    static HeaderStructs header;
    /** The private ABIs: the fault guard's report, an isolated host's control block, the signal queue, heap usage. */
    static HeaderStructs privateHeaders;

    /** native/ headers whose structs the engine lays out in Java. */
    static final List<String> PRIVATE_HEADERS = List.of("kiln_guard.h", "kiln_host.h", "kiln_signals.h", "kiln_heap.h");

    @TempDir
    static Path dir;

    @BeforeAll
    static void askTheCCompiler() throws Exception {
        header = HeaderStructs.parse(Files.readString(TestEngine.home().resolve("abi/kiln.h")));
        StringBuilder privateText = new StringBuilder();
        for (String h : PRIVATE_HEADERS) privateText.append(Files.readString(TestEngine.home().resolve("native/" + h)));
        privateHeaders = HeaderStructs.parse(privateText.toString());
        StringBuilder c = new StringBuilder("#include <stddef.h>\n#include <stdio.h>\n#include \"kiln.h\"\n");
        for (String h : PRIVATE_HEADERS) c.append("#include \"").append(h).append("\"\n");
        c.append("int main(void) {\n");
        Map<String, List<String>> all = new LinkedHashMap<>(header.fields());
        all.putAll(privateHeaders.fields());
        all.forEach((struct, fields) -> {
            c.append("  printf(\"%s %zu\\n\", \"").append(struct).append("\", sizeof(").append(struct).append("));\n");
            for (String f : fields) {
                c.append("  printf(\"%s %zu %zu\\n\", \"").append(struct).append('.').append(f).append("\", offsetof(")
                        .append(struct).append(", ").append(f).append("), sizeof(((").append(struct).append("*)0)->")
                        .append(f).append("));\n");
            }
        });
        c.append("  return 0;\n}\n");
        truth = HeaderProbe.run(dir, "layouts", c);
    }

    @Test
    void theHeaderDeclaresTheStructsTheMirrorsExpect() {
        assertThat(header.fields()).containsKeys("kiln_frame", "kiln_instance", "kiln_script_info", "kiln_snapshot",
                "kiln_command_header", "kiln_signal_delivery", "kiln_signal_entry", "kiln_signal_outcome",
                "kiln_signal_batch", "kiln_lane_signal", "kiln_lane_part", "kiln_signal_lane");
        assertThat(truth).containsKey("kiln_frame.panic");
    }

    @Test
    void thePrivateAbisJavaLayoutsMatchTheirHeaders() {
        Map<String, StructLayout> layouts = Map.of("kiln_guard_fault", GuardFaultLayout.LAYOUT,
                "kiln_host_control", dev.kiln.isolate.HostControl.LAYOUT,
                "kiln_signal_queue", SignalQueueLayout.LAYOUT, "kiln_heap_usage", HeapUsageLayout.LAYOUT,
                "kiln_lane_binding", LaneBindingLayout.LAYOUT);
        assertThat(checkJava(layouts, privateHeaders)).isEqualTo(5);
    }

    @Test
    void everyJavaLayoutHasExactlyTheHeadersFieldsAtTheirOffsets() {
        assertThat(checkJava(LayoutsTest.javaLayouts(), header)).isGreaterThanOrEqualTo(16);
    }

    /** Checks each layout against the header's struct of the same name; returns how many. */
    private static int checkJava(Map<String, StructLayout> layouts, HeaderStructs declared) {
        int checked = 0;
        for (var e : layouts.entrySet()) {
            String struct = e.getKey();
            assertThat(declared.fields()).as("the header declares %s", struct).containsKey(struct);
            List<String> java = new ArrayList<>();
            long offset = 0;
            for (MemoryLayout member : e.getValue().memberLayouts()) {
                if (!(member instanceof PaddingLayout)) {
                    String name = member.name().orElseThrow(() -> new AssertionError(struct + " has an unnamed member"));
                    java.add(name + " " + offset + " " + member.byteSize());
                }
                offset += member.byteSize();
            }
            List<String> c = declared.fields().get(struct).stream().map(f -> f + " " + truth.get(struct + "." + f)).toList();
            assertThat(java).as("%s: Java layout (name offset size) against kiln.h", struct).containsExactlyElementsOf(c);
            assertThat(e.getValue().byteSize()).as("sizeof(%s)", struct).isEqualTo(Long.parseLong(truth.get(struct)));
            checked++;
        }
        return checked;
    }

    @Test
    void theZigMirrorHasExactlyTheHeadersFieldsAtTheirOffsets() throws Exception {
        StringBuilder z = new StringBuilder("""
                const std = @import("std");
                const abi = @import("abi");
                fn check(comptime T: type, comptime c: []const u8, comptime size: usize, comptime fields: anytype) void {
                    @setEvalBranchQuota(100_000);
                    if (@sizeOf(T) != size) @compileError(std.fmt.comptimePrint("{s}: size {d}, kiln.h says {d}", .{ c, @sizeOf(T), size }));
                    const names = @typeInfo(T).@"struct".field_names;
                    if (names.len != fields.len) @compileError(std.fmt.comptimePrint("{s}: {d} fields in Zig, {d} in kiln.h", .{ c, names.len, fields.len }));
                    for (fields, names) |f, zig| {
                        if (!std.mem.eql(u8, f[0], zig)) @compileError(c ++ ": Zig has field " ++ zig ++ " where kiln.h has " ++ f[0]);
                        if (@offsetOf(T, f[0]) != f[1]) @compileError(std.fmt.comptimePrint("{s}.{s}: offset {d} in Zig, {d} in kiln.h", .{ c, f[0], @offsetOf(T, f[0]), f[1] }));
                        if (@sizeOf(@FieldType(T, f[0])) != f[2]) @compileError(std.fmt.comptimePrint("{s}.{s}: size {d} in Zig, {d} in kiln.h", .{ c, f[0], @sizeOf(@FieldType(T, f[0])), f[2] }));
                    }
                }
                comptime {
                """);
        int checked = 0;
        for (var e : header.fields().entrySet()) {
            if (e.getKey().equals("kiln_var_value")) continue; // a union: Zig reads it by the entry's kind
            z.append("    check(abi.").append(zigName(e.getKey())).append(", \"").append(e.getKey()).append("\", ")
                    .append(truth.get(e.getKey())).append(", .{");
            for (String f : e.getValue()) {
                String[] at = truth.get(e.getKey() + "." + f).split(" ");
                z.append(" .{ \"").append(f).append("\", ").append(at[0]).append(", ").append(at[1]).append(" },");
            }
            z.append(" });\n");
            checked++;
        }
        z.append("}\n");
        Path check = Files.writeString(dir.resolve("check.zig"), z);
        String zig = ZigToolchain.locate(TestEngine.home()).executable().toString();
        Commands.run(List.of(zig, "build-obj", "-fno-emit-bin", "--cache-dir", TestEngine.buildDir().resolve("zig-cache").toString(),
                "--global-cache-dir", TestEngine.buildDir().resolve("zig-global-cache").toString(),
                "--dep", "abi", "-Mroot=" + check, "-Mabi=" + TestEngine.home().resolve("zig/sdk/abi.zig")));
        assertThat(checked).isGreaterThanOrEqualTo(25);
    }
}
