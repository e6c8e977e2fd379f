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
