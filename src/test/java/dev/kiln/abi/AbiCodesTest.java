package dev.kiln.abi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.build.ZigToolchain;
import dev.kiln.ecs.VarValue;
import dev.kiln.testing.Commands;
import dev.kiln.testing.TestEngine;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every number kiln.h defines (KILN_* codes, bounds, struct versions, enum members) is the
 * header's in each mirror: the Zig SDK's enums and constants (checked at compile time by a
 * generated program, so a wrong one fails with its name), and the Java constants of the same
 * name. Struct layouts are AbiMirrorTest's; this is their numbers.
 */
class AbiCodesTest {
    /** KILN_&lt;prefix&gt;NAME → the Zig enum whose member `name` it is. */
    private static final Map<String, String> ZIG_ENUMS = new LinkedHashMap<>();

    static {
        ZIG_ENUMS.put("CMD_", "CommandKind");
        ZIG_ENUMS.put("VAR_", "VarType");
        ZIG_ENUMS.put("FIELD_", "FieldType");
        ZIG_ENUMS.put("ERR_", "Status");
        ZIG_ENUMS.put("STATUS_", "Status");
        ZIG_ENUMS.put("PHASE_", "Phase");
        ZIG_ENUMS.put("SPACE_", "Space");
        ZIG_ENUMS.put("ROTATION_", "RotationForm");
        ZIG_ENUMS.put("LOG_", "LogLevel");
        ZIG_ENUMS.put("BUILD_", "BuildMode");
    }

    /** Names whose Zig member differs from the lowercased C name (a Zig keyword). */
    private static final Map<String, String> ZIG_RENAMED = Map.of("LOG_ERROR", "err");
    /** KILN_LOG_* that are bounds, not levels. */
    private static final List<String> NOT_ENUM_MEMBERS = List.of("LOG_MESSAGE_MAX", "LOG_RESERVE_BYTES");

    static Map<String, BigInteger> defines;

    @TempDir
    static Path dir;

    @BeforeAll
    static void readTheHeader() throws Exception {
        String h = Files.readString(TestEngine.home().resolve("abi/kiln.h"));
        defines = new LinkedHashMap<>();
        // a number, a cast number ((kiln_entity)0) or a shift (1u << 20)
        Matcher m = Pattern.compile("#define KILN_(\\w+)\\s+\\(?(?:\\(\\w+\\))?(-?(?:0x[0-9A-Fa-f]+|\\d+))[uUlL]*"
                + "(?:\\s*<<\\s*(\\d+))?\\)?").matcher(h);
        while (m.find()) {
            BigInteger value = number(m.group(2));
            defines.put(m.group(1), m.group(3) == null ? value : value.shiftLeft(Integer.parseInt(m.group(3))));
        }
        Matcher e = Pattern.compile("\\bKILN_(PHASE_\\w+)\\s*=\\s*(\\d+)").matcher(h);
        while (e.find()) defines.put(e.group(1), new BigInteger(e.group(2)));
        defines.put("ERR_OK", defines.remove("OK")); // KILN_OK is Status.ok
    }

    @Test
    void theZigSdkHasTheHeadersNumbers() throws Exception {
        StringBuilder z = new StringBuilder("""
                const std = @import("std");
                const abi = @import("abi");
                fn same(comptime c: []const u8, comptime zig: anytype, comptime header: i128) void {
                    if (@as(i128, zig) != header) @compileError(std.fmt.comptimePrint("{s} is {d} in kiln.h, {d} in zig/sdk/abi.zig", .{ c, header, @as(i128, zig) }));
                }
                comptime {
                    @setEvalBranchQuota(100_000);
                """);
        int enumMembers = 0;
        for (var d : defines.entrySet()) {
            String c = d.getKey();
            String zigEnum = NOT_ENUM_MEMBERS.contains(c) ? null : enumOf(c);
            if (zigEnum != null) {
                String member = ZIG_RENAMED.getOrDefault(c, c.substring(prefixOf(c).length()).toLowerCase(Locale.ROOT));
                z.append("    same(\"KILN_").append(c).append("\", @intFromEnum(abi.").append(zigEnum).append(".")
                        .append(member).append("), ").append(d.getValue()).append(");\n");
                enumMembers++;
            } else {
                String constant = c.toLowerCase(Locale.ROOT);
                z.append("    if (@hasDecl(abi, \"").append(constant).append("\")) same(\"KILN_").append(c)
                        .append("\", abi.").append(constant).append(", ").append(d.getValue()).append(");\n");
            }
        }
        z.append("}\n");
        Path check = Files.writeString(dir.resolve("codes.zig"), z);
        String zig = ZigToolchain.locate(TestEngine.home()).executable().toString();
        Commands.run(List.of(zig, "build-obj", "-fno-emit-bin", "--cache-dir", TestEngine.buildDir().resolve("zig-cache").toString(),
                "--global-cache-dir", TestEngine.buildDir().resolve("zig-global-cache").toString(),
                "--dep", "abi", "-Mroot=" + check, "-Mabi=" + TestEngine.home().resolve("zig/sdk/abi.zig")));
        assertThat(enumMembers).as("enum members checked").isGreaterThanOrEqualTo(75);
    }

    @Test
    void javasConstantsOfTheSameNameAreTheHeaders() throws Exception {
        List<String> checked = new ArrayList<>();
        for (Field f : Layouts.class.getFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || f.getType() != int.class) continue;
            BigInteger header = defines.get(f.getName());
            if (header == null) continue;
            assertThat(BigInteger.valueOf(f.getInt(null))).as("Layouts.%s against KILN_%s", f.getName(), f.getName())
                    .isEqualTo(header);
            checked.add(f.getName());
        }
        assertThat(checked).contains("ABI_VERSION", "SNAPSHOT_STRUCT_VERSION", "FRAME_STRUCT_VERSION", "NAME_MAX_BYTES",
                "SIGNAL_PAYLOAD_MAX", "LOG_MESSAGE_MAX", "COMPONENT_MAX_BYTES", "LOG_RESERVE_BYTES", "ROW_ALIVE");
    }

    @Test
    void javasVarAndFieldCodesAreTheHeaders() {
        assertThat(List.of(VarValue.CODE_F64, VarValue.CODE_I64, VarValue.CODE_BOOL, VarValue.CODE_VEC3))
                .containsExactly(defines.get("VAR_F64").intValue(), defines.get("VAR_I64").intValue(),
                        defines.get("VAR_BOOL").intValue(), defines.get("VAR_VEC3").intValue());
        int fields = 0;
        for (var d : defines.entrySet()) {
            if (!d.getKey().startsWith("FIELD_")) continue;
            String name = d.getKey().substring("FIELD_".length()).toLowerCase(Locale.ROOT);
            assertThat(new ScriptInfo.StateField("f", d.getValue().intValue(), 0, 4).typeName())
                    .as("KILN_%s", d.getKey()).isEqualTo(name);
            fields++;
        }
        assertThat(fields).isEqualTo(11);
    }

    private static BigInteger number(String text) {
        return text.startsWith("0x") ? new BigInteger(text.substring(2), 16) : new BigInteger(text);
    }

    private static String enumOf(String c) {
        String prefix = prefixOf(c);
        return prefix == null ? null : ZIG_ENUMS.get(prefix);
    }

    private static String prefixOf(String c) {
        for (String p : ZIG_ENUMS.keySet()) if (c.startsWith(p)) return p;
        return null;
    }
}
