// Deciding in the review studio: the selection, the action bar's approve/revise/reject, keyboard
// shortcuts (j/k move, x select, a approve, r revise, ? help; they can be turned off) and the
// lightbox that steps through every variant and format and approves or revises from there.
"use strict";

// ------------------------------------------------------------------------- selection & decisions

function selectedIds() {
  return [...document.querySelectorAll(".select-variant:checked")].map((c) => c.value);
}

function updateSelection() {
  const ids = selectedIds();
  $("selection-count").textContent = ids.length ? `Selected: ${ids.join(", ")}` : "No variants selected.";
  $("approve-button").disabled = ids.length === 0;
  $("revise-button").disabled = ids.length === 0;
  for (const card of document.querySelectorAll("#gallery .variant")) {
    card.classList.toggle("selected", ids.includes(card.dataset.variant));
  }
}

/** Who a decision will be recorded as: the token's name when the API has tokens, else the typed name. */
function renderRecordedAs() {
  const named = Boolean(bearer && identity);
  show($("approver-field"), !bearer);
  show($("recorded-as"), Boolean(bearer));
  $("recorded-as").textContent = named ? `Recorded as ${identity} (your token's name)` : "Recorded under your token's name";
}

function withApprover(body) {
  const approver = $("approver").value.trim();
  if (approver && !bearer) body.approver = approver;
  return body;
}

/** POST a decision; true when the server accepted it (errors are shown in the action bar). */
async function decide(path, body, button) {
  const r = run;
  setError($("decision-error"), "");
  button.disabled = true;
  try {
    await api("POST", `/workflow/${path}/${encodeURIComponent(r.id)}`, withApprover(body));
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
  if (!ids.length) return setError($("decision-error"), "Select at least one variant to approve (x selects the current one).");
  decide("approve", {variant_ids: ids}, $("approve-button"));
}

function onRevise() {
  const ids = selectedIds();
  const feedback = $("revise-feedback").value.trim();
  if (!ids.length || !feedback) return setError($("decision-error"), "Select variants and write what to change.");
  decide("revise", {variant_ids: ids, feedback}, $("revise-button")).then((ok) => {
    if (ok) {
      $("revise-feedback").value = "";
      closePanels();
    }
  });
}

function onReject() {
  const reason = $("reject-reason").value.trim();
  if (!confirm("Reject every variant and end this run?")) return;
  decide("reject", reason ? {reason} : {}, $("reject-button"));
}

function openPanel(which) {
  show($("revise-box"), which === "revise");
  show($("reject-box"), which === "reject");
  $("revise-open").setAttribute("aria-expanded", String(which === "revise"));
  $("reject-open").setAttribute("aria-expanded", String(which === "reject"));
  if (which === "revise") $("revise-feedback").focus();
  if (which === "reject") $("reject-reason").focus();
}

function closePanels() {
  openPanel(null);
}

// ------------------------------------------------------------------------- keyboard & lightbox

function cards() {
  return [...document.querySelectorAll("#gallery .variant")];
}

function markCurrent(focus) {
  const all = cards();
  if (!all.length) return;
  studio.current = Math.max(0, Math.min(studio.current, all.length - 1));
  all.forEach((c, i) => c.classList.toggle("current", i === studio.current));
  if (focus) {
    const card = all[studio.current];
    card.focus({preventScroll: true});
    card.scrollIntoView({block: "nearest", inline: "nearest"});
  }
}

function currentVariantId() {
  const card = cards()[studio.current];
  return card ? card.dataset.variant : null;
}

function toggleCurrent() {
  const id = currentVariantId();
  const box = id && $(`select-${id}`);
  if (!box) return;
  box.checked = !box.checked;
  updateSelection();
}

const SHORTCUTS_KEY = "brandtruth-shortcuts";

function shortcutsOn() {
  return localStorage.getItem(SHORTCUTS_KEY) !== "off";
}

function onKey(e) {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
  if (!shortcutsOn() && !$("lightbox").open) return; // single-key shortcuts can be turned off (WCAG 2.1.4)
  const t = e.target;
  if (t && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName)) && !(t.type === "checkbox" || t.type === "radio")) return;
  if ($("lightbox").open) return onLightboxKey(e);
  if ($("help").open || $("run-view").hidden) return;
  if (e.key === "?") {
    e.preventDefault();
    return $("help").showModal();
  }
  if (!run || !run.result || !cards().length) return;
  const key = e.key.toLowerCase();
  if (key === "j" || key === "k") {
    e.preventDefault();
    studio.current += key === "j" ? 1 : -1;
    return markCurrent(true);
  }
  if (!awaiting()) return;
  if (key === "x") {
    e.preventDefault();
    return toggleCurrent();
  }
  if (key === "a") {
    e.preventDefault();
    return $("decision-form").requestSubmit();
  }
  if (key === "r" && features.revise) {
    e.preventDefault();
    if (!selectedIds().length) toggleCurrent();
    return openPanel("revise");
  }
}

