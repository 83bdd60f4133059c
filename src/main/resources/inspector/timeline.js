// The recording's timeline under the scene view: the recorded range, the live run's keyframes,
// reloads, where a rewound run stands, and a replay's first divergence. A click on the bar
// rewinds the live run to that frame (POST /api/rewind/to), paused there; Step, Replay and
// Resume run it on (POST /api/rewind/step, /replay, /resume); "Check replay" replays the
// recording in an engine of its own (POST /api/rewind/check). Polls GET /api/rewind once a second.
"use strict";
const timeline = { frames: 0, divergence: null };

// Positions are set through element.style: the page's Content-Security-Policy drops inline
// style attributes.
function mark(bar, frame, total, cls, title) {
  const el = document.createElement("div");
  el.className = "mark " + cls;
  el.title = title;
  el.style.left = (total > 0 ? 100 * frame / total : 0).toFixed(3) + "%";
  bar.appendChild(el);
}

function renderTimeline(t) {
  const bar = $("#timeline-bar");
  bar.replaceChildren();
  const range = document.createElement("div");
  range.id = "timeline-range";
  bar.appendChild(range);
  if (!t.recording) {
    $("#timeline-label").textContent = "not recording (a release run, or no scene loaded at frame 0)";
    $("#btn-replay-check").disabled = true;
    return;
  }
  // While rewound, the recording holds the frames up to where the run stands; the frames
  // rewound over stay on the bar, to replay.
  const total = Math.max(t.frames, t.replayableTo || 0);
  timeline.frames = total;
  $("#btn-replay-check").disabled = false;
  for (const id of ["#btn-rewind-step", "#btn-rewind-replay", "#btn-rewind-resume"]) $(id).disabled = !t.rewound;
  $("#timeline-label").textContent = `recorded frames 0–${Math.max(0, total - 1)} · ${t.reloads.length} reload(s)`
    + (t.rewound ? ` · rewound: paused at frame ${t.at}` : "");
  range.style.width = (total > 0 ? 100 * t.frames / total : 100).toFixed(3) + "%";
  for (const k of t.keyframes) mark(bar, k, total, "keyframe", `keyframe: frame ${k}`);
  for (const r of t.reloads) mark(bar, r.frame, total, "reload", `frame ${r.frame}: ${r.script} reloaded`);
  if (t.rewound) mark(bar, t.at, total, "playhead", `paused at frame ${t.at}`);
  const d = timeline.divergence;
  if (d) mark(bar, d.frame, total, "divergence", `diverged at frame ${d.frame}`);
}

// A rewind, step, replay or resume of the live run; its answer shows under the timeline.
async function travel(path, body) {
  const out = $("#timeline-result");
  out.className = "dim";
  out.textContent = "…";
  const res = await api("POST", path, body);
  if (!res.ok) { out.textContent = res.error || "refused"; out.className = "bad"; return; }
  if (res.divergence) timeline.divergence = res.divergence;
  out.textContent = res.message;
  out.className = res.divergence ? "bad" : "";
  pollTimeline();
}

$("#timeline-bar").addEventListener("click", (e) => {
  if (timeline.frames <= 0) return;
  const box = e.currentTarget.getBoundingClientRect();
  const frame = Math.round(Math.min(1, Math.max(0, (e.clientX - box.left) / box.width)) * timeline.frames);
  timeline.divergence = null;
  travel("/api/rewind/to", { frame });
});
$("#btn-rewind-step").addEventListener("click", () => travel("/api/rewind/step"));
$("#btn-rewind-replay").addEventListener("click", () => travel("/api/rewind/replay"));
$("#btn-rewind-resume").addEventListener("click", () => travel("/api/rewind/resume"));

async function pollTimeline() {
  try {
    const res = await fetch("/api/rewind", { headers: { "X-Kiln-Token": TOKEN } });
    if (res.ok) renderTimeline(await res.json());
  } catch (e) { /* the engine stopped: the websocket's reconnect says so */ }
}

async function checkReplay() {
  const button = $("#btn-replay-check");
  const out = $("#timeline-result");
  button.disabled = true;
  out.className = "dim";
  out.textContent = "replaying…";
  const res = await api("POST", "/api/rewind/check");
  button.disabled = false;
  if (!res.ok) { out.textContent = res.error || "the check failed"; out.className = "bad"; return; }
  timeline.divergence = res.divergence;
  out.textContent = res.message;
  out.className = res.divergence ? "bad" : "";
  pollTimeline();
}

$("#btn-replay-check").addEventListener("click", checkReplay);
pollTimeline();
setInterval(pollTimeline, 1000);
