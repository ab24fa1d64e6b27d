// One run: follow it over SSE (reconnecting, each event once), its status, step tiles with live
// timers and sub-step progress, and the event log. The review itself is studio.js.
"use strict";

// What a step's n/N counts, by the progress event's type; any other event with n (or done) and total shows bare.
const SUB_WORDS = {page_fetched: "pages", creative_rendered: "creatives"};

/** State of the run on screen. Replaced whenever another run is opened. */
let run = null;

function newRunState(id) {
  return {id, es: null, lastId: 0, seen: new Set(), terminal: false, status: null, result: null, engine: null,
    retryTimer: null, retries: 0, known: false, rounds: [],
    steps: Object.fromEntries(STEPS.map((s) => [s, {status: "pending"}]))};
}

function openRun(id) {
  closeRun();
  run = newRunState(id);
  $("run-id").textContent = id;
  $("run-url").textContent = "";
  $("run-url").removeAttribute("href");
  $("event-log").replaceChildren();
  $("gallery").replaceChildren();
  show($("review"), false);
  show($("export-link"), false);
  show($("temporal-link"), false);
  setError($("run-error"), "");
  setError($("decision-error"), "");
  // Nothing is shown as the run's state until the server has said something about it: an unknown id
  // shows only its error, and a tab waiting for a token shows no made-up "Started / 0 %".
  show($("run-body"), false);
  show($("log-card"), false);
  const b = $("run-status");
  show(b, true);
  b.textContent = "Loading…";
  b.dataset.status = "";
  show($("cancel-button"), false);
  show($("cancel-reveal"), false);
  renderSteps();
  connect(); // the stream replays the run's whole story from event 1
}

function closeRun() {
  if (!run) return;
  clearTimeout(run.retryTimer);
  if (run.es) run.es.close();
  run = null;
  // Nothing of a closed run stays on screen to be mistaken for the next one's (its log, "finished").
  $("event-log").replaceChildren();
  setConn("idle", "Not connected");
  closeStudio();
}

// Reconnect attempts in a row before the page stops and says so (a 503 while Temporal is down
// waits its Retry-After each time; other failures back off up to 15 s): minutes, not forever.
const MAX_RETRIES = 40;

/** Try the stream again later, or give up for good: 404 (no such run) and 409 (unreadable) are final. */
function retryLater(r, err) {
  if (err && (err.status === 404 || err.status === 409)) {
    setError($("run-error"), err.message); // the error alone: no status, steps or log of a run that is not there
    show($("run-status"), false);
    return setConn("finished", err.status === 404 ? "Not found" : "Unreadable");
  }
  r.retries += 1;
  if (r.retries > MAX_RETRIES) {
    setError($("run-error"), `${err ? err.message + " " : ""}Gave up after ${MAX_RETRIES} tries; reload to try again.`);
    return setConn("failed", "Disconnected");
  }
  const wait = err && err.retryAfter ? err.retryAfter * 1000 : Math.min(1000 * 2 ** r.retries, 15000);
  setConn("reconnecting", err && err.status === 503 ? "Temporal unavailable, retrying…" : "Reconnecting…");
  r.retryTimer = setTimeout(() => run === r && connect(), wait);
}

function setConn(state, text) {
  const el = $("conn-state");
  el.dataset.state = state;
  el.textContent = text;
}

async function connect() {
  const r = run;
  let token = null;
  try {
    token = await runToken(r);
  } catch (err) {
    if (run !== r) return;
    if (err.status === 401) return setConn("idle", "Waiting for sign-in"); // signing in reopens the run
    return retryLater(r, err);
  }
  if (run !== r) return;
  // EventSource resends Last-Event-ID itself on automatic reconnects; a fresh EventSource (after
  // the browser gave up) carries our position in the query string instead.
  const q = r.lastId ? `?last_event_id=${r.lastId}` : "";
  const es = new EventSource(withToken(`/workflow/stream/${encodeURIComponent(r.id)}${q}`, token));
  r.es = es;
  setConn(r.retries ? "reconnecting" : "connecting", r.retries ? "Reconnecting…" : "Connecting…");
  es.onopen = () => {
    if (run !== r) return;
    r.retries = 0;
    setConn("connected", "Connected");
  };
  es.onmessage = (e) => {
    if (run !== r) return;
    let ev;
    try {
      ev = JSON.parse(e.data);
    } catch {
      return;
    }
    onEvent(ev);
  };
  es.onerror = () => {
    if (run !== r || r.terminal) return;
    if (es.readyState === EventSource.CONNECTING) {
      setConn("reconnecting", "Reconnecting…");
      return;
    }
    // The browser gave up (HTTP error or 204): see whether the run ended, else retry ourselves.
    es.close();
    setConn("reconnecting", "Reconnecting…");
    api("GET", `/workflow/progress/${encodeURIComponent(r.id)}`).then((p) => {
      if (run !== r) return;
      r.engine = p.engine;
      if (TERMINAL.has(p.status) && p.last_event_id <= r.lastId) return finish(p.status);
      retryLater(r, null);
    }).catch((err) => {
      if (run !== r) return;
      retryLater(r, err);
    });
  };
}

