// interpolation: pick two digits and a mix t; Python draws the pixel blend beside the latent morph.
// A link can carry the digits and t (#demo-interpolation?a_class=3&b_class=8&t=0.3): see kit.js.
import { fromLink, goLive, latestOnly, linkButton, slider, syncSliders } from "./kit.js";

const MODULE = "py_runtime.demos.interpolation";
const CLASSES = 10;
const SAMPLES = 20;
const PLAY_MS = 3000;

function picker(side, params) {
  const box = document.createElement("fieldset");
  box.className = "digit-picker";
  box.innerHTML = `<legend>Digit ${side}</legend>
    <label>class <select data-role="class"></select></label>
    <label>sample <select data-role="index"></select></label>
    <span class="picker-thumb" data-role="thumb"></span>`;
  const classes = box.querySelector('[data-role="class"]');
  const samples = box.querySelector('[data-role="index"]');
  for (let c = 0; c < CLASSES; c++) classes.add(new Option(String(c), String(c)));
  for (let i = 0; i < SAMPLES; i++) samples.add(new Option(String(i + 1), String(i)));
  classes.setAttribute("aria-label", `Digit ${side}: class`);
  samples.setAttribute("aria-label", `Digit ${side}: which sample of that class`);
  const sync = () => {
    classes.value = String(params[`${side}_class`]);
    samples.value = String(params[`${side}_index`]);
  };
  sync();
  return { box, classes, samples, thumb: box.querySelector('[data-role="thumb"]'), sync };
}

export async function mount(root, python) {
  const live = root.querySelector(".demo-live");
  live.innerHTML = `<div class="interp-view">
    <div class="interp-pickers" data-pickers></div>
    <div data-panels></div>
    <div class="controls interp-controls" data-controls></div>
    <div data-readouts></div>
    <div data-strip></div>
    <p class="interp-note">The morph passes through the 16-D autoencoder, so even at t = 0 and t = 1
      it shows the autoencoder's reconstruction of a and b, not the originals.</p></div>`;
  const params = fromLink(root, { a_class: 0, a_index: 0, b_class: 1, b_index: 0, t: 0.5 });
  const panels = live.querySelector("[data-panels]");
  const strip = live.querySelector("[data-strip]");
  const readouts = live.querySelector("[data-readouts]");
  const controls = live.querySelector("[data-controls]");
  const pickers = live.querySelector("[data-pickers]");
  const sides = { a: picker("a", params), b: picker("b", params) };
  pickers.append(sides.a.box, sides.b.box);

  let tSlider;
  // Every change bumps `version`; Python's cleaned values are copied back only when nothing
  // changed while it ran, so a reply never undoes a newer choice.
  let version = 0;
  const changed = () => { version += 1; draw(); };
  const draw = latestOnly(async () => {
    const asked = version;
    const state = await python.call(MODULE, "view", { ...params });
    panels.innerHTML = state.panels;
    strip.innerHTML = state.strip;
    readouts.innerHTML = state.readouts;
    sides.a.thumb.innerHTML = state.a_img;
    sides.b.thumb.innerHTML = state.b_img;
    if (asked === version) Object.assign(params, state.params);   // Python's cleaned values are the truth
  });

  // Moving t by hand (slider, keyboard, a strip step) stops a running animation.
  let playing = null;
  const stop = () => {
    if (playing) cancelAnimationFrame(playing.frame);
    playing = null;
    play.textContent = "Play a → b";
    play.setAttribute("aria-pressed", "false");
  };
  const setT = (value, { fromSlider = false } = {}) => {
    params.t = Math.min(1, Math.max(0, value));
    if (!fromSlider) {
      tSlider.value = params.t;                      // snapped to the slider's step
      params.t = Number(tSlider.value);
      tSlider.dispatchEvent(new Event("demo-sync"));
    }
    changed();
  };

  for (const side of ["a", "b"]) {
    const { classes, samples } = sides[side];
    classes.addEventListener("change", () => { params[`${side}_class`] = Number(classes.value); changed(); });
    samples.addEventListener("change", () => { params[`${side}_index`] = Number(samples.value); changed(); });
  }
  const swap = document.createElement("button");
  swap.type = "button";
  swap.className = "secondary";
  swap.textContent = "Swap a ↔ b";
  swap.addEventListener("click", () => {
    [params.a_class, params.b_class] = [params.b_class, params.a_class];
    [params.a_index, params.b_index] = [params.b_index, params.a_index];
    sides.a.sync();
    sides.b.sync();
    changed();
  });
  pickers.append(swap);

  tSlider = slider(controls, { label: "Mix t", min: 0, max: 1, step: 0.01, value: params.t, key: "t",
    onInput: (value) => { stop(); setT(value, { fromSlider: true }); } });

  // Play sweeps t from 0 to 1; hidden when the reader asks for reduced motion.
  const play = document.createElement("button");
  play.type = "button";
  play.className = "secondary interp-play";
  play.setAttribute("aria-pressed", "false");
  play.textContent = "Play a → b";
  controls.append(play);
  const reduced = matchMedia("(prefers-reduced-motion: reduce)");
  const applyMotion = () => { play.hidden = reduced.matches; if (reduced.matches) stop(); };
  reduced.addEventListener("change", applyMotion);
  applyMotion();
  play.addEventListener("click", () => {
    if (playing) { stop(); return; }
    const started = performance.now();
    playing = { frame: 0 };
    play.textContent = "Stop";
    play.setAttribute("aria-pressed", "true");
    const tick = (now) => {
      if (!playing) return;
      const t = Math.min(1, (now - started) / PLAY_MS);
      setT(Math.round(t * 100) / 100);
      if (t < 1) playing.frame = requestAnimationFrame(tick);
      else stop();
    };
    playing.frame = requestAnimationFrame(tick);
  });

  strip.addEventListener("click", (event) => {
    const step = event.target.closest("[data-t]");
    if (!step) return;
    stop();
    setT(Number(step.dataset.t));
  });

  linkButton(live, root, () => params);

  await draw();
  sides.a.sync();                                  // Python's cleaned values: the link's, or the defaults
  sides.b.sync();
  syncSliders(controls, params);
  goLive(root);
}
