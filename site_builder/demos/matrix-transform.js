// matrix-transform: sliders build M = R(θ)·H(k)·S(sx, sy); Python draws the plane before and after.
// A link can carry the settings (#demo-matrix-transform?angle=30&shear=0): see kit.js's fromLink.
import { draggable, fromLink, goLive, latestOnly, linkButton, slider, syncSliders } from "./kit.js";

const MODULE = "py_runtime.demos.matrix_transform";

export async function mount(root, python) {
  const live = root.querySelector(".demo-live");
  live.innerHTML = `<div class="demo-figure" data-figure></div><div class="demo-readouts" data-readouts></div>
    <div class="controls" data-controls></div>`;
  const figure = live.querySelector("[data-figure]");
  const readouts = live.querySelector("[data-readouts]");
  const controls = live.querySelector("[data-controls]");
  const params = fromLink(root, { angle: 15, scale_x: 1.6, scale_y: 0.7, shear: 0.5, vx: 1, vy: 1 });

  const draw = latestOnly(async () => {
    const sent = { ...params };
    const state = await python.call(MODULE, "view", sent);
    figure.innerHTML = state.svg;
    readouts.innerHTML = state.readouts;
    // Python's cleaned values are the truth, unless the reader moved on while it computed.
    if (Object.keys(sent).every((key) => sent[key] === params[key])) Object.assign(params, state.params);
  });

  const sliders = [
    ["Rotation θ", "angle", -180, 180, 1, "°"],
    ["Scale x", "scale_x", -2, 2, 0.05, ""],
    ["Scale y", "scale_y", -2, 2, 0.05, ""],
    ["Shear k", "shear", -2, 2, 0.05, ""],
  ];
  for (const [label, key, min, max, step, unit] of sliders) {
    slider(controls, { label, min, max, step, unit, value: params[key], key,
      onInput: (value) => { params[key] = value; draw(); } });
  }
  draggable(figure, [-4, 4, -4, 4], () => [params.vx, params.vy], ([x, y]) => {
    params.vx = x; params.vy = y; draw();
  }, { label: "Vector v: drag it, or use the arrow keys" });
  linkButton(live, root, () => params);

  await draw();
  syncSliders(controls, params);
  goLive(root);
}
