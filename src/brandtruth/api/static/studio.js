// The review studio: variants side by side at a readable size in one format at a time, each with
// its faults, evidence, score and revisions beside it, and the decision history. Deciding (the
// selection, the action bar, keys, the lightbox) is decide.js.
"use strict";

const FORMATS = ["square", "landscape", "story"];
const FORMAT_WORDS = {square: "Square", landscape: "Landscape", story: "Story"};
const DECISION_WORDS = {approve: "Approved", revise: "Revision requested", reject: "Rejected"};

const studio = {format: null, current: 0, lightbox: -1, items: []};

function closeStudio() {
  if ($("lightbox").open) $("lightbox").close();
  studio.format = null;
  studio.current = 0;
}

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
  r.engine = result.engine;
  renderTemporalLink();
  renderResult(result);
}

function artifactUrl(runId, key) {
  if (!key) return null;
  const name = key.startsWith(runId + "/") ? key.slice(runId.length + 1) : key;
  const url = `/workflow/artifacts/${encodeURIComponent(runId)}/${name.split("/").map(encodeURIComponent).join("/")}`;
  return withToken(url, run && run.id === runId ? run.artifactToken : null);
}

function awaiting() {
  return Boolean(run && run.result && run.result.status === "awaiting_approval" && run.status === "awaiting_approval");
}

function renderResult(result) {
  if (result.error) setError($("run-error"), result.error);
  if (result.request && result.request.url && !$("run-url").textContent) setRunUrl(result.request.url);
  const exportHref = result.export_url ? safeHref(withToken(result.export_url, run.artifactToken)) : null;
  if (exportHref) $("export-link").href = exportHref;
  show($("export-link"), Boolean(exportHref));

  show($("review"), result.variants.length > 0);
  const formats = FORMATS.filter((f) => result.variants.some((vr) => vr.creatives.some((c) => c.format === f)));
  if (!formats.includes(studio.format)) studio.format = formats[0] || null;
  renderFormatSwitch(formats);
  const previous = new Set(selectedIds());
  const selectable = awaiting();
  $("gallery").replaceChildren(...result.variants.map((v, i) => variantCard(result, v, i, selectable, previous)));
  studio.items = result.variants.flatMap((vr) => FORMATS.flatMap((f) => vr.creatives.filter((c) => c.format === f).map((c) => ({vr, c}))));
  markCurrent(false);
  const g = $("gallery");
  const more = g.scrollWidth > g.clientWidth + 1;
  $("gallery-hint").textContent = more ? `${result.variants.length} variants side by side: scroll sideways, or press j / k.` : "";
  show($("gallery-hint"), more);

  show($("decision-form"), selectable);
  show($("reviewer-line"), selectable);
  show($("revise-open"), selectable && features.revise);
  show($("reject-open"), selectable && features.reject);
  show($("lightbox-decide"), selectable);
  show($("lightbox-revise-open"), selectable && features.revise);
  if (!selectable) closePanels();
  renderRecordedAs();
  updateSelection();
  renderHistory(result);
}

function renderFormatSwitch(formats) {
  const box = $("format-switch");
  show(box, formats.length > 1);
  box.querySelector(".options").replaceChildren(...formats.map((f) => h("label", {class: "seg"},
    h("input", {type: "radio", name: "format", value: f, checked: f === studio.format,
      onchange: () => { studio.format = f; renderResult(run.result); }}),
    h("span", {}, FORMAT_WORDS[f] || f))));
}

function variantCard(result, vr, index, selectable, previous) {
  const v = vr.variant;
  const score = vr.score;
  const cbId = `select-${v.id}`;
  const head = h("div", {class: "variant-head"},
    h("h3", {id: `${cbId}-h`}, v.id.toUpperCase(), v.revision > 1 ? h("span", {class: "muted small"}, ` revision ${v.revision}`) : null),
    score && score.recommended ? badge("recommended") : null,
    vr.approved ? badge("completed", "Approved") : null,
    score ? h("span", {class: "score", title: "Predicted performance, 0–100"}, `${Math.round(score.score)}`,
      h("span", {class: "small"}, "/100")) : null);

  const select = selectable ? h("label", {class: "check select"},
    h("input", {type: "checkbox", id: cbId, class: "select-variant", value: v.id, checked: previous.has(v.id),
      onchange: updateSelection}),
    ` Select ${v.id}`) : null;

  const creative = vr.creatives.find((c) => c.format === studio.format);
  const copy = h("dl", {class: "copy"},
    h("dt", {}, "Headline"), h("dd", {class: "headline"}, v.headline),
    h("dt", {}, "Body"), h("dd", {}, v.body),
    h("dt", {}, "CTA"), h("dd", {}, h("span", {class: "cta"}, v.cta)),
    v.angle ? [h("dt", {}, "Angle"), h("dd", {}, v.angle.replace(/_/g, " "))] : null);

  return h("article", {class: `variant${vr.approved ? " approved" : ""}`, "data-variant": v.id, "data-index": index,
    "aria-labelledby": `${cbId}-h`, tabindex: "-1", onfocusin: () => { studio.current = index; markCurrent(false); }},
    head, select,
    creative ? creativeFigure(result.workflow_id, v, creative) : null,
    h("p", {class: "other-formats small"}, ...vr.creatives.filter((c) => c !== creative).map((c) =>
      h("button", {type: "button", class: "link-button", onclick: () => openLightboxFor(v.id, c.format)},
        `${FORMAT_WORDS[c.format] || c.format} ${c.width}×${c.height}`))),
    copy, revisionHistory(v, vr), lintFaults(v, score), evidenceList(v, vr), breakdown(score), critiqueOf(score), matchList(vr));
}

