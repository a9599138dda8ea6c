// The demo runtime on the page: one Python worker per page, started lazily, shared by all demos.
//
// Each demo is pre-rendered (data-state="static"). When one comes near the viewport, or the
// reader interacts with it, Python starts in a module Web Worker; then the demo's own UI
// module (data-script) is imported and mounted with a `python` handle. States:
// static -> loading -> ready, or error with the reason in place. The text never depends on it.
//
// Faults are expected, not exceptional: a download that fails or stalls, a weights file whose
// SHA-256 does not match, a Python call that raises, never returns (an endless loop) or kills
// the worker. Each one puts the demos it touches in the error state with a sentence saying
// what happened and a button in the status area that really retries: a failed download is
// fetched again; a crashed or hung worker is terminated, a fresh one started, and every demo
// that was live on it is mounted again (its UI module's `mount` runs anew), so it comes back
// to `ready` without any demo knowing about restarts.

const demos = [...document.querySelectorAll("[data-demo]")];
const STALL_MS = 90_000;              // Python's start gives up after this long with no progress
const CALL_TIMEOUT_MS = 15_000;       // a Python call that takes longer is an endless loop: stop it
const NEVER = new Promise(() => {});  // what calls from a dead worker or a discarded UI get
let session = null;                   // promise of the current worker session
let activeSession = null;             // the session once Python runs
let mounts = 0;                       // each mount of a demo gets its own number

const callTimeout = () => Number(document.body.dataset.callTimeoutMs) || CALL_TIMEOUT_MS;
const lastLine = (text) => String(text).split("\n").filter(Boolean).pop() || String(text);

// -- the status area: a live sentence, a progress bar while loading, a retry button on error --
function parts(demo) {
  const status = demo.querySelector(".demo-status");
  let progress = demo.querySelector(".demo-progress");
  let retry = demo.querySelector(".demo-retry");
  if (status && !retry) {
    progress = document.createElement("progress");
    progress.className = "demo-progress";
    progress.max = 1;
    progress.hidden = true;
    progress.setAttribute("aria-label", "Download progress");
    retry = document.createElement("button");
    retry.type = "button";
    retry.className = "demo-retry";
    retry.hidden = true;
    retry.addEventListener("click", () => recover(retry.dataset.action));
    status.after(progress, retry);
  }
  return { status, progress, retry };
}

// The page says whether demos are starting: <html data-demos="loading"> while any demo loads,
// "idle" after, with a "demos-idle" event. site.js waits for it before the offline copy, so
// the service worker's downloads and hashing never compete with Python's start. The first
// start is also marked on the performance timeline (bench/bench_demos.py reads the marks).
const markOnce = (name) => performance.getEntriesByName(name).length || performance.mark(name);

function noteLoading() {
  const html = document.documentElement;
  const loading = demos.some((demo) => demo.dataset.state === "loading");
  const before = html.dataset.demos;
  html.dataset.demos = loading ? "loading" : "idle";
  if (loading) markOnce("demos:loading");
  if (!loading && before === "loading") document.dispatchEvent(new Event("demos-idle"));
}

function setState(demo, state, message) {
  demo.dataset.state = state;
  if (state === "ready") markOnce("demos:first-ready");
  noteLoading();
  const { status, progress, retry } = parts(demo);
  if (status && message !== undefined) status.textContent = message;
  if (progress && state !== "loading") progress.hidden = true;
  if (retry && state !== "error") retry.hidden = true;
}

// kind: "network" (a download failed or stalled), "damaged" (a SHA-256 mismatch), "python"
// (a Python exception), "crash" (the worker died or hung), "other".
function fail(demo, error, message) {
  const kind = error?.kind || "other";
  const { retry } = parts(demo);
  setState(demo, "error", message);
  demo.dataset.failure = kind;
  if (retry) {
    const restart = kind === "python" || kind === "crash";
    retry.textContent = restart ? "Restart Python" : "Try again";
    retry.dataset.action = restart ? "restart" : "retry";
    retry.hidden = false;
  }
}

function showProgress(demo, { message, loaded, total }) {
  if (demo.dataset.state !== "loading") return;
  const { status, progress } = parts(demo);
  if (message && status && status.textContent !== message) status.textContent = message;
  if (progress && total > 0) {
    progress.hidden = false;
    progress.value = Math.min(1, loaded / total);
    progress.textContent = `${(loaded / 1e6).toFixed(1)} of ${(total / 1e6).toFixed(1)} MB`;
    progress.setAttribute("aria-valuetext", progress.textContent);
  }
}

