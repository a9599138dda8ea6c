// Make, or check, a memory snapshot of the site's Python (site_builder/snapshot.py runs this).
//
//   node snapshot.mjs make  PYODIDE_DIR WHEEL OUT        the heap after py_runtime and every one
//                                                        of its modules is imported, raw, to OUT
//   node snapshot.mjs check PYODIDE_DIR WHEEL SNAPSHOT   restore it as the browser's worker will,
//                                                        and call through the bridge
//
// Both print one JSON line on stdout. The snapshot uses Pyodide's private API
// (loadPyodide's _makeSnapshot / _loadSnapshot, makeMemorySnapshot), which checks the build
// of the files it was made with: PYODIDE_DIR must hold exactly the files the site serves.
// The file system is not in a snapshot: the worker unpacks the wheel again after restoring.
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [mode, dir, wheelPath, file] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(join(dir, "pyodide.mjs")).href);
const indexURL = resolve(dir) + "/";
const wheel = new Uint8Array(readFileSync(wheelPath));
const quiet = { stdout: () => {}, stderr: (line) => process.stderr.write(line + "\n") };

// The same set-up the worker does after a start, and the imports a demo would do on its first call.
const PREPARE = `
import importlib, os, pkgutil, sys
os.environ["PY_RUNTIME_WEIGHTS"] = "/weights"
import py_runtime
for info in pkgutil.walk_packages(py_runtime.__path__, "py_runtime."):
    if not info.name.endswith(".__main__"):
        importlib.import_module(info.name)
sorted(name for name in sys.modules if name.startswith("py_runtime"))
`;
const AFTER_RESTORE = `
import random, sys
random.seed()                                 # a snapshot freezes the random state: reseed
sorted(name for name in sys.modules if name.startswith("py_runtime"))
`;

const started = performance.now();
if (mode === "make") {
  const pyodide = await loadPyodide({ indexURL, _makeSnapshot: true, ...quiet });
  pyodide.unpackArchive(wheel, "wheel");
  const modules = pyodide.runPython(PREPARE).toJs();
  const heap = pyodide.makeMemorySnapshot();
  writeFileSync(file, heap);
  console.log(JSON.stringify({ bytes: heap.length, modules, ms: Math.round(performance.now() - started) }));
} else if (mode === "check") {
  const pyodide = await loadPyodide({ indexURL, _loadSnapshot: new Uint8Array(readFileSync(file)), ...quiet });
  pyodide.unpackArchive(wheel, "wheel");
  const modules = pyodide.runPython(AFTER_RESTORE).toJs();
  const bridge = pyodide.pyimport("py_runtime.demos.bridge");
  const backends = JSON.parse(bridge.call("py_runtime.backend", "available_backends", "{}"));
  console.log(JSON.stringify({ modules, backends, ms: Math.round(performance.now() - started) }));
} else {
  console.error(`usage: node snapshot.mjs make|check PYODIDE_DIR WHEEL FILE (not ${mode})`);
  process.exit(2);
}
