// BrandTruth reviewer page: routing and start-up. The parts: core.js (helpers, API, sign-in),
// runs.js (start form, run list), run.js (one run's stream and steps), studio.js (the review's
// variants side by side) and decide.js (selection, decisions, keys, the lightbox).
"use strict";

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
    refreshReviewCount();
    if (location.hash === "#/#runs") $("runs").scrollIntoView();
  }
}

async function init() {
  initRuns();
  initRun();
  initStudio();
  $("auth-form").addEventListener("submit", onSignIn);
  $("sign-out").addEventListener("click", onSignOut);
  onSignedIn = () => {
    featuresLoaded = null;
    detectFeatures().then(() => run && run.result && renderResult(run.result));
    checkHealth();
    refreshReviewCount();
    if (run) {
      const id = run.id;
      closeRun();
      openRun(id);
    } else {
      route();
    }
  };
  onSignedOut = () => {
    closeRun();
    for (const id of ["run-body", "review", "log-card", "decision-form"]) show($(id), false);
    $("gallery").replaceChildren();
    $("runs-list").replaceChildren();
    setReviewCount(0);
  };
  renderSession();
  await authReady;
  refreshIdentity(); // a token kept from earlier in this session: whose it is, as the server says now
  window.addEventListener("hashchange", route);
  checkHealth().then(() => run && renderTemporalLink());
  setInterval(() => {
    checkHealth();
    refreshReviewCount();
  }, 30000);
  refreshReviewCount();
  setInterval(tickRelativeTimes, 60000);
  detectFeatures().then(() => run && run.result && renderResult(run.result));
  route();
}

document.addEventListener("DOMContentLoaded", init);