function explain(error) {
  const text = error?.message || String(error);
  switch (error?.kind) {
    case "network":
      return `${text}. ${navigator.onLine === false ? "You seem to be offline. " : ""}` +
        "The text and the picture above do not need it; try again when the connection is back.";
    case "damaged":
      return `${text}. Nothing of it was used; the picture above is the pre-computed state. ` +
        "Try again to download it afresh.";
    case "crash":
      return `${text} Restart it to use the demo again.`;
    default:
      return `This demo could not start: ${text}. The picture above is its pre-computed state.`;
  }
}

function failure(message, kind) {
  const error = new Error(message);
  error.kind = kind;
  return error;
}

// -- the worker session --------------------------------------------------------------------
// The bytes of `url`, checked against `integrity` ("sha256-<base64>"). Checked here with
// WebCrypto, so that a damaged file is told apart from a failed download (as the worker does
// for the wheel and weights); without WebCrypto (an insecure context) the browser's own
// `fetch(url, {integrity})` check is used.
// After a failure the next try bypasses the HTTP cache, in case a bad copy sits there.
const failedBefore = new Set();

async function fetchChecked(url, integrity, what) {
  const subtle = window.crypto?.subtle;
  const cache = failedBefore.has(String(url)) ? "reload" : "default";
  failedBefore.add(String(url));
  let bytes;
  try {
    const response = await fetch(url, subtle ? { cache } : { cache, integrity });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    bytes = await response.arrayBuffer();
  } catch (error) {
    throw failure(`Could not download ${what} (${error.message})`, "network");
  }
  if (subtle) {
    const digest = new Uint8Array(await subtle.digest("SHA-256", bytes));
    if ("sha256-" + btoa(String.fromCharCode(...digest)) !== integrity) {
      throw failure(`${what[0].toUpperCase()}${what.slice(1)} was damaged on the way (its SHA-256 does not match the site's)`, "damaged");
    }
  }
  failedBefore.delete(String(url));
  return bytes;
}

// How fast this page itself came over the network (bytes per ms of its body), or null when it
// came from a cache: the worker's first hint of whether the snapshot is worth downloading.
function pageSpeed() {
  const entry = performance.getEntriesByType("navigation")[0];
  if (!entry?.transferSize || !entry.encodedBodySize) return null;
  return entry.encodedBodySize / Math.max(1, entry.responseEnd - entry.responseStart);
}

// A promise-based handle on the worker: python.call("py_runtime.demos.x", "fn", {arg: 1}).
let startFailed = false;              // then the next start downloads Python afresh (no HTTP cache)

function startPython() {
  if (!session) {
    const starting = boot();
    session = starting;
    starting.catch(() => { if (session === starting) session = null; startFailed = true; });   // a failed start may be retried
  }
  return session;
}

