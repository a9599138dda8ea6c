// neural-net: a small MLP trained live in the page's Python. The network lives in the worker
// (py_runtime.demos.neural_net keeps it between calls); this loop only asks for a few more
// training steps at a time and redraws. It stops when paused, when the demo scrolls out of
// view, and never starts by itself when the reader prefers reduced motion. A link can carry the
// settings, not the training (#demo-neural-net?dataset=spiral&hidden=16): see kit.js's fromLink.
import { fromLink, goLive, linkButton, linkState, slider } from "./kit.js";

const MODULE = "py_runtime.demos.neural_net";
const STEPS_PER_FRAME = 5;
const STEPS_PER_CLICK = 10;
const AUTO_PAUSE_AT = 3000;                      // a run started by itself rests after this many steps
const reducedMotion = () => window.matchMedia("(prefers-reduced-motion: reduce)").matches;

let uid = 0;

export async function mount(root, python) {
  const live = root.querySelector(".demo-live");
  const id = `nn-${++uid}`;
  const session = `${id}-${Math.random().toString(36).slice(2)}`;
  live.innerHTML = `<div class="nn-panels">
      <div class="demo-figure nn-field" data-figure aria-label="Decision boundary: the network's probability of the square class over the plane, and the training points"></div>
      <div class="nn-side">
        <div class="demo-figure nn-loss" data-loss></div>
        <div class="demo-readouts" data-readouts aria-live="off"></div>
      </div>
    </div>
    <div class="demo-toolbar nn-toolbar">
      <button type="button" data-play aria-pressed="false">Play</button>
      <button type="button" class="secondary" data-step>+${STEPS_PER_CLICK} steps</button>
      <button type="button" class="secondary" data-reset>Reset</button>
      <span class="nn-state" role="status" data-status></span>
    </div>
    <div class="controls" data-controls>
      <div class="control"><label for="${id}-data">Data</label>
        <select id="${id}-data" data-dataset>
          <option value="xor">XOR</option><option value="rings">rings</option>
          <option value="spiral">spirals</option></select><span></span></div>
      <div class="control"><label for="${id}-hidden">Hidden units</label>
        <select id="${id}-hidden" data-hidden><option value="4">4 + 4</option><option value="8" selected>8 + 8</option>
          <option value="16">16 + 16</option></select><span></span></div>
    </div>`;

  const field = live.querySelector("[data-figure]");
  const loss = live.querySelector("[data-loss]");
  const readouts = live.querySelector("[data-readouts]");
  const controls = live.querySelector("[data-controls]");
  const playButton = live.querySelector("[data-play]");
  const status = live.querySelector("[data-status]");
  const datasetSelect = live.querySelector("[data-dataset]");
  const hiddenSelect = live.querySelector("[data-hidden]");
  let state = null;
  const render = (next) => {
    state = next;
    field.innerHTML = next.field;
    loss.innerHTML = next.loss_svg;
    readouts.innerHTML = next.readouts;
  };

  // Python's defaults and the slider's range (the chapter quotes both ends).
  render(await python.call(MODULE, "reset", { session }));
  const current = () => ({ dataset: state.dataset, hidden: state.hidden, seed: state.seed, lr: state.lr });
  if (linkState(root)) render(await python.call(MODULE, "reset", { session, ...fromLink(root, current()) }));
  const settings = current();                    // Python's cleaned values: the link's, or its defaults
  datasetSelect.value = settings.dataset;
  hiddenSelect.value = String(settings.hidden);

  // Learning rate on a log scale: the slider holds log10(rate).
  const range = state.lr_slider;
  const lrInput = slider(controls, { label: "Learning rate", min: range.min, max: range.max, step: range.step,
    value: Math.log10(settings.lr),
    onInput: (value) => { settings.lr = Number.isFinite(value) ? 10 ** value : state.lr; showRate(); } });
  const showRate = () => {
    lrInput.nextElementSibling.textContent = settings.lr.toPrecision(2);
    lrInput.setAttribute("aria-valuetext", settings.lr.toPrecision(2));
  };
  showRate();

  // Every Python call goes through one queue, so a reset never interleaves with a training call.
  let queue = Promise.resolve();
  const enqueue = (work) => (queue = queue.then(work, work));

  let playing = false;
  let visible = true;
  let autoStarted = false;
  const setPlaying = (on, message = "") => {
    playing = on;
    playButton.textContent = on ? "Pause" : "Play";
    playButton.setAttribute("aria-pressed", String(on));
    status.textContent = message;
    if (on) loop();
  };

  let looping = false;
  async function loop() {
    if (looping) return;
    looping = true;
    try {
      while (playing && visible) {
        await enqueue(async () => render(await python.call(MODULE, "train",
          { session, steps: STEPS_PER_FRAME, lr: settings.lr })));
        if (autoStarted && state && state.steps >= AUTO_PAUSE_AT) {
          setPlaying(false, `Paused after ${state.steps} steps: press Play to go on.`);
        }
        await new Promise((resolve) => requestAnimationFrame(() => resolve()));
      }
    } finally {
      looping = false;
    }
  }

  const reset = () => enqueue(async () => {
    render(await python.call(MODULE, "reset", { session, ...settings }));
  });

  playButton.addEventListener("click", () => { autoStarted = false; setPlaying(!playing); });
  // Exactly STEPS_PER_CLICK more steps: a call stops early when its time budget runs out (a busy
  // machine), and the next call does the rest.
  live.querySelector("[data-step]").addEventListener("click", () => {
    setPlaying(false);
    enqueue(async () => {
      const target = state.steps + STEPS_PER_CLICK;
      for (let done = -1; state.steps < target && state.steps > done;) {
        done = state.steps;
        render(await python.call(MODULE, "train", { session, steps: target - done, lr: settings.lr, budget_ms: 250 }));
      }
    });
  });
  live.querySelector("[data-reset]").addEventListener("click", () => { settings.seed += 1; reset(); });
  linkButton(live, root, () => settings);
  datasetSelect.addEventListener("change", () => { settings.dataset = datasetSelect.value; reset(); });
  hiddenSelect.addEventListener("change", () => { settings.hidden = Number(hiddenSelect.value); reset(); });

  // Train only while the demo is on screen.
  if ("IntersectionObserver" in window) {
    new IntersectionObserver((entries) => {
      visible = entries.some((entry) => entry.isIntersecting);
      if (visible && playing) loop();
    }).observe(root);
  }

  goLive(root);
  if (reducedMotion()) {
    status.textContent = "Press Play to train, or +10 steps to go slowly.";
  } else {
    autoStarted = true;
    setPlaying(true);
  }
}
