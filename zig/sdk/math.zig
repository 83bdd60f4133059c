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

/// Whether every component of `v` is finite (neither NaN nor an infinity): x - x is 0 for a
/// finite x and NaN otherwise, so one sum of the three differences tells, in a few vector
/// instructions where three separate classifications took nine in W1's update loop.
pub fn vec3IsFinite(v: Vec3) bool {
    const lanes: @Vector(4, f32) = .{ v.x, v.y, v.z, 0 };
    return @reduce(.And, lanes - lanes == @as(@Vector(4, f32), @splat(0)));
}

pub fn quatIsFinite(q: Quat) bool {
    return std.math.isFinite(q.x) and std.math.isFinite(q.y) and
        std.math.isFinite(q.z) and std.math.isFinite(q.w);
}

/// q = a * b: rotate by `b` first, then by `a`.
pub fn quatMul(a: Quat, b: Quat) Quat {
    return .{
        .x = a.w * b.x + a.x * b.w + a.y * b.z - a.z * b.y,
        .y = a.w * b.y - a.x * b.z + a.y * b.w + a.z * b.x,
        .z = a.w * b.z + a.x * b.y - a.y * b.x + a.z * b.w,
        .w = a.w * b.w - a.x * b.x - a.y * b.y - a.z * b.z,
    };
}

/// Euler angles in radians, Kiln's one order (KILN_ROTATION_EULER_YXZ): intrinsic yaw about Y,
/// then pitch about X, then roll about Z, so q = qY(yaw) * qX(pitch) * qZ(roll). Pitch tilts
/// the forward axis (-Z) up or down and is the one limited to [-pi/2, pi/2].
pub const Euler = struct { yaw: f32 = 0, pitch: f32 = 0, roll: f32 = 0 };

/// The rotation `e` describes (the engine converts an Euler request the same way).
pub fn quatFromEuler(e: Euler) Quat {
    const hy: f64 = @as(f64, e.yaw) * 0.5;
    const hp: f64 = @as(f64, e.pitch) * 0.5;
    const hr: f64 = @as(f64, e.roll) * 0.5;
    const cy = @cos(hy);
    const sy = @sin(hy);
    const cp = @cos(hp);
    const sp = @sin(hp);
    const cr = @cos(hr);
    const sr = @sin(hr);
    return .{
        .x = @floatCast(cy * sp * cr + sy * cp * sr),
        .y = @floatCast(sy * cp * cr - cy * sp * sr),
        .z = @floatCast(cy * cp * sr - sy * sp * cr),
        .w = @floatCast(cy * cp * cr + sy * sp * sr),
    };
}

/// The angles of `q`: pitch in [-pi/2, pi/2], yaw and roll in [-pi, pi]. At pitch +-pi/2 (gimbal
/// lock) yaw and roll turn about one axis: the turn is put in yaw and roll is 0.
pub fn quatToEuler(q: Quat) Euler {
    const len = @sqrt(@as(f64, q.x) * q.x + @as(f64, q.y) * q.y + @as(f64, q.z) * q.z + @as(f64, q.w) * q.w);
    if (len < 1e-12) return .{};
    const x = q.x / len;
    const y = q.y / len;
    const z = q.z / len;
    const w = q.w / len;
    // Elements of R = Ry(yaw) Rx(pitch) Rz(roll): m12 = -sin(pitch), m02 / m22 give yaw,
    // m10 / m11 give roll.
    const sin_pitch = std.math.clamp(-2 * (y * z - w * x), -1.0, 1.0);
    const pitch = std.math.asin(sin_pitch);
    if (@abs(sin_pitch) > 1 - 1e-6) {
        const m00 = 1 - 2 * (y * y + z * z);
        const m20 = 2 * (x * z - w * y);
        return .{ .yaw = @floatCast(std.math.atan2(-m20, m00)), .pitch = @floatCast(pitch), .roll = 0 };
    }
    return .{
        .yaw = @floatCast(std.math.atan2(2 * (x * z + w * y), 1 - 2 * (x * x + y * y))),
        .pitch = @floatCast(pitch),
        .roll = @floatCast(std.math.atan2(2 * (x * y + w * z), 1 - 2 * (x * x + z * z))),
    };
}