async function boot() {
  const siteRoot = new URL(document.body.dataset.siteRoot, location.href).href;
  const configUrl = new URL(document.body.dataset.runtimeConfig, location.href);
  // Subresource integrity all the way down: the page carries the settings file's SHA-256, the
  // settings carry the worker script's (and the wheel's, the weights'), and the worker is
  // started from the checked bytes, since `new Worker(url)` cannot check anything itself.
  const settings = await fetchChecked(configUrl, document.body.dataset.runtimeIntegrity, "the demo settings");
  const config = JSON.parse(new TextDecoder().decode(settings));
  const code = await fetchChecked(new URL(config.worker.url, siteRoot), config.worker.integrity, "the Python worker");
  const source = URL.createObjectURL(new Blob([code], { type: "text/javascript" }));
  const worker = new Worker(source, { type: "module", name: "python" });
  setTimeout(() => URL.revokeObjectURL(source), 60_000);
  const pending = new Map();
  let nextId = 1;
  let alive = true;
  let bootDone, bootFailed, died;
  const booted = new Promise((resolve, reject) => { bootDone = resolve; bootFailed = reject; });
  // Rejects when this worker is gone (crashed, hung, or restarted on purpose).
  const dead = new Promise((_, reject) => { died = reject; });
  dead.catch(() => {});
  let stall = null;
  const watch = () => {
    clearTimeout(stall);
    stall = setTimeout(() => bootFailed(failure("Python stopped making progress while starting", "network")), STALL_MS);
  };

  // The per-call timeout, as a watchdog: while calls wait, the worker must answer one of them
  // within callTimeout(); each answer rearms it. (Calls run one after another in the worker,
  // so a burst of quick calls never trips it; one endless call does.)
  let watchdog = null;
  const arm = () => {
    clearTimeout(watchdog);
    watchdog = null;
    const waiting = [...pending.values()].filter((entry) => entry.timed);
    if (!waiting.length || !alive) return;
    const limit = callTimeout();
    watchdog = setTimeout(() => me.kill(`Python ran for more than ${Math.round(limit / 1000)} s without ` +
      "answering (an endless loop?), so it was stopped.", waiting[0].demo), limit);
  };

  const me = {
    worker, dead,
    get alive() { return alive; },
    // Stop the worker; every demo live on it goes to the error state with `reason`.
    kill(reason, culprit) {
      if (!alive) return;
      alive = false;
      clearTimeout(stall);
      worker.terminate();
      clearTimeout(watchdog);
      pending.clear();                                // their callers wait for ever: nothing garbled
      if (activeSession === me) activeSession = session = null;
      const error = failure(reason, "crash");
      died(error);
      for (const demo of demos) {
        if (demo.pythonSession !== me || !["ready", "loading"].includes(demo.dataset.state)) continue;
        const title = culprit?.querySelector("figcaption strong")?.textContent;
        fail(demo, error, demo === culprit || !culprit ? explain(error)
          : `Python was stopped because "${title}" stopped answering. Restart it to use this demo again.`);
      }
    },
  };

  worker.onmessage = ({ data }) => {
    if (data.type === "progress") {
      watch();
      for (const demo of demos) if (demo.dataset.state === "loading") showProgress(demo, data);
    } else if (data.type === "ready") {
      clearTimeout(stall);
      for (const [stage, at] of Object.entries(data.timings || {})) {
        if (!performance.getEntriesByName(stage).length) performance.mark(stage, { startTime: at - performance.timeOrigin });
      }
      // How Python started ("snapshot" or "cold") and why: for the benchmark and the tests.
      document.documentElement.dataset.pythonStart = data.start?.from || "cold";
      document.documentElement.dataset.pythonStartReason = data.start?.reason || "";
      bootDone(data);
    } else if (data.type === "boot-error") {
      bootFailed(failure(data.message, data.kind || "network"));
    } else if (data.type === "crash") {
      const culprit = pending.get(data.id)?.demo;
      me.kill(`Python crashed (${lastLine(data.message)}) and was stopped.`, culprit);
    } else if (pending.has(data.id)) {
      const { resolve, reject, timed } = pending.get(data.id);
      pending.delete(data.id);
      if (timed) arm();
      if (data.type === "result") resolve(data.value);
      else reject(failure(data.message, data.kind || "python"));
    }
  };
  worker.onerror = (event) => {
    event.preventDefault?.();
    const message = event.message || "the Python worker failed";
    bootFailed(failure(message, "network"));
    me.kill(`Python crashed (${message}) and was stopped.`);
  };

  try {
    worker.postMessage({ type: "init", config, siteRoot, fresh: startFailed, pageSpeed: pageSpeed() });
    watch();
    const info = await booted;
    const request = (message, demo, timed) => {
      if (!alive) return NEVER;
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject, demo, timed });
        worker.postMessage({ ...message, id });
        if (timed && !watchdog) arm();
      });
    };
    me.version = info.version;
    me.call = (demo, module, func, args = {}) => request({ type: "call", module, func, args }, demo, true);
    me.load = (demo, names) => request({ type: "load", names }, demo, false);
    activeSession = me;
    markOnce("demos:python-ready");
    return me;
  } catch (error) {
    alive = false;
    clearTimeout(stall);
    worker.terminate();
    throw error;
  }
}

// How many of a demo's Python calls are under way: its results are announced only once none is.
function busy(demo, promise) {
  demo.callsInFlight = (demo.callsInFlight || 0) + 1;
  const done = () => { demo.callsInFlight -= 1; };
  promise.then(done, done);
  return promise;
}

