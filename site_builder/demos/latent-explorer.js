// latent-explorer: move a crosshair over the 2-D latent map (pointer, touch or arrow keys);
// Python turns the map position back into a latent point z and decodes it. A link can carry the
// point and the axes (#demo-latent-explorer?x=1.5&y=-2&axes=linear): see kit.js's fromLink.
import { fromLink, goLive, latestOnly, linkButton, pointerToData } from "./kit.js";

const MODULE = "py_runtime.demos.latent_explorer";
const MOVES = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
let uid = 0;

function selectControl(parent, label, options, onChange) {
  const id = `le-control-${++uid}`;
  const row = document.createElement("div");
  row.className = "control le-select";
  row.innerHTML = `<label for="${id}"></label><select id="${id}"></select>`;
  row.querySelector("label").textContent = label;
  const select = row.querySelector("select");
  for (const [value, text] of options) select.append(new Option(text, value));
  select.addEventListener("change", () => onChange(select.value));
  parent.append(row);
  return select;
}

export async function mount(root, python) {
  const live = root.querySelector(".demo-live");
  const first = await python.call(MODULE, "initial", fromLink(root, { axes: "stretched", x: -6.5, y: -3.0 }));
  live.innerHTML = `${first.html}<div class="controls le-controls" data-controls></div>`;
  const map = live.querySelector("[data-figure]");
  const layer = live.querySelector("[data-map]");
  const overlay = live.querySelector("[data-overlay]");
  const digit = live.querySelector("[data-digit]");
  const readouts = live.querySelector("[data-readouts]");
  const controls = live.querySelector("[data-controls]");
  let params = first.params;
  let bounds = first.map.bounds;
  let centroids = first.map.centroids;

  const show = (state) => {
    if (state.map) {
      layer.innerHTML = state.map.svg;
      bounds = state.map.bounds;
      centroids = state.map.centroids;
    }
    overlay.innerHTML = state.overlay;
    digit.src = state.digit;
    digit.alt = state.digit_alt;
    readouts.innerHTML = state.readouts;
    params = state.params;                        // Python's cleaned values are the truth
  };
  const request = latestOnly(async (args) => show(await python.call(MODULE, "view", args)));

  // Pointer: a mouse decodes wherever it hovers; touch and pen while pressed (dragging).
  let pressed = false;
  const at = (event) => {
    const svg = layer.querySelector("svg");
    if (!svg) return;
    const [u, v] = pointerToData(svg, event, bounds);
    request({ axes: params.axes, u, v });
  };
  map.addEventListener("pointermove", (event) => { if (pressed || event.pointerType === "mouse") at(event); });
  map.addEventListener("pointerdown", (event) => {
    pressed = true;
    map.setPointerCapture(event.pointerId);
    at(event);
  });
  const release = () => { pressed = false; };
  map.addEventListener("pointerup", release);
  map.addEventListener("pointercancel", release);

  // Keyboard: arrows move the crosshair (Shift: bigger steps).
  map.tabIndex = 0;
  map.setAttribute("role", "group");
  map.setAttribute("aria-label", "Latent map: move the pointer over it, or focus it and use the arrow keys "
    + "(Shift for bigger steps) to move the crosshair; the decoded digit is shown beside it");
  map.addEventListener("keydown", (event) => {
    const move = MOVES[event.key];
    if (!move) return;
    event.preventDefault();
    const step = event.shiftKey ? 0.1 : 0.02;
    request({ axes: params.axes, u: params.u + move[0] * step, v: params.v + move[1] * step });
  });

  const jump = selectControl(controls, "Go to centroid",
    [["", "choose a class…"], ...Array.from({ length: 10 }, (_, k) => [String(k), `digit ${k}`])],
    (value) => {
      const point = centroids[value];
      if (point) request({ axes: params.axes, u: point[0], v: point[1] });
    });
  jump.value = "";
  const axes = selectControl(controls, "Axes", [["stretched", "stretched (asinh)"], ["linear", "to scale"]],
    (value) => request({ axes: value, x: params.x, y: params.y, include_map: true }));
  axes.value = params.axes;
  linkButton(live, root, () => ({ axes: params.axes, x: params.x, y: params.y }));

  show(first);
  goLive(root);
}
