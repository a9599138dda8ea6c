// Small shared pieces for the demos' UI modules: labelled sliders, a "latest call wins"
// scheduler for Python calls, dragging SVG handles with pointer, touch or keyboard, and the
// demo's state in the link. The math is never here: it is in py_runtime.demos, called through
// `python.call`.

let uid = 0;

// A labelled range input with its value shown; `onInput(value)` on every change. With a `key`,
// `syncSliders` shows params[key] in it (Python's cleaned value, or a link's).
export function slider(parent, { label, min, max, step, value, unit = "", key, onInput }) {
  const id = `demo-control-${++uid}`;
  const row = document.createElement("div");
  row.className = "control";
  row.innerHTML = `<label for="${id}"></label><input id="${id}" type="range"><output for="${id}"></output>`;
  row.querySelector("label").textContent = label;
  const input = row.querySelector("input");
  const output = row.querySelector("output");
  Object.assign(input, { min, max, step, value });
  if (key) input.dataset.key = key;
  const show = (shown = input.value) => { output.textContent = `${Number(shown).toFixed(decimals(step))}${unit}`; };
  input.addEventListener("input", () => { show(); onInput(Number(input.value)); });
  // A value set from code: the thumb goes to the nearest step, the number shows it exactly.
  input.addEventListener("demo-sync", (event) => show(event.detail ?? input.value));
  show();
  parent.append(row);
  return input;
}

// Put params' values into the sliders under `container` that have a `key` (no input event:
// nothing is drawn again). For after Python's first answer, whose cleaned values are the truth.
export function syncSliders(container, params) {
  for (const input of container.querySelectorAll("input[type=range][data-key]")) {
    const value = params[input.dataset.key];
    if (typeof value !== "number" || !Number.isFinite(value)) continue;
    input.value = value;
    input.dispatchEvent(new CustomEvent("demo-sync", { detail: value }));
  }
}

function decimals(step) {
  const text = String(step);
  return text.includes(".") ? text.split(".")[1].length : 0;
}

// Wrap an async function so that at most one call runs at a time and, while it runs, only
// the newest request waits: dragging fast never queues up stale work.
export function latestOnly(run) {
  let running = false;
  let queued = null;
  return async function schedule(...args) {
    if (running) { queued = args; return; }
    running = true;
    try {
      await run(...args);
      while (queued) {
        const next = queued;
        queued = null;
        await run(...next);
      }
    } finally {
      running = false;
    }
  };
}

// Data coordinates of a pointer event over an SVG drawn by py_runtime.demos._lib.svg.Figure,
// whose view spans [xmin, xmax] × [ymin, ymax] with y up.
export function pointerToData(svg, event, [xmin, xmax, ymin, ymax]) {
  const box = svg.getBoundingClientRect();
  const fx = (event.clientX - box.left) / box.width;
  const fy = (event.clientY - box.top) / box.height;
  return [xmin + fx * (xmax - xmin), ymax - fy * (ymax - ymin)];
}

// Make a figure container draggable: pointer moves report data coordinates to `onMove`.
// Arrow keys move by `keyStep` (`bigStep` with Shift) when the container has focus, so no mouse
// is needed. `bounds` is [xmin, xmax, ymin, ymax] or a function returning it (a view that
// changes). `onPress(point)`, if given, decides what a press does (pick the nearest of several
// points, add one): it returns false to start no drag; with `moveOnPress` false the press only
// picks, and the point moves with the drag. `getPoint()` may return null: nothing to move.
export function draggable(container, bounds, getPoint, onMove,
                          { keyStep = 0.1, bigStep = keyStep, label = "drag the point", onPress = null, moveOnPress = true } = {}) {
  let dragging = false;
  const view = () => (typeof bounds === "function" ? bounds() : bounds);
  const at = (event) => {
    const svg = container.querySelector("svg");
    const point = svg ? pointerToData(svg, event, view()) : null;
    return point && point.every(Number.isFinite) ? point : null;
  };
  container.tabIndex = 0;
  container.setAttribute("aria-label", `${label}; arrow keys move it`);
  container.addEventListener("pointerdown", (event) => {
    const point = event.button > 0 ? null : at(event);
    if (!point || (onPress && onPress(point) === false)) return;
    dragging = true;
    container.setPointerCapture(event.pointerId);
    if (moveOnPress) onMove(point);
  });
  container.addEventListener("pointermove", (event) => {
    const point = dragging ? at(event) : null;
    if (point) onMove(point);
  });
  const stop = () => { dragging = false; };
  container.addEventListener("pointerup", stop);
  container.addEventListener("pointercancel", stop);
  container.addEventListener("keydown", (event) => {
    const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
    const move = moves[event.key];
    const point = move ? getPoint() : null;
    if (!point) return;
    event.preventDefault();
    const step = event.shiftKey ? bigStep : keyStep;
    onMove([point[0] + move[0] * step, point[1] + move[1] * step]);
  });
}

// Replace the pre-rendered picture with the live view.
export function goLive(root) {
  root.querySelector(".demo-static").hidden = true;
  root.querySelector(".demo-live").hidden = false;
}

