//! Small vector and quaternion helpers for scripts. Plain functions over the ABI's POD types.

const std = @import("std");
const abi = @import("abi.zig");

const Vec3 = abi.Vec3;
const Quat = abi.Quat;

pub fn vec3(x: f32, y: f32, z: f32) Vec3 {
    return .{ .x = x, .y = y, .z = z };
}

pub fn add(a: Vec3, b: Vec3) Vec3 {
    return vec3(a.x + b.x, a.y + b.y, a.z + b.z);
}

pub fn sub(a: Vec3, b: Vec3) Vec3 {
    return vec3(a.x - b.x, a.y - b.y, a.z - b.z);
}

pub fn scale(a: Vec3, s: f32) Vec3 {
    return vec3(a.x * s, a.y * s, a.z * s);
}

pub fn dot(a: Vec3, b: Vec3) f32 {
    return a.x * b.x + a.y * b.y + a.z * b.z;
}

pub fn length(a: Vec3) f32 {
    return @sqrt(dot(a, a));
}

/// `a` scaled to length 1, or zero when `a` is (almost) zero.
pub fn normalize(a: Vec3) Vec3 {
    const len = length(a);
    if (len < 1e-12) return .{};
    return scale(a, 1.0 / len);
}

/// Rotation of `radians` around the unit vector `axis`.
pub fn quatFromAxisAngle(axis: Vec3, radians: f32) Quat {
    const half = radians * 0.5;
    const s = @sin(half);
    const n = normalize(axis);
    return .{ .x = n.x * s, .y = n.y * s, .z = n.z * s, .w = @cos(half) };
}

pub fn quatIsFinite(q: Quat) bool {
    return std.math.isFinite(q.x) and std.math.isFinite(q.y) and
        std.math.isFinite(q.z) and std.math.isFinite(q.w);
}
