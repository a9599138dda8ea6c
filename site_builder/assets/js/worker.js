// The Python worker: boots Pyodide from the site's own origin, installs the py_runtime wheel
// (verified by its SHA-256), then answers calls. The math lives in Python; this is plumbing.
//
// Every download reports progress (bytes) to the page, gives up when no byte arrives for a
// while, and says which kind of failure it was: "network" (it could not be fetched) or
// "damaged" (it arrived, but its SHA-256 does not match the one the build recorded; nothing
// of it is used). A call that fails with a Python exception is an "error" reply; anything
// else (the interpreter itself broken) is a "crash", and the page replaces this worker.

let pyodide = null;
let bridge = null;
let start = null;                    // { from: "snapshot" | "cold", reason } once Python runs
let settings = null;                 // { config, siteRoot } from the page
const loads = new Map();             // weights name -> promise of it being in /weights
const STALL_MS = 30_000;             // a download with no new byte for this long has failed

const nativeFetch = self.fetch.bind(self);   // never counted as one of Pyodide's own downloads
const progress = (message, loaded = 0, total = 0) => postMessage({ type: "progress", message, loaded, total });

class Failure extends Error {
  constructor(message, kind) {
    super(message);
    this.kind = kind;
  }
}

// Read a response body, counting bytes, failing if the stream stalls.
async function readAll(response, onBytes, controller) {
  const reader = response.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const timer = setTimeout(() => controller.abort(new Error("the download stalled")), STALL_MS);
    let step;
    try {
      step = await reader.read();
    } finally {
      clearTimeout(timer);
    }
    if (step.done) break;
    chunks.push(step.value);
    size += step.value.byteLength;
    onBytes(size);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) { bytes.set(chunk, offset); offset += chunk.byteLength; }
  return bytes;
}

function base64(buffer) {
  let text = "";
  for (const byte of new Uint8Array(buffer)) text += String.fromCharCode(byte);
  return btoa(text);
}

// Fetch `url` and check it against its SRI value ("sha256-<base64>"). The check is done here
// with WebCrypto, so a damaged file is told apart from a failed download; where WebCrypto is
// missing (an insecure context) the browser's own `fetch(url, {integrity})` check is used.
async function fetchVerified(url, integrity, what, { onBytes = () => {}, fresh = false, fetcher = fetch, signal } = {}) {
  const subtle = self.crypto?.subtle;
  const controller = new AbortController();
  signal?.addEventListener("abort", () => controller.abort(signal.reason));
  let response, bytes;
  try {
    response = await fetcher(url, { signal: controller.signal, cache: fresh ? "reload" : "default",
                                  ...(subtle ? {} : { integrity }) });
    if (!response.ok) throw new Failure(`Could not download ${what} (HTTP ${response.status})`, "network");
    bytes = await readAll(response, onBytes, controller);
  } catch (error) {
    if (error instanceof Failure) throw error;
    const reason = controller.signal.aborted ? controller.signal.reason?.message : error.message;
    throw new Failure(`Could not download ${what} (${reason || "the connection failed"})`, "network");
  }
  if (subtle) {
    const actual = "sha256-" + base64(await subtle.digest("SHA-256", bytes));
    if (actual !== integrity) {
      const plural = what.endsWith("s") ? "were" : "was";
      throw new Failure(`${what[0].toUpperCase()}${what.slice(1)} ${plural} damaged on the way ` +
                        `(${bytes.length.toLocaleString("en")} bytes whose SHA-256 does not match the site's)`, "damaged");
    }
  }
  return bytes;
}

const url = (path) => new URL(path, settings.siteRoot).href;

// While Pyodide starts, its own downloads (the WebAssembly binary, the standard library) are
// counted for the progress bar, and the first one that fails ends the start at once instead
// of leaving Pyodide waiting for ever.
// The files Pyodide fetches itself, checked as they stream in; its scripts and package list are
// fetched and checked by boot() first.
const STREAMED = ["pyodide.asm.wasm", "python_stdlib.zip"];

