// Small shared pieces for the demos' UI modules: labelled sliders, a "latest call wins"
// scheduler for Python calls, and dragging SVG handles with pointer, touch or keyboard.
// The math is never here: it is in py_runtime.demos, called through `python.call`.

let uid = 0;

// A labelled range input with its value shown; `onInput(value)` on every change.
export function slider(parent, { label, min, max, step, value, unit = "", onInput }) {
  const id = `demo-control-${++uid}`;
  const row = document.createElement("div");
  row.className = "control";
  row.innerHTML = `<label for="${id}"></label><input id="${id}" type="range"><output for="${id}"></output>`;
  row.querySelector("label").textContent = label;
  const input = row.querySelector("input");
  const output = row.querySelector("output");
  Object.assign(input, { min, max, step, value });
  const show = () => { output.textContent = `${Number(input.value).toFixed(decimals(step))}${unit}`; };
  input.addEventListener("input", () => { show(); onInput(Number(input.value)); });
  show();
  parent.append(row);
  return input;
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

// Data coordinates of a pointer event over an SVG drawn by py_runtime.demos.svg.Figure,
// whose view spans [xmin, xmax] × [ymin, ymax] with y up.
export function pointerToData(svg, event, [xmin, xmax, ymin, ymax]) {
  const box = svg.getBoundingClientRect();
  const fx = (event.clientX - box.left) / box.width;
  const fy = (event.clientY - box.top) / box.height;
  return [xmin + fx * (xmax - xmin), ymax - fy * (ymax - ymin)];
}

// Make a figure container draggable: pointer moves report data coordinates to `onMove`.
// Arrow keys move by `keyStep` when the container has focus, so no mouse is needed.
export function draggable(container, bounds, getPoint, onMove, { keyStep = 0.1, label = "drag the point" } = {}) {
  let dragging = false;
  container.tabIndex = 0;
  container.setAttribute("aria-label", `${label}; arrow keys move it`);
  container.addEventListener("pointerdown", (event) => {
    const svg = container.querySelector("svg");
    if (!svg) return;
    dragging = true;
    container.setPointerCapture(event.pointerId);
    onMove(pointerToData(svg, event, bounds));
  });
  container.addEventListener("pointermove", (event) => {
    const svg = container.querySelector("svg");
    if (dragging && svg) onMove(pointerToData(svg, event, bounds));
  });
  const stop = () => { dragging = false; };
  container.addEventListener("pointerup", stop);
  container.addEventListener("pointercancel", stop);
  container.addEventListener("keydown", (event) => {
    const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    const [x, y] = getPoint();
    onMove([x + move[0] * keyStep, y + move[1] * keyStep]);
  });
}

// Replace the pre-rendered picture with the live view.
export function goLive(root) {
  root.querySelector(".demo-static").hidden = true;
  root.querySelector(".demo-live").hidden = false;
}
