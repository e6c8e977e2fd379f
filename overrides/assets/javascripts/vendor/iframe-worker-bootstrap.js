/* iframe-worker 1.0.4 (MIT, © 2020-2022 Martin Donath): what its shim wrote inline into a worker's frame, as a
   file of the site (the site's policy is script-src 'self', with no hash). Runs in the frame, before the worker. */
"use strict";
(() => {
  const worker = document.currentScript.dataset.worker;
  // Material's search worker finds its folder from the frame's first script[src]: leave it only the worker's.
  document.currentScript.remove();
  window.postMessage = (message, origin) => parent.postMessage(message, origin || "*");
  window.importScripts = (...urls) => urls.reduce((previous, url) => previous.then(() => new Promise((resolve) => {
    const script = document.createElement("script");
    script.src = url;
    script.onload = resolve;
    document.body.appendChild(script);
  })), Promise.resolve());
  addEventListener("error", ({ error }) => parent.dispatchEvent(new ErrorEvent("error", { filename: worker, error })));
})();
