// projection: drag vectors a and b; Python computes a·b, the angle, the projection of b on a,
// and the correlation of two features on 60 samples built from a and b (their angle is θ by construction).
// A link can carry both vectors (#demo-projection?ax=2&ay=0&bx=0&by=3): see kit.js's fromLink.
import { fromLink, goLive, latestOnly, linkButton, pointerToData } from "./kit.js";

const MODULE = "py_runtime.demos.projection";

export async function mount(root, python) {
  const live = root.querySelector(".demo-live");
  live.innerHTML = `<div class="projection-views">
      <div class="demo-figure" data-figure tabindex="0" role="group"></div>
      <div class="demo-figure scatter-figure" data-scatter></div>
    </div>
    <div class="demo-toolbar" role="group" aria-label="Which vector the arrow keys move">
      <span>Arrow keys move</span>
      <button type="button" data-pick="a" aria-label="vector a">a</button>
      <button type="button" data-pick="b" aria-label="vector b">b</button>
    </div>
    <div class="demo-readouts" data-readouts></div>`;
  const figure = live.querySelector("[data-figure]");
  const scatter = live.querySelector("[data-scatter]");
  const readouts = live.querySelector("[data-readouts]");
  const picks = [...live.querySelectorAll("[data-pick]")];
  const params = fromLink(root, { ax: 2.5, ay: 0.5, bx: 1.0, by: 2.0 });
  let bounds = [-4, 4, -4, 4];
  let active = "a";

  const choose = (name) => {
    active = name;
    for (const button of picks) {
      const on = button.dataset.pick === name;
      button.setAttribute("aria-pressed", String(on));
      button.classList.toggle("secondary", !on);
    }
    figure.setAttribute("aria-label",
      `Vectors a and b: drag either tip; the arrow keys move vector ${name} (Shift for bigger steps, keys A and B switch)`);
  };

  const draw = latestOnly(async () => {
    const sent = { ...params };
    const state = await python.call(MODULE, "view", sent);
    figure.innerHTML = state.vectors;
    scatter.innerHTML = state.scatter;
    readouts.innerHTML = state.readouts;
    // Python's cleaned (snapped) values are the truth, unless newer input arrived meanwhile.
    if (Object.keys(sent).every((key) => params[key] === sent[key])) Object.assign(params, state.params);
    bounds = [-state.view, state.view, -state.view, state.view];
  });

  const moveTo = (name, [x, y]) => {
    params[`${name}x`] = x;
    params[`${name}y`] = y;
    draw();
  };

  let dragging = null;
  figure.addEventListener("pointerdown", (event) => {
    const svg = figure.querySelector("svg");
    if (!svg) return;
    const [x, y] = pointerToData(svg, event, bounds);
    const da = Math.hypot(x - params.ax, y - params.ay);
    const db = Math.hypot(x - params.bx, y - params.by);
    dragging = da <= db ? "a" : "b";              // the nearer tip follows the pointer
    choose(dragging);
    figure.setPointerCapture(event.pointerId);
    moveTo(dragging, [x, y]);
  });
  figure.addEventListener("pointermove", (event) => {
    const svg = figure.querySelector("svg");
    if (dragging && svg) moveTo(dragging, pointerToData(svg, event, bounds));
  });
  const stop = () => { dragging = null; };
  figure.addEventListener("pointerup", stop);
  figure.addEventListener("pointercancel", stop);
  figure.addEventListener("keydown", (event) => {
    if (event.key === "a" || event.key === "b") { choose(event.key); return; }
    const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    const step = event.shiftKey ? 0.5 : 0.1;
    moveTo(active, [params[`${active}x`] + move[0] * step, params[`${active}y`] + move[1] * step]);
  });
  for (const button of picks) {
    button.addEventListener("click", () => { choose(button.dataset.pick); figure.focus(); });
  }

  linkButton(live, root, () => params);

  choose("a");
  await draw();
  goLive(root);
}
