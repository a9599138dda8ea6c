// The Python worker: boots Pyodide from the site's own origin, installs the py_runtime wheel
// (verified by its SHA-256), then answers calls. The math lives in Python; this is plumbing.

let pyodide = null;
let bridge = null;

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

async function boot({ config, siteRoot }) {
  const url = (path) => new URL(path, siteRoot).href;
  progress("Downloading Python (about 13 MB, once)…");
  const { loadPyodide } = await import(url(config.pyodide + "pyodide.mjs"));
  pyodide = await loadPyodide({ indexURL: url(config.pyodide) });
  progress("Installing the demo code…");
  const wheel = await fetchVerified(url(config.runtime.url), config.runtime.integrity, "the demo code");
  pyodide.unpackArchive(wheel, "wheel");
  bridge = pyodide.pyimport("py_runtime.demos.bridge");
  return pyodide.runPython("import sys; sys.version.split()[0]");
}

self.onmessage = async ({ data }) => {
  if (data.type === "init") {
    try {
      const version = await boot(data);
      postMessage({ type: "ready", version });
    } catch (error) {
      postMessage({ type: "boot-error", message: String(error.message || error) });
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
