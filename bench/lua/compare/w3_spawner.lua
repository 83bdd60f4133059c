-- Comparison W3 (churn): each spawner despawns the entities it spawned last frame and spawns
-- 100 new ones (compare_logic.zig churnPosition). spawn returns a handle; despawn takes one.
local spawn, despawn = spawn, despawn
local PER_SPAWNER = 100

function init(self)
  self.spawned = {}
  self.count = 0
end

function update(self, dt, frame)
  local list = self.spawned
  for k = 1, self.count do despawn(list[k]) end
  local x, y = self.i * 10.0, frame % 64
  for k = 0, PER_SPAWNER - 1 do list[k + 1] = spawn(x, y, k * 0.5) end
  self.count = PER_SPAWNER
end
