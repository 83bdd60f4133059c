//! Comptime reflection over a script's `State`: the field table the engine reads (inspector,
//! state migration by field name) and the declared defaults `init` starts from.

const std = @import("std");
const abi = @import("abi.zig");

pub fn fieldType(comptime T: type) abi.FieldType {
    return switch (T) {
        bool => .bool,
        i32 => .i32,
        u32 => .u32,
        i64 => .i64,
        u64 => .u64,
        f32 => .f32,
        f64 => .f64,
        abi.Vec3 => .vec3,
        abi.Quat => .quat,
        else => if (@typeInfo(T) == .@"enum" and @sizeOf(T) == 8 and @hasDecl(T, "isPending")) .entity else .other,
    };
}

pub fn fieldInfos(comptime State: type) [@typeInfo(State).@"struct".field_names.len]abi.FieldInfo {
    const info = @typeInfo(State).@"struct";
    var out: [info.field_names.len]abi.FieldInfo = undefined;
    for (info.field_names, info.field_types, 0..) |name, T, i| {
        out[i] = .{
            .name = name.ptr,
            .type = fieldType(T),
            .offset = @offsetOf(State, name),
            .size = @sizeOf(T),
        };
    }
    return out;
}

/// A `State` with every field at its declared default, or zero where none is declared.
pub fn defaults(comptime State: type) State {
    var value: State = undefined;
    const info = @typeInfo(State).@"struct";
    inline for (info.field_names, info.field_types, info.field_attrs) |name, T, attrs| {
        @field(value, name) = comptime attrs.defaultValue(T) orelse std.mem.zeroes(T);
    }
    return value;
}

/// kiln_script_info.state_type_hash: FNV-1a 64 of the type description, 1 where that is 0 (0
/// means "not given"). A plain number, unlike the pointer to the description: the engine
/// compares the two to catch a library whose description belongs to another build of State.
pub fn typeHash(comptime json: []const u8) u64 {
    @setEvalBranchQuota(16 * json.len + 1000);
    const h = std.hash.Fnv1a_64.hash(json);
    return if (h == 0) 1 else h;
}

/// Longest State type description the engine reads (kiln_script_info.state_type): a State
/// whose description is longer is refused at compile time.
pub const state_type_max: usize = 64 * 1024;

/// Refuses, with a compile error naming the field, State data that cannot survive a hot reload:
/// pointers and slices point into memory of the library (or its allocator) that is unloaded
/// after a reload; error values are numbered per library; functions and opaque types have no
/// bytes to carry over.
pub fn checkReloadSafe(comptime T: type, comptime path: []const u8) void {
    @setEvalBranchQuota(100_000);
    const advice = "; State is copied into the new library on every hot reload, so it must be plain data. " ++
        "Use kiln.List(T) / kiln.String / kiln.Map(K, V) (engine memory that survives reloads) or a fixed array " ++
        "([N]T with a length field) for a list or a name, an entity handle (kiln.Entity) for another entity, " ++
        "ctx.frameAllocator() for memory needed during one call, or ScriptVars (ctx.setVar) for data shared with other scripts";
    switch (@typeInfo(T)) {
        .pointer => |p| @compileError("State field `" ++ path ++ "` is a " ++
            (if (p.size == .slice) "slice" else "pointer") ++ " (" ++ @typeName(T) ++
            "): it would point into the old library's memory after a hot reload" ++ advice),
        .error_set, .error_union => @compileError("State field `" ++ path ++ "` holds an error (" ++
            @typeName(T) ++ "): error values are numbered per library and change meaning on a hot reload" ++ advice),
        .@"fn", .@"opaque", .frame, .@"anyframe", .type, .comptime_int, .comptime_float, .enum_literal, .noreturn, .null, .undefined => @compileError("State field `" ++ path ++
            "` has type " ++ @typeName(T) ++ ", which has no bytes that survive a hot reload" ++ advice),
        .@"struct" => |s| if (@hasDecl(T, "kiln_list_element"))
            refuseNested(T, path)
        else inline for (s.field_names, s.field_types, s.field_attrs) |name, F, attrs| {
            if (!attrs.@"comptime") checkReloadSafe(F, path ++ "." ++ name);
        },
        .@"union" => |u| inline for (u.field_names, u.field_types) |name, F| checkReloadSafe(F, path ++ "." ++ name),
        .array => |a| checkReloadSafe(a.child, path ++ "[]"),
        .vector => |v| checkReloadSafe(v.child, path ++ "[]"),
        .optional => |o| checkReloadSafe(o.child, path ++ ".?"),
        else => {},
    }
}

