// decoder-swap: sliders for the driver's expression, pose and light. Python renders the frame,
// aligns and crops the face, encodes it with the shared encoder and decodes it with both decoders,
// then masks, colour-matches and pastes the swap back into the frame. A move is two calls: the
// swap first (what the reader waits for), then the rest, skipped if the sliders moved meanwhile.
// A link can carry the settings (#demo-decoder-swap?smile=0.8&yaw=-0.3): see kit.js's fromLink.
import { fromLink, goLive, latestOnly, linkButton, slider, syncSliders } from "./kit.js";

const MODULE = "py_runtime.demos.decoder_swap";

export async function mount(root, python) {
  const live = root.querySelector(".demo-live");
  const spec = await python.call(MODULE, "controls");   // sliders, ranges, defaults: Python's
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
      <label>Colour match <select data-colour>${spec.colours.map(([v, t]) => `<option value="${v}">${t}</option>`).join("")}</select></label>
    </div>
    <div class="demo-readouts" data-slot="readouts"></div>
    <div class="controls" data-controls></div>
    <div class="controls swap-k" data-k></div>`;
  const controls = live.querySelector("[data-controls]");
  const roles = live.querySelector("[data-roles]");
  const note = live.querySelector("[data-roles-note]");
  const colour = live.querySelector("[data-colour]");
  const params = fromLink(root, spec.defaults);
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

  const add = (parent, [label, key, min, max, step]) => slider(parent, { label, min, max, step, value: params[key], key,
    onInput: (value) => { params[key] = value; draw(); } });
  for (const control of spec.sliders) add(controls, control);
  add(live.querySelector("[data-k]"), spec.k);

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
