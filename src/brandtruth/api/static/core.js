// BrandTruth reviewer page, shared parts: DOM helpers, words for statuses and errors, the API client
// and sign-in. Plain DOM, no build step. Every string from the API goes through textContent or a
// checked attribute (never innerHTML), and links to outside pages must be http(s).
"use strict";

const STEPS = ["extract", "generate", "match", "compose", "score"];
const TERMINAL = new Set(["completed", "failed", "cancelled", "expired", "rejected"]);

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

function extLink(url, text, attrs) {
  const href = safeHref(url);
  return href ? h("a", {href, target: "_blank", rel: "noopener noreferrer", ...attrs}, text || url) : h("span", {}, text || url);
}

function show(el, visible) { el.hidden = !visible; }

function setError(el, message) {
  el.textContent = message || "";
  show(el, Boolean(message));
}

// ------------------------------------------------------------------------- words

// The one place a status becomes words: the list, the run badge, the step tiles and the title agree.
const STATUS_WORDS = {
  started: "Started", running: "Running", awaiting_approval: "Awaiting approval", approved: "Approved",
  completed: "Completed", failed: "Failed", cancelled: "Cancelled", expired: "Expired", rejected: "Rejected",
  unknown: "Unknown", pending: "Pending", skipped: "Skipped", stopped: "Stopped", recommended: "Recommended",
};

function statusLabel(status) {
  if (!status) return "Unknown";
  return STATUS_WORDS[status] || (status.charAt(0).toUpperCase() + status.slice(1)).replace(/_/g, " ");
}

function badge(status, text) {
  return h("span", {class: "badge", "data-status": status}, text || statusLabel(status));
}

// Request fields as the page names them, so an error points at what the person sees.
const FIELD_WORDS = {
  url: "Website address", num_variants: "Number of variants", formats: "Formats", provider: "Copy provider",
  platform: "Platform preset", variant_ids: "Variants", feedback: "Feedback", approver: "Your name",
  reason: "Reason", comment: "Comment", max_pages: "Pages to read",
};

/** Pydantic's message without its machinery ("Value error, ..."), as a sentence. */
function plainMessage(msg) {
  const text = String(msg || "").replace(/^(Value error|Assertion failed|Input should be)\s*,?\s*/i, (m, w) =>
    /^input/i.test(w) ? "Should be " : "");
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : "Invalid value";
}

/** The server's {"detail": ...} as words for people: 422 field lists become "Field: what to do." */
function detailOf(body, status) {
  if (body && typeof body.message === "string" && body.message) return body.message; // the server's own summary
  const d = body && body.detail;
  if (typeof d === "string") return d;
  if (Array.isArray(d)) {
    return d.map((e) => {
      const field = (e.loc || []).filter((p) => typeof p === "string" && p !== "body" && p !== "query").pop();
      const label = field && FIELD_WORDS[field];
      let msg = plainMessage(e.msg);
      // "url must be ..." names the field itself: say it as the form does ("Website address must be ...").
      if (label && msg.toLowerCase().startsWith(`${field.toLowerCase()} `)) msg = label + msg.slice(field.length);
      else if (label) msg = `${label}: ${msg.charAt(0).toLowerCase()}${msg.slice(1)}`;
      return /[.!?]$/.test(msg) ? msg : `${msg}.`;
    }).join(" ");
  }
  return `Request failed (HTTP ${status})`;
}

/** The request fields a 422 names (["url"]), to mark those inputs invalid. */
function invalidFields(body) {
  const d = body && body.detail;
  if (!Array.isArray(d)) return [];
  return d.map((e) => (e.loc || []).filter((p) => typeof p === "string" && p !== "body").pop()).filter(Boolean);
}

function fmtTime(ts) {
  if (!ts) return "";
  const d = new Date(ts);
  return isNaN(d) ? "" : d.toLocaleString();
}