function creativeFigure(runId, v, c) {
  const src = artifactUrl(runId, c.jpeg_key || c.key);
  const label = `${v.id} ${c.format} ${c.width}×${c.height}`;
  return h("figure", {class: "creative", "data-format": c.format},
    h("button", {type: "button", class: "thumb", "aria-label": `Open ${label} full size`, onclick: () => openLightboxFor(v.id, c.format)},
      h("img", {src, alt: `${c.format} creative: ${v.headline}`, width: c.width, height: c.height})),
    h("figcaption", {class: "small muted"}, `${FORMAT_WORDS[c.format] || c.format} · ${c.width}×${c.height}`));
}

/** Each rewrite of the variant: its copy and creative before and after, the feedback, who and when
 * (the result's `revisions`; a server without them: the headlines the stream announced per round). */
function revisionHistory(v, vr) {
  const revs = vr.revisions || [];
  if (!revs.length) return roundsHistory(v);
  const current = Object.fromEntries(vr.creatives.map((c) => [c.format, artifactUrl(run.id, c.jpeg_key || c.key)]));
  return h("section", {class: "revision", "aria-label": `${v.id} revision history`},
    h("h4", {}, `Revisions (${revs.length})`),
    ...revs.map((rv, i) => {
      const next = revs[i + 1];
      const after = next ? next.before : v;
      const afterImgs = next ? tokenUrls(next.before_creative_urls) : current;
      const beforeImgs = tokenUrls(rv.before_creative_urls);
      const fmt = beforeImgs[studio.format] && afterImgs[studio.format] ? studio.format : Object.keys(beforeImgs).find((f) => afterImgs[f]);
      const changed = ["headline", "body", "cta"].filter((f) => (rv.before[f] || "") !== (after[f] || ""));
      return h("div", {class: "rev", "data-round": rv.round},
        h("p", {class: "small"}, h("strong", {}, `Round ${rv.round}`),
          rv.feedback ? [" — ", h("q", {}, rv.feedback)] : null,
          rv.approver ? ` · ${rv.approver}` : "",
          rv.at ? [" · ", h("time", {datetime: rv.at, title: fmtTime(rv.at), "data-rel": ""}, relTime(rv.at))] : null),
        changed.length ? h("dl", {class: "diff"}, ...changed.map((f) => [
          h("dt", {}, f === "cta" ? "CTA" : f.charAt(0).toUpperCase() + f.slice(1)),
          h("dd", {"data-field": f}, h("del", {}, rv.before[f] || ""), " ", h("ins", {}, after[f] || ""))])) :
          h("p", {class: "muted small"}, "The copy did not change."),
        fmt ? h("div", {class: "diff-images"},
          h("figure", {}, h("img", {src: beforeImgs[fmt], alt: `${v.id} ${fmt} before round ${rv.round}`, loading: "lazy"}),
            h("figcaption", {class: "small muted"}, "Before")),
          h("figure", {}, h("img", {src: afterImgs[fmt], alt: `${v.id} ${fmt} after round ${rv.round}`, loading: "lazy"}),
            h("figcaption", {class: "small muted"}, "After"))) : null,
        rv.note ? h("p", {class: "small"}, rv.note) : null);
    }));
}

function tokenUrls(urls) {
  const token = run && run.artifactToken;
  return Object.fromEntries(Object.entries(urls || {}).map(([f, u]) => [f, withToken(u, token)]));
}

