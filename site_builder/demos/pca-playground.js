// pca-playground: edit a 2-D point cloud and watch its principal axes; rebuild an MNIST digit
// from k principal components. All the math is in py_runtime.demos.pca_playground. A link can
// carry the points and the digit (#demo-pca-playground?points=[[0,0],[1,1]]&k=3): see kit.js.
import { draggable, fromLink, goLive, latestOnly, linkButton, slider, syncSliders } from "./kit.js";

const MODULE = "py_runtime.demos.pca_playground";
const HIT_PX = 16;                                   // how close a press must be to grab a point

let uid = 0;

export async function mount(root, python) {
  const live = root.querySelector(".demo-live");
  const id = `pca-${++uid}`;
  live.innerHTML = `<div class="pca-panels">
    <section class="pca-panel" aria-labelledby="${id}-h1">
      <p class="pca-heading" id="${id}-h1">Principal axes of points you place</p>
      <div class="demo-figure pca-points" data-figure></div>
      <p class="pca-hint" id="${id}-hint">Click or tap to add a point, drag a point to move it.
        Keys: arrows move the selected point, Enter adds one, Delete removes it, N selects the next.</p>
      <div class="demo-toolbar pca-toolbar">
        <button type="button" class="secondary" data-add>Add point</button>
        <button type="button" class="secondary" data-next>Next point</button>
        <button type="button" class="secondary" data-remove>Remove point</button>
        <button type="button" class="secondary" data-clear>Clear</button>
        <label class="pca-preset">Start from <select data-preset>
          <option value="cloud">a tilted cloud</option><option value="line">points on a line</option>
          <option value="round">a round ring</option></select></label>
      </div>
      <p class="pca-status" role="status" aria-live="polite" data-status></p>
      <div class="demo-readouts" data-point-readouts></div>
    </section>
    <section class="pca-panel" aria-labelledby="${id}-h2">
      <p class="pca-heading" id="${id}-h2">An MNIST digit rebuilt from k components</p>
      <div class="demo-figure pca-digit" data-digit-figure></div>
      <div class="controls pca-controls" data-controls>
        <div class="control"><label for="${id}-digit">Digit</label>
          <select id="${id}-digit" data-digit>${[...Array(10).keys()].map((d) => `<option value="${d}">${d}</option>`).join("")}</select>
          <span></span></div>
      </div>
      <div class="demo-readouts" data-digit-readouts></div>
    </section></div>`;

  const figure = live.querySelector("[data-figure]");
  const pointReadouts = live.querySelector("[data-point-readouts]");
  const digitFigure = live.querySelector("[data-digit-figure]");
  const digitReadouts = live.querySelector("[data-digit-readouts]");
  const controls = live.querySelector("[data-controls]");
  const status = live.querySelector("[data-status]");
  const digitSelect = live.querySelector("[data-digit]");

  const spec = await python.call(MODULE, "controls");   // defaults and limits: Python's
  const link = fromLink(root, spec.defaults);
  let { points, selected } = link;
  let bounds = spec.bounds;
  const digitParams = { digit: link.digit, sample: link.sample, k: link.k };

  figure.setAttribute("aria-describedby", `${id}-hint`);

  let version = 0;                                    // bumped by every local edit of the points
  const render = latestOnly(async () => {
    const sent = version;
    const state = await python.call(MODULE, "points_view", { points, selected });
    figure.innerHTML = state.svg;
    pointReadouts.innerHTML = state.readouts;
    bounds = state.bounds;
    if (sent === version) {                           // Python's cleaned values are the truth,
      points = state.points;                          // unless the reader has moved on since
      selected = state.selected;
    }
  });
  const drawPoints = () => { version += 1; return render(); };
  const drawDigit = latestOnly(async () => {
    const sent = { ...digitParams };
    const state = await python.call(MODULE, "digit_view", sent);
    digitFigure.innerHTML = state.svg;
    digitReadouts.innerHTML = state.readouts;
    if (Object.keys(sent).every((key) => sent[key] === digitParams[key])) {
      Object.assign(digitParams, { digit: state.digit, sample: state.sample, k: state.k });   // Python's cleaned values
    }
  });

  const say = (text) => { status.textContent = text; };
  const clamp = (v) => Math.min(Math.max(v, bounds[0]), bounds[1]);

  function addPoint(x, y) {
    if (points.length >= spec.max_points) { say(`At most ${spec.max_points} points: remove one first.`); return false; }
    points = [...points, [clamp(x), clamp(y)]];
    selected = points.length - 1;
    say(`Point ${points.length} added.`);
    return true;
  }

  // Pointer: press near a point to grab it, elsewhere to add one there; drag moves it. Arrow
  // keys move the selected point (Shift: 0.5), as kit.draggable does for every demo.
  const grab = ([x, y]) => {
    const box = figure.querySelector("svg").getBoundingClientRect();
    const perUnit = box.width / (bounds[1] - bounds[0]);
    let best = -1;
    let bestDistance = HIT_PX / perUnit;
    points.forEach(([px, py], i) => {
      const d = Math.hypot(px - x, py - y);
      if (d <= bestDistance) { best = i; bestDistance = d; }
    });
    if (best >= 0) selected = best;
    else if (!addPoint(x, y)) return false;
    drawPoints();
    return true;
  };
  const moveSelected = ([x, y]) => {
    points = points.map((p, i) => (i === selected ? [clamp(x), clamp(y)] : p));
    drawPoints();
  };
  draggable(figure, () => bounds, () => (selected >= 0 && points[selected]) || null, moveSelected,
            { keyStep: 0.1, bigStep: 0.5, onPress: grab, moveOnPress: false, label: "Point cloud" });
  figure.setAttribute("aria-label", "Point cloud: click to add points, drag to move them; arrow keys move the selected point");

  function nextPoint() {
    if (!points.length) return;
    selected = (selected + 1) % points.length;
    say(`Point ${selected + 1} of ${points.length} selected.`);
  }
  function removePoint() {
    if (selected < 0 || !points.length) return;
    points = points.filter((_, i) => i !== selected);
    selected = Math.min(selected, points.length - 1);
    say(`Point removed; ${points.length} left.`);
  }
  function addNear() {
    const [x, y] = selected >= 0 && points[selected] ? points[selected] : [0, 0];
    addPoint(x + 0.6 > bounds[1] ? x - 0.6 : x + 0.6, y + 0.4 > bounds[3] ? y - 0.4 : y + 0.4);
  }

  figure.addEventListener("keydown", (event) => {         // the keys beyond the arrows
    if (event.key === "Enter" || event.key === "+") {
      addNear();
    } else if (event.key === "Delete" || event.key === "Backspace") {
      removePoint();
    } else if (event.key === "n" || event.key === "N") {
      nextPoint();
    } else {
      return;
    }
    event.preventDefault();
    drawPoints();
  });

  live.querySelector("[data-add]").addEventListener("click", () => { addNear(); drawPoints(); });
  live.querySelector("[data-next]").addEventListener("click", () => { nextPoint(); drawPoints(); });
  live.querySelector("[data-remove]").addEventListener("click", () => { removePoint(); drawPoints(); });
  live.querySelector("[data-clear]").addEventListener("click", () => {
    points = []; selected = -1; say("All points removed: click or tap to add some."); drawPoints();
  });
  live.querySelector("[data-preset]").addEventListener("change", async (event) => {
    const state = await python.call(MODULE, "preset", { name: event.target.value });
    points = state.points; selected = state.selected;
    say("");
    drawPoints();
  });

  digitSelect.addEventListener("change", () => { digitParams.digit = Number(digitSelect.value); drawDigit(); });
  const example = slider(controls, { label: "Example", min: 1, max: spec.samples, step: 1, value: digitParams.sample + 1,
    onInput: (value) => { digitParams.sample = value - 1; drawDigit(); } });
  slider(controls, { label: "Components k", min: 1, max: spec.k_max, step: 1, value: digitParams.k, key: "k",
    onInput: (value) => { digitParams.k = value; drawDigit(); } });
  linkButton(live, root, () => ({ points, selected, ...digitParams }));

  await Promise.all([drawPoints(), drawDigit()]);
  digitSelect.value = String(digitParams.digit);
  syncSliders(controls, digitParams);
  example.value = digitParams.sample + 1;
  example.dispatchEvent(new Event("demo-sync"));
  goLive(root);
}
