//! The host's input for this frame, as a script reads it with `ctx.input()`.
//!
//! A game that embeds Kiln writes its input through the Java API (`Kiln.input()`, see
//! docs/embedding.md); the engine stores it as the component `kiln.input` of one engine-owned
//! entity at the start of each step, before any script runs, so every phase of a frame sees the
//! same input. Actions and axes are named by the host (`"left"`, `"fire"`, `"move_x"`): the
//! component carries the FNV-1a hashes of the names, so a script asks by name and no key codes
//! cross the boundary. This layout is mirrored by dev.kiln.embed.InputLayout (Java).

const abi = @import("abi.zig");

/// Named actions (keys, buttons) the host may bind: one bit each in a u64.
pub const actions_max = 32;
/// Named axes (sticks, triggers) the host may set.
pub const axes_max = 8;

pub const Input = extern struct {
    pub const component_name = "kiln.input";

    /// Bit i: action i is held now.
    held_bits: u64 = 0,
    /// Bit i: action i went down since the previous frame (a tap shorter than a frame counts).
    pressed_bits: u64 = 0,
    /// Bit i: action i went up since the previous frame.
    released_bits: u64 = 0,
    /// The pointer, in the units the host passes (by convention world units).
    pointer: abi.Vec3 = .{},
    /// Bit b: pointer button b is held.
    buttons: u32 = 0,
    /// FNV-1a hash of action i's name; 0: unused slot.
    action_names: [actions_max]u64 = @splat(0),
    /// FNV-1a hash of axis i's name; 0: unused slot.
    axis_names: [axes_max]u64 = @splat(0),
    axis_values: [axes_max]f32 = @splat(0),

    /// True while the host holds action `name` (false for a name the host never bound).
    pub fn held(self: *const Input, name: []const u8) bool {
        return self.bit(self.held_bits, name);
    }
    /// True in the first frame after action `name` went down.
    pub fn pressed(self: *const Input, name: []const u8) bool {
        return self.bit(self.pressed_bits, name);
    }
    /// True in the first frame after action `name` went up.
    pub fn released(self: *const Input, name: []const u8) bool {
        return self.bit(self.released_bits, name);
    }
    /// The value of axis `name` (0 for a name the host never set); the host chooses the range,
    /// by convention -1..1.
    pub fn axis(self: *const Input, name: []const u8) f32 {
        const h = abi.hashName(name);
        for (self.axis_names, self.axis_values) |n, v| if (n == h) return v;
        return 0;
    }
    /// True while pointer button `b` (0: primary) is held.
    pub fn button(self: *const Input, b: u5) bool {
        return self.buttons & (@as(u32, 1) << b) != 0;
    }

    fn bit(self: *const Input, bits: u64, name: []const u8) bool {
        const h = abi.hashName(name);
        for (self.action_names, 0..) |n, i| {
            if (n == h) return bits & (@as(u64, 1) << @intCast(i)) != 0;
        }
        return false;
    }
};