/** Older servers: the headline before and after, from the variants each awaiting_approval event listed. */
function roundsHistory(v) {
  if (!(v.revision > 1) && !v.revision_note) return null;
  const seen = [];
  for (const round of run.rounds) {
    const was = round.variants.find((x) => x.id === v.id);
    if (was && !seen.some((s) => s.revision === was.revision)) seen.push(was);
  }
  const before = seen.filter((s) => s.revision < v.revision).pop();
  return h("section", {class: "revision", "aria-label": `${v.id} revision history`},
    h("h4", {}, `Revision ${v.revision}`),
    before ? h("dl", {class: "diff"},
      h("dt", {}, "Headline"), h("dd", {"data-field": "headline"}, h("del", {}, before.headline), " ", h("ins", {}, v.headline))) : null,
    v.revision_note ? h("p", {class: "small"}, v.revision_note) : null);
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

/** A link that opens the source page with the quoted sentence highlighted (a text fragment). */
function evidenceHref(url, quote) {
  const href = safeHref(url);
  if (!href) return null;
  const words = String(quote || "").replace(/\s+/g, " ").trim().split(" ").filter(Boolean);
  if (!words.length) return href;
  const enc = (s) => encodeURIComponent(s).replace(/-/g, "%2D").replace(/,/g, "%2C").replace(/&/g, "%26");
  // Long quotes as start,end: a page's whitespace or markup inside the sentence still matches.
  const text = words.length > 10 ? `${enc(words.slice(0, 4).join(" "))},${enc(words.slice(-4).join(" "))}` : enc(words.join(" "));
  return `${href.split("#")[0]}#:~:text=${text}`;
}

function evidenceList(v, vr) {
  const facts = vr.evidence;
  return h("section", {class: "evidence", "aria-label": `${v.id} truth evidence`},
    h("h4", {}, `Truth evidence (${facts.length})`),
    facts.length ? h("ul", {}, ...facts.map((f) => {
      const href = safeHref(f.link) || evidenceHref(f.source_url, f.evidence || f.text); // the server's link, when it gives one
      return h("li", {"data-fact": f.id},
        h("span", {class: "fact"}, f.text),
        f.evidence && f.evidence !== f.text ? h("blockquote", {}, f.evidence) : null,
        h("span", {class: "small source"}, "Source: ", href ? h("a", {href, target: "_blank", rel: "noopener noreferrer",
          "data-source": f.source_url}, pageName(f.source_url)) : h("span", {}, f.source_url)));
    })) : h("p", {class: "muted small"}, "No claims needing evidence."),
    v.truth && v.truth.unsupported.length ? h("p", {class: "error"}, `Unsupported: ${v.truth.unsupported.join("; ")}`) : null);
}

function pageName(url) {
  try {
    const u = new URL(url);
    return `${u.hostname.replace(/^www\./, "")}${u.pathname === "/" ? "" : u.pathname}`;
  } catch {
    return url;
  }
}

function breakdown(score) {
  if (!score || !score.components.length) return null;
  return h("section", {class: "breakdown"},
    h("h4", {}, "Score breakdown"),
    h("table", {},
      h("thead", {}, h("tr", {}, h("th", {scope: "col"}, "Component"), h("th", {scope: "col"}, "Points"), h("th", {scope: "col"}, "Why"))),
      h("tbody", {}, ...score.components.map((c) => h("tr", {},
        h("th", {scope: "row"}, c.name.replace(/_/g, " ")),
        h("td", {}, `${c.points.toFixed(1)} / ${c.weight.toFixed(1)}`),
        h("td", {}, c.reason))))));
}

// An LLM's review, when a provider is configured; it never changes the score.
function critiqueOf(score) {
  return score && score.critique ? h("p", {class: "critique"}, h("strong", {}, "Critique: "), score.critique) : null;
}

function matchList(vr) {
  if (!vr.matches.length) return null;
  return h("section", {class: "why-image"}, h("h4", {}, "Images and why"),
    h("ul", {}, ...vr.matches.map((m) => h("li", {},
      h("strong", {}, `${FORMAT_WORDS[m.format] || m.format}: `),
      m.image ? extLink(m.image.url, m.image.alt || m.image.url) : h("span", {}, "brand background"),
      m.reason ? h("span", {class: "muted"}, ` — ${m.reason}`) : null))));
}

function renderHistory(result) {
  // The latest decision up top (a revision is not final, so it lives only in the history).
  const history = result.decisions || [];
  const latest = result.decision || history[history.length - 1];
  const summary = $("decision-summary");
  summary.textContent = latest ? describeDecision(latest) : "";
  summary.dataset.kind = latest ? latest.kind : "";
  show(summary, Boolean(latest));
  $("decision-history").replaceChildren(...history.map((x) => h("li", {"data-kind": x.kind},
    h("strong", {}, DECISION_WORDS[x.kind] || x.kind), x.variant_ids && x.variant_ids.length ? ` ${x.variant_ids.join(", ")}` : "",
    " — ", x.approver ? x.approver : h("span", {class: "muted"}, "no name"),
    ", ", h("time", {datetime: x.at, title: fmtTime(x.at), "data-rel": ""}, relTime(x.at)),
    x.comment ? h("q", {class: "comment"}, x.comment) : null)));
  show($("history-box"), history.length > 0);
}

function describeDecision(d) {
  const who = d.approver ? ` by ${d.approver}` : "";
  const ids = d.variant_ids && d.variant_ids.length ? `: ${d.variant_ids.join(", ")}` : "";
  return `${DECISION_WORDS[d.kind] || d.kind}${who}${ids}` + (d.comment ? ` — “${d.comment}”` : "");
}
