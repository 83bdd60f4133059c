// The recording's timeline under the scene view: the recorded range, the keyframe (the scene's
// start), reloads, and a replay check's first divergence; "Check replay" replays the recording
// in an engine of its own (POST /api/rewind/check). Polls GET /api/rewind once a second.
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
  timeline.frames = t.frames;
  $("#btn-replay-check").disabled = false;
  $("#timeline-label").textContent = `recorded frames 0–${Math.max(0, t.frames - 1)} · ${t.reloads.length} reload(s)`;
  range.style.width = "100%";
  for (const k of t.keyframes) mark(bar, k, t.frames, "keyframe", `keyframe: frame ${k}`);
  for (const r of t.reloads) mark(bar, r.frame, t.frames, "reload", `frame ${r.frame}: ${r.script} reloaded`);
  const d = timeline.divergence;
  if (d) mark(bar, d.frame, t.frames, "divergence", `diverged at frame ${d.frame}`);
}

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
