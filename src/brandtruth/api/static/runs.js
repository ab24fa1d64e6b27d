// The home view: start a run, and the run list (status filter with counts, search, paging, re-run).
"use strict";

const RUNS_PAGE = 10;
// Needs review first: the filter people reach for; then the order of a run's life.
const FILTERS = ["awaiting_approval", "started", "running", "approved", "completed", "failed", "cancelled", "rejected", "expired", "unknown"];
// Passing or rare statuses get a chip only while some run is in them.
const SOMETIMES = new Set(["started", "approved", "unknown"]);
const FILTER_WORDS = {awaiting_approval: "Needs review"};
const RERUNNABLE = new Set(["failed", "cancelled", "rejected", "expired"]);

/** The request body of the start form; null (and an error on screen) when it is not valid. */
function startBody(form) {
  const errorEl = $("start-error");
  const url = form.url.value.trim();
  const formats = [...form.querySelectorAll('input[name="formats"]:checked')].map((c) => c.value);
  const n = Number(form.num_variants.value);
  markInvalid([]);
  if (!url) {
    markInvalid(["url"]);
    setError(errorEl, "Enter the brand's website address, e.g. https://example.com.");
    form.url.focus();
    return null;
  }
  if (!Number.isInteger(n) || n < 1 || n > 10) {
    markInvalid(["num_variants"]);
    setError(errorEl, "Number of variants must be a whole number from 1 to 10.");
    form.num_variants.focus();
    return null;
  }
  if (!formats.length) {
    setError(errorEl, "Pick at least one format.");
    return null;
  }
  const body = {url, num_variants: n, formats, platform: form.platform.value};
  if (form.provider.value) body.provider = form.provider.value;
  return body;
}

/** aria-invalid on the inputs a check or the server named; the message is the form's alert. */
function markInvalid(fields) {
  for (const [name, id] of [["url", "start-url"], ["num_variants", "start-variants"]]) {
    const input = $(id);
    if (fields.includes(name)) {
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", `${id}-hint start-error`);
    } else {
      input.removeAttribute("aria-invalid");
      input.setAttribute("aria-describedby", `${id}-hint`);
    }
  }
}

async function onStart(event) {
  event.preventDefault();
  const form = event.currentTarget;
  setError($("start-error"), "");
  const body = startBody(form);
  if (!body) return;
  const button = $("start-button");
  button.disabled = true;
  try {
    const started = await api("POST", "/workflow/start", body);
    location.hash = `#/run/${encodeURIComponent(started.workflow_id)}`;
  } catch (err) {
    markInvalid(err.fields || []);
    setError($("start-error"), err.message);
    if ((err.fields || []).includes("url")) form.url.focus();
  } finally {
    button.disabled = false;
  }
}

// ------------------------------------------------------------------------- the list

const list = {status: "", q: "", cursor: null, cursors: [], offset: 0, seq: 0, counts: null, details: new Map()};

/** GET /workflow/list with the filter. A server without filters (no status/cursor parameters in its
 * OpenAPI) answers its newest runs by offset; the page then filters what it got. */
async function fetchRuns(params) {
  await detectFeatures();
  const q = new URLSearchParams({limit: String(params.limit || RUNS_PAGE)});
  if (features.listFilter) {
    if (params.status) q.set("status", params.status);
    if (params.q) q.set("q", params.q);
    if (params.cursor) q.set("cursor", params.cursor);
  } else if (params.offset) q.set("offset", String(params.offset));
  const {data, headers} = await apiFull("GET", `/workflow/list?${q}`);
  const runs = Array.isArray(data) ? data : data.runs || [];
  if (!features.listFilter) return {runs, filtered: false, next: undefined};
  return {runs, filtered: true, next: headers.get("X-Next-Cursor") || null, incomplete: headers.get("X-Runs-Incomplete")};
}

/** Runs per status across every page (null when the server cannot count). */
async function fetchCounts(q) {
  if (!features.listCounts) return null;
  try {
    return (await api("GET", `/workflow/list/counts${q ? `?q=${encodeURIComponent(q)}` : ""}`)).counts || null;
  } catch {
    return null;
  }
}

