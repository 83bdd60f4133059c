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
