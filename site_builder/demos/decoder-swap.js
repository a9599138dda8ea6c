// decoder-swap: sliders for the driver's expression and pose; Python renders the face, encodes it
// with the shared encoder and decodes it with both decoders (reconstruction and swap).
import { goLive, latestOnly, slider } from "./kit.js";

const MODULE = "py_runtime.demos.decoder_swap";
const SLIDERS = [
  ["Smile", "smile", -1, 1], ["Mouth open", "mouth_open", 0, 1], ["Eyes open", "eyes_open", 0, 1],
  ["Gaze left–right", "gaze_x", -1, 1], ["Gaze up–down", "gaze_y", -1, 1], ["Head turn", "yaw", -1, 1],
  ["Head nod", "pitch", -1, 1], ["Head tilt", "roll", -1, 1], ["Light", "light", -1, 1],
];

export async function mount(root, python) {
  const live = root.querySelector(".demo-live");
  live.innerHTML = `<div class="demo-figure swap-figure" data-figure></div>
    <div class="demo-toolbar" role="group" aria-label="Who drives">
      <button type="button" data-roles aria-pressed="false">Swap roles: B drives</button>
      <span data-roles-note>A drives, B wears the expression</span>
    </div>
    <div class="demo-readouts" data-readouts></div>
    <div class="controls" data-controls></div>
    <div class="controls swap-k" data-k></div>`;
  const figure = live.querySelector("[data-figure]");
  const readouts = live.querySelector("[data-readouts]");
  const controls = live.querySelector("[data-controls]");
  const roles = live.querySelector("[data-roles]");
  const note = live.querySelector("[data-roles-note]");
  const params = { smile: 0.35, mouth_open: 0.15, eyes_open: 0.8, gaze_x: 0, gaze_y: 0, yaw: 0, pitch: 0,
                   roll: 0, light: 0.3, k: 0, driver: "A" };

  const draw = latestOnly(async () => {
    const sent = { ...params };
    const state = await python.call(MODULE, "view", sent);
    figure.innerHTML = state.faces + state.svg;
    readouts.innerHTML = state.readouts;
    root.dataset.driver = state.driver;
    if (Object.keys(sent).every((key) => params[key] === sent[key])) Object.assign(params, state.params);
  });

  for (const [label, key, min, max] of SLIDERS) {
    slider(controls, { label, min, max, step: 0.05, value: params[key],
      onInput: (value) => { params[key] = value; draw(); } });
  }
  slider(live.querySelector("[data-k]"), { label: "Smile direction k", min: -2, max: 2, step: 0.1, value: 0,
    onInput: (value) => { params.k = value; draw(); } });

  roles.addEventListener("click", () => {
    params.driver = params.driver === "A" ? "B" : "A";
    const other = params.driver === "A" ? "B" : "A";
    roles.setAttribute("aria-pressed", String(params.driver === "B"));
    roles.textContent = `Swap roles: ${other} drives`;
    note.textContent = `${params.driver} drives, ${other} wears the expression`;
    draw();
  });

  await draw();
  goLive(root);
}
