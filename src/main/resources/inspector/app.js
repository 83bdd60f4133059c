// Kiln Inspector front end: plain JS, no build step. State comes from the /ws push (a snapshot
// at most every 100 ms plus new log lines); edits are POSTs answered {ok, message} or {error}.
"use strict";
const TOKEN = document.body.dataset.token;
const $ = (sel, root = document) => root.querySelector(sel);
const esc = s => String(s ?? "").replace(/[&<>"']/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));

const app = { snap: null, selected: null, logs: [], view: { x: 0, y: 0, scale: 12, fitted: false }, ws: null };

// ---- talking to the engine -------------------------------------------------------------------

async function api(method, path, body) {
  const res = await fetch(path, {
    method, headers: { "Content-Type": "application/json", "X-Kiln-Token": TOKEN },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let data = {};
  try { data = await res.json(); } catch (e) { data = { error: "HTTP " + res.status }; }
  if (!res.ok) { toast(data.error || ("HTTP " + res.status), true); return { ok: false, error: data.error }; }
  if (data.message) toast(data.message, false);
  return data;
}

function connect() {
  const ws = new WebSocket(`ws://${location.host}/ws?token=${TOKEN}`);
  app.ws = ws;
  ws.onopen = () => sendWatch();
  ws.onmessage = ev => {
    const msg = JSON.parse(ev.data);
    if (msg.type === "snapshot" && msg.data) { app.snap = msg.data; render(); }
    if (msg.type === "logs") addLogs(msg.lines);
  };
  ws.onclose = () => { setRunState("offline", "disconnected"); setTimeout(connect, 1000); };
}

function sendWatch() {
  if (app.ws && app.ws.readyState === 1) app.ws.send(JSON.stringify({ watch: app.selected }));
}

function select(id) {
  app.selected = id;
  sendWatch();
  renderEntities();
  renderInspector();
  drawScene();
}

let toastTimer;
function toast(text, isError) {
  const t = $("#toast");
  t.textContent = text;
  t.className = isError ? "error" : "";
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => t.classList.add("hidden"), isError ? 8000 : 3000);
}

// ---- rendering -------------------------------------------------------------------------------

// Updates root to html in place when only values changed (same elements in the same order), so
// elements under the pointer or in focus survive the 10 updates a second; replaces it otherwise.
const directText = el => [...el.childNodes].filter(c => c.nodeType === 3).map(c => c.data).join("\u0000");

function morph(root, html) {
  const next = document.createElement("template");
  next.innerHTML = html;
  const olds = root.querySelectorAll("*"), news = next.content.querySelectorAll("*");
  const same = olds.length === news.length && [...olds].every((o, i) => o.tagName === news[i].tagName);
  if (!same) { root.innerHTML = html; return false; }
  olds.forEach((o, i) => {
    const n = news[i];
    for (const a of n.attributes) if (a.name !== "value" && o.getAttribute(a.name) !== a.value) o.setAttribute(a.name, a.value);
    for (const a of [...o.attributes]) if (!n.hasAttribute(a.name) && a.name !== "open") o.removeAttribute(a.name); // keep <details> the user opened
    if (o.tagName === "INPUT") {
      if (o !== document.activeElement && o.value !== n.getAttribute("value") && n.hasAttribute("value")) o.value = n.getAttribute("value");
      o.checked = n.hasAttribute("checked");
    } else if (o.children.length === 0) {
      if (o.textContent !== n.textContent) o.textContent = n.textContent;
    } else if (directText(o) !== directText(n)) {
      o.innerHTML = n.innerHTML; // mixed text and elements (no inputs in there): replace this one
    }
  });
  return true;
}

function render() {
  const s = app.snap;
  const c = s.control;
  $("#toggle-safe").checked = c.safeMode;
  $("#toggle-auto").checked = c.autoReload;
  $("#toggle-auto").disabled = !c.reloadAvailable;
  $("#btn-pause").disabled = c.paused;
  $("#btn-step").disabled = !c.paused;
  $("#btn-resume").disabled = !c.paused;
  if (c.safeMode) setRunState("safe", "safe mode"); else setRunState(c.paused ? "paused" : "running", c.paused ? "paused" : "running");
  const last = s.frames.length ? s.frames[s.frames.length - 1] : null;
  $("#frame-info").textContent = `frame ${s.frame} · t ${s.time.toFixed(2)} s` + (last ? ` · ${last.total.toFixed(3)} ms` : "");
  renderEntities();
  renderInspector();
  renderScripts();
  renderErrors();
  drawScene();
  drawFrames();
}

function setRunState(cls, text) {
  const el = $("#run-state");
  el.className = "pill " + cls;
  el.textContent = text;
}

function matches(e, q) {
  if (!q) return true;
  q = q.toLowerCase();
  return (e.name || "").toLowerCase().includes(q) || e.handle.includes(q) || e.tags.some(t => t.toLowerCase().includes(q));
}

function renderEntities() {
  if (!app.snap) return;
  const q = $("#entity-search").value.trim();
  const list = app.snap.entities.filter(e => matches(e, q));
  $("#entity-count").textContent = `${list.length} / ${app.snap.entities.length}`;
  morph($("#entity-list"), list.map(e => `
    <li class="entity-row${e.id === app.selected ? " selected" : ""}" data-id="${e.id}">
      <span class="name">${esc(e.name || "(unnamed)")}</span><span class="handle">${e.handle}</span>
      ${e.tags.map(t => `<span class="tag">${esc(t)}</span>`).join("")}
    </li>`).join(""));
}

const fmt = n => (Math.abs(n) >= 1000 ? n.toFixed(0) : n.toFixed(3));
const vec = (v, names = ["x", "y", "z", "w"]) =>
  `<span class="vec">${v.map((n, i) => `<span class="${names[i]}">${fmt(n)}</span>`).join(" ")}</span>`;

function renderInspector() {
  const root = $("#inspector");
  const d = app.snap && app.selected != null ? app.snap.details[app.selected] : null;
  if (app.selected == null) { root.innerHTML = `<p class="dim empty">Select an entity in the list or the scene view.</p>`; return; }
  if (!d) {
    const alive = app.snap && app.snap.entities.some(e => e.id === app.selected);
    root.innerHTML = `<p class="dim empty">${alive ? "Loading…" : "This entity was despawned."}</p>`;
    return;
  }
  // Keep what the user is typing: live updates must not overwrite a focused field.
  const focused = document.activeElement && root.contains(document.activeElement) ? document.activeElement : null;
  if (focused && focused.tagName === "SELECT") return; // an open drop-down would close under the user
  const picks = { script: $("#attach-script") && $("#attach-script").value, phase: $("#attach-phase") && $("#attach-phase").value };
  const keep = focused && focused.dataset.key ? { key: focused.dataset.key, value: focused.value, start: focused.selectionStart } : null;
  const errors = {};
  root.querySelectorAll(".field-error").forEach(el => { errors[el.dataset.key] = el.textContent; });
  if (morph(root, inspectorHtml(d, errors))) return; // updated in place: focus and selections kept
  if (picks.script) $("#attach-script").value = picks.script;
  if (picks.phase) $("#attach-phase").value = picks.phase;
  if (keep) {
    const el = root.querySelector(`[data-key="${CSS.escape(keep.key)}"]`);
    if (el) { el.value = keep.value; el.focus(); try { el.setSelectionRange(keep.start, keep.start); } catch (e) { /* not a text input */ } }
  }
}

function inspectorHtml(d, errors) {
  const scripts = app.snap.scripts.map(s => `<option>${esc(s.name)}</option>`).join("");
  return `
    <div class="title-row"><span class="ename">${esc(d.name || "(unnamed)")}</span><span class="mono dim">${d.handle}</span>
      ${d.tags.map(t => `<span class="tag">${esc(t)}</span>`).join("")}</div>
    <div class="section"><h3>Transform</h3><div class="kv">
      <span class="k">position</span><span id="pos" data-x="${d.position[0]}" data-z="${d.position[2]}">${vec(d.position)}</span>
      <span class="k">rotation</span>${vec(d.rotation)}
      <span class="k">scale</span>${vec(d.scale)}
      <span class="k">velocity</span>${vec(d.velocity)}
    </div></div>
    ${d.components.length ? `<div class="section"><h3>Components</h3>${d.components.map(c => `
      <div class="kv"><span class="k mono">${esc(c.name)}</span><span></span>
      ${c.fields.map(f => { const key = `comp:${c.name}.${f.name}`; return `<span class="k">${esc(f.name)}</span><span class="mono">${f.type === "entity"
        ? esc(f.text) : `<input class="comp-input" data-key="${esc(key)}" data-comp="${esc(c.name)}" data-field="${esc(f.name)}" value="${esc(f.text)}">`} <span class="dim">${f.type}</span></span>${
        errors[key] ? `<span class="field-error" data-key="${esc(key)}">${esc(errors[key])}</span>` : ""}`; }).join("")}
      </div>`).join("")}</div>` : ""}
    <div class="section"><h3>ScriptVars</h3><div class="kv">
      ${Object.keys(d.vars).length ? Object.entries(d.vars).map(([k, v]) =>
        `<span class="k mono">${esc(k)}</span><span class="mono"><input class="var-input" data-key="var:${esc(k)}" data-var="${esc(k)}" value="${esc(Array.isArray(v) ? v.join(", ") : String(v))}"></span>${
          errors["var:" + k] ? `<span class="field-error" data-key="var:${esc(k)}">${esc(errors["var:" + k])}</span>` : ""}`).join("")
        : `<span class="dim">none</span>`}
    </div></div>
    <div class="section"><h3>Scripts <span class="dim">(execution order)</span></h3>
      ${d.scripts.map(i => instanceHtml(i, errors)).join("") || `<p class="dim">No scripts.</p>`}
      <div class="attach"><select id="attach-script">${scripts}</select>
        <select id="attach-phase"><option value="">default phase</option><option>pre_update</option><option>update</option><option>post_update</option></select>
        <button id="attach-btn">Attach</button></div>
    </div>`;
}

function instanceHtml(i, errors) {
  const fields = i.state.map(f => {
    const key = `state:${i.id}:${f.name}`;
    const editable = f.type !== "other" && f.type !== "entity" && f.type !== "container";
    return `<span class="fname">${esc(f.name)}</span><span class="ftype">${f.type}</span>
      <input class="state-input" data-instance="${i.id}" data-field="${esc(f.name)}" data-key="${key}" value="${esc(f.text)}"${editable ? "" : " disabled"}>
      ${errors[key] ? `<span class="field-error" data-key="${key}">${esc(errors[key])}</span>` : ""}`;
  }).join("");
  return `<div class="instance${i.enabled ? "" : " disabled"}" data-id="${i.id}" data-script="${esc(i.script)}">
    <div class="ihead"><input type="checkbox" class="enable-toggle" data-instance="${i.id}" ${i.enabled ? "checked" : ""} title="enabled">
      <span class="sname">${esc(i.script)}</span><span class="phase">${i.phase}</span><span class="dim mono">#${i.id}</span>
      <span class="spacer"></span><span class="dim">prio</span>
      <input type="number" class="priority-input" data-instance="${i.id}" data-key="prio:${i.id}" value="${i.priority}">
      <button class="detach-btn danger" data-instance="${i.id}" title="Detach (shutdown runs at the next barrier)">✕</button></div>
    ${i.fault ? `<div class="fault">⚠ ${esc(i.fault)}</div>` : ""}
    ${i.state.length ? `<div class="state">${fields}</div>` : ""}
    ${memoryHtml(i.memory)}
  </div>`;
}

// Container memory of one instance: used / budget, then each kiln.List / String / Map field
// with its sizes and first elements (display only; the engine bounds how many it sends).
function memoryHtml(m) {
  if (!m || (!m.containers.length && !m.usedBytes)) return "";
  const rows = m.containers.map(c => {
    const shown = c.elements === null ? `<span class="dim">(contents unreadable)</span>`
      : c.kind === "string" ? `<span class="ctext">"${esc(c.elements)}"</span>`
      : c.kind === "map" ? c.elements.map(e => `<span class="celem">${esc(valueText(e.key))} → ${esc(valueText(e.value))}</span>`).join("")
      : c.elements.map(e => `<span class="celem">${esc(valueText(e))}</span>`).join("");
    const more = c.more > 0 ? `<span class="dim cmore">… and ${c.more} more</span>` : "";
    return `<div class="container" data-field="${esc(c.field)}">
      <div class="chead"><span class="fname">${esc(c.field)}</span><span class="ftype">${esc(c.type)}</span>
        <span class="csize mono">${c.kind} · len ${c.len} · cap ${c.capacity} · ${fmtBytes(c.bytes)}</span></div>
      <div class="celems">${shown}${more}</div></div>`;
  }).join("");
  return `<div class="memory"><div class="mhead">Memory <span class="mused mono">${fmtBytes(m.usedBytes)} / ${fmtBytes(m.budgetBytes)}</span></div>${rows}</div>`;
}

function fmtBytes(n) {
  return n < 10240 ? `${n} B` : n < 10 * 1048576 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1048576).toFixed(1)} MiB`;
}

// An element as text: numbers and tag names as they are, structs as {a: 1, b: 2}, lists as [..].
function valueText(v) {
  if (Array.isArray(v)) return `[${v.map(valueText).join(", ")}]`;
  if (v !== null && typeof v === "object") return `{${Object.entries(v).map(([k, x]) => `${k}: ${valueText(x)}`).join(", ")}}`;
  return String(v);
}

function renderScripts() {
  const rows = app.snap.scripts.map(s => `<tr data-script="${esc(s.name)}">
    <td><b>${esc(s.name)}</b>${s.isolated ? ` <span class="dim" title="runs in a host process of its own">isolated</span>` : ""}${s.poisonedBy ? ` <span class="err">stopped</span>` : ""}</td>
    <td class="mono" title="${esc(s.source)}">${esc(shortPath(s.source))}</td>
    <td class="mono">${new Date(s.buildTimeUnix * 1000).toLocaleTimeString()}</td>
    <td class="mono">${esc(s.buildMode)}</td>
    <td class="mono" title="${esc(s.sourceHash)}">${esc((s.sourceHash || "").slice(0, 10))}</td>
    <td class="mono">${esc(s.gitCommit || "—")}</td>
    <td class="mono">${s.abiVersion}</td>
    <td><details><summary>${s.exports.length}</summary><div class="mono">${s.exports.map(esc).join("<br>")}</div></details></td>
    <td class="mono current-version" title="${esc(s.library)}">${esc(s.currentVersion)}<br><span class="dim">${esc(s.lastGoodVersion || "no earlier version")}</span></td>
    <td class="mono">${s.instances}</td>
    <td class="mono">${s.updateMsPerFrame.toFixed(4)}</td>
    <td><button class="reload-btn" data-script="${esc(s.name)}">Reload</button>
        <button class="revert-btn" data-script="${esc(s.name)}" ${s.lastGoodVersion ? "" : "disabled"}>Revert</button></td>
  </tr>`).join("");
  morph($("#scripts-table"), `<tbody><tr><th>Script</th><th>Source</th><th>Built</th><th>Mode</th><th>Source hash</th><th>Git</th><th>ABI</th>
    <th>Exports</th><th>Current / last good</th><th>Instances</th><th>ms / frame</th><th></th></tr>${rows}</tbody>`);
  const sel = $("#log-script");
  const names = ["engine", ...app.snap.scripts.map(s => s.name)];
  if (sel.options.length - 1 !== names.length) {
    const v = sel.value;
    sel.innerHTML = `<option value="">All scripts</option>` + names.map(n => `<option>${esc(n)}</option>`).join("");
    sel.value = v;
  }
}

const shortPath = p => (p || "prebuilt").split("/").slice(-2).join("/");

function renderErrors() {
  const errors = app.snap.errors;
  const badge = $("#error-badge");
  badge.textContent = errors.length;
  badge.classList.toggle("hidden", errors.length === 0);
  morph($("#errors-list"), errors.length === 0 ? `<p class="dim">No errors. Compile errors, refused reloads and runtime faults appear here the moment they happen.</p>`
    : errors.map(e => `<div class="error-card" data-script="${esc(e.script)}" data-kind="${e.kind}">
      <div class="head"><span class="kind">${e.kind}</span><b>${esc(e.script)}</b>${e.entity ? `<span class="mono dim">@ ${esc(e.entity)}${e.instance ? " #" + e.instance : ""}</span>` : ""}
        <button class="revert-btn" data-script="${esc(e.script)}">Revert to last good</button></div>
      <div>${esc(e.message)}</div>
      ${e.diagnostics.map(dg => `<div class="diagnostic"><span class="loc">${esc(shortPath(dg.file))}:${dg.line}:${dg.column}</span>
        <span class="${dg.severity === "error" ? "err" : "warn"}">${dg.severity}:</span> ${esc(dg.message)}
        ${dg.sourceLines.length ? `<pre class="source">${dg.sourceLines.map(esc).join("\n")}</pre>` : ""}
        ${dg.notes.map(n => `<div class="dim mono">${esc(n)}</div>`).join("")}</div>`).join("")}
    </div>`).join(""));
}

function addLogs(lines) {
  app.logs.push(...lines);
  if (app.logs.length > 5000) app.logs.splice(0, app.logs.length - 5000);
  renderConsole();
}

function renderConsole() {
  const level = $("#log-level").value, script = $("#log-script").value;
  const box = $("#console"), body = $("#body-console");
  const atBottom = body.scrollTop + body.clientHeight >= body.scrollHeight - 20;
  box.innerHTML = app.logs.filter(l => (!level || l.level === level) && (!script || l.script === script)).slice(-1000)
    .map(l => `<div class="log-line ${l.level}"><span class="dim">[${l.frame}]</span> <span class="lv">${l.level}</span> <span class="who">${esc(l.script)}${l.entity ? " @ " + esc(l.entity) : ""}</span>: ${esc(l.message)}</div>`).join("");
  if (atBottom) body.scrollTop = body.scrollHeight;
}

// ---- scene view: top-down (x right, z down), pan / zoom / click to select ----------------------

const hue = s => { let h = 0; for (const c of s) h = (h * 31 + c.charCodeAt(0)) % 360; return h; };

function fitCanvas(canvas) {
  const r = canvas.getBoundingClientRect(), dpr = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(r.width * dpr) || canvas.height !== Math.round(r.height * dpr)) {
    canvas.width = Math.round(r.width * dpr); canvas.height = Math.round(r.height * dpr);
  }
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return { ctx, w: r.width, h: r.height };
}

function fitView() {
  const es = app.snap ? app.snap.entities : [];
  if (!es.length) return;
  const xs = es.map(e => e.x), zs = es.map(e => e.z);
  const r = $("#scene-canvas").getBoundingClientRect();
  const spanX = Math.max(...xs) - Math.min(...xs) + 8, spanZ = Math.max(...zs) - Math.min(...zs) + 8;
  app.view.scale = Math.max(2, Math.min(60, Math.min(r.width / spanX, r.height / spanZ)));
  app.view.x = (Math.max(...xs) + Math.min(...xs)) / 2;
  app.view.y = (Math.max(...zs) + Math.min(...zs)) / 2;
  app.view.fitted = true;
}

const toScreen = (x, z, w, h) => [w / 2 + (x - app.view.x) * app.view.scale, h / 2 + (z - app.view.y) * app.view.scale];

function drawScene() {
  if (!app.snap) return;
  if (!app.view.fitted) fitView();
  const { ctx, w, h } = fitCanvas($("#scene-canvas"));
  ctx.fillStyle = "#111318"; ctx.fillRect(0, 0, w, h);
  drawGrid(ctx, w, h);
  for (const e of app.snap.entities) {
    const [sx, sy] = toScreen(e.x, e.z, w, h);
    const sel = e.id === app.selected;
    ctx.fillStyle = `hsl(${hue(e.tags[0] || e.name || "x")}, 65%, 60%)`;
    ctx.beginPath(); ctx.arc(sx, sy, sel ? 7 : 5, 0, Math.PI * 2); ctx.fill();
    if (sel) { ctx.strokeStyle = "#4aa3ff"; ctx.lineWidth = 2; ctx.beginPath(); ctx.arc(sx, sy, 12, 0, Math.PI * 2); ctx.stroke(); }
    if (e.name || sel) { ctx.fillStyle = sel ? "#fff" : "#9aa1b2"; ctx.font = "11px system-ui"; ctx.fillText(e.name || e.handle, sx + 9, sy - 8); }
  }
}

function drawGrid(ctx, w, h) {
  const step = app.view.scale >= 8 ? 1 : app.view.scale >= 2 ? 5 : 25;
  ctx.lineWidth = 1;
  const x0 = app.view.x - w / 2 / app.view.scale, z0 = app.view.y - h / 2 / app.view.scale;
  for (let gx = Math.floor(x0 / step) * step; gx < x0 + w / app.view.scale; gx += step) {
    const [sx] = toScreen(gx, 0, w, h);
    ctx.strokeStyle = gx === 0 ? "#3a4252" : (gx % (step * 5) === 0 ? "#232834" : "#1a1e26");
    ctx.beginPath(); ctx.moveTo(sx, 0); ctx.lineTo(sx, h); ctx.stroke();
  }
  for (let gz = Math.floor(z0 / step) * step; gz < z0 + h / app.view.scale; gz += step) {
    const [, sy] = toScreen(0, gz, w, h);
    ctx.strokeStyle = gz === 0 ? "#3a4252" : (gz % (step * 5) === 0 ? "#232834" : "#1a1e26");
    ctx.beginPath(); ctx.moveTo(0, sy); ctx.lineTo(w, sy); ctx.stroke();
  }
}

function setupCanvas() {
  const c = $("#scene-canvas");
  let drag = null;
  c.addEventListener("mousedown", ev => { drag = { x: ev.clientX, y: ev.clientY, vx: app.view.x, vy: app.view.y, moved: false }; });
  window.addEventListener("mousemove", ev => {
    if (!drag) return;
    const dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
    app.view.x = drag.vx - dx / app.view.scale; app.view.y = drag.vy - dy / app.view.scale;
    drawScene();
  });
  window.addEventListener("mouseup", ev => {
    if (drag && !drag.moved && ev.target === c) pick(ev);
    drag = null;
  });
  c.addEventListener("wheel", ev => {
    ev.preventDefault();
    app.view.scale = Math.max(0.5, Math.min(200, app.view.scale * (ev.deltaY < 0 ? 1.15 : 1 / 1.15)));
    drawScene();
  }, { passive: false });
  $("#btn-fit").onclick = () => { fitView(); drawScene(); };
}

function pick(ev) {
  const r = $("#scene-canvas").getBoundingClientRect();
  const mx = ev.clientX - r.left, my = ev.clientY - r.top;
  let best = null, bestD = 14 * 14;
  for (const e of app.snap.entities) {
    const [sx, sy] = toScreen(e.x, e.z, r.width, r.height);
    const d = (sx - mx) ** 2 + (sy - my) ** 2;
    if (d < bestD) { best = e; bestD = d; }
  }
  select(best ? best.id : null);
}

// ---- frame-time graph: stacked bars per frame ------------------------------------------------

function drawFrames() {
  if ($("#body-frames").classList.contains("hidden")) return;
  const frames = app.snap.frames;
  const { ctx, w, h } = fitCanvas($("#frame-canvas"));
  ctx.fillStyle = "#111318"; ctx.fillRect(0, 0, w, h);
  const maxMs = Math.max(2, ...frames.map(f => f.total)) * 1.1;
  const bw = w / 300, y = ms => h - (ms / maxMs) * h;
  frames.forEach((f, i) => {
    let base = 0;
    for (const [ms, color] of [[f.pre, "#7a8cff"], [f.update, "#e8883a"], [f.post, "#57c37a"], [f.barriers, "#8a90a0"]]) {
      ctx.fillStyle = color; ctx.fillRect(i * bw, y(base + ms), Math.max(1, bw - 0.5), (ms / maxMs) * h); base += ms;
    }
  });
  if (16.7 < maxMs) { ctx.strokeStyle = "#ef6461"; ctx.beginPath(); ctx.moveTo(0, y(16.7)); ctx.lineTo(w, y(16.7)); ctx.stroke(); }
  ctx.fillStyle = "#8a90a0"; ctx.font = "11px system-ui"; ctx.fillText(maxMs.toFixed(2) + " ms", 4, 12);
  const avg = frames.reduce((a, f) => a + f.total, 0) / Math.max(1, frames.length);
  $("#frame-avg").textContent = `· last ${frames.length} frames: avg ${avg.toFixed(3)} ms, worst ${Math.max(0, ...frames.map(f => f.total)).toFixed(3)} ms`;
}

// ---- wiring ----------------------------------------------------------------------------------

function setupEvents() {
  $("#btn-pause").onclick = () => api("POST", "/api/control/pause", { paused: true });
  $("#btn-resume").onclick = () => api("POST", "/api/control/pause", { paused: false });
  $("#btn-step").onclick = () => api("POST", "/api/control/step", {});
  $("#toggle-safe").onchange = ev => api("POST", "/api/control/safe-mode", { on: ev.target.checked });
  $("#toggle-auto").onchange = ev => api("POST", "/api/control/auto-reload", { on: ev.target.checked });
  $("#entity-search").oninput = renderEntities;
  $("#entity-list").onmousedown = ev => { const row = ev.target.closest(".entity-row"); if (row) select(Number(row.dataset.id)); };
  $("#log-level").onchange = renderConsole;
  $("#log-script").onchange = renderConsole;
  $("#log-clear").onclick = () => { app.logs = []; renderConsole(); };
  document.querySelectorAll(".tab").forEach(t => t.onclick = () => {
    document.querySelectorAll(".tab").forEach(x => x.classList.toggle("active", x === t));
    document.querySelectorAll(".tab-body").forEach(b => b.classList.toggle("hidden", b.id !== "body-" + t.dataset.tab));
    if (app.snap) drawFrames();
  });
  // Act on mousedown: rows and buttons are re-rendered up to 10 times a second, and a click whose
  // mousedown and mouseup land on different (re-rendered) elements never fires.
  document.addEventListener("mousedown", onPress);
  document.addEventListener("change", onChange);
  document.addEventListener("keydown", ev => {
    if (ev.key === "Enter" && ["state-input", "var-input", "comp-input"].some(c => ev.target.classList.contains(c))) ev.target.blur();
  });
  window.addEventListener("resize", () => app.snap && render());
}

function onPress(ev) {
  if (ev.button !== 0) return;
  const t = ev.target;
  if (t.disabled) return;
  if (t.classList.contains("enable-toggle")) {
    ev.preventDefault();
    api("POST", `/api/instances/${t.dataset.instance}/enabled`, { enabled: !t.checked });
  }
  if (t.classList.contains("reload-btn")) api("POST", `/api/scripts/${encodeURIComponent(t.dataset.script)}/reload`, {});
  if (t.classList.contains("revert-btn")) api("POST", `/api/scripts/${encodeURIComponent(t.dataset.script)}/revert`, {});
  if (t.classList.contains("detach-btn")) api("DELETE", `/api/instances/${t.dataset.instance}`);
  if (t.id === "attach-btn" && app.selected != null) {
    const phase = $("#attach-phase").value;
    api("POST", `/api/entities/${app.selected}/scripts`, { script: $("#attach-script").value, priority: 10, phase: phase || null });
  }
}

// Sends an edited field and shows the refusal beside it (looked up again by its key: the page
// may have re-rendered while the request was in flight).
async function editField(input, path, body) {
  const key = input.dataset.key;
  const res = await api("POST", path, body);
  document.querySelectorAll(`.field-error[data-key="${CSS.escape(key)}"]`).forEach(e => e.remove());
  if (!res.ok) {
    const now = document.querySelector(`input[data-key="${CSS.escape(key)}"]`) || input;
    now.insertAdjacentHTML("afterend", `<span class="field-error" data-key="${esc(key)}">${esc(res.error)}</span>`);
  }
}

async function onChange(ev) {
  const t = ev.target;
  if (t.classList.contains("priority-input")) api("POST", `/api/instances/${t.dataset.instance}/priority`, { priority: Number(t.value) });
  if (t.classList.contains("comp-input") && app.selected != null) {
    editField(t, `/api/entities/${app.selected}/components/${encodeURIComponent(t.dataset.comp)}`, { field: t.dataset.field, value: t.value });
  }
  if (t.classList.contains("var-input") && app.selected != null) {
    editField(t, `/api/entities/${app.selected}/vars`, { key: t.dataset.var, value: t.value });
  }
  if (t.classList.contains("state-input")) {
    editField(t, `/api/instances/${t.dataset.instance}/state`, { field: t.dataset.field, value: t.value });
  }
}

setupEvents();
setupCanvas();
connect();