function matchesQuery(r, q) {
  if (!q) return true;
  const hay = `${r.brand_name || r.brand || ""} ${r.url || ""} ${r.workflow_id}`.toLowerCase();
  return hay.includes(q.toLowerCase());
}

async function loadRuns() {
  const seq = ++list.seq;
  setError($("runs-error"), "");
  let page, counts;
  try {
    [page, counts] = await Promise.all([
      fetchRuns({status: list.status, q: list.q, cursor: list.cursor, offset: list.offset}),
      detectFeatures().then(() => fetchCounts(list.q)),
    ]);
  } catch (err) {
    if (seq === list.seq) setError($("runs-error"), err.message);
    return;
  }
  if (seq !== list.seq) return; // a newer filter or page took over
  let runs = page.runs;
  if (!page.filtered) runs = runs.filter((r) => (!list.status || r.status === list.status) && matchesQuery(r, list.q));
  // Needs review first within the page.
  if (!list.status) runs = [...runs].sort((a, b) => (b.status === "awaiting_approval") - (a.status === "awaiting_approval"));
  list.countsExact = Boolean(counts);
  list.counts = counts || countStatuses(page.runs);
  list.next = page.next;
  renderFilters();
  $("runs-list").replaceChildren(...runs.map(runRow));
  const filtering = Boolean(list.status || list.q);
  $("runs-empty").textContent = filtering ? "No runs match this filter." : "No runs yet.";
  show($("runs-empty"), runs.length === 0);
  if (page.incomplete) setError($("runs-error"), `Some runs may be missing: ${page.incomplete}`);
  const cursorPaging = page.next !== undefined;
  $("runs-prev").disabled = cursorPaging ? list.cursors.length === 0 : list.offset === 0;
  $("runs-next").disabled = cursorPaging ? !page.next : page.runs.length < RUNS_PAGE;
  $("runs-page").textContent = runs.length ? `Showing ${runs.length} run${runs.length === 1 ? "" : "s"}` : "";
  if (counts && !list.q) setReviewCount(counts.awaiting_approval || 0);
}

function countStatuses(runs) {
  const counts = {};
  for (const r of runs) counts[r.status] = (counts[r.status] || 0) + 1;
  return counts;
}

function renderFilters() {
  const counts = list.counts || {};
  const total = list.countsExact ? Object.values(counts).reduce((a, b) => a + b, 0) : null;
  const chip = (status, words) => {
    const n = status ? counts[status] : total;
    return h("button", {type: "button", class: "chip", "aria-pressed": String(list.status === status), "data-filter": status || "all",
      onclick: () => setFilter(status)}, words, n !== undefined && n !== null ? h("span", {class: "count"}, ` ${n}`) : null);
  };
  const shown = FILTERS.filter((s) => !SOMETIMES.has(s) || counts[s] || list.status === s);
  $("runs-filters").replaceChildren(chip("", "All"), ...shown.map((s) => chip(s, FILTER_WORDS[s] || statusLabel(s))));
  $("runs-counts").textContent = list.countsExact ? "" : "Counts are for the runs on this page.";
}

function setFilter(status) {
  list.status = status;
  resetPaging();
  loadRuns();
}

function resetPaging() {
  list.cursor = null;
  list.cursors = [];
  list.offset = 0;
}

function runRow(r) {
  const href = `#/run/${encodeURIComponent(r.workflow_id)}`;
  const name = r.brand_name || r.brand || hostOf(r.url) || r.workflow_id;
  const thumb = h("span", {class: "run-thumb", "aria-hidden": "true"}, rowThumb(r));
  const when = r.created_at ? h("time", {datetime: r.created_at, title: fmtTime(r.created_at), class: "muted small", "data-rel": ""}, relTime(r.created_at)) : null;
  const actions = RERUNNABLE.has(r.status) ? h("div", {class: "row-actions"},
    h("button", {type: "button", class: "small-button", onclick: (e) => rerun(r, e.currentTarget),
      "aria-label": `Re-run ${name}`}, "Re-run"),
    h("button", {type: "button", class: "small-button", onclick: () => editRerun(r),
      "aria-label": `Edit options and re-run ${name}`}, "Edit…")) : null;
  const reason = r.status_reason || r.reason;
  return h("li", {class: "run-row", "data-run": r.workflow_id, "data-status": r.status},
    thumb,
    h("div", {class: "run-main"},
      h("a", {href, class: "run-brand"}, name),
      h("span", {class: "url"}, r.url || ""),
      h("span", {class: "muted small"}, h("code", {}, r.workflow_id), ` · ${r.engine}`, reason ? ` · ${reason}` : "")),
    h("div", {class: "run-side"}, badge(r.status), when),
    actions);
}