/** "just now", "5 min ago", "3 h ago", "2 days ago", then the date. */
function relTime(ts, now = Date.now()) {
  const t = new Date(ts).getTime();
  if (!ts || isNaN(t)) return "";
  const s = Math.max(0, (now - t) / 1000);
  if (s < 45) return "just now";
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  if (s < 86400 * 14) return `${Math.round(s / 86400)} day${Math.round(s / 86400) === 1 ? "" : "s"} ago`;
  return new Date(t).toLocaleDateString();
}

function fmtMs(ms) {
  if (ms === undefined || ms === null) return "";
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** A running clock: "7 s", "2 min 05 s". */
function fmtElapsed(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
}

// ------------------------------------------------------------------------- access tokens
// When the server has BRANDTRUTH_API_TOKENS set, calls need "Authorization: Bearer <token>"; the
// stream and artifacts (EventSource, <img>) carry a short-lived run token in ?token= instead.
// The token lives in this tab's sessionStorage; other tabs of this browser session get it from a
// tab that has it (BroadcastChannel), so it is asked once, and a sign-out reaches every tab.

const TOKEN_KEY = "brandtruth-token";
const WHO_KEY = "brandtruth-identity";
let bearer = sessionStorage.getItem(TOKEN_KEY) || "";
let identity = sessionStorage.getItem(WHO_KEY) || "";
const authChannel = "BroadcastChannel" in window ? new BroadcastChannel("brandtruth-auth") : null;
let onSignedIn = () => {}; // set by app.js: re-run whatever waited for a token
let onSignedOut = () => {}; // set by app.js: nothing read with the token stays on screen

function askForToken(message) {
  if (!$("auth-form").hidden && $("auth-message").textContent === message) return;
  $("auth-message").textContent = message;
  show($("auth-form"), true);
  show($("session"), false);
  $("auth-token").focus();
}

function setBearer(token) {
  bearer = token;
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
  if (!token) setIdentity("");
}

function setIdentity(who) {
  identity = who || "";
  if (identity) sessionStorage.setItem(WHO_KEY, identity);
  else sessionStorage.removeItem(WHO_KEY);
  renderSession();
}

function renderSession() {
  show($("session"), Boolean(bearer));
  $("session-name").textContent = identity ? `Signed in as ${identity}` : "Signed in";
  if (typeof renderRecordedAs === "function") renderRecordedAs();
}

function signedIn(token) {
  setBearer(token);
  show($("auth-form"), false);
  $("auth-message").textContent = "";
  // Nothing said while signed out stays on screen ("Missing bearer token ...").
  for (const id of ["runs-error", "start-error", "run-error", "decision-error"]) setError($(id), "");
  renderSession();
  refreshIdentity();
  onSignedIn();
}

function onSignIn(event) {
  event.preventDefault();
  const token = $("auth-token").value.trim();
  if (!token) return;
  $("auth-token").value = "";
  signedIn(token);
  if (authChannel) authChannel.postMessage({type: "token", token});
}

function onSignOut() {
  if (authChannel) authChannel.postMessage({type: "sign-out"});
  signOutHere();
}

function signOutHere() {
  setBearer("");
  onSignedOut();
  askForToken("Signed out. Enter an API token to go on.");
}

if (authChannel) {
  authChannel.onmessage = (e) => {
    const m = e.data || {};
    if (m.type === "ask" && bearer) authChannel.postMessage({type: "token", token: bearer, identity});
    else if (m.type === "token" && typeof m.token === "string" && m.token && m.token !== bearer) {
      if (m.identity) setIdentity(m.identity);
      signedIn(m.token);
    } else if (m.type === "sign-out" && bearer) signOutHere();
  };
}

/** Resolves once this tab has a token from another tab, or none answered in a moment (or none is needed). */
const authReady = new Promise((resolve) => {
  if (bearer || !authChannel) return resolve();
  const done = () => {
    authChannel.removeEventListener("message", onAnswer);
    resolve();
  };
  const onAnswer = (e) => { if (e.data && e.data.type === "token") setTimeout(done, 0); };
  authChannel.addEventListener("message", onAnswer);
  authChannel.postMessage({type: "ask"});
  setTimeout(done, 400); // another tab answers within milliseconds; none open means sign in here
});

/** Who the server records decisions as with this tab's token (GET /workflow/whoami), said beside
 * "Sign out"; the page never reads a name out of a token itself. */
async function refreshIdentity() {
  const sentWith = bearer;
  if (!sentWith) return;
  try {
    const me = await api("GET", "/workflow/whoami");
    if (bearer === sentWith) setIdentity((me && me.identity) || "");
  } catch {
    /* a 401 asks for another token (apiFull); otherwise the name stays as last heard */
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
  return (await apiFull(method, path, body)).data;
}

/** api() with the response headers (the run list's next cursor is a header). */
async function apiFull(method, path, body) {
  const opts = {method, headers: {Accept: "application/json"}};
  const sentWith = bearer;
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
  // A 401 for a request sent before this tab got its token (from a sign-in or another tab) is stale.
  if (resp.status === 401 && sentWith === bearer) {
    if (bearer) setBearer("");
    askForToken(sentWith ? "That API token was not accepted; enter another one." :
      "This BrandTruth server needs an API token (ask whoever runs it).");
  }
  if (!resp.ok) {
    const err = new Error(resp.status === 401 ? "Sign in with an API token to go on." : detailOf(data, resp.status));
    err.status = resp.status;
    err.fields = invalidFields(data);
    err.retryAfter = Number(resp.headers.get("Retry-After")) || 0; // 503: Temporal unavailable, retry
    throw err;
  }
  return {data, headers: resp.headers};
}

// ------------------------------------------------------------------------- server features & health

const features = {revise: false, reject: false, listFilter: false, listCounts: false};
const health = {temporalUi: null, namespace: "default"};

let featuresLoaded = null;

/** What this server offers, asked once (the run list and the review wait for it). */
function detectFeatures() {
  featuresLoaded = featuresLoaded || loadFeatures();
  return featuresLoaded;
}

async function loadFeatures() {
  // Revise and reject arrive in a later server version; show their controls only if it lists them.
  try {
    const spec = await api("GET", "/openapi.json");
    const paths = Object.keys((spec && spec.paths) || {});
    features.revise = paths.some((p) => p.startsWith("/workflow/revise/"));
    features.reject = paths.some((p) => p.startsWith("/workflow/reject/"));
    const listParams = (((spec.paths["/workflow/list"] || {}).get || {}).parameters || []).map((p) => p.name);
    features.listFilter = listParams.includes("status") && listParams.includes("cursor");
    features.listCounts = paths.includes("/workflow/list/counts");
  } catch {
    /* keep them hidden */
  }
}

async function checkHealth() {
  let message = null;
  try {
    const hl = await api("GET", "/workflow/health");
    if (hl.status === "degraded") message = hl.message || "Temporal is unreachable; runs use the local engine.";
    const ui = hl.temporal_ui_url || hl.ui_url;
    health.temporalUi = typeof ui === "string" && ui ? safeHref(ui) : null;
    health.namespace = hl.namespace || "default";
  } catch (err) {
    if (err.status !== 401) message = err.message; // signing in is asked for above, not a degraded mode
  }
  $("health-message").textContent = message || "";
  show($("health-banner"), Boolean(message));
}

/** The tab's title says when runs wait for a person: "Review needed (2) · BrandTruth". */
function setReviewCount(n) {
  document.title = n > 0 ? `Review needed (${n}) · BrandTruth` : "BrandTruth";
}

/** "5 min ago" stays true while the page is open: every relative time is said again each minute. */
function tickRelativeTimes() {
  for (const el of document.querySelectorAll("time[data-rel]")) el.textContent = relTime(el.getAttribute("datetime"));
}
