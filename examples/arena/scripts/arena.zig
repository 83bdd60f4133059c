//! What the arena's scripts share: its size and speeds. The game (ArenaGame.java) draws the
//! same rectangle: keep Arena.HALF_WIDTH / HALF_HEIGHT in step with these.
pub const half_width: f32 = 20;
pub const half_height: f32 = 12;
pub const player_speed: f32 = 8;
pub const enemy_speed: f32 = 3;
pub const bullet_speed: f32 = 18;
/// An enemy stops this close to the player (they never overlap on screen).
pub const enemy_stop_distance: f32 = 1.5;
/// A bullet within this distance of an enemy hits it.
pub const hit_radius: f32 = 0.7;