// The handle a demo's `mount` gets. Calls from a discarded mount (after a restart) or on a dead
// worker never settle, so old UI code can neither draw nor report anything. A Python exception
// puts the demo in the error state with Python's message, then rejects as before.
function handleFor(demo, me, token) {
  const live = () => demo.mountToken === token && me.alive;
  const guard = async (promise) => {
    try {
      return await promise;
    } catch (error) {
      if (!live()) return NEVER;
      fail(demo, error, `Python failed: ${lastLine(error.message)}`);
      throw error;
    }
  };
  return {
    version: me.version,
    call: (module, func, args = {}) => live() ? busy(demo, guard(me.call(demo, module, func, args))) : NEVER,
    load: (names) => live() ? guard(me.load(demo, names)) : NEVER,
  };
}

// Wait for `promise`, unless the worker dies first.
const unlessDead = (me, promise) => Promise.race([promise, me.dead]);

// Subresource integrity for the demos' UI modules: the page lists them (and what they import)
// with their SHA-256 in <body data-demo-modules>; each is preloaded with <link rel=modulepreload
// integrity>, and the import() of the same URL then uses that checked copy. A module that
// fails the check is never run.
const moduleIntegrity = JSON.parse(document.body.dataset.demoModules || "{}");
let modulesChecked = null;

function preloadModules() {
  modulesChecked ??= Promise.all(Object.entries(moduleIntegrity).map(([href, integrity]) => new Promise((resolve, reject) => {
    const url = new URL(href, location.href).href;
    const link = document.createElement("link");
    link.rel = "modulepreload";
    link.integrity = integrity;
    link.href = url;
    link.addEventListener("load", resolve);
    link.addEventListener("error", () => reject(failure(
      `The demo's code (${url.split("/").pop()}) could not be downloaded or does not match its SHA-256; reload the page to try again`, "network")));
    document.head.append(link);
  })));
  modulesChecked.catch(() => { modulesChecked = null; });
  return modulesChecked;
}

async function importUi(demo) {
  await preloadModules();
  return import(new URL(demo.dataset.script, location.href).href);
}

async function activate(demo) {
  if (demo.dataset.state !== "static") return;
  const token = ++mounts;
  demo.mountToken = token;
  delete demo.dataset.failure;
  setState(demo, "loading", "Starting Python in your browser…");
  try {
    const me = await startPython();
    if (demo.mountToken !== token) return;
    demo.pythonSession = me;
    const weights = (demo.dataset.weights || "").split(" ").filter(Boolean);
    if (weights.length) {
      try {
        await unlessDead(me, me.load(demo, weights));
      } catch (error) {
        throw error.kind === "python" ? failure(error.message, "network") : error;
      }
    }
    markOnce("demos:weights");
    const ui = await unlessDead(me, importUi(demo));
    markOnce("demos:ui-imported");
    await unlessDead(me, ui.mount(demo, handleFor(demo, me, token)));
    if (demo.mountToken !== token || demo.dataset.state !== "loading") return;
    const [version, backend] = me.version.split(", ");
    setState(demo, "ready", `Live: Python ${version} is running in your browser` +
      (backend === "numpy" ? ", with NumPy." : "."));
    announceResults(demo);
  } catch (error) {
    if (demo.mountToken !== token) return;
    if (demo.dataset.state === "error" && error.kind !== "network" && error.kind !== "damaged") return;
    console.warn(`demo ${demo.dataset.demo}:`, error);
    fail(demo, error, explain(error));
  }
}

// -- results, told to screen readers ----------------------------------------------------------
// A demo's readouts (Python's <dl class="readouts">) change with every step of a slider; a live
// region on them would read out every step. Instead each demo has one polite, visually hidden
// sentence that repeats its readouts once the reader has paused: ANNOUNCE_MS after the last
// change of the readouts and the last input, with none of the demo's Python calls under way.
// One announcement per gesture, never one per frame, and none for the state the demo starts in.
const ANNOUNCE_MS = 900;
const INPUTS = ["input", "keydown", "pointermove", "pointerup"];
const readoutsText = (live) => [...live.querySelectorAll("dl.readouts > div")]
  .map((row) => `${row.querySelector("dt")?.textContent.trim()}: ${row.querySelector("dd")?.textContent.trim()}`)
  .join("; ");