function onEvent(ev) {
  const r = run;
  // Ids only grow; anything at or below what we have is a replay after a reconnect.
  if (typeof ev.id !== "number" || ev.id <= r.lastId || r.seen.has(ev.id)) return;
  r.seen.add(ev.id);
  r.lastId = ev.id;
  if (!r.known) {
    r.known = true;
    show($("run-body"), true);
    show($("log-card"), true);
    loadEngine(r);
  }
  appendLog(ev);
  const data = ev.data || {};
  const at = ev.timestamp ? new Date(ev.timestamp).getTime() : Date.now();
  if (ev.type === "run_started" && data.url) setRunUrl(data.url);
  if (ev.type === "step_started" && r.steps[data.step]) {
    // A completed step that starts again is a revision round; a running/failed one is a retry.
    const s = r.steps[data.step];
    if (s.status === "completed") s.reruns = (s.reruns || 0) + 1;
    else if (s.status !== "pending") s.retries = (s.retries || 0) + 1;
    Object.assign(s, {status: "running", duration_ms: undefined, startedAt: at, sub: null});
  }
  if (ev.type === "step_retrying" && r.steps[data.step]) {
    r.steps[data.step].retries = Math.max(r.steps[data.step].retries || 0, data.attempt - 1);
  }
  if (ev.type === "step_completed" && r.steps[data.step]) {
    const s = r.steps[data.step];
    s.total_ms = (s.total_ms || 0) + (data.duration_ms || 0); // every round's time, not only the last
    Object.assign(s, {status: "completed", duration_ms: data.duration_ms, message: ev.message, sub: null});
  }
  // Sub-step progress (pages fetched n/N, creatives rendered n/N): any event whose data counts.
  const step = data.step || ev.current_step;
  const done = Number.isFinite(data.done) ? data.done : data.n;
  if (Number.isFinite(done) && Number.isFinite(data.total) && data.total > 0 && r.steps[step] &&
      r.steps[step].status === "running") {
    r.steps[step].sub = {done: Math.min(done, data.total), total: data.total, label: data.label || SUB_WORDS[ev.type] || ""};
  }
  if (ev.type === "awaiting_approval" && Array.isArray(data.variants)) r.rounds.push({round: data.round || 0, variants: data.variants});
  if (TERMINAL.has(ev.type) || TERMINAL.has(ev.status)) settleSteps(ev.type === "failed" ? (data.step || ev.current_step) : null, ev.status);
  renderSteps();
  renderStatus(ev.status, ev.percent, ev.current_step, ev.message);
  if (ev.type === "failed") setError($("run-error"), ev.message);
  if (["awaiting_approval", "approved", "revised", "exported"].includes(ev.type)) loadResult();
  if (TERMINAL.has(ev.type) || TERMINAL.has(ev.status)) finish(ev.status);
}

/** A run that ended leaves no step "running": the failed step failed, the others stopped where they were. */
function settleSteps(failedStep, status) {
  for (const [name, s] of Object.entries(run.steps)) {
    if (name === failedStep) s.status = "failed";
    else if (s.status === "running") s.status = status === "cancelled" ? "cancelled" : "stopped";
    if (s.status !== "running") s.sub = null;
  }
}

function setRunUrl(url) {
  $("run-url").textContent = url;
  const href = safeHref(url);
  if (href) $("run-url").href = href;
}

/** Which engine runs this, for the Temporal UI link (the server says where its UI is, if it has one). */
async function loadEngine(r) {
  try {
    const p = await api("GET", `/workflow/progress/${encodeURIComponent(r.id)}`);
    if (run !== r) return;
    r.engine = p.engine;
    renderTemporalLink();
  } catch {
    /* the stream is what matters; no link */
  }
}