function trackDownloads(onFailure, core = {}, fresh = false) {
  const plainFetch = self.fetch;
  // name -> [loaded, total] of the big files, all known from the start (the build lists
  // Pyodide's files with their sizes), so the bar measures the whole download.
  const files = new Map(Object.entries(core).filter(([, f]) => f.bytes > 256 * 1024).map(([n, f]) => [n, [0, f.bytes]]));
  const checks = [];                          // their SHA-256 checks, running beside Pyodide
  let last = 0;
  let shown = 0;                              // the bar never goes back when another file starts
  const report = (force) => {
    const now = performance.now();
    if (!force && now - last < 100) return;
    last = now;
    let loaded = 0, total = 0;
    for (const [got, size] of files.values()) { loaded += got; total += Math.max(size, got); }
    if (!total) return;
    shown = Math.max(shown, loaded / total);
    progress(`Downloading Python (${(total / 1e6).toFixed(0)} MB, once)…`, Math.round(shown * total), total);
  };
  self.fetch = async (input, init) => {
    const name = String(input?.url ?? input);
    let response;
    try {
      // After a failed start, past the HTTP cache: a damaged copy may sit there.
      response = await plainFetch(input, fresh ? { ...init, cache: "reload" } : init);
    } catch (error) {
      onFailure(new Failure(`Could not download Python (${error.message})`, "network"));
      throw error;
    }
    if (!response.ok) {
      onFailure(new Failure(`Could not download Python (HTTP ${response.status} for ${name.split("/").pop()})`, "network"));
      return response;
    }
    if (!response.body) return response;
    const file = name.split("/").pop();
    const entry = files.get(file) || [0, Number(response.headers.get("content-length")) || 0];
    if (entry[1] <= 256 * 1024) return response;
    entry[0] = 0;
    // The big files (the WebAssembly binary, the standard library) are counted on a copy of
    // the stream, so Pyodide still gets the browser's own response: the binary compiles while
    // it downloads, and the browser may cache the compiled code for the next visit.
    // The copy is also checked against the file's SHA-256: a mismatch ends the start, and the
    // page discards this worker, so nothing of a damaged file is used.
    files.set(file, entry);
    const expected = STREAMED.includes(file) ? core[file]?.integrity : undefined;   // the rest: fetchVerified
    const copy = response.clone().body.getReader();
    checks.push((async () => {
      const chunks = [];
      try {
        for (;;) {
          const { done, value } = await copy.read();
          if (done) break;
          if (expected) chunks.push(value);
          entry[0] += value.byteLength;
          report(false);
        }
      } catch (error) {
        onFailure(new Failure(`Could not download Python (${error.message})`, "network"));
        return;
      }
      report(true);
      if (expected && self.crypto?.subtle) {
        const actual = "sha256-" + base64(await self.crypto.subtle.digest("SHA-256", await new Blob(chunks).arrayBuffer()));
        if (actual !== expected) {
          onFailure(new Failure(`Python was damaged on the way (${file}: its SHA-256 does not match the site's)`, "damaged"));
        }
      }
    })());
    return response;
  };
  // A file this worker fetches itself (the snapshot), counted in the same bar.
  const counted = (name, size) => {
    const entry = [0, size];
    files.set(name, entry);
    return (loaded) => { entry[0] = loaded; report(loaded >= size); };
  };
  const uncounted = (name) => { files.delete(name); };
  return { untrack: () => { self.fetch = plainFetch; }, checked: () => Promise.all(checks), counted, uncounted };
}

// -- the memory snapshot -------------------------------------------------------------------
// The build made a snapshot of Python with py_runtime and all its modules imported
// (site_builder/snapshot.py); restoring it skips the interpreter's start and the imports.
// It is also one more download (config.snapshot.bytes, gzipped), so it is used when it is
// already here (the offline copy or the HTTP cache holds it) or when this connection would
// fetch it in less time than it saves; the speed is that of Pyodide's script, just
// downloaded. Anything wrong with it (a failed or damaged download, no DecompressionStream,
// a restore that fails) means one console warning and a start without it, as before.
const SNAPSHOT_SAVES_MS = 1500;      // it saved 1.85 s of a 3.67 s cold start here (bench/bench_demos.py): a margin

