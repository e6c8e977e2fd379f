{#- Opened from disk (file://), browsers refuse workers: load the iframe-worker shim before the theme's
    script, as the offline plugin would, but only there, so that a served page does not request it. -#}
if (location.protocol === "file:") {
  document.write(`<script src="${document.currentScript.dataset.src}"><\/script>`);
}