function renderTemporalLink() {
  const link = $("temporal-link");
  const fromResult = run && run.result && run.result.temporal_ui_url ? safeHref(run.result.temporal_ui_url) : null;
  const ok = run && run.engine === "temporal" && (fromResult || health.temporalUi);
  if (ok) {
    link.href = fromResult ||
      `${health.temporalUi.replace(/\/$/, "")}/namespaces/${encodeURIComponent(health.namespace)}/workflows/${encodeURIComponent(run.id)}`;
  }
  show(link, Boolean(ok));
}

function finish(status) {
  const r = run;
  r.terminal = true;
  if (r.es) r.es.close();
  clearTimeout(r.retryTimer);
  if (!r.known) { // a finished run whose events were all delivered before: show its state anyway
    r.known = true;
    show($("run-body"), true);
    show($("log-card"), true);
  }
  settleSteps(null, status);
  renderSteps();
  setConn("finished", "Finished");
  renderStatus(status, null, null);
  loadResult();
}

function renderStatus(status, percent, step, message) {
  const r = run;
  r.status = status;
  const b = $("run-status");
  b.textContent = statusLabel(status);
  b.dataset.status = status;
  if (percent !== null && percent !== undefined) $("run-progress").value = percent;
  const pct = $("run-progress").value;
  const where = step ? ` — ${step}` : "";
  $("progress-text").textContent = `${pct}%${where} · ${message || statusLabel(status)}`;
  renderCancel();
}

/** Cancel stays out of the way of a pending review (Reject says no to it); "Cancel run…" reveals it. */
function renderCancel() {
  const r = run;
  const cancellable = r && r.known && !TERMINAL.has(r.status) && r.status !== "approved"; // an approval is final: 409
  const reviewing = r && r.status === "awaiting_approval";
  show($("cancel-button"), Boolean(cancellable && (!reviewing || r.cancelAsked)));
  show($("cancel-reveal"), Boolean(cancellable && reviewing && !r.cancelAsked));
}

function renderSteps() {
  $("steps").replaceChildren(...STEPS.map((name) => {
    const s = run.steps[name];
    const extra = [];
    if (s.status === "running" && s.startedAt) extra.push(h("span", {class: "elapsed", "data-since": s.startedAt}, fmtElapsed(Date.now() - s.startedAt)));
    else if (s.duration_ms !== undefined) extra.push(fmtMs(s.duration_ms));
    if (s.reruns) extra.push(`revision round ${s.reruns}`);
    if (s.reruns && s.total_ms) extra.push(`${fmtMs(s.total_ms)} in all rounds`);
    if (s.retries) extra.push(`retry ${s.retries}`);
    const sub = s.sub ? h("span", {class: "step-sub"},
      h("progress", {max: s.sub.total, value: s.sub.done, "aria-label": `${name}: ${s.sub.done} of ${s.sub.total}`}),
      h("span", {class: "small"}, `${s.sub.done}/${s.sub.total}${s.sub.label ? ` ${s.sub.label}` : ""}`)) : null;
    return h("li", {"data-step": name, "data-status": s.status, title: s.message || null},
      h("span", {class: "step-name"}, name.charAt(0).toUpperCase() + name.slice(1)),
      h("span", {class: "step-status"}, statusLabel(s.status)),
      h("span", {class: "step-time"}, ...extra.flatMap((x, i) => (i ? [" · ", x] : [x]))),
      sub);
  }));
}

/** The running step's clock ticks once a second (one text node, no re-render). */
function tickTimers() {
  for (const el of document.querySelectorAll("#steps .elapsed")) {
    el.textContent = fmtElapsed(Date.now() - Number(el.dataset.since));
  }
}

function appendLog(ev) {
  const log = $("event-log");
  log.append(h("li", {"data-event-id": ev.id, "data-type": ev.type},
    h("time", {class: "muted small"}, ev.timestamp ? new Date(ev.timestamp).toLocaleTimeString() : ""),
    " ", h("span", {class: "ev-type"}, ev.type),
    " ", h("span", {}, ev.message || "")));
  const box = $("log-box");
  box.scrollTop = box.scrollHeight;
}

async function onCancel() {
  const r = run;
  if (!r || !confirm("Cancel this run?")) return;
  try {
    await api("POST", `/workflow/cancel/${encodeURIComponent(r.id)}`);
  } catch (err) {
    setError($("run-error"), err.message);
  }
}

function initRun() {
  $("cancel-button").addEventListener("click", onCancel);
  $("cancel-reveal").addEventListener("click", () => {
    if (!run) return;
    run.cancelAsked = true;
    renderCancel();
    $("cancel-button").focus();
  });
  setInterval(tickTimers, 1000);
}
