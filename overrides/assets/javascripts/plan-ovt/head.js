// The site's first script, in <head> (overrides/partials/javascripts/base.html): what must be in place
// before the page is drawn. The site has no inline script: its policy is script-src 'self', with no hash.
(() => {
  const script = document.currentScript;
  // Search is shown from the first paint (extra.css), before the theme's script runs (site.js).
  document.documentElement.classList.add("theme-pending");
  // Material's storage helpers (its partials/javascripts/base.html), scoped to the root of the site,
  // which this script knows from its own address (assets/javascripts/plan-ovt/): both languages share one scope, so a palette chosen
  // in one edition holds in the other.
  const scope = new URL("../../../", script.src);
  Object.assign(window, {
    __md_scope: scope,
    __md_hash: (text) => [...text].reduce((hash, char) => (hash << 5) - hash + char.charCodeAt(0), 0),
    __md_get: (key, storage = localStorage, base = scope) => JSON.parse(storage.getItem(`${base.pathname}.${key}`)),
    __md_set: (key, value, storage = localStorage, base = scope) => {
      try {
        storage.setItem(`${base.pathname}.${key}`, JSON.stringify(value));
      } catch {}
    },
  });
  // Opened from disk (file://), browsers refuse workers: load the iframe-worker shim before the theme's
  // script, as the offline plugin would, but only there, so that a served page does not request it.
  if (location.protocol === "file:") {
    document.write(`<script src="${new URL("../vendor/iframe-worker-shim.js", script.src)}"><\/script>`);
  }
})();
