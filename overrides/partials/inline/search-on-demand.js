{#- Material starts its search worker and sends it the index as soon as a page opens. Start the worker
    only when search is first opened, so a visit that never searches loads neither it nor its stemmers. -#}
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