class SnapshotProblem extends Error {}

async function snapshotIsHere(address) {
  try {
    if (await self.caches?.match(address)) return true;
  } catch { /* no CacheStorage here */ }
  try {
    const response = await nativeFetch(address, { cache: "only-if-cached", mode: "same-origin" });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

// Bytes per ms of a download that just came over the network (its resource timing), or
// null when it came from a cache and says nothing about the connection.
function measuredSpeed(address) {
  const entry = performance.getEntriesByName(address).pop();
  if (!entry || !entry.transferSize || !entry.encodedBodySize) return null;
  return entry.encodedBodySize / Math.max(1, entry.responseEnd - entry.responseStart);
}

const canRestore = (config) => Boolean(config.snapshot) && typeof DecompressionStream === "function";

// The page's own download is a first, rough measure of the connection (a small file reads
// slower than the line): good enough to start fetching the snapshot beside Pyodide's scripts,
// which are then the measure that decides (the early fetch is stopped if it does not pay).
const worthTrying = (config, speed) => Boolean(speed) && config.snapshot.bytes / speed < 2 * SNAPSHOT_SAVES_MS;

// Pyodide's script measures the connection; if it came through a cache or the service worker
// the page's own download does; if neither says anything, Python starts cold (and the offline
// copy keeps the snapshot for the next start).
function chooseSnapshot(config, here, pageSpeed) {
  const snapshot = config.snapshot;
  if (!snapshot) return { use: false, reason: "this site has none" };
  if (!canRestore(config)) return { use: false, reason: "this browser has no DecompressionStream", warn: true };
  if (here) return { use: true, reason: "already here" };
  const speed = measuredSpeed(url(config.pyodide + "pyodide.asm.mjs")) ?? pageSpeed;
  if (!speed) return { use: false, reason: "no measure of the connection" };
  const expected = snapshot.bytes / speed;
  if (expected > SNAPSHOT_SAVES_MS) {
    return { use: false, reason: `fetching it would take about ${(expected / 1000).toFixed(1)} s, more than it saves` };
  }
  return { use: true, reason: `about ${(expected / 1000).toFixed(1)} s to fetch` };
}

// The snapshot's heap: downloaded and checked like every file, then decompressed.
async function fetchSnapshot(snapshot, onBytes, fresh, signal) {
  try {
    const packed = await fetchVerified(url(snapshot.url), snapshot.integrity, "the Python snapshot",
                                       { onBytes, fresh, fetcher: nativeFetch, signal });
    const stream = new Blob([packed]).stream().pipeThrough(new DecompressionStream("gzip"));
    const heap = new Uint8Array(await new Response(stream).arrayBuffer());
    if (heap.length !== snapshot.raw_bytes) throw new Error(`it unpacked to ${heap.length} bytes, not ${snapshot.raw_bytes}`);
    stamp("worker:snapshot-ready");
    return heap;
  } catch (error) {
    throw new SnapshotProblem(error.message);
  }
}

// The snapshot's part of a start. A snapshot that is already here, or that the page's own
// speed says is likely worth it, is fetched at once, beside Pyodide's scripts; `choose` then
// decides on their speed, and `drop` stops an early fetch that does not pay.
function snapshotPlan(config, downloads, fresh, pageSpeed) {
  const early = new AbortController();
  const onBytes = config.snapshot && downloads.counted("snapshot", config.snapshot.bytes);
  let heap = null;
  const fetchHeap = (signal) => {
    heap = fetchSnapshot(config.snapshot, onBytes, fresh, signal);
    heap.catch(() => {});
    return heap;
  };
  const here = canRestore(config) && !fresh ? snapshotIsHere(url(config.snapshot.url)) : Promise.resolve(false);
  here.then((yes) => { if (yes || (canRestore(config) && worthTrying(config, pageSpeed))) fetchHeap(early.signal); });
  const plan = {
    async choose() {
      const choice = chooseSnapshot(config, await here, pageSpeed);
      if (!choice.use) plan.drop("not worth it on this connection");
      return choice;
    },
    heap: () => heap ?? fetchHeap(),
    drop(reason) {
      early.abort(new Error(reason));
      heap = null;
      downloads.uncounted("snapshot");
    },
  };
  return plan;
}

// loadPyodide from the snapshot when it is chosen, else (or when restoring fails) cold.
// Returns [pyodide, { from, reason }].
async function startPyodide(loadPyodide, options, plan, failure, held) {
  const choice = await plan.choose();
  if (choice.use) {
    stamp("worker:snapshot-chosen");
    try {
      const restored = await Promise.race([loadPyodide({ ...options, _loadSnapshot: plan.heap() }), failure]);
      // A snapshot freezes the random state: every reader would draw the same numbers.
      restored.runPython("import importlib, random; random.seed(); importlib.invalidate_caches()");
      return [restored, { from: "snapshot", reason: choice.reason }];
    } catch (error) {
      if (error instanceof Failure) throw error;          // Pyodide's own files failed: no use retrying
      held.length = 0;                                    // what the failed restore logged is explained below
      plan.drop(error.message);
      choice.reason = error.message;
      choice.warn = true;
    }
  }
  if (choice.warn) console.warn(`Python starts without its snapshot: ${choice.reason}`);
  return [await Promise.race([loadPyodide(options), failure]), { from: "cold", reason: choice.reason }];
}

// When each stage of the start ended (ms since the epoch), for the page's performance marks.
const timings = {};
const stamp = (stage) => { timings[stage] = performance.timeOrigin + performance.now(); };

async function boot({ config, siteRoot, fresh = false, pageSpeed = null }) {
  stamp("worker:started");
  settings = { config, siteRoot };
  const size = Object.values(config.pyodide_files || {}).reduce((sum, f) => sum + f.bytes, 0);
  progress(`Downloading Python (${(size / 1e6).toFixed(0)} MB, once)…`);
  let failed;
  const failure = new Promise((_, reject) => { failed = reject; });
  failure.catch(() => {});
  const downloads = trackDownloads((error) => failed(error), config.pyodide_files, fresh);
  // After a failed download Pyodide leaves promises nobody waits for, and logs the broken
  // download itself: the start has failed, the page says so in place, and this worker is
  // about to be replaced, so neither is worth an error on the console. What Pyodide logs while
  // starting is held, and shown only if the start succeeds.
  const quiet = (event) => event.preventDefault();
  self.addEventListener("unhandledrejection", quiet);
  const consoleError = console.error;
  const held = [];
  console.error = (...args) => held.push(args);
  let started = false;
  try {
    // The demo code downloads while Pyodide starts.
    const wheel = fetchVerified(url(config.runtime.url), config.runtime.integrity, "the demo code", { fresh });
    const plan = snapshotPlan(config, downloads, fresh, pageSpeed);
    wheel.catch(() => {});                      // reported below, once Pyodide is up
    // Pyodide's two scripts are checked against their SHA-256 before they are imported (the
    // import then takes the checked copy from the HTTP cache: they are immutable, content-
    // hashed files; a blob: import would need 'blob:' in the pages' script-src). Its package
    // list is read from the checked bytes; its binary and standard library are checked as
    // they stream in (trackDownloads).
    const core = config.pyodide_files || {};
    const checked = (name) => fetchVerified(url(config.pyodide + name), core[name]?.integrity, "Python", { fresh });
    const [, , lock] = await Promise.race([
      Promise.all(["pyodide.mjs", "pyodide.asm.mjs", "pyodide-lock.json"].map(checked)), failure]);
    let loadPyodide, createPyodideModule;
    try {
      ({ loadPyodide } = await import(url(config.pyodide + "pyodide.mjs")));
      createPyodideModule = (await import(url(config.pyodide + "pyodide.asm.mjs"))).default;
    } catch (error) {
      throw new Failure(`Could not download Python (${error.message})`, "network");
    }
    const indexURL = url(config.pyodide);
    const options = { indexURL, packageBaseUrl: indexURL, createPyodideModule,
                      lockFileContents: JSON.parse(new TextDecoder().decode(lock)) };
    [pyodide, start] = await startPyodide(loadPyodide, options, plan, failure, held);
    await Promise.race([downloads.checked(), failure]);     // nothing runs before they pass
    stamp("worker:pyodide-loaded");
    if (config.packages?.length) await loadPackages(config.packages);
    progress("Installing the demo code…");
    pyodide.unpackArchive(await wheel, "wheel");
    stamp("worker:wheel-installed");
    started = true;
  } catch (error) {
    if (error instanceof Failure) throw error;
    throw new Failure(`Python could not start (${error.message})`, "network");
  } finally {
    downloads.untrack();
    const restore = () => {
      console.error = consoleError;
      self.removeEventListener("unhandledrejection", quiet);
    };
    if (started) {
      restore();
      for (const args of held) consoleError(...args);
    } else {
      setTimeout(restore, 1000);
    }
  }
  bridge = pyodide.pyimport("py_runtime.demos._lib.bridge");
  // py_runtime.load(name) reads weights from $PY_RUNTIME_WEIGHTS, as on CPython.
  pyodide.FS.mkdirTree("/weights");
  pyodide.runPython("import os; os.environ['PY_RUNTIME_WEIGHTS'] = '/weights'");
  const version = pyodide.runPython("import sys, py_runtime; f'{sys.version.split()[0]}, {py_runtime.current_backend()}'");
  stamp("worker:imported");
  return version;
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

// Fetch a weights file once (verified against its SHA-256) into Python's file system. A file
// is written only once it is whole and verified; a failed one is forgotten, so that asking
// again downloads it again (bypassing the HTTP cache, in case a bad copy sits there).
const failedBefore = new Set();

function loadWeights(name) {
  if (!loads.has(name)) {
    loads.set(name, (async () => {
      const weights = settings.config.weights;
      const entry = weights.models?.[name];
      if (!entry) throw new Failure(`no weights named ${name} on this site`, "other");
      if (!loads.has("manifest.json")) {
        loads.set("manifest.json", fetchVerified(url(weights.manifest), weights.manifest_integrity, "the model list",
                                                 { fresh: failedBefore.has("manifest.json") })
          .then((bytes) => pyodide.FS.writeFile("/weights/manifest.json", bytes)));
        loads.get("manifest.json").catch(() => { loads.delete("manifest.json"); failedBefore.add("manifest.json"); });
      }
      await loads.get("manifest.json");
      const message = `Downloading the ${name} weights (${Math.round(entry.bytes / 1024)} KB)…`;
      progress(message, 0, entry.bytes);
      const bytes = await fetchVerified(url(entry.url), entry.integrity, `the ${name} weights`,
        { onBytes: (n) => progress(message, n, entry.bytes), fresh: failedBefore.has(name) });
      pyodide.FS.writeFile(`/weights/${entry.file}`, bytes);
    })());
    loads.get(name).catch(() => { loads.delete(name); failedBefore.add(name); });
  }
  return loads.get(name);
}

const isPythonError = (error) => error?.constructor?.name === "PythonError" || typeof error?.type === "string";

self.onmessage = async ({ data }) => {
  if (data.type === "init") {
    try {
      const version = await boot(data);
      postMessage({ type: "ready", version, timings, start });
    } catch (error) {
      postMessage({ type: "boot-error", message: String(error.message || error), kind: error.kind || "network" });
    }
  } else if (data.type === "load") {
    try {
      await Promise.all(data.names.map(loadWeights));
      postMessage({ type: "result", id: data.id, value: null });
    } catch (error) {
      postMessage({ type: "error", id: data.id, message: String(error.message || error), kind: error.kind || "other" });
    }
  } else if (data.type === "call") {
    let text;
    try {
      text = bridge.call(data.module, data.func, JSON.stringify(data.args));
    } catch (error) {
      // A Python exception is the demo's business; anything else means the interpreter broke.
      postMessage({ type: isPythonError(error) ? "error" : "crash", id: data.id, kind: "python",
                    message: String(error.message || error) });
      return;
    }
    postMessage({ type: "result", id: data.id, value: JSON.parse(text) });
  }
};
