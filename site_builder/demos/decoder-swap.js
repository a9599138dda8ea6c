// decoder-swap: sliders for the driver's expression, pose and light. Python renders the frame,
// aligns and crops the face, encodes it with the shared encoder and decodes it with both decoders,
// then masks, colour-matches and pastes the swap back into the frame. A move is two calls: the
// swap first (what the reader waits for), then the rest, skipped if the sliders moved meanwhile.
// A link can carry the settings (#demo-decoder-swap?smile=0.8&yaw=-0.3): see kit.js's fromLink.
import { fromLink, goLive, latestOnly, linkButton, slider, syncSliders } from "./kit.js";

const MODULE = "py_runtime.demos.decoder_swap";
const SLIDERS = [
  ["Smile", "smile", -1, 1], ["Mouth open", "mouth_open", 0, 1], ["Eyes open", "eyes_open", 0, 1],
  ["Gaze left–right", "gaze_x", -1, 1], ["Gaze up–down", "gaze_y", -1, 1], ["Head turn", "yaw", -1, 1],
  ["Head nod", "pitch", -1, 1], ["Head tilt", "roll", -1, 1], ["Light", "light", -1, 1],
];
const COLOURS = [["mean", "Mean colour"], ["mean-std", "Mean and spread"], ["none", "None"]];

export async function mount(root, python) {
  const live = root.querySelector(".demo-live");
  const stages = ["frame", "crop", "swap", "mask", "composite"]
    .map((name) => `<div class="swap-stage" data-slot="${name}"></div>`)
    .join('<span class="swap-arrow" aria-hidden="true">→</span>');
  live.innerHTML = `<div class="demo-figure swap-figure">
      <div class="swap-pipeline">${stages}</div>
      <div class="swap-checks"><div class="swap-stage" data-slot="own"></div><div class="swap-stage" data-slot="truth"></div></div>
      <div data-slot="latent"></div></div>
    <div class="demo-toolbar" role="group" aria-label="Who drives">
      <button type="button" data-roles aria-pressed="false">Swap roles: B drives</button>
      <span data-roles-note>A drives, B wears the expression</span>
      <label>Colour match <select data-colour>${COLOURS.map(([v, t]) => `<option value="${v}">${t}</option>`).join("")}</select></label>
    </div>
    <div class="demo-readouts" data-slot="readouts"></div>
    <div class="controls" data-controls></div>
    <div class="controls swap-k" data-k></div>`;
  const controls = live.querySelector("[data-controls]");
  const roles = live.querySelector("[data-roles]");
  const note = live.querySelector("[data-roles-note]");
  const colour = live.querySelector("[data-colour]");
  const params = fromLink(root, { smile: 0.35, mouth_open: 0.15, eyes_open: 0.8, gaze_x: 0, gaze_y: 0, yaw: 0,
                                  pitch: 0, roll: 0, light: 0.3, k: 0, driver: "A", colour: "mean" });
  const fill = (slots) => {
    for (const [name, html] of Object.entries(slots)) live.querySelector(`[data-slot="${name}"]`).innerHTML = html;
  };
  const unchanged = (sent) => Object.keys(sent).every((key) => params[key] === sent[key]);

  const draw = latestOnly(async () => {
    const sent = { ...params };
    fill((await python.call(MODULE, "swap", sent)).slots);
    if (!unchanged(sent)) return;              // a newer move is queued: it draws the rest
    const state = await python.call(MODULE, "finish", sent);
    fill(state.slots);
    root.dataset.driver = state.driver;
    if (unchanged(sent)) Object.assign(params, state.params);
  });

  for (const [label, key, min, max] of SLIDERS) {
    slider(controls, { label, min, max, step: 0.05, value: params[key], key,
      onInput: (value) => { params[key] = value; draw(); } });
  }
  slider(live.querySelector("[data-k]"), { label: "Smile direction k", min: -2, max: 2, step: 0.1, value: params.k,
    key: "k", onInput: (value) => { params.k = value; draw(); } });

  const showRoles = () => {
    const other = params.driver === "A" ? "B" : "A";
    roles.setAttribute("aria-pressed", String(params.driver === "B"));
    roles.textContent = `Swap roles: ${other} drives`;
    note.textContent = `${params.driver} drives, ${other} wears the expression`;
  };
  roles.addEventListener("click", () => {
    params.driver = params.driver === "A" ? "B" : "A";
    showRoles();
    draw();
  });
  colour.addEventListener("change", () => { params.colour = colour.value; draw(); });
  linkButton(live, root, () => params);

  await draw();
  syncSliders(live, params);                   // Python's cleaned values: a link's, or the defaults
  showRoles();
  colour.value = params.colour;
  goLive(root);
}
