-- Comparison W2 (neighbours): compare_logic.zig (boidsStep) in Lua. nearby(i, r) fills the
-- binding's table `found` with neighbour indices and returns their count; position(i) returns x, y, z.
local translate, position, nearby, found = translate, position, nearby, found
local RADIUS, COHESION, DAMPING = 3.0, 0.5, 0.99

function init(self)
  local i = self.i
  self.vx = 1.0 + (i % 7) * 0.25
  self.vz = 0.5 - (i % 5) * 0.25
end

function update(self, dt)
  local i = self.i
  local mx, my, mz = position(i)
  local n = nearby(i, RADIUS)
  local sx, sz = 0.0, 0.0
  for k = 1, n do
    local x, y, z = position(found[k])
    sx = sx + (x - mx)
    sz = sz + (z - mz)
  end
  if n > 0 then
    local inv = 1.0 / n
    self.vx = (self.vx + sx * inv * COHESION * dt) * DAMPING
    self.vz = (self.vz + sz * inv * COHESION * dt) * DAMPING
  end
  translate(i, self.vx * dt, 0.0, self.vz * dt)
end
