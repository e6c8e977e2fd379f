// The site's script (overrides/partials/header.html, at the end of the header: after the palette button and the
// search it works on, before the content). One file, so that a first visit asks for as few as it can.

// The palette from the first paint, and the site's palette button (overrides/partials/palette.html):
// the stored choice, else the system's, else the first; the button is pressed while the second palette is
// shown. Material's palette component is not on the page, so this script alone sets the palette.
(() => {
  const button = document.querySelector(".palette-switch__button");
  if (!button) return;
  const palettes = JSON.parse(button.dataset.palettes);
  const choose = (index) => {
    const color = {};
    for (const key of ["media", "scheme", "primary", "accent"]) {
      color[key] = palettes[index][key];
      document.body.setAttribute(`data-md-color-${key}`, color[key]);
    }
    button.setAttribute("aria-pressed", String(index === 1));
    return { index, color };
  };
  // A choice from an earlier visit (unless storage is refused), else the system's; else the first. The record
  // is Material's (__palette), so that a choice made before this button is kept.
  let stored = null;
  try {
    stored = __md_get("__palette");
  } catch {}
  const system = palettes.findIndex((palette) => matchMedia(palette.media).matches);
  let current = palettes[stored?.index] ? stored.index : Math.max(0, system);
  choose(current);
  button.hidden = false;
  button.addEventListener("click", () => {
    current = (current + 1) % palettes.length;
    __md_set("__palette", choose(current));
  });
})();

// Material starts its search worker and sends it the index as soon as a page opens. Start the worker
// only when search is first opened, so a visit that never searches loads neither it nor its stemmers.
(() => {
  const search = document.getElementById("__search");
  if (!window.Worker || !search) return;
  const BrowserWorker = window.Worker;
  window.Worker = class extends EventTarget {
    constructor(url) {
      super();
      this.queue = [];
      const start = () => {
        if (!search.checked) return;
        search.removeEventListener("change", start);
        this.worker = new BrowserWorker(url);
        this.worker.addEventListener("message", ({ data }) => this.dispatchEvent(new MessageEvent("message", { data })));
        this.worker.addEventListener("error", (event) => this.dispatchEvent(new ErrorEvent("error", event)));
        this.queue.splice(0).forEach((message) => this.worker.postMessage(message));
      };
      search.addEventListener("change", start);
      start();
    }

    postMessage(message) {
      if (this.worker) this.worker.postMessage(message);
      else this.queue.push(message);
    }

    terminate() {
      this.worker?.terminate();
    }
  };
})();

// Material's drawer and search are hidden checkboxes. Browsers restore form state on Back;
// Material stops that with autocomplete="off", which HTML does not allow on checkboxes
// (plan_ovt/hooks.py removes it). Close both whenever a page is shown again instead.
window.addEventListener("pageshow", () => {
  for (const id of ["__drawer", "__search"]) {
    const toggle = document.getElementById(id);
    if (toggle && toggle.checked) {
      toggle.checked = false;
      toggle.dispatchEvent(new Event("change"));
    }
  }
});

// The header's menu and search buttons (overrides/partials/header.html): each opens or closes its hidden
// checkbox, as Material's labels did, and says whether it is open (aria-expanded). Opened search takes the focus.
for (const button of document.querySelectorAll("button.header-toggle[data-toggle]")) {
  const toggle = document.getElementById(button.dataset.toggle);
  if (!toggle) continue;
  const show = () => button.setAttribute("aria-expanded", String(toggle.checked));
  toggle.addEventListener("change", show);
  button.addEventListener("click", () => {
    toggle.click();
    if (toggle.checked) document.querySelector(`[data-md-toggle=${toggle.id}] ~ * .md-search__input`)?.focus();
  });
  show();
  button.hidden = false;
}

// The search is a dialog only while it is open (partials/search.html): closed, no dialog stays in the
// accessibility tree, and its field stays in the header, the way into it.
(() => {
  const toggle = document.getElementById("__search");
  const search = document.querySelector(".md-search[data-dialog-label]");
  if (!toggle || !search) return;
  const show = () => {
    if (toggle.checked) {
      search.setAttribute("role", "dialog");
      search.setAttribute("aria-label", search.dataset.dialogLabel);
    } else {
      search.removeAttribute("role");
      search.removeAttribute("aria-label");
    }
  };
  toggle.addEventListener("change", show);
  show();
})();