/// The State's full type as JSON (kiln_script_info.state_type): every node has `t` (its kind)
/// and `size` in bytes; structs list fields with name, offset and type; arrays their length and
/// element type; enums their integer tag type and tag names with values; optionals their payload
/// and the offset of the byte that says whether a value is present. Hot reload migrates State by
/// name and type with it (docs/reload.md). Types whose layout the engine cannot see into
/// (unions, packed structs, vectors, f80/f128) are `opaque`: carried over only when unchanged.
pub fn typeJson(comptime T: type) []const u8 {
    @setEvalBranchQuota(1_000_000);
    const size = std.fmt.comptimePrint("{d}", .{@sizeOf(T)});
    const json = switch (@typeInfo(T)) {
        .bool => "{\"t\":\"bool\",\"size\":1}",
        .int => |i| std.fmt.comptimePrint("{{\"t\":\"int\",\"signed\":{},\"bits\":{d},\"size\":{s}}}", .{ i.signedness == .signed, i.bits, size }),
        .float => |f| if (f.bits <= 64)
            std.fmt.comptimePrint("{{\"t\":\"float\",\"bits\":{d},\"size\":{s}}}", .{ f.bits, size })
        else
            opaqueJson(T),
        .array => |a| std.fmt.comptimePrint("{{\"t\":\"array\",\"len\":{d},\"size\":{s},\"elem\":{s}}}", .{ a.len, size, typeJson(a.child) }),
        .optional => |o| if (@sizeOf(T) > @sizeOf(o.child))
            // Zig lays out a non-pointer optional as the payload, then one byte that is 1 when a
            // value is present (checked on compiled scripts by StateTypeLayoutTest).
            std.fmt.comptimePrint("{{\"t\":\"optional\",\"size\":{s},\"flag\":{d},\"payload\":{s}{s}}}", .{ size, @sizeOf(o.child), typeJson(o.child), payloadDefaultJson(o.child) })
        else
            opaqueJson(T),
        .@"enum" => |e| if (@sizeOf(T) == 8 and @hasDecl(T, "isPending"))
            "{\"t\":\"entity\",\"size\":8}"
        else
            enumJson(T, e),
        .@"struct" => |s| if (@hasDecl(T, "kiln_list_element"))
            listJson(T)
        else if (s.layout == .@"packed") opaqueJson(T) else structJson(T, s),
        else => opaqueJson(T),
    };
    return json;
}

/// A kiln.List(E) (also kiln.String and, inside kiln.Map, a list of entries): an 8-byte handle
/// to elements in engine memory. `default` is one element with its declared defaults, as hex
/// bytes: what a field added to the element type gets when the engine migrates the elements.
fn listJson(comptime T: type) []const u8 {
    const E = T.kiln_list_element;
    return std.fmt.comptimePrint("{{\"t\":\"list\",\"size\":{d},\"elem\":{s},\"default\":\"{s}\"}}", .{
        @sizeOf(T), typeJson(E), defaultHex(E),
    });
}

/// Refuses a container (at State path `path`) whose elements hold containers, naming where.
/// Why: an inner container's memory belongs to no State field, so a hot reload would neither
/// migrate nor keep it (the engine frees blocks State does not name), and freeing the outer
/// one would not free it.
pub fn refuseNested(comptime T: type, comptime path: ?[]const u8) void {
    const E = T.kiln_list_element;
    const inner = nestedContainerPath(E, "") orelse return;
    const subject = if (path) |p| "State field `" ++ p ++ "` is a " ++ containerName(T) ++ " whose elements hold a container (`" ++
        p ++ "[]" ++ inner ++ "`)" else "a " ++ containerName(T) ++ " holds a container in its elements (`[]" ++ inner ++ "`)";
    @compileError(subject ++ ": containers inside containers are refused, as their memory would be neither " ++
        "migrated on hot reload nor freed with the outer one. Instead: a fixed array in the element ([N]u8 with a " ++
        "length field for a short name), or one flat kiln.List beside it with each element keeping where its items " ++
        "start and how many (a List(List(T)) becomes a kiln.List(T) plus a kiln.List(struct { start: u32, len: u32 }))");
}

