// kernel-trick: two rings in 2-D, lifted by z = x² + y² into a 3-D view Python projects, and a
// kernel perceptron that draws the same kind of boundary from kernel values alone.
// Drag the 3-D view (or use its sliders / arrow keys) to turn it. In the 2-D view, drag the
// circle's centre to move it (the plane tilts) or drag elsewhere to resize it (the plane rises).
// A link can carry every setting (#demo-kernel-trick?lift=0&kernel=rbf): see kit.js's fromLink.
import { fromLink, goLive, latestOnly, linkButton, pointerToData, slider } from "./kit.js";

const MODULE = "py_runtime.demos.kernel_trick";
const GRAB = 0.35;                               // data units: a press this close to the centre moves it
const reducedMotion = () => window.matchMedia("(prefers-reduced-motion: reduce)").matches;

let uid = 0;

export async function mount(root, python) {
  const live = root.querySelector(".demo-live");
  const id = `kt-${++uid}`;
  live.innerHTML = `<div class="kt-panels">
      <div class="kt-panel"><p class="kt-heading">In 2-D: drag the centre to move the circle, elsewhere to resize it</p>
        <div class="demo-figure kt-flat" data-figure-flat></div></div>
      <div class="kt-panel"><p class="kt-heading">Lifted to 3-D: drag to turn it</p>
        <div class="demo-figure kt-lifted" data-figure></div></div>
    </div>
    <div class="demo-toolbar">
      <button type="button" data-animate>Flatten</button>
      <button type="button" class="secondary" data-best>Best radius</button>
      <span class="kt-legend"><span aria-hidden="true">●</span> ring 1 · <span aria-hidden="true">□</span> ring 2 · heavy outline: on the wrong side of the cut</span>
    </div>
    <div class="demo-readouts" data-readouts></div>
    <div class="controls" data-controls></div>
    <p class="kt-heading kt-kernel-heading">The kernel trick: a perceptron that only ever sees k(xᵢ, xⱼ)</p>
    <div class="kt-panels">
      <div class="demo-figure kt-kernel" data-figure-kernel></div>
      <div class="demo-figure kt-gram" data-figure-gram></div>
    </div>
    <div class="controls" data-kernel-controls>
      <div class="control kt-choice"><label for="${id}-kernel">Kernel k(x, y)</label>
        <select id="${id}-kernel" data-kernel>
          <option value="linear">x·y (linear: no lift)</option><option value="homogeneous">(x·y)ᵈ</option>
          <option value="inhomogeneous">(x·y + 1)ᵈ</option><option value="rbf">RBF, width σ</option>
        </select></div>
    </div>
    <div class="demo-readouts" data-kernel-readouts></div>`;

  const figures = {
    flat: live.querySelector("[data-figure-flat]"), lifted: live.querySelector("[data-figure]"),
    kernel_svg: live.querySelector("[data-figure-kernel]"), gram_svg: live.querySelector("[data-figure-gram]"),
    readouts: live.querySelector("[data-readouts]"), kernel_readouts: live.querySelector("[data-kernel-readouts]"),
  };
  const { flat, lifted } = figures;
  const animateButton = live.querySelector("[data-animate]");
  const kernelSelect = live.querySelector("[data-kernel]");
  const params = fromLink(root, { r1: 0.9, r2: 2.1, noise: 0.15, shift: 0, azimuth: 30, elevation: 25, lift: 1,
                                  cx: 0, cy: 0, radius: -1, kernel: "inhomogeneous", degree: 2, sigma: 1 });
  let current = { circle: { cx: 0, cy: 0, radius: 1.5 }, bounds: [-4, 4, -4, 4] };
  kernelSelect.value = params.kernel;

  const inputs = {};
  const show = (key, value = params[key]) => {   // reflect a value set from code in its slider
    const input = inputs[key];
    if (!input) return;
    input.value = value;
    const step = String(input.step);
    const digits = step.includes(".") ? step.split(".")[1].length : 0;
    const unit = key === "azimuth" || key === "elevation" ? "°" : "";
    input.nextElementSibling.textContent = `${Number(input.value).toFixed(digits)}${unit}`;
  };

  const shown = {};                              // the markup each element holds: replace only what changed
  let version = 0;                               // bumped by every change of the parameters
  const render = latestOnly(async () => {
    const sent = version;
    const state = await python.call(MODULE, "view", params);
    for (const [key, element] of Object.entries(figures)) {
      if (shown[key] !== state[key]) { element.innerHTML = state[key]; shown[key] = state[key]; }
    }
    // Python's cleaned values are the truth, unless the reader has moved on since.
    if (sent === version) Object.assign(params, state.params);
    current = state;
    if (params.radius < 0) show("radius", state.circle.radius);
  });
  const draw = () => { version += 1; return render(); };

  const addSliders = (parent, list) => {
    for (const [label, key, min, max, step, unit] of list) {
      inputs[key] = slider(parent, { label, min, max, step, unit, value: params[key] < 0 ? 1.5 : params[key],
        onInput: (value) => {
          stopAnimation();
          params[key] = value;
          if (key === "lift") setAnimateLabel();
          draw();
        } });
    }
  };
  addSliders(live.querySelector("[data-controls]"), [
    ["Turn (azimuth)", "azimuth", -180, 180, 1, "°"],
    ["Tilt (elevation)", "elevation", -30, 90, 1, "°"],
    ["Lift", "lift", 0, 1, 0.01, ""],
    ["Circle radius", "radius", 0, 8, 0.01, ""],
    ["Ring 1 radius", "r1", 0.2, 2.8, 0.05, ""],
    ["Ring 2 radius", "r2", 0.2, 2.8, 0.05, ""],
    ["Noise", "noise", 0, 0.5, 0.01, ""],
    ["Rings' centre x", "shift", -1, 1, 0.05, ""],
  ]);
  addSliders(live.querySelector("[data-kernel-controls]"), [
    ["Degree d", "degree", 1, 6, 1, ""],
    ["RBF width σ", "sigma", 0.1, 3, 0.05, ""],
  ]);
  kernelSelect.addEventListener("change", () => { params.kernel = kernelSelect.value; draw(); });

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
    turn(-(event.clientX - last[0]) * scale, (event.clientY - last[1]) * scale * 0.5);
    last = [event.clientX, event.clientY];
  });
  const release = () => { last = null; };
  lifted.addEventListener("pointerup", release);
  lifted.addEventListener("pointercancel", release);
  lifted.addEventListener("keydown", (event) => {
    const turns = { ArrowLeft: [5, 0], ArrowRight: [-5, 0], ArrowUp: [0, 5], ArrowDown: [0, -5] };
    if (!turns[event.key]) return;
    event.preventDefault();
    turn(...turns[event.key]);
  });
  function turn(dAzimuth, dElevation) {
    params.azimuth = wrap(params.azimuth + dAzimuth);
    params.elevation = clamp(params.elevation + dElevation, -30, 90);
    show("azimuth"); show("elevation");
    draw();
  }

  // The 2-D view: near the centre a drag moves the circle (keeping "best radius" if it is on);
  // elsewhere the pointer's distance from the centre is the radius.
  flat.tabIndex = 0;
  flat.setAttribute("aria-label", "The 2-D view: drag the centre to move the circle, elsewhere to resize it; "
    + "arrow keys move the centre, + and − resize it");
  let mode = null;
  const radiusNow = () => (params.radius < 0 ? current.circle.radius : params.radius);
  const setRadius = (radius) => { params.radius = clamp(radius, 0, 8); show("radius"); };
  const setCentre = (x, y) => { params.cx = clamp(x, -4, 4); params.cy = clamp(y, -4, 4); };
  const dataPoint = (event) => {
    const svg = flat.querySelector("svg");
    return svg ? pointerToData(svg, event, current.bounds) : [NaN, NaN];
  };
  const follow = (event) => {
    const [x, y] = dataPoint(event);
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    if (mode === "move") setCentre(x, y);
    else setRadius(Math.hypot(x - params.cx, y - params.cy));
    draw();
  };
  flat.addEventListener("pointerdown", (event) => {
    if (event.button > 0) return;
    const [x, y] = dataPoint(event);
    mode = Math.hypot(x - params.cx, y - params.cy) < GRAB ? "move" : "resize";
    flat.setPointerCapture(event.pointerId);
    follow(event);
  });
  flat.addEventListener("pointermove", (event) => { if (mode) follow(event); });
  const stopPlacing = () => { mode = null; };
  flat.addEventListener("pointerup", stopPlacing);
  flat.addEventListener("pointercancel", stopPlacing);
  flat.addEventListener("keydown", (event) => {
    const moves = { ArrowLeft: [-0.1, 0], ArrowRight: [0.1, 0], ArrowUp: [0, 0.1], ArrowDown: [0, -0.1] };
    const grow = { "+": 0.1, "=": 0.1, PageUp: 0.1, "-": -0.1, "−": -0.1, PageDown: -0.1 }[event.key];
    if (moves[event.key]) setCentre(params.cx + moves[event.key][0], params.cy + moves[event.key][1]);
    else if (grow !== undefined) setRadius(radiusNow() + grow);
    else return;
    event.preventDefault();
    draw();
  });

  live.querySelector("[data-best]").addEventListener("click", () => { params.radius = -1; draw(); });
  linkButton(live, root, () => params);

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
  // Python's cleaned values (a link's, or the defaults) in the controls; "best radius" shows the fit.
  for (const key of Object.keys(inputs)) if (key !== "radius" || params.radius >= 0) show(key);
  kernelSelect.value = params.kernel;
  setAnimateLabel();
  goLive(root);
}

function clamp(v, low, high) { return Math.min(Math.max(Number.isFinite(v) ? v : low, low), high); }
function wrap(angle) { return ((((angle + 180) % 360) + 360) % 360) - 180; }
