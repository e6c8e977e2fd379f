{#- Material's drawer and search are hidden checkboxes. Browsers restore form state on Back;
    Material stops that with autocomplete="off", which HTML does not allow on checkboxes
    (plan_ovt/hooks.py removes it). Close both whenever a page is shown again instead. -#}
window.addEventListener("pageshow", () => {
  for (const id of ["__drawer", "__search"]) {
    const toggle = document.getElementById(id);
    if (toggle && toggle.checked) {
      toggle.checked = false;
      toggle.dispatchEvent(new Event("change"));
    }
  }
});