/// Where the first container inside T is ("" when T is one, ".name", "[].?.tags"), or null.
pub fn nestedContainerPath(comptime T: type, comptime path: []const u8) ?[]const u8 {
    return switch (@typeInfo(T)) {
        .@"struct" => |s| if (@hasDecl(T, "kiln_list_element")) path else for (s.field_names, s.field_types) |name, F| {
            if (nestedContainerPath(F, path ++ "." ++ name)) |p| break p;
        } else null,
        .array => |a| nestedContainerPath(a.child, path ++ "[]"),
        .optional => |o| nestedContainerPath(o.child, path ++ ".?"),
        else => null,
    };
}

/// "kiln.String" or "kiln.List(T)" as a script author wrote it.
fn containerName(comptime T: type) []const u8 {
    return if (T.kiln_list_element == u8) "kiln.String" else "kiln.List(" ++ @typeName(T.kiln_list_element) ++ ")";
}

/// One `E` holding its declared defaults (zero where none is declared), as lowercase hex.
fn defaultHex(comptime E: type) []const u8 {
    comptime {
        var bytes: [@sizeOf(E)]u8 = @splat(0);
        valueBytes(E, defaultOf(E), &bytes);
        const hex = std.fmt.bytesToHex(bytes, .lower);
        const out = hex;
        return &out;
    }
}

/// An element's default: each struct field's declared default, else (a field without one) its
/// own type's default the same way, so `Map(K, V)`'s entries take V's declared defaults.
fn defaultOf(comptime E: type) E {
    switch (@typeInfo(E)) {
        .@"struct" => |s| {
            if (s.layout == .@"packed") return std.mem.zeroes(E);
            var value: E = undefined;
            inline for (s.field_names, s.field_types, s.field_attrs) |name, F, attrs| {
                @field(value, name) = comptime attrs.defaultValue(F) orelse defaultOf(F);
            }
            return value;
        },
        .array => |a| return @splat(defaultOf(a.child)),
        else => return std.mem.zeroes(E),
    }
}

/// `,"default":"<hex>"`: one payload with its declared defaults, for an optional whose State
/// default is null (there are no default bytes of the payload in state_defaults then): a value
/// migrated into it starts from these, so a field added to `?Point` takes its declared default
/// as it would anywhere else. Empty when those bytes are all zero (the engine's starting point
/// without one), so most optionals' descriptions do not change.
fn payloadDefaultJson(comptime P: type) []const u8 {
    comptime {
        if (!needsPayloadDefault(P)) return "";
        var bytes: [@sizeOf(P)]u8 = @splat(0);
        writePayloadDefault(P, &bytes);
        for (bytes) |b| {
            if (b != 0) break;
        } else return "";
        const hex = std.fmt.bytesToHex(bytes, .lower);
        return std.fmt.comptimePrint(",\"default\":\"{s}\"", .{hex});
    }
}

/// True when a `T` with its declared defaults may have a nonzero byte: a struct with a declared
/// field default (or holding such a struct), an enum without a tag 0.
fn needsPayloadDefault(comptime T: type) bool {
    return switch (@typeInfo(T)) {
        .@"struct" => |s| if (s.layout == .@"packed" or @hasDecl(T, "kiln_list_element")) false else for (s.field_types, s.field_attrs) |F, attrs| {
            if (!attrs.@"comptime" and (attrs.default_value_ptr != null or needsPayloadDefault(F))) break true;
        } else false,
        .array => |a| a.len > 0 and needsPayloadDefault(a.child),
        .@"enum" => |e| !(@sizeOf(T) == 8 and @hasDecl(T, "isPending")) and e.field_values.len > 0 and
            for (e.field_values) |v| {
                if (v == 0) break false;
            } else true,
        else => false,
    };
}

/// Writes a `T` with its declared defaults into `out` (already zero): struct fields with a
/// declared default of a kind whose bytes are plain, the rest by these same rules; an enum
/// without a tag 0 as its first tag, so it never holds a number that is no tag; everything
/// else (unions, packed structs, containers) stays zero, as the engine starts it without this.
fn writePayloadDefault(comptime T: type, out: []u8) void {
    switch (@typeInfo(T)) {
        .@"struct" => |s| if (s.layout != .@"packed" and !@hasDecl(T, "kiln_list_element")) {
            inline for (s.field_names, s.field_types, s.field_attrs) |name, F, attrs| {
                if (attrs.@"comptime") continue;
                const at = out[@offsetOf(T, name)..][0..@sizeOf(F)];
                if (comptime plainBytes(F)) {
                    if (comptime attrs.defaultValue(F)) |d| {
                        valueBytes(F, d, at);
                        continue;
                    }
                }
                writePayloadDefault(F, at);
            }
        },
        .array => |a| if (needsPayloadDefault(a.child)) {
            inline for (0..a.len) |k| writePayloadDefault(a.child, out[k * @sizeOf(a.child) ..][0..@sizeOf(a.child)]);
        },
        .@"enum" => |e| if (needsPayloadDefault(T)) valueBytes(T, @as(T, @enumFromInt(e.field_values[0])), out),
        else => {},
    }
}

