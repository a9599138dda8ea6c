// The demo runtime on the page: one Python worker per page, started lazily, shared by all demos.
//
// Each demo is pre-rendered (data-state="static"). When one comes near the viewport, or the
// reader interacts with it, Python starts in a module Web Worker; then the demo's own UI
// module (data-script) is imported and mounted with a `python` handle. States:
// static -> loading -> ready, or error with the reason in place. The text never depends on it.

const demos = [...document.querySelectorAll("[data-demo]")];
const BOOT_TIMEOUT_MS = 180_000;
let runtime = null;

function setState(demo, state, message) {
  demo.dataset.state = state;
  const status = demo.querySelector(".demo-status");
  if (status && message !== undefined) status.textContent = message;
}

function loadingDemos() {
  return demos.filter((demo) => demo.dataset.state === "loading");
}

// A promise-based handle on the worker: python.call("py_runtime.demos.x", "fn", {arg: 1}).
function startPython() {
  if (runtime) return runtime;
  runtime = (async () => {
    const siteRoot = new URL(document.body.dataset.siteRoot, location.href).href;
    const configUrl = new URL(document.body.dataset.runtimeConfig, location.href);
    // The worker script loads while the settings are fetched.
    const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module", name: "python" });
    const response = await fetch(configUrl);
    if (!response.ok) throw new Error(`could not fetch the runtime settings (HTTP ${response.status})`);
    const config = await response.json();
    const pending = new Map();
    let nextId = 1;
    let bootDone, bootFailed;
    const booted = new Promise((resolve, reject) => { bootDone = resolve; bootFailed = reject; });

    worker.onmessage = ({ data }) => {
      if (data.type === "progress") {
        for (const demo of loadingDemos()) setState(demo, "loading", data.message);
      } else if (data.type === "ready") {
        bootDone(data);
      } else if (data.type === "boot-error") {
        bootFailed(new Error(data.message));
      } else if (pending.has(data.id)) {
        const { resolve, reject } = pending.get(data.id);
        pending.delete(data.id);
        if (data.type === "result") resolve(data.value);
        else reject(new Error(data.message));
      }
    };
    worker.onerror = (event) => {
      const error = new Error(event.message || "the Python worker failed to start");
      bootFailed(error);
      for (const { reject } of pending.values()) reject(error);
      pending.clear();
    };
    worker.postMessage({ type: "init", config, siteRoot });
    // A failed WebAssembly download can leave Pyodide waiting for ever: give up, and say so.
    const timeout = new Promise((_, reject) => setTimeout(
      () => reject(new Error("Python did not start within 3 minutes")), BOOT_TIMEOUT_MS));
    const info = await Promise.race([booted, timeout]);

    const request = (message) => {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ ...message, id });
      });
    };
    const python = {
      version: info.version,
      call: (module, func, args = {}) => request({ type: "call", module, func, args }),
      load: (names) => request({ type: "load", names }),
    };
    return python;
  })();
  return runtime;
}

// The handle a demo gets: a failing Python call also puts the demo in the error state,
// with Python's message, so a broken demo says so in place.
function reportingFailures(demo, python) {
  return {
    ...python,
    async call(...args) {
      try {
        return await python.call(...args);
      } catch (error) {
        setState(demo, "error", `Python failed: ${error.message.split("\n").filter(Boolean).pop()}`);
        throw error;
      }
    },
  };
}

async function activate(demo) {
  if (demo.dataset.state !== "static") return;
  setState(demo, "loading", "Starting Python in your browser…");
  try {
    const python = await startPython();
    const weights = (demo.dataset.weights || "").split(" ").filter(Boolean);
    if (weights.length) await python.load(weights);
    const ui = await import(new URL(demo.dataset.script, location.href).href);
    await ui.mount(demo, reportingFailures(demo, python));
    const [version, backend] = python.version.split(", ");
    setState(demo, "ready", `Live: Python ${version} is running in your browser` +
      (backend === "numpy" ? ", with NumPy." : "."));
  } catch (error) {
    console.warn(`demo ${demo.dataset.demo}:`, error);
    setState(demo, "error", `This demo could not start: ${error.message}. The picture above is its pre-computed state.`);
  }
}

// site.toml's pyodide.start: "near-viewport" (default) or only on "interaction".
const nearViewport = "IntersectionObserver" in window && document.body.dataset.start !== "interaction"
  ? new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting) {
          nearViewport.unobserve(entry.target);
          activate(entry.target);
        }
      }
    }, { rootMargin: "400px 0px" })
  : null;

for (const demo of demos) {
  if (nearViewport) nearViewport.observe(demo);
  for (const type of ["pointerdown", "focusin", "keydown"]) {
    demo.addEventListener(type, () => activate(demo), { once: true });
  }
}