function announceResults(demo) {
  const live = demo.querySelector(".demo-live");
  let region = demo.querySelector(".demo-announce");
  if (!region) {
    region = document.createElement("p");
    region.className = "demo-announce visually-hidden";
    region.setAttribute("aria-live", "polite");
    demo.querySelector("figcaption")?.append(region);
  }
  let said = readoutsText(live);
  let timer = 0;
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (demo.querySelector(".demo-live") !== live) return;
      if (demo.callsInFlight > 0) { later(); return; }
      const now = readoutsText(live);
      if (now && now !== said) region.textContent = now;
      said = now;
    }, ANNOUNCE_MS);
  };
  const observer = new MutationObserver(later);
  observer.observe(live, { subtree: true, childList: true, characterData: true });
  for (const type of INPUTS) live.addEventListener(type, () => { if (timer) later(); }, { passive: true });
  demo.announcer?.disconnect();
  demo.announcer = observer;
}

// Back to the pre-rendered picture, with the live part emptied: ready for `mount` again.
function reset(demo) {
  demo.mountToken = ++mounts;
  const live = demo.querySelector(".demo-live");
  const fresh = live.cloneNode(false);
  fresh.hidden = true;
  live.replaceWith(fresh);
  demo.querySelector(".demo-static").hidden = false;
  delete demo.pythonSession;
  demo.callsInFlight = 0;             // calls of the old mount never settle
  setState(demo, "static", "Starting again…");
}

// The retry button: "retry" downloads again what failed; "restart" replaces the worker. Either
// way every demo in the error state, and on a restart every live one, is mounted again.
function recover(action) {
  if (action === "restart") activeSession?.kill("Python was restarted.");
  for (const demo of demos) {
    if (demo.dataset.state === "error" || (action === "restart" && demo.dataset.state === "ready")) {
      reset(demo);
      activate(demo);
    }
  }
}

// site.toml's pyodide.start: "near-viewport" (default) or only on "interaction".
// "Near" is a viewport and a half ahead: a demo usually turns live (and grows by its controls)
// before it scrolls into view, so the text the reader is on does not jump.
const NEAR = 1.5;
const nearPx = () => Math.round(NEAR * innerHeight);
const nearViewport = "IntersectionObserver" in window && document.body.dataset.start !== "interaction"
  ? new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting) {
          nearViewport.unobserve(entry.target);
          activate(entry.target);
        }
      }
    }, { rootMargin: `${NEAR * 100}% 0px` })
  : null;

// The observer only looks once a frame. A fast or smooth scroll (a flick, End, a link to the
// last chapter) can carry a demo from below the viewport to above it between two frames, and
// the observer never sees it near. So each scroll frame also starts every static demo that
// the viewport swept over since the last one, the nearest to where the reader is first (the
// worker takes them in that order).
let sweptFrom = scrollY;
function startSwept() {
  const now = scrollY;
  const top = Math.min(sweptFrom, now) - nearPx();
  const bottom = Math.max(sweptFrom, now) + innerHeight + nearPx();
  const middle = now + innerHeight / 2;
  sweptFrom = now;
  demos
    .filter((demo) => demo.dataset.state === "static" && !demo.mountToken)
    .map((demo) => ({ demo, box: demo.getBoundingClientRect() }))
    .filter(({ box }) => box.bottom + now >= top && box.top + now <= bottom)
    .sort((a, b) => Math.abs(a.box.top + a.box.height / 2 + now - middle) - Math.abs(b.box.top + b.box.height / 2 + now - middle))
    .forEach(({ demo }) => {
      nearViewport.unobserve(demo);
      activate(demo);
    });
}
if (nearViewport) addEventListener("scroll", startSwept, { passive: true });

for (const demo of demos) {
  if (nearViewport) nearViewport.observe(demo);
  for (const type of ["pointerdown", "focusin", "keydown"]) {
    demo.addEventListener(type, (event) => {
      if (!event.target.closest?.(".demo-retry")) activate(demo);
    }, { once: true });
  }
}

// A new link to a demo's state (#demo-NAME?…, see demos/kit.js) while the page is open (a link
// in the text, the address bar, back and forward): a demo that reads links (kit.js's linkState
// marks it) and has started mounts again, and reads it; one still static reads it when it starts.
addEventListener("hashchange", () => {
  for (const demo of demos) {
    if (demo.id && "linkable" in demo.dataset && location.hash.startsWith(`#${demo.id}?`)
        && demo.dataset.state !== "static") {
      reset(demo);
      activate(demo);
    }
  }
});