/// Types valueBytes writes at comptime: no unions, packed structs, vectors or containers inside.
fn plainBytes(comptime T: type) bool {
    return switch (@typeInfo(T)) {
        .bool, .int, .@"enum" => true,
        .float => |f| f.bits <= 64,
        .array => |a| plainBytes(a.child),
        .optional => |o| @sizeOf(T) > @sizeOf(o.child) and plainBytes(o.child),
        .@"struct" => |s| s.layout != .@"packed" and !@hasDecl(T, "kiln_list_element") and for (s.field_types, s.field_attrs) |F, attrs| {
            if (!attrs.@"comptime" and !plainBytes(F)) break false;
        } else true,
        else => false,
    };
}

/// Writes `value`'s bytes into `out` with padding left zero (comptime: padding is undefined
/// there, so whole-struct byte views are not allowed).
fn valueBytes(comptime E: type, comptime value: E, out: []u8) void {
    switch (@typeInfo(E)) {
        .@"struct" => |s| if (s.layout == .@"packed") {
            out[0..@sizeOf(E)].* = std.mem.toBytes(value);
        } else inline for (s.field_names, s.field_types, s.field_attrs) |name, F, attrs| {
            if (!attrs.@"comptime") valueBytes(F, @field(value, name), out[@offsetOf(E, name)..][0..@sizeOf(F)]);
        },
        .array => |a| inline for (0..a.len) |k| valueBytes(a.child, value[k], out[k * @sizeOf(a.child) ..][0..@sizeOf(a.child)]),
        .optional => |o| if (value) |payload| {
            valueBytes(o.child, payload, out[0..@sizeOf(o.child)]);
            if (@sizeOf(E) > @sizeOf(o.child)) out[@sizeOf(o.child)] = 1;
        },
        else => out[0..@sizeOf(E)].* = std.mem.toBytes(value),
    }
}

fn opaqueJson(comptime T: type) []const u8 {
    return std.fmt.comptimePrint("{{\"t\":\"opaque\",\"name\":\"{s}\",\"size\":{d}}}", .{ jsonEscape(@typeName(T)), @sizeOf(T) });
}

fn enumJson(comptime T: type, comptime e: std.lang.Type.Enum) []const u8 {
    var tags: []const u8 = "";
    for (e.field_names, e.field_values, 0..) |name, value, k| {
        tags = tags ++ (if (k == 0) "" else ",") ++ std.fmt.comptimePrint("{{\"name\":\"{s}\",\"value\":{d}}}", .{ jsonEscape(name), value });
    }
    return std.fmt.comptimePrint("{{\"t\":\"enum\",\"name\":\"{s}\",\"size\":{d},\"exhaustive\":{},\"tag\":{s},\"tags\":[{s}]}}", .{
        jsonEscape(@typeName(T)), @sizeOf(T), e.mode == .exhaustive, typeJson(e.tag_type), tags,
    });
}

fn structJson(comptime T: type, comptime s: std.lang.Type.Struct) []const u8 {
    var fields: []const u8 = "";
    var first = true;
    for (s.field_names, s.field_types, s.field_attrs) |name, F, attrs| {
        if (attrs.@"comptime") continue;
        fields = fields ++ (if (first) "" else ",") ++ std.fmt.comptimePrint("{{\"name\":\"{s}\",\"offset\":{d},\"type\":{s}}}", .{
            jsonEscape(name), @offsetOf(T, name), typeJson(F),
        });
        first = false;
    }
    return std.fmt.comptimePrint("{{\"t\":\"struct\",\"name\":\"{s}\",\"size\":{d},\"fields\":[{s}]}}", .{ jsonEscape(@typeName(T)), @sizeOf(T), fields });
}

fn jsonEscape(comptime text: []const u8) []const u8 {
    var out: []const u8 = "";
    for (text) |c| {
        out = out ++ switch (c) {
            '"' => "\\\"",
            '\\' => "\\\\",
            0...0x1f => std.fmt.comptimePrint("\\u{x:0>4}", .{c}),
            else => &[_]u8{c},
        };
    }
    return out;
}
