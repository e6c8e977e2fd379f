(() => {
  const inputs = [...document.querySelectorAll("[data-md-component=palette] input")];
  const choose = (input) => {
    const index = inputs.indexOf(input);
    const color = {};
    for (const key of ["media", "scheme", "primary", "accent"]) {
      color[key] = input.getAttribute(`data-md-color-${key}`);
      document.body.setAttribute(`data-md-color-${key}`, color[key]);
    }
    inputs.forEach((other, at) => { other.nextElementSibling.hidden = at !== index; });
    return { index, color };
  };
  if (!inputs.length) return;
  // A choice from an earlier visit (unless storage is refused), else the system's; else the first.
  let stored = null;
  try {
    stored = __md_get("__palette");
  } catch {}
  const system = inputs.findIndex((input) => matchMedia(input.dataset.mdColorMedia).matches);
  choose(inputs[stored?.index] ?? inputs[Math.max(0, system)]);
  // The same record as Material's, so that Material starts with the reader's choice.
  const handover = new AbortController();
  for (const input of inputs) {
    input.addEventListener("change", () => __md_set("__palette", choose(input)), { signal: handover.signal });
  }
  document.addEventListener("theme-started", () => handover.abort(), { once: true });
})();
