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

// Material's script (≈ 115 KB, then the setup of its components) is two long tasks on a phone, all of
// Lighthouse's blocking time. Nothing it does is needed to read a page: the drawer is CSS, links are links,
// the palette starts at once (palette.js). So it starts on the reader's first input.
(() => {
  const triggers = ["pointerdown", "touchstart", "keydown", "focusin", "scroll", "wheel"];
  // Material's search keys ("/" is also Firefox's quick find): held until it runs, as it would claim them.
  const searchKeys = ["/", "s", "f"];
  const typing = "input[type=text], input[type=search], textarea, [contenteditable]";
  const pending = [];
  const hold = (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.target.closest?.(typing)) return;
    if (searchKeys.includes(event.key)) event.preventDefault();
    pending.push(event);
  };
  // Keys pressed while the script loads are pressed again for it; the letters typed after a search
  // key go into the search field, which has the focus by then.
  const replay = () => {
    for (const event of pending) {
      const field = document.activeElement;
      if (field && field.matches(typing) && event.key.length === 1) {
        field.value += event.key;
        field.dispatchEvent(new KeyboardEvent("keyup", { key: event.key, bubbles: true }));
      } else if (event.key !== "Tab") {
        const { key, code, shiftKey } = event;
        event.target.dispatchEvent(new KeyboardEvent("keydown", { key, code, shiftKey, bubbles: true, cancelable: true }));
      }
    }
  };
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
  // Once the script has run or failed to load, the search keys are let go, and theme-pending (set in the
  // head, head.js), which shows the search before the script runs, goes.
  const release = () => {
    removeEventListener("keydown", hold, true);
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
      replay();
    };
    // Without the script (blocked, offline), the page stays as it is, without the search.
    script.onerror = release;
    document.body.append(script);
  };
  const source = document.currentScript.dataset.src;
  addEventListener("keydown", hold, true);
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
