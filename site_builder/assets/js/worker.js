// The Python worker: boots Pyodide from the site's own origin, installs the py_runtime wheel
// (verified by its SHA-256), then answers calls. The math lives in Python; this is plumbing.

let pyodide = null;
let bridge = null;
let settings = null;                 // { config, siteRoot } from the page
const loads = new Map();             // weights name -> promise of it being in /weights

const progress = (message) => postMessage({ type: "progress", message });

async function fetchVerified(url, integrity, what) {
  let response;
  try {
    response = await fetch(url, { integrity });
  } catch (error) {
    throw new Error(`could not download ${what} (${error.message})`);
  }
  if (!response.ok) throw new Error(`could not download ${what} (HTTP ${response.status})`);
  return response.arrayBuffer();
}

const url = (path) => new URL(path, settings.siteRoot).href;

async function boot({ config, siteRoot }) {
  settings = { config, siteRoot };
  progress("Downloading Python (about 13 MB, once)…");
  // The demo code downloads while Pyodide starts.
  const wheel = fetchVerified(url(config.runtime.url), config.runtime.integrity, "the demo code");
  wheel.catch(() => {});                      // reported below, once Pyodide is up
  const { loadPyodide } = await import(url(config.pyodide + "pyodide.mjs"));
  pyodide = await loadPyodide({ indexURL: url(config.pyodide) });
  if (config.packages?.length) await loadPackages(config.packages);
  progress("Installing the demo code…");
  pyodide.unpackArchive(await wheel, "wheel");
  bridge = pyodide.pyimport("py_runtime.demos.bridge");
  // py_runtime.load(name) reads weights from $PY_RUNTIME_WEIGHTS, as on CPython.
  pyodide.FS.mkdirTree("/weights");
  pyodide.runPython("import os; os.environ['PY_RUNTIME_WEIGHTS'] = '/weights'");
  return pyodide.runPython("import sys, py_runtime; f'{sys.version.split()[0]}, {py_runtime.current_backend()}'");
}

// Self-hosted packages (NumPy) from a full distribution: a failure is not fatal, since
// py_runtime falls back to pure Python, but it is said in the console.
async function loadPackages(names) {
  progress(`Loading ${names.join(", ")}…`);
  const failures = [];
  await pyodide.loadPackage(names, { messageCallback: () => {}, errorCallback: (m) => failures.push(m) });
  const missing = names.filter((name) => !(name in pyodide.loadedPackages));
  if (missing.length) console.warn(`not loaded: ${missing.join(", ")}; using pure Python. ${failures.join(" ")}`);
}

// Fetch a weights file once (verified against its SHA-256) into Python's file system.
function loadWeights(name) {
  if (!loads.has(name)) {
    loads.set(name, (async () => {
      const weights = settings.config.weights;
      const entry = weights.models?.[name];
      if (!entry) throw new Error(`no weights named ${name} on this site`);
      if (!loads.has("manifest.json")) {
        loads.set("manifest.json", fetchVerified(url(weights.manifest), weights.manifest_integrity, "the model list")
          .then((buffer) => pyodide.FS.writeFile("/weights/manifest.json", new Uint8Array(buffer))));
      }
      await loads.get("manifest.json");
      progress(`Downloading the ${name} weights (${Math.round(entry.bytes / 1024)} KB)…`);
      const buffer = await fetchVerified(url(entry.url), entry.integrity, `the ${name} weights`);
      pyodide.FS.writeFile(`/weights/${entry.file}`, new Uint8Array(buffer));
    })());
    loads.get(name).catch(() => loads.delete(name));    // a failed download may be retried
  }
  return loads.get(name);
}

self.onmessage = async ({ data }) => {
  if (data.type === "init") {
    try {
      const version = await boot(data);
      postMessage({ type: "ready", version });
    } catch (error) {
      postMessage({ type: "boot-error", message: String(error.message || error) });
    }
  } else if (data.type === "load") {
    try {
      await Promise.all(data.names.map(loadWeights));
      postMessage({ type: "result", id: data.id, value: null });
    } catch (error) {
      postMessage({ type: "error", id: data.id, message: String(error.message || error) });
    }
  } else if (data.type === "call") {
    try {
      const value = JSON.parse(bridge.call(data.module, data.func, JSON.stringify(data.args)));
      postMessage({ type: "result", id: data.id, value });
    } catch (error) {
      postMessage({ type: "error", id: data.id, message: String(error.message || error) });
    }
  }
};
