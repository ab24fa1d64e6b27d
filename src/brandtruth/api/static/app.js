// BrandTruth reviewer page: start runs, follow them over SSE, review and approve variants.
// Plain DOM, no build step. Every string from the API goes through textContent or a checked
// attribute (never innerHTML), and links to outside pages must be http(s).
"use strict";

const STEPS = ["extract", "generate", "match", "compose", "score"];
const TERMINAL = new Set(["completed", "failed", "cancelled", "expired", "rejected"]);
const RUNS_PAGE = 10;

const $ = (id) => document.getElementById(id);

/** Build an element: h("a", {href: x, class: "y"}, "text", child). Children are text or nodes. */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "dataset") Object.assign(el.dataset, v);
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** Only http(s) URLs become links; anything else (javascript:, data:) is shown as text. */
function safeHref(url) {
  try {
    const u = new URL(url, location.href);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch {
    return null;
  }
}

function extLink(url, text) {
  const href = safeHref(url);
  return href ? h("a", {href, target: "_blank", rel: "noopener noreferrer"}, text || url) : h("span", {}, text || url);
}

function show(el, visible) { el.hidden = !visible; }

function setError(el, message) {
  el.textContent = message || "";
  show(el, Boolean(message));
}

/** The server's {"detail": ...} as one readable line (422 details are lists of field errors). */
function detailOf(body, status) {
  const d = body && body.detail;
  if (typeof d === "string") return d;
  if (Array.isArray(d)) return d.map((e) => `${(e.loc || []).slice(1).join(".") || "request"}: ${e.msg}`).join("; ");
  return `Request failed (HTTP ${status})`;
}

// ------------------------------------------------------------------------- access tokens
// When the server has BRANDTRUTH_API_TOKENS set, calls need "Authorization: Bearer <token>"; the
// stream and artifacts (EventSource, <img>) carry a short-lived run token in ?token= instead.

const TOKEN_KEY = "brandtruth-token";
let bearer = sessionStorage.getItem(TOKEN_KEY) || "";

function askForToken(message) {
  $("auth-message").textContent = message;
  show($("auth-form"), true);
  $("auth-token").focus();
}

function onSignIn(event) {
  event.preventDefault();
  bearer = $("auth-token").value.trim();
  sessionStorage.setItem(TOKEN_KEY, bearer);
  $("auth-token").value = "";
  show($("auth-form"), false);
  if (run) {
    const id = run.id;
    closeRun();
    openRun(id);
  } else {
    route();
  }
}

/** A run token for `?token=` (null when the API is open); cached until shortly before it expires. */
async function runToken(r) {
  if (!bearer) return null;
  if (r.token && Date.now() < r.tokenExpires) return r.token;
  const t = await api("POST", `/workflow/token/${encodeURIComponent(r.id)}`);
  r.token = t.auth_enabled === false ? null : t.token;
  r.tokenExpires = Date.now() + Math.max(0, (t.expires_in - 60) * 1000);
  return r.token;
}

function withToken(url, token) {
  return token ? `${url}${url.includes("?") ? "&" : "?"}token=${encodeURIComponent(token)}` : url;
}

async function api(method, path, body) {
  const opts = {method, headers: {Accept: "application/json"}};
  if (bearer) opts.headers.Authorization = `Bearer ${bearer}`;
  if (body !== undefined) {
    opts.headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(body);
  }
  let resp;
  try {
    resp = await fetch(path, opts);
  } catch (err) {
    throw new Error(`Cannot reach the BrandTruth server (${err.message}). Check that it is running.`);
  }
  const data = resp.status === 204 ? null : await resp.json().catch(() => null);
  if (resp.status === 401) askForToken(bearer ? "That API token was not accepted; enter another one." :
    "This BrandTruth server needs an API token (ask whoever runs it).");
  if (!resp.ok) {
    const err = new Error(detailOf(data, resp.status));
    err.status = resp.status;
    err.retryAfter = Number(resp.headers.get("Retry-After")) || 0; // 503: Temporal unavailable, retry
    throw err;
  }
  return data;
}

function artifactUrl(runId, key) {
  if (!key) return null;
  const name = key.startsWith(runId + "/") ? key.slice(runId.length + 1) : key;
  const url = `/workflow/artifacts/${encodeURIComponent(runId)}/${name.split("/").map(encodeURIComponent).join("/")}`;
  return withToken(url, run && run.id === runId ? run.artifactToken : null);
}

function fmtTime(ts) {
  if (!ts) return "";
  const d = new Date(ts);
  return isNaN(d) ? "" : d.toLocaleString();
}

function fmtMs(ms) {
  if (ms === undefined || ms === null) return "";
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

// ------------------------------------------------------------------------- server features

const features = {revise: false, reject: false};

async function detectFeatures() {
  // Revise and reject arrive in a later server version; show their controls only if it lists them.
  try {
    const spec = await api("GET", "/openapi.json");
    const paths = Object.keys((spec && spec.paths) || {});
    features.revise = paths.some((p) => p.startsWith("/workflow/revise/"));
    features.reject = paths.some((p) => p.startsWith("/workflow/reject/"));
  } catch {
    /* keep them hidden */
  }
}

// ------------------------------------------------------------------------- health banner

async function checkHealth() {
  let message = null;
  try {
    const health = await api("GET", "/workflow/health");
    if (health.status === "degraded") {
      message = health.message || "Temporal is unreachable; runs use the local engine.";
    }
  } catch (err) {
    message = err.message;
  }
  $("health-message").textContent = message || "";
  show($("health-banner"), Boolean(message));
}

// ------------------------------------------------------------------------- start form & runs list

async function onStart(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const errorEl = $("start-error");
  setError(errorEl, "");
  const url = form.url.value.trim();
  const formats = [...form.querySelectorAll('input[name="formats"]:checked')].map((c) => c.value);
  const n = Number(form.num_variants.value);
  if (!url) return setError(errorEl, "Enter the brand's website address, e.g. https://example.com."), form.url.focus();
  if (!Number.isInteger(n) || n < 1 || n > 10) {
    setError(errorEl, "Number of variants must be a whole number from 1 to 10.");
    return form.num_variants.focus();
  }
  if (!formats.length) return setError(errorEl, "Pick at least one format.");
  const body = {url, num_variants: n, formats, platform: form.platform.value};
  if (form.provider.value) body.provider = form.provider.value;
  const button = $("start-button");
  button.disabled = true;
  try {
    const started = await api("POST", "/workflow/start", body);
    location.hash = `#/run/${encodeURIComponent(started.workflow_id)}`;
  } catch (err) {
    setError(errorEl, err.message);
  } finally {
    button.disabled = false;
  }
}

let runsOffset = 0;

async function loadRuns() {
  const list = $("runs-list");
  setError($("runs-error"), "");
  let runs;
  try {
    runs = await api("GET", `/workflow/list?limit=${RUNS_PAGE}&offset=${runsOffset}`);
  } catch (err) {
    return setError($("runs-error"), err.message);
  }
  list.replaceChildren(...runs.map((r) => h("li", {},
    h("a", {href: `#/run/${encodeURIComponent(r.workflow_id)}`}, h("code", {}, r.workflow_id)),
    " ", h("span", {class: "badge", "data-status": r.status}, r.status),
    " ", h("span", {class: "muted small"}, r.engine),
    h("div", {class: "run-line"}, h("span", {class: "url"}, r.url), " ", h("time", {class: "muted small"}, fmtTime(r.created_at))),
  )));
  show($("runs-empty"), runs.length === 0 && runsOffset === 0);
  $("runs-prev").disabled = runsOffset === 0;
  $("runs-next").disabled = runs.length < RUNS_PAGE;
  $("runs-page").textContent = runs.length ? `Runs ${runsOffset + 1}–${runsOffset + runs.length}` : "";
}

// ------------------------------------------------------------------------- the run view

/** State of the run on screen. Replaced whenever another run is opened. */
let run = null;

function newRunState(id) {
  return {id, es: null, lastId: 0, seen: new Set(), terminal: false, status: null, result: null,
    retryTimer: null, retries: 0, steps: Object.fromEntries(STEPS.map((s) => [s, {status: "pending"}]))};
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
  setError($("run-error"), "");
  setError($("decision-error"), "");
  renderStatus("started", 0, null);
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
}

// Reconnect attempts in a row before the page stops and says so (a 503 while Temporal is down
// waits its Retry-After each time; other failures back off up to 15 s): minutes, not forever.
const MAX_RETRIES = 40;

/** Try the stream again later, or give up for good: 404 (no such run) and 409 (unreadable) are final. */
function retryLater(r, err) {
  if (err && (err.status === 404 || err.status === 409)) {
    setError($("run-error"), err.message);
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
    setConn("reconnecting", "Reconnecting…");
    if (err.status === 401) return; // waiting for the reviewer to sign in
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
  appendLog(ev);
  const data = ev.data || {};
  if (ev.type === "run_started" && data.url) {
    $("run-url").textContent = data.url;
    const href = safeHref(data.url);
    if (href) $("run-url").href = href;
  }
  if (ev.type === "step_started" && r.steps[data.step]) {
    // A completed step that starts again is a revision round; a running/failed one is a retry.
    const s = r.steps[data.step];
    if (s.status === "completed") s.reruns = (s.reruns || 0) + 1;
    else if (s.status !== "pending") s.retries = (s.retries || 0) + 1;
    Object.assign(s, {status: "running", duration_ms: undefined});
  }
  if (ev.type === "step_retrying" && r.steps[data.step]) {
    r.steps[data.step].retries = Math.max(r.steps[data.step].retries || 0, data.attempt - 1);
  }
  if (ev.type === "step_completed" && r.steps[data.step]) {
    Object.assign(r.steps[data.step], {status: "completed", duration_ms: data.duration_ms, message: ev.message});
  }
  const failedStep = ev.type === "failed" ? (data.step || ev.current_step) : null;
  if (failedStep && r.steps[failedStep]) r.steps[failedStep].status = "failed";
  renderSteps();
  renderStatus(ev.status, ev.percent, ev.current_step, ev.message);
  if (ev.type === "failed") setError($("run-error"), ev.message);
  if (["awaiting_approval", "approved", "revised", "exported"].includes(ev.type)) loadResult();
  if (TERMINAL.has(ev.type) || TERMINAL.has(ev.status)) finish(ev.status);
}

function finish(status) {
  const r = run;
  r.terminal = true;
  if (r.es) r.es.close();
  clearTimeout(r.retryTimer);
  setConn("finished", "Finished");
  renderStatus(status, null, null);
  loadResult();
}

function renderStatus(status, percent, step, message) {
  const r = run;
  r.status = status;
  const badge = $("run-status");
  badge.textContent = status.replace(/_/g, " ");
  badge.dataset.status = status;
  if (percent !== null && percent !== undefined) $("run-progress").value = percent;
  const pct = $("run-progress").value;
  const where = step ? ` — ${step}` : "";
  $("progress-text").textContent = `${pct}%${where}${message ? ` · ${message}` : ` · ${status.replace(/_/g, " ")}`}`;
  show($("cancel-button"), !TERMINAL.has(status) && status !== "approved"); // an approval is final: 409
}

function renderSteps() {
  $("steps").replaceChildren(...STEPS.map((name) => {
    const s = run.steps[name];
    const extra = [];
    if (s.duration_ms !== undefined) extra.push(fmtMs(s.duration_ms));
    if (s.reruns) extra.push(`revision round ${s.reruns}`);
    if (s.retries) extra.push(`retry ${s.retries}`);
    return h("li", {"data-step": name, "data-status": s.status, title: s.message || null},
      h("span", {class: "step-name"}, name),
      h("span", {class: "step-status"}, s.status),
      h("span", {class: "step-time"}, extra.join(" · ")));
  }));
}

function appendLog(ev) {
  const log = $("event-log");
  log.append(h("li", {"data-event-id": ev.id, "data-type": ev.type},
    h("time", {class: "muted small"}, ev.timestamp ? new Date(ev.timestamp).toLocaleTimeString() : ""),
    " ", h("span", {class: "ev-type"}, ev.type),
    " ", h("span", {}, ev.message || "")));
  log.scrollTop = log.scrollHeight;
}

// ------------------------------------------------------------------------- gallery & decisions

let resultSeq = 0;

async function loadResult() {
  const r = run;
  const seq = ++resultSeq;
  let result;
  try {
    result = await api("GET", `/workflow/result/${encodeURIComponent(r.id)}`);
    r.artifactToken = await runToken(r);
  } catch (err) {
    return setError($("run-error"), err.message);
  }
  if (run !== r || seq !== resultSeq) return; // a newer load or another run took over
  r.result = result;
  renderResult(result);
}

function renderResult(result) {
  if (result.error) setError($("run-error"), result.error);
  if (result.request && result.request.url && !$("run-url").textContent) {
    $("run-url").textContent = result.request.url;
    const href = safeHref(result.request.url);
    if (href) $("run-url").href = href;
  }
  const exportHref = result.export_url ? safeHref(withToken(result.export_url, run.artifactToken)) : null;
  if (exportHref) $("export-link").href = exportHref;
  show($("export-link"), Boolean(exportHref));

  show($("review"), result.variants.length > 0);
  const awaiting = result.status === "awaiting_approval";
  const previous = new Set([...document.querySelectorAll(".select-variant:checked")].map((c) => c.value));
  $("gallery").replaceChildren(...result.variants.map((v) => variantCard(result, v, awaiting, previous)));

  show($("decision-form"), awaiting);
  show($("revise-box"), awaiting && features.revise);
  show($("reject-box"), awaiting && features.reject);
  updateSelection();

  // The latest decision up top (a revision is not final, so it lives only in the history).
  const history = result.decisions || [];
  const latest = result.decision || history[history.length - 1];
  const summary = $("decision-summary");
  summary.textContent = latest ? describeDecision(latest) : "";
  summary.dataset.kind = latest ? latest.kind : "";
  show(summary, Boolean(latest));
  $("decision-history").replaceChildren(...history.map((x) => h("li", {},
    h("time", {class: "muted small"}, fmtTime(x.at)), " ", describeDecision(x))));
  show($("history-box"), history.length > 1);
}

const DECISION_WORDS = {approve: "Approved", revise: "Revision requested", reject: "Rejected"};

function describeDecision(d) {
  const who = d.approver ? ` by ${d.approver}` : "";
  const ids = d.variant_ids && d.variant_ids.length ? `: ${d.variant_ids.join(", ")}` : "";
  return `${DECISION_WORDS[d.kind] || d.kind}${who}${ids}` + (d.comment ? ` — “${d.comment}”` : "");
}

function variantCard(result, vr, selectable, previous) {
  const v = vr.variant;
  const score = vr.score;
  const cbId = `select-${v.id}`;
  const head = h("div", {class: "variant-head"},
    h("h3", {id: `${cbId}-h`}, v.id.toUpperCase(), v.revision > 1 ? h("span", {class: "muted small"}, ` revision ${v.revision}`) : null),
    score && score.recommended ? h("span", {class: "badge", "data-status": "recommended"}, "recommended") : null,
    vr.approved ? h("span", {class: "badge", "data-status": "completed"}, "approved") : null,
    score ? h("span", {class: "score", title: "Predicted performance, 0–100"}, `${Math.round(score.score)}`,
      h("span", {class: "small"}, "/100")) : null);

  const select = selectable ? h("label", {class: "check select"},
    h("input", {type: "checkbox", id: cbId, class: "select-variant", value: v.id, checked: previous.has(v.id),
      onchange: updateSelection}),
    ` Select ${v.id}`) : null;

  const copy = h("dl", {class: "copy"},
    h("dt", {}, "Headline"), h("dd", {class: "headline"}, v.headline),
    h("dt", {}, "Body"), h("dd", {}, v.body),
    h("dt", {}, "CTA"), h("dd", {}, h("span", {class: "cta"}, v.cta)),
    v.angle ? [h("dt", {}, "Angle"), h("dd", {}, v.angle.replace(/_/g, " "))] : null);

  const faults = lintFaults(v, score);

  const creatives = h("div", {class: "creatives"}, ...vr.creatives.map((c) => creativeFigure(result.workflow_id, v, c)));

  const matches = vr.matches.length ? h("details", {class: "why-image"},
    h("summary", {}, "Chosen image and why"),
    h("ul", {}, ...vr.matches.map((m) => h("li", {},
      h("strong", {}, `${m.format}: `),
      m.image ? extLink(m.image.url, m.image.alt || m.image.url) : h("span", {}, "brand background"),
      m.reason ? h("span", {class: "muted"}, ` — ${m.reason}`) : null)))) : null;

  const evidence = h("details", {class: "evidence", open: true},
    h("summary", {}, `Truth evidence (${vr.evidence.length})`),
    vr.evidence.length ? h("ul", {}, ...vr.evidence.map((f) => h("li", {},
      h("span", {class: "fact"}, f.text),
      f.evidence && f.evidence !== f.text ? h("blockquote", {}, f.evidence) : null,
      h("span", {class: "small"}, "Source: ", extLink(f.source_url))))) :
      h("p", {class: "muted"}, "No claims needing evidence."),
    v.truth && v.truth.unsupported.length ? h("p", {class: "error"}, `Unsupported: ${v.truth.unsupported.join("; ")}`) : null);

  const breakdown = score && score.components.length ? h("details", {class: "breakdown"},
    h("summary", {}, "Score breakdown"),
    h("table", {},
      h("thead", {}, h("tr", {}, h("th", {scope: "col"}, "Component"), h("th", {scope: "col"}, "Points"),
        h("th", {scope: "col"}, "Why"))),
      h("tbody", {}, ...score.components.map((c) => h("tr", {},
        h("th", {scope: "row"}, c.name.replace(/_/g, " ")),
        h("td", {}, `${c.points.toFixed(1)} / ${c.weight.toFixed(1)}`),
        h("td", {}, c.reason)))))) : null;

  // An LLM's review, when a provider is configured; it never changes the score above.
  const critique = score && score.critique ? h("p", {class: "critique"},
    h("strong", {}, "Critique: "), score.critique) : null;

  return h("article", {class: `variant${vr.approved ? " approved" : ""}`, "data-variant": v.id, "aria-labelledby": `${cbId}-h`},
    head, select, copy, faults, creatives, breakdown, critique, evidence, matches);
}

/** Copy-lint faults beside the copy (pipeline/lint.py): what a marketer would not run, quoting the text. */
function lintFaults(v, score) {
  const faults = v.lint || [];
  const penalty = score ? score.components.find((c) => c.name === "copy_lint" && c.points < 0) : null;
  if (!faults.length && !penalty) return null;
  return h("div", {class: "lint-faults", role: "note"},
    h("strong", {}, faults.length ? `Copy faults (${faults.length})` : "Copy faults"),
    faults.length ? h("ul", {}, ...faults.map((f) => h("li", {"data-code": f.code},
      h("span", {class: "fault-code"}, f.code.replace(/_/g, " ")), f.field ? ` in ${f.field}: ` : ": ",
      h("q", {}, f.text || ""), f.message ? h("span", {class: "muted small"}, ` — ${f.message}`) : null))) :
      h("p", {class: "small"}, penalty.reason));
}

function creativeFigure(runId, v, c) {
  const full = artifactUrl(runId, c.key);
  const thumb = artifactUrl(runId, c.thumb_key || c.jpeg_key || c.key);
  const label = `${v.id} ${c.format} ${c.width}×${c.height}`;
  const button = h("button", {type: "button", class: "thumb", "aria-label": `Open ${label} full size`,
    onclick: () => openLightbox(label, full)},
    h("img", {src: thumb, alt: `${c.format} creative: ${v.headline}`, loading: "lazy",
      width: c.width, height: c.height}));
  return h("figure", {"data-format": c.format}, button, h("figcaption", {class: "small"}, `${c.format} · ${c.width}×${c.height}`));
}

function openLightbox(title, src) {
  $("lightbox-title").textContent = title;
  $("lightbox-img").src = src;
  $("lightbox-img").alt = title;
  $("lightbox-open").href = src;
  $("lightbox").showModal();
}

function selectedIds() {
  return [...document.querySelectorAll(".select-variant:checked")].map((c) => c.value);
}

function updateSelection() {
  const ids = selectedIds();
  $("selection-count").textContent = ids.length ? `Selected: ${ids.join(", ")}` : "No variants selected.";
  $("approve-button").disabled = ids.length === 0;
  $("revise-button").disabled = ids.length === 0;
}

/** POST a decision; true when the server accepted it (errors are shown next to the buttons). */
async function decide(path, body, button) {
  const r = run;
  setError($("decision-error"), "");
  button.disabled = true;
  try {
    await api("POST", `/workflow/${path}/${encodeURIComponent(r.id)}`, body);
    if (run === r) loadResult();
    return true;
  } catch (err) {
    setError($("decision-error"), err.message);
    return false;
  } finally {
    button.disabled = false;
    updateSelection();
  }
}

function onApprove(event) {
  event.preventDefault();
  const ids = selectedIds();
  if (!ids.length) return setError($("decision-error"), "Select at least one variant to approve.");
  decide("approve", withApprover({variant_ids: ids}), $("approve-button"));
}

function withApprover(body) {
  const approver = $("approver").value.trim();
  if (approver) body.approver = approver;
  return body;
}

function onRevise() {
  const ids = selectedIds();
  const feedback = $("revise-feedback").value.trim();
  if (!ids.length || !feedback) return setError($("decision-error"), "Select variants and write what to change.");
  decide("revise", withApprover({variant_ids: ids, feedback}), $("revise-button")).then((ok) => {
    if (ok) $("revise-feedback").value = "";
  });
}

function onReject() {
  const reason = $("reject-reason").value.trim();
  if (!confirm("Reject every variant and end this run?")) return;
  decide("reject", withApprover(reason ? {reason} : {}), $("reject-button"));
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

// ------------------------------------------------------------------------- routing

function route() {
  const m = location.hash.match(/^#\/run\/([^/?#]+)/);
  const onRun = Boolean(m);
  show($("home-view"), !onRun);
  show($("run-view"), onRun);
  if (onRun) {
    const id = decodeURIComponent(m[1]);
    if (!run || run.id !== id) {
      openRun(id);
      $("run-title").focus();
    }
  } else {
    closeRun();
    loadRuns();
    if (location.hash === "#/#runs") $("runs").scrollIntoView();
  }
}

function init() {
  $("start-form").addEventListener("submit", onStart);
  $("auth-form").addEventListener("submit", onSignIn);
  $("runs-refresh").addEventListener("click", loadRuns);
  $("runs-prev").addEventListener("click", () => { runsOffset = Math.max(0, runsOffset - RUNS_PAGE); loadRuns(); });
  $("runs-next").addEventListener("click", () => { runsOffset += RUNS_PAGE; loadRuns(); });
  $("decision-form").addEventListener("submit", onApprove);
  $("revise-button").addEventListener("click", onRevise);
  $("reject-button").addEventListener("click", onReject);
  $("cancel-button").addEventListener("click", onCancel);
  $("lightbox-close").addEventListener("click", () => $("lightbox").close());
  $("lightbox").addEventListener("click", (e) => { if (e.target === $("lightbox")) $("lightbox").close(); });
  window.addEventListener("hashchange", route);
  checkHealth();
  setInterval(checkHealth, 30000);
  detectFeatures().then(() => run && run.result && renderResult(run.result));
  route();
}

document.addEventListener("DOMContentLoaded", init);