function openLightboxFor(variantId, format) {
  const i = studio.items.findIndex((it) => it.vr.variant.id === variantId && it.c.format === format);
  if (i >= 0) showLightbox(i);
}

function showLightbox(i) {
  const n = studio.items.length;
  if (!n) return;
  studio.lightbox = (i + n) % n;
  const {vr, c} = studio.items[studio.lightbox];
  const v = vr.variant;
  // Shown: the full-size JPEG compose wrote for review. Linked: the lossless PNG, which the server
  // renders on first request for a variant not yet approved (so opening the lightbox costs no render).
  const src = artifactUrl(run.id, c.jpeg_key || c.key);
  $("lightbox-title").textContent = `${v.id.toUpperCase()} · ${FORMAT_WORDS[c.format] || c.format} ${c.width}×${c.height}`;
  $("lightbox-count").textContent = `${studio.lightbox + 1} of ${n}`;
  $("lightbox-headline").textContent = v.headline;
  $("lightbox-img").src = src;
  $("lightbox-img").alt = `${c.format} creative: ${v.headline}`;
  $("lightbox-open").href = artifactUrl(run.id, c.key);
  $("lightbox").dataset.variant = v.id;
  $("lightbox-approve").textContent = `Approve ${v.id}`;
  $("lightbox-revise-open").textContent = `Revise ${v.id}…`;
  setError($("lightbox-error"), "");
  if (!$("lightbox").open) $("lightbox").showModal();
}

function onLightboxKey(e) {
  const t = e.target;
  if (t && t.tagName === "TEXTAREA") return;
  const letters = shortcutsOn();
  if (e.key === "ArrowRight" || (letters && e.key === "j")) {
    e.preventDefault();
    showLightbox(studio.lightbox + 1);
  } else if (e.key === "ArrowLeft" || (letters && e.key === "k")) {
    e.preventDefault();
    showLightbox(studio.lightbox - 1);
  } else if (letters && e.key === "a" && awaiting()) {
    e.preventDefault();
    lightboxDecide("approve");
  }
}

/** Approve or revise the variant the lightbox shows, then go back to the page. */
async function lightboxDecide(kind) {
  const id = $("lightbox").dataset.variant;
  if (!id) return;
  let ok;
  if (kind === "approve") ok = await decide("approve", {variant_ids: [id]}, $("lightbox-approve"));
  else {
    const feedback = $("lightbox-feedback").value.trim();
    if (!feedback) return setError($("lightbox-error"), "Write what to change.");
    ok = await decide("revise", {variant_ids: [id], feedback}, $("lightbox-revise"));
    if (ok) $("lightbox-feedback").value = "";
  }
  if (ok) $("lightbox").close();
  else setError($("lightbox-error"), $("decision-error").textContent);
}

function initStudio() {
  $("decision-form").addEventListener("submit", onApprove);
  $("revise-button").addEventListener("click", onRevise);
  $("reject-button").addEventListener("click", onReject);
  $("revise-open").addEventListener("click", () => openPanel($("revise-box").hidden ? "revise" : null));
  $("reject-open").addEventListener("click", () => openPanel($("reject-box").hidden ? "reject" : null));
  $("help-open").addEventListener("click", () => $("help").showModal());
  $("shortcuts-on").checked = shortcutsOn();
  $("shortcuts-on").addEventListener("change", (e) => localStorage.setItem(SHORTCUTS_KEY, e.target.checked ? "on" : "off"));
  $("help-close").addEventListener("click", () => $("help").close());
  $("lightbox-close").addEventListener("click", () => $("lightbox").close());
  $("lightbox-prev").addEventListener("click", () => showLightbox(studio.lightbox - 1));
  $("lightbox-next").addEventListener("click", () => showLightbox(studio.lightbox + 1));
  $("lightbox-approve").addEventListener("click", () => lightboxDecide("approve"));
  $("lightbox-revise").addEventListener("click", () => lightboxDecide("revise"));
  $("lightbox-revise-open").addEventListener("click", () => {
    show($("lightbox-revise-box"), true);
    $("lightbox-feedback").focus();
  });
  $("lightbox").addEventListener("close", () => show($("lightbox-revise-box"), false));
  $("lightbox").addEventListener("click", (e) => { if (e.target === $("lightbox")) $("lightbox").close(); });
  document.addEventListener("keydown", onKey);
}
