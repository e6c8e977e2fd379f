{#- Material's script (≈ 115 KB, then the setup of its components) is two long tasks on a phone, all of
    Lighthouse's blocking time. Nothing it does is needed to read a page: the drawer is CSS, links are links,
    the palette starts inline (partials/inline/palette.js). So it starts on the reader's first input. -#}
(() => {
  const triggers = ["pointerdown", "touchstart", "keydown", "focusin", "scroll", "wheel"];
  {#- Material's search keys ("/" is also Firefox's quick find): held until it runs, as it would claim them. -#}
  const searchKeys = ["/", "s", "f"];
  const typing = "input[type=text], input[type=search], textarea, [contenteditable]";
  const pending = [];
  const hold = (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.target.closest?.(typing)) return;
    if (searchKeys.includes(event.key)) event.preventDefault();
    pending.push(event);
  };
  {#- Keys pressed while the script loads are pressed again for it; the letters typed after a search
      key go into the search field, which has the focus by then. -#}
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
  const start = () => {
    triggers.forEach((type) => removeEventListener(type, start, true));
    const script = document.createElement("script");
    script.src = source;
    {#- Material sets itself up on DOMContentLoaded, long past by now: the event is sent again for it. -#}
    script.onload = () => {
      removeEventListener("keydown", hold, true);
      document.dispatchEvent(new Event("DOMContentLoaded"));
      document.dispatchEvent(new Event("theme-started"));
      replay();
    };
    document.body.append(script);
  };
  const source = document.currentScript.dataset.src;
  addEventListener("keydown", hold, true);
  triggers.forEach((type) => addEventListener(type, start, { capture: true, passive: true }));
})();