// -- The demo's state in the link: page/#demo-NAME?smile=0.8&yaw=-0.3 ---------------------------
// `fromLink` reads it when the demo mounts; `linkButton` offers "Copy link to this view". A link
// is input like any other, and may be hostile: only the keys of `defaults` are read, each only as
// its default's type (a finite number, a string, true/false, a list or an object as JSON no deeper
// than MAX_DEPTH), at most `maxLength` characters; anything else keeps the default. The demo's
// Python then cleans what is left (ranges, names, list contents) as it cleans every input.
const MAX_HASH = 20_000;           // a longer link is not read at all
const MAX_DEPTH = 4;               // nesting of a list or object: a point list is 2
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;   // decimal only: no 0x10, no " 1 "
const BOOLEANS = new Map([["1", true], ["true", true], ["0", false], ["false", false]]);

// The link's state for this demo (a URLSearchParams), or null when the link is not to it. The
// demo is marked as one that reads links: demos.js mounts it again when the link changes.
export function linkState(root) {
  root.dataset.linkable = "";
  const prefix = `#${root.id}?`;
  const hash = location.hash;
  if (!root.id || !hash.startsWith(prefix) || hash.length > MAX_HASH) return null;
  return new URLSearchParams(hash.slice(prefix.length));
}

export function fromLink(root, defaults, { maxLength = 2000 } = {}) {
  const params = { ...defaults };
  const link = linkState(root);
  if (!link) return params;
  for (const [key, fallback] of Object.entries(defaults)) {
    const text = link.get(key);
    if (text === null || text.length > maxLength) continue;
    const value = parseAs(text, fallback);
    if (value !== undefined) params[key] = value;
  }
  return params;
}

function parseAs(text, fallback) {
  if (typeof fallback === "number") {
    const value = text.length <= 40 && NUMBER.test(text) ? Number(text) : NaN;
    return Number.isFinite(value) ? value : undefined;
  }
  if (typeof fallback === "boolean") return BOOLEANS.get(text);
  if (typeof fallback === "string") return text;
  if (fallback && typeof fallback === "object") {
    try {
      const value = JSON.parse(text);
      const fits = value && typeof value === "object" && Array.isArray(value) === Array.isArray(fallback);
      return fits && depth(value) <= MAX_DEPTH ? value : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function depth(value, limit = MAX_DEPTH + 1) {
  if (!value || typeof value !== "object" || limit <= 0) return 0;
  return 1 + Math.max(0, ...Object.values(value).map((item) => depth(item, limit - 1)));
}

// Six significant digits: a slider's 0.35 stays 0.35, a dragged point loses only float noise.
const rounded = (value) => (Number.isInteger(value) ? value : Number(value.toPrecision(6)));

function linkText(value) {
  if (typeof value === "number") return Number.isFinite(value) ? String(rounded(value)) : null;
  if (typeof value === "boolean") return value ? "1" : "0";
  if (typeof value === "string") return value;
  if (value && typeof value === "object") {
    return JSON.stringify(value, (_, item) => (typeof item === "number" ? rounded(item) : item));
  }
  return null;
}

// This page's address with #demo-NAME?… for `state` (brackets, commas and colons left readable).
export function linkTo(root, state) {
  const query = Object.entries(state)
    .map(([key, value]) => [key, linkText(value)])
    .filter(([, text]) => text !== null)
    .map(([key, text]) => `${encodeURIComponent(key)}=${encodeURIComponent(text).replace(/%(5B|5D|2C|3A)/g, decodeURIComponent)}`)
    .join("&");
  return `${location.href.split("#")[0]}#${root.id}?${query}`;
}

// A "Copy link to this view" button at the end of `parent`; `state()` gives what the link holds.
// The address bar shows the link too (no reload, no history entry). Where the clipboard is not
// available or refused, the link is shown selected in a read-only field, to copy by hand.
export function linkButton(parent, root, state) {
  const bar = document.createElement("div");
  bar.className = "demo-toolbar demo-link";
  bar.innerHTML = `<button type="button" class="secondary" data-copy-link>Copy link to this view</button>
    <span class="demo-link-status" role="status" data-link-status></span>`;
  const button = bar.querySelector("button");
  const status = bar.querySelector("[data-link-status]");
  let field = null;                               // one, made the first time it is needed
  button.addEventListener("click", async () => {
    const link = linkTo(root, state());
    try { history.replaceState(history.state, "", link); } catch { /* a sandboxed page may refuse */ }
    status.textContent = "";
    try {
      await navigator.clipboard.writeText(link);
      if (field) field.hidden = true;
      status.textContent = "Link copied";
    } catch {
      if (!field) {
        field = Object.assign(document.createElement("input"), { type: "text", readOnly: true });
        field.className = "demo-link-field";
        field.dataset.linkField = "";
        field.setAttribute("aria-label", "Link to this view");
        bar.append(field);
      }
      field.hidden = false;
      field.value = link;
      field.focus();
      field.select();
      status.textContent = "Copy the selected link (the clipboard is not available)";
    }
  });
  parent.append(bar);
  return button;
}