// Search results, which Material writes into the list of partials/search.html: each link wraps an <article>,
// which browsers do not read for a link's name, so every link had an empty one (WCAG 4.1.2, 2.4.4). Each is
// named after its heading: the page or the section it leads to.
(() => {
  const results = document.querySelector(".md-search-result__list");
  if (!results) return;
  new MutationObserver(() => {
    for (const link of results.querySelectorAll("a.md-search-result__link:not([aria-label])")) {
      const heading = link.querySelector("h1, h2, h3");
      if (heading) link.setAttribute("aria-label", heading.textContent.trim());
    }
  }).observe(results, { childList: true, subtree: true });
})();

// Single-character shortcuts are off (WCAG 2.1.4). Material binds letters and signs to page actions
// ("/", "s", "f" open search; "n", ".", "p", "," go to the next or previous page) in its keyboard handler,
// a keydown listener on window in the bubbling phase (watchKeyboard in its bundle, named in
// tests/test_browser.py's contract test). A key without Ctrl, Alt or Meta stops here, in the capturing
// phase, before it reaches that handler, unless a text field has the focus or the search is open (there
// a letter goes back to the search field, as one expects). Its browser action (space scrolls, "/" opens
// Firefox's quick find) is untouched: only the propagation stops.
(() => {
  const typing = "input:not([type]), input[type=text], input[type=search], textarea, select, [contenteditable]";
  const search = document.getElementById("__search");
  addEventListener("keydown", (event) => {
    if (event.key.length !== 1 || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest?.(typing) || search?.checked) return;
    event.stopPropagation();
  }, true);
})();

// Material's script (≈ 115 KB, then the setup of its components) is two long tasks on a phone, all of
// Lighthouse's blocking time. Nothing it does is needed to read a page: the drawer is CSS, links are links,
// the palette starts at once (above). So it starts on the reader's first input.
(() => {
  const triggers = ["pointerdown", "touchstart", "keydown", "focusin", "scroll", "wheel"];
  // Material's styles draw keyboard focus only on what its focus-visible polyfill marks (.focus-visible):
  // until the polyfill runs, the browser's own :focus-visible marks it, and the polyfill then takes over
  // the mark (it removes what carries data-focus-visible-added).
  const mark = ({ target }) => {
    if (target.matches?.(":focus-visible")) {
      target.classList.add("focus-visible");
      target.setAttribute("data-focus-visible-added", "");
    }
  };
  const unmark = ({ target }) => {
    if (target.hasAttribute?.("data-focus-visible-added")) {
      target.classList.remove("focus-visible");
      target.removeAttribute("data-focus-visible-added");
    }
  };
  // Until then, search opens while its field has the focus, and Tab or Escape closes it, as Material has it
  // (on a phone the field is only seen in the open search).
  const toggle = document.getElementById("__search");
  const openSearch = (open) => {
    toggle.checked = open;
    toggle.dispatchEvent(new Event("change"));
  };
  const searchFocus = ({ target }) => {
    if (target.matches?.(".md-search__input") && !toggle.checked) openSearch(true);
  };
  const searchKey = ({ target, key }) => {
    if (target.matches?.(".md-search__input") && toggle.checked && (key === "Tab" || key === "Escape")) {
      openSearch(false);
      target.blur();
    }
  };
  // Once the script has run or failed to load, theme-pending (set in the head, head.js), which shows the
  // search before the script runs, goes. No key pressed before is replayed: the first key only starts it.
  const release = () => {
    document.documentElement.classList.remove("theme-pending");
  };
  // Once it has run, Material does the rest.
  const handover = () => {
    release();
    removeEventListener("focusin", mark, true);
    removeEventListener("focusout", unmark, true);
    removeEventListener("focusin", searchFocus, true);
    removeEventListener("keydown", searchKey, true);
  };
  const start = () => {
    triggers.forEach((type) => removeEventListener(type, start, true));
    const script = document.createElement("script");
    script.src = source;
    script.onload = () => {
      handover();
      // Material sets itself up on DOMContentLoaded, usually long past by now: then it is sent again.
      if (document.readyState !== "loading") document.dispatchEvent(new Event("DOMContentLoaded"));
      document.dispatchEvent(new Event("theme-started"));
    };
    // Without the script (blocked, offline), the page stays as it is, without the search.
    script.onerror = release;
    document.body.append(script);
  };
  const source = document.currentScript.dataset.src;
  if (CSS.supports("selector(:focus-visible)")) {
    addEventListener("focusin", mark, true);
    addEventListener("focusout", unmark, true);
  }
  if (toggle) {
    addEventListener("focusin", searchFocus, true);
    addEventListener("keydown", searchKey, true);
  }
  triggers.forEach((type) => addEventListener(type, start, { capture: true, passive: true }));
})();
