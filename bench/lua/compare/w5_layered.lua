-- Comparison W5 (layered): the three scripts of LayeredFrameBench (bench/zig/bench/
-- bench_layer_{pre,update,post}.zig) in Lua, each with its own State table per entity.
-- set_velocity, translate and set_position are requests, applied after their phase.
local cos, sin, abs = math.cos, math.sin, math.abs
local set_velocity, translate, set_position, position = set_velocity, translate, set_position, position

Pre = {}   -- pre_update, priority -10: steer
function Pre.init(self) self.turn_rate = 0.5; self.speed = 1.0 end
function Pre.update(self, dt, time)
  local heading = time * self.turn_rate
  set_velocity(self.i, cos(heading) * self.speed, 0.0, sin(heading) * self.speed)
end

Bob = {}   -- update, priority 0: bob toward the rest height
function Bob.init(self) self.bob_speed = 0.25; self.rest_height = 0.0 end
function Bob.update(self, dt)
  local x, y, z = position(self.i)
  local direction = 1.0
  if y > self.rest_height then direction = -1.0 end
  translate(self.i, 0.0, direction * self.bob_speed * dt, 0.0)
end

Post = {}  -- post_update, priority 10: keep inside the box
function Post.init(self) self.half_extent = 500.0; self.corrections = 0 end
function Post.update(self, dt)
  local x, y, z = position(self.i)
  local h = self.half_extent
  if abs(x) <= h and abs(y) <= h and abs(z) <= h then return end
  self.corrections = self.corrections + 1
  set_position(self.i, 0.0, 0.0, 0.0)
end
