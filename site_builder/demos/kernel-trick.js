// kernel-trick: two rings in 2-D, lifted by z = x² + y² into a 3-D view Python projects.
// Drag the 3-D view (or use its sliders / arrow keys) to turn it; drag in the 2-D view to
// move the circle x² + y² = c, which is the plane z = c seen from above.
import { goLive, latestOnly, pointerToData, slider } from "./kit.js";

const MODULE = "py_runtime.demos.kernel_trick";
const reducedMotion = () => window.matchMedia("(prefers-reduced-motion: reduce)").matches;

let uid = 0;

export async function mount(root, python) {
  const live = root.querySelector(".demo-live");
  const id = `kt-${++uid}`;
  live.innerHTML = `<div class="kt-panels">
      <div class="kt-panel"><p class="kt-heading" id="${id}-flat">In 2-D: drag to move the circle</p>
        <div class="demo-figure kt-flat" data-figure-flat></div></div>
      <div class="kt-panel"><p class="kt-heading" id="${id}-lifted">Lifted to 3-D: drag to turn it</p>
        <div class="demo-figure kt-lifted" data-figure></div></div>
    </div>
    <div class="demo-toolbar">
      <button type="button" data-animate>Flatten</button>
      <button type="button" class="secondary" data-best>Best plane</button>
      <span class="kt-legend"><span aria-hidden="true">●</span> ring 1 · <span aria-hidden="true">□</span> ring 2 · heavy outline: on the wrong side of the cut</span>
    </div>
    <div class="demo-readouts" data-readouts></div>
    <div class="controls" data-controls></div>`;

  const flat = live.querySelector("[data-figure-flat]");
  const lifted = live.querySelector("[data-figure]");
  const readouts = live.querySelector("[data-readouts]");
  const controls = live.querySelector("[data-controls]");
  const animateButton = live.querySelector("[data-animate]");
  const params = { r1: 0.9, r2: 2.1, noise: 0.15, azimuth: 30, elevation: 25, lift: 1, c: -1 };
  let bounds = [-3.5, 3.5, -3.5, 3.5];
  let current = { c: 2.4, c_max: 12 };

  const inputs = {};
  const show = (key) => {                      // reflect a value set from code in its slider
    const input = inputs[key];
    if (!input) return;
    input.value = params[key] < 0 && key === "c" ? current.c : params[key];
    const step = String(input.step);
    const digits = step.includes(".") ? step.split(".")[1].length : 0;
    input.nextElementSibling.textContent = `${Number(input.value).toFixed(digits)}${key === "azimuth" || key === "elevation" ? "°" : ""}`;
  };

  let version = 0;                               // bumped by every change of the parameters
  const render = latestOnly(async () => {
    const sent = version;
    const state = await python.call(MODULE, "view", params);
    flat.innerHTML = state.flat;
    lifted.innerHTML = state.lifted;
    readouts.innerHTML = state.readouts;
    // Python's cleaned values are the truth, unless the reader has moved on since.
    if (sent === version) Object.assign(params, state.params);
    current = state;
    bounds = state.bounds;
    if (params.c < 0) show("c");
  });
  const draw = () => { version += 1; return render(); };

  const sliders = [
    ["Turn (azimuth)", "azimuth", -180, 180, 1, "°"],
    ["Tilt (elevation)", "elevation", -30, 90, 1, "°"],
    ["Lift", "lift", 0, 1, 0.01, ""],
    ["Plane height c", "c", 0, 12, 0.01, ""],
    ["Ring 1 radius", "r1", 0.2, 2.8, 0.05, ""],
    ["Ring 2 radius", "r2", 0.2, 2.8, 0.05, ""],
    ["Noise", "noise", 0, 0.5, 0.01, ""],
  ];
  for (const [label, key, min, max, step, unit] of sliders) {
    inputs[key] = slider(controls, { label, min, max, step, unit, value: key === "c" ? 2.4 : params[key],
      onInput: (value) => {
        stopAnimation();
        params[key] = value;
        if (key === "lift") setAnimateLabel();
        // New rings: keep following the best plane unless the reader has placed it.
        draw();
      } });
  }

  // Turning the 3-D view: drag, or arrow keys when it has focus.
  lifted.tabIndex = 0;
  lifted.setAttribute("aria-label", "The lifted 3-D view: drag to turn it, or use the arrow keys");
  let last = null;
  lifted.addEventListener("pointerdown", (event) => {
    if (event.button > 0) return;
    last = [event.clientX, event.clientY];
    lifted.setPointerCapture(event.pointerId);
  });
  lifted.addEventListener("pointermove", (event) => {
    if (!last) return;
    const box = lifted.getBoundingClientRect();
    const scale = 360 / Math.max(box.width, 1);  // one width of drag turns it round once
    params.azimuth = wrap(params.azimuth - (event.clientX - last[0]) * scale);
    params.elevation = clamp(params.elevation + (event.clientY - last[1]) * scale * 0.5, -30, 90);
    last = [event.clientX, event.clientY];
    show("azimuth"); show("elevation");
    draw();
  });
  const release = () => { last = null; };
  lifted.addEventListener("pointerup", release);
  lifted.addEventListener("pointercancel", release);
  lifted.addEventListener("keydown", (event) => {
    const turns = { ArrowLeft: [5, 0], ArrowRight: [-5, 0], ArrowUp: [0, 5], ArrowDown: [0, -5] };
    const turn = turns[event.key];
    if (!turn) return;
    event.preventDefault();
    params.azimuth = wrap(params.azimuth + turn[0]);
    params.elevation = clamp(params.elevation + turn[1], -30, 90);
    show("azimuth"); show("elevation");
    draw();
  });

  // The 2-D view: the pointer's squared distance from the origin is the plane's height c.
  flat.tabIndex = 0;
  flat.setAttribute("aria-label", "The 2-D view: drag to set the circle x² + y² = c; up and down arrow keys grow or shrink it");
  let placing = false;
  const placeCircle = (event) => {
    const svg = flat.querySelector("svg");
    if (!svg) return;
    const [x, y] = pointerToData(svg, event, bounds);
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    params.c = clamp(x * x + y * y, 0, current.c_max);
    show("c");
    draw();
  };
  flat.addEventListener("pointerdown", (event) => {
    if (event.button > 0) return;
    placing = true;
    flat.setPointerCapture(event.pointerId);
    placeCircle(event);
  });
  flat.addEventListener("pointermove", (event) => { if (placing) placeCircle(event); });
  const stopPlacing = () => { placing = false; };
  flat.addEventListener("pointerup", stopPlacing);
  flat.addEventListener("pointercancel", stopPlacing);
  flat.addEventListener("keydown", (event) => {
    const delta = { ArrowUp: 0.1, ArrowRight: 0.1, ArrowDown: -0.1, ArrowLeft: -0.1 }[event.key];
    if (delta === undefined) return;
    event.preventDefault();
    const radius = Math.max(Math.sqrt(Math.max(current.c, 0)) + delta, 0);
    params.c = clamp(radius * radius, 0, current.c_max);
    show("c");
    draw();
  });

  live.querySelector("[data-best]").addEventListener("click", () => { params.c = -1; draw(); });

  // Lift / Flatten: animate the lift from where it is to 1 (or 0); no animation under reduced motion.
  let frame = 0;
  function stopAnimation() { if (frame) cancelAnimationFrame(frame); frame = 0; }
  function setAnimateLabel() { animateButton.textContent = params.lift >= 0.5 ? "Flatten" : "Lift"; }
  animateButton.addEventListener("click", () => {
    stopAnimation();
    const target = params.lift >= 0.5 ? 0 : 1;
    const finish = () => { params.lift = target; show("lift"); setAnimateLabel(); draw(); };
    if (reducedMotion()) { finish(); return; }
    const from = params.lift;
    const started = performance.now();
    const duration = 1200 * Math.abs(target - from) + 1;
    const tick = (now) => {
      const s = Math.min((now - started) / duration, 1);
      params.lift = from + (target - from) * (0.5 - 0.5 * Math.cos(Math.PI * s));
      show("lift");
      draw();
      if (s < 1) frame = requestAnimationFrame(tick);
      else { frame = 0; finish(); }
    };
    frame = requestAnimationFrame(tick);
  });

  await draw();
  goLive(root);
}

function clamp(v, low, high) { return Math.min(Math.max(Number.isFinite(v) ? v : low, low), high); }
function wrap(angle) { return ((((angle + 180) % 360) + 360) % 360) - 180; }