function hostOf(url) {
  try {
    return new URL(url).hostname.replace(/^www\./, "");
  } catch {
    return "";
  }
}

/** A row's thumbnail: the list gives its URL (with a token for that one file when the API has tokens),
 * so no row asks for the run's result or a run token. A thumbnail that cannot load leaves the box empty. */
function rowThumb(r) {
  if (!r.thumb_url || !r.thumb_url.startsWith("/workflow/artifacts/")) return null;
  const img = h("img", {src: r.thumb_url, alt: "", width: 56, height: 56, loading: "lazy"});
  img.addEventListener("error", () => img.remove());
  return img;
}

/** The options a run was started with (its result's request). */
async function requestOf(r) {
  const cached = list.details.get(r.workflow_id);
  if (cached && cached.request) return cached.request;
  const res = await api("GET", `/workflow/result/${encodeURIComponent(r.workflow_id)}`);
  list.details.set(r.workflow_id, {request: res.request});
  return res.request;
}

function cleanRequest(req) {
  return Object.fromEntries(Object.entries(req).filter(([, v]) => v !== null && v !== undefined));
}

async function rerun(r, button) {
  button.disabled = true;
  setError($("runs-error"), "");
  try {
    const started = await api("POST", "/workflow/start", cleanRequest(await requestOf(r)));
    location.hash = `#/run/${encodeURIComponent(started.workflow_id)}`;
  } catch (err) {
    setError($("runs-error"), `Could not re-run ${r.url}: ${err.message}`);
    button.disabled = false;
  }
}

async function editRerun(r) {
  let req;
  try {
    req = await requestOf(r);
  } catch (err) {
    return setError($("runs-error"), err.message);
  }
  const form = $("start-form");
  form.url.value = req.url || "";
  form.num_variants.value = req.num_variants || 3;
  form.provider.value = req.provider || "";
  form.platform.value = req.platform || "meta";
  for (const box of form.querySelectorAll('input[name="formats"]')) box.checked = (req.formats || []).includes(box.value);
  $("start-title").scrollIntoView({block: "start"});
  form.url.focus();
}

let searchTimer = null;

function initRuns() {
  $("start-form").addEventListener("submit", onStart);
  $("runs-refresh").addEventListener("click", loadRuns);
  $("runs-search").addEventListener("input", (e) => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      list.q = e.target.value.trim();
      resetPaging();
      loadRuns();
    }, 250);
  });
  $("runs-prev").addEventListener("click", () => {
    if (list.next !== undefined) list.cursor = list.cursors.pop() || null;
    else list.offset = Math.max(0, list.offset - RUNS_PAGE);
    loadRuns();
  });
  $("runs-next").addEventListener("click", () => {
    if (list.next !== undefined) {
      list.cursors.push(list.cursor);
      list.cursor = list.next;
    } else list.offset += RUNS_PAGE;
    loadRuns();
  });
}

/** How many runs wait for review, for the title, on any view. */
async function refreshReviewCount() {
  if (!$("auth-form").hidden) return; // nothing to count until signed in
  try {
    await detectFeatures();
    const counts = await fetchCounts("");
    if (counts) return setReviewCount(counts.awaiting_approval || 0);
    const page = await fetchRuns({status: "awaiting_approval", limit: 100});
    setReviewCount(page.runs.filter((r) => r.status === "awaiting_approval").length);
  } catch {
    /* the title keeps what it had */
  }
}
