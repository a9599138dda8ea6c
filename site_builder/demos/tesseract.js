// tesseract: sliders rotate a hypercube in the xw, yw, zw planes and extrude it from 3-D to 4-D;
// dragging turns the 3-D view. Below, one MNIST digit as a 784-long vector, a pixel at a time,
// and for contrast a random 784-vector (static). A link can carry the rotations, the view and the
// digit (#demo-tesseract?xw=45&dim=3.5&label=7): see kit.js's fromLink.
import { fromLink, goLive, latestOnly, linkButton, pointerToData, slider, syncSliders } from "./kit.js";

const MODULE = "py_runtime.demos.tesseract";

export async function mount(root, python) {
  const live = root.querySelector(".demo-live");
  live.innerHTML = `<div class="demo-figure tesseract-figure" data-figure tabindex="0" role="group"
      aria-label="Tesseract: drag to turn the 3-D view; arrow keys turn it too"></div>
    <div class="controls" data-controls></div>
    <div class="demo-toolbar">
      <button type="button" class="secondary" data-spin aria-pressed="false"></button>
      <button type="button" class="secondary" data-reset>Reset rotations</button>
    </div>
    <div class="demo-readouts" data-readouts></div>
    <p class="digit-heading">A digit is a point in 784 dimensions</p>
    <div class="controls" data-digit-controls></div>
    <div class="demo-toolbar">
      <button type="button" class="secondary" data-random aria-pressed="false">Random 784-vector</button>
    </div>
    <div class="digit-views">
      <div class="digit-figure" data-digit tabindex="0" role="group"
        aria-label="The digit: point at a pixel, or move the highlight with the arrow keys"></div>
      <div class="vector-figure" data-vector></div>
    </div>
    <div class="demo-readouts" data-digit-readouts></div>`;
  const figure = live.querySelector("[data-figure]");
  const readouts = live.querySelector("[data-readouts]");
  const controls = live.querySelector("[data-controls]");
  const spin = live.querySelector("[data-spin]");
  const params = fromLink(root, { xw: 0, yw: 0, zw: 0, dim: 4, yaw: -28, pitch: 18 });

  const draw = latestOnly(async () => {
    const sent = { ...params };
    const state = await python.call(MODULE, "view", sent);
    figure.innerHTML = state.svg;
    readouts.innerHTML = state.readouts;
    if (Object.keys(sent).every((key) => params[key] === sent[key])) Object.assign(params, state.params);
  });

  const sliders = {};
  const rows = [["Rotate xw", "xw", -180, 180, 1, "°"], ["Rotate yw", "yw", -180, 180, 1, "°"],
    ["Rotate zw", "zw", -180, 180, 1, "°"], ["3-D ↔ 4-D", "dim", 3, 4, 0.01, ""]];
  for (const [label, key, min, max, step, unit] of rows) {
    sliders[key] = slider(controls, { label, min, max, step, unit, value: params[key], key,
      onInput: (value) => { params[key] = value; draw(); } });
  }
  const setSlider = (key, value) => {
    params[key] = value;
    sliders[key].value = value;
    sliders[key].dispatchEvent(new Event("input"));
  };

  // drag (mouse, pen, touch) or arrow keys turn the 3-D view; the 4-D rotations are the sliders
  let last = null;
  figure.addEventListener("pointerdown", (event) => {
    last = [event.clientX, event.clientY];
    figure.setPointerCapture(event.pointerId);
  });
  figure.addEventListener("pointermove", (event) => {
    if (!last) return;
    const box = figure.getBoundingClientRect();
    const scale = 300 / Math.max(box.width, 1);
    params.yaw = wrap(params.yaw + (event.clientX - last[0]) * scale);
    params.pitch = Math.max(-89, Math.min(89, params.pitch - (event.clientY - last[1]) * scale));
    last = [event.clientX, event.clientY];
    draw();
  });
  const stop = () => { last = null; };
  figure.addEventListener("pointerup", stop);
  figure.addEventListener("pointercancel", stop);
  figure.addEventListener("keydown", (event) => {
    const moves = { ArrowLeft: [-5, 0], ArrowRight: [5, 0], ArrowUp: [0, 5], ArrowDown: [0, -5] };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    params.yaw = wrap(params.yaw + move[0]);
    params.pitch = Math.max(-89, Math.min(89, params.pitch + move[1]));
    draw();
  });

  // spinning in the xw and zw planes; with reduced motion, a button that steps instead
  const reduced = matchMedia("(prefers-reduced-motion: reduce)");
  let spinning = false;
  let lastFrame = 0;
  const label = () => {
    spin.textContent = reduced.matches ? "Step xw +15°" : (spinning ? "Stop spinning" : "Spin in 4-D");
    spin.setAttribute("aria-pressed", String(spinning));
  };
  const frame = (time) => {
    if (!spinning || !root.isConnected) return;
    const dt = lastFrame ? Math.min(time - lastFrame, 100) : 16;
    lastFrame = time;
    sliders.xw.value = params.xw = wrap(params.xw + dt * 0.03);
    sliders.zw.value = params.zw = wrap(params.zw + dt * 0.011);
    for (const key of ["xw", "zw"]) sliders[key].nextElementSibling.textContent = `${Math.round(params[key])}°`;
    draw();
    requestAnimationFrame(frame);
  };
  spin.addEventListener("click", () => {
    if (reduced.matches) { setSlider("xw", wrap(params.xw + 15)); return; }
    spinning = !spinning;
    lastFrame = 0;
    label();
    if (spinning) requestAnimationFrame(frame);
  });
  reduced.addEventListener("change", () => { spinning = false; label(); });
  label();
  live.querySelector("[data-reset]").addEventListener("click", () => {
    spinning = false;
    label();
    for (const key of ["xw", "yw", "zw"]) setSlider(key, 0);
  });

  // the digit as a 784-vector
  const digitFigure = live.querySelector("[data-digit]");
  const vectorFigure = live.querySelector("[data-vector]");
  const digitReadouts = live.querySelector("[data-digit-readouts]");
  const digitControls = live.querySelector("[data-digit-controls]");
  const digit = fromLink(root, { label: 3, sample: 1, pixel: 14 * 28 + 14, source: "digit", seed: 0 });
  const randomButton = live.querySelector("[data-random]");
  const drawDigit = latestOnly(async () => {
    const sent = { ...digit };
    const state = await python.call(MODULE, "digit_view", sent);
    digitFigure.innerHTML = state.digit;
    vectorFigure.innerHTML = state.vector;
    digitReadouts.innerHTML = state.readouts;
    if (Object.keys(sent).every((key) => digit[key] === sent[key])) Object.assign(digit, state.params);
  });
  const showSource = () => {
    const random = digit.source === "random";
    randomButton.setAttribute("aria-pressed", String(random));
    randomButton.textContent = random ? "Another random 784-vector" : "Random 784-vector";
  };
  const showDigit = () => {
    digit.source = "digit";
    showSource();
    drawDigit();
  };
  randomButton.addEventListener("click", () => {
    digit.source = "random";
    digit.seed += 1;                                   // each press: a new random point of the cube
    showSource();
    drawDigit();
  });
  const row = document.createElement("div");
  row.className = "control digit-select";
  row.innerHTML = `<label for="tesseract-digit-label">Digit</label><select id="tesseract-digit-label"></select>`;
  const select = row.querySelector("select");
  for (let d = 0; d <= 9; d++) select.append(new Option(String(d), String(d), false, d === digit.label));
  select.addEventListener("change", () => { digit.label = Number(select.value); showDigit(); });
  digitControls.append(row);
  slider(digitControls, { label: "Sample", min: 1, max: 20, step: 1, value: digit.sample, key: "sample",
    onInput: (value) => { digit.sample = value; showDigit(); } });

  let pointing = false;
  const pick = (event) => {
    const svg = digitFigure.querySelector("svg");
    if (!svg) return;
    const [x, y] = pointerToData(svg, event, [0, 28, 0, 28]);
    const col = Math.min(27, Math.max(0, Math.floor(x)));
    const r = Math.min(27, Math.max(0, Math.floor(28 - y)));
    digit.pixel = r * 28 + col;
    drawDigit();
  };
  digitFigure.addEventListener("pointerdown", (event) => {
    pointing = true;
    digitFigure.setPointerCapture(event.pointerId);
    pick(event);
  });
  digitFigure.addEventListener("pointermove", (event) => { if (pointing) pick(event); });
  digitFigure.addEventListener("pointerup", () => { pointing = false; });
  digitFigure.addEventListener("pointercancel", () => { pointing = false; });
  digitFigure.addEventListener("keydown", (event) => {
    const moves = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -28, ArrowDown: 28 };
    if (!(event.key in moves)) return;
    event.preventDefault();
    const r = Math.floor(digit.pixel / 28);
    const col = digit.pixel % 28;
    const next = digit.pixel + moves[event.key];
    if ((event.key === "ArrowLeft" && col === 0) || (event.key === "ArrowRight" && col === 27)) return;
    if ((event.key === "ArrowUp" && r === 0) || (event.key === "ArrowDown" && r === 27)) return;
    digit.pixel = next;
    drawDigit();
  });

  linkButton(live, root, () => ({ ...params, ...digit }));

  await Promise.all([draw(), drawDigit()]);
  syncSliders(controls, params);
  syncSliders(digitControls, digit);
  select.value = String(digit.label);
  showSource();
  goLive(root);
}

function wrap(angle) {
  return ((angle + 180) % 360 + 360) % 360 - 180;
}
