// Make, or check, a memory snapshot of the site's Python, and compile its standard library
// (site_builder/snapshot.py runs this).
//
//   node snapshot.mjs stdlib PYODIDE_DIR OUT                the standard library zip with every
//                                                           module compiled (.pyc, no sources)
//   node snapshot.mjs make  PYODIDE_DIR WHEEL OUT [STDLIB]  the heap after py_runtime and every one
//                                                           of its modules is imported, raw, to OUT
//   node snapshot.mjs check PYODIDE_DIR WHEEL SNAPSHOT [STDLIB]  restore it as the browser's
//                                                           worker will, and call through the bridge
//
// STDLIB is the standard library the site serves (the compiled one), if not Pyodide's own: a
// snapshot remembers where in that zip each module is, so it must be made with the same file.
// Both print one JSON line on stdout. The snapshot uses Pyodide's private API
// (loadPyodide's _makeSnapshot / _loadSnapshot, makeMemorySnapshot), which checks the build
// of the files it was made with: PYODIDE_DIR must hold exactly the files the site serves.
// The file system is not in a snapshot: the worker unpacks the wheel again after restoring.
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [mode, dir, ...rest] = process.argv.slice(2);
const [wheelPath, file, stdLibURL] = mode === "stdlib" ? [null, rest[0], undefined] : rest;
const { loadPyodide } = await import(pathToFileURL(join(dir, "pyodide.mjs")).href);
const indexURL = resolve(dir) + "/";
const quiet = { stdout: () => {}, stderr: (line) => process.stderr.write(line + "\n"), stdLibURL };

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

// Compiled in Pyodide's own Python, so the .pyc files carry its magic number. Each module is
// written as name.pyc without its source, which zipimport loads as it is; a file that does not
// compile (test data) is kept as source.
const COMPILE = `
import importlib.util, io, marshal, zipfile
source = zipfile.ZipFile("/tmp/stdlib.zip")
out = io.BytesIO()
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as compiled:
    for info in source.infolist():
        data = source.read(info)
        if info.filename.endswith(".py"):
            try:
                code = compile(data, info.filename, "exec", dont_inherit=True)
            except SyntaxError:
                compiled.writestr(info.filename, data)
                continue
            header = importlib.util.MAGIC_NUMBER + bytes(12)      # flags 0, no timestamp, no size
            compiled.writestr(info.filename + "c", header + marshal.dumps(code))
        else:
            compiled.writestr(info.filename, data)
open("/tmp/compiled.zip", "wb").write(out.getvalue())
len(out.getvalue())
`;

const started = performance.now();
const wheel = () => new Uint8Array(readFileSync(wheelPath));
if (mode === "stdlib") {
  const pyodide = await loadPyodide({ indexURL, ...quiet });
  pyodide.FS.writeFile("/tmp/stdlib.zip", new Uint8Array(readFileSync(join(dir, "python_stdlib.zip"))));
  const bytes = pyodide.runPython(COMPILE);
  writeFileSync(file, pyodide.FS.readFile("/tmp/compiled.zip"));
  console.log(JSON.stringify({ bytes, ms: Math.round(performance.now() - started) }));
} else if (mode === "make") {
  const pyodide = await loadPyodide({ indexURL, _makeSnapshot: true, ...quiet });
  pyodide.unpackArchive(wheel(), "wheel");
  const modules = pyodide.runPython(PREPARE).toJs();
  const heap = pyodide.makeMemorySnapshot();
  writeFileSync(file, heap);
  console.log(JSON.stringify({ bytes: heap.length, modules, ms: Math.round(performance.now() - started) }));
} else if (mode === "check") {
  const pyodide = await loadPyodide({ indexURL, _loadSnapshot: new Uint8Array(readFileSync(file)), ...quiet });
  pyodide.unpackArchive(wheel(), "wheel");
  const modules = pyodide.runPython(AFTER_RESTORE).toJs();
  const bridge = pyodide.pyimport("py_runtime.demos._lib.bridge");
  const backends = JSON.parse(bridge.call("py_runtime.backend", "available_backends", "{}"));
  console.log(JSON.stringify({ modules, backends, ms: Math.round(performance.now() - started) }));
} else {
  console.error(`usage: node snapshot.mjs stdlib|make|check PYODIDE_DIR ... (not ${mode})`);
  process.exit(2);
}
