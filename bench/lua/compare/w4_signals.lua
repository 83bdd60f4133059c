-- Comparison W4 (messages): move by what was received, then send 10 signals to other entities'
-- scripts (compare_logic.zig signalTarget, signalValue, inboxOffset). N is the entity count.
local translate, send = translate, send
local SIGNALS = 10

function init(self)
  self.inbox = 0.0
end

function update(self, dt)
  local i = self.i
  translate(i, self.inbox * 0.01 * dt, 0.0, 0.0)
  self.inbox = 0.0
  local n = N
  for k = 0, SIGNALS - 1 do
    send((i + 1 + k * 97) % n, ((i + k) % 13) * 0.125)
  end
end

function on_signal(self, value)
  self.inbox = self.inbox + value
end
