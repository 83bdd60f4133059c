-- Comparison W1 (movement): bench/zig/compare/compare_logic.zig (moverInit, moverStep) in Lua.
-- One instance (self table) per entity; translate is the Java binding (a request, applied after the phase).
local abs = math.abs
local translate = translate

function init(self)
  local i = self.i
  self.vx = 1.0 + (i % 7) * 0.25
  self.vz = 0.5 - (i % 5) * 0.25
  self.phase = (i % 16) * 0.0625
end

function update(self, dt)
  local p = self.phase + dt
  if p >= 1.0 then p = p - 1.0 end
  self.phase = p
  local wobble = (abs(p * 2.0 - 1.0) - 0.5) * 0.1
  translate(self.i, self.vx * dt, wobble * dt, self.vz * dt)
end
