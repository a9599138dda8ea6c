// latent-arithmetic: three operand pickers, intensity k, a path slider; Python decodes every code.
// A link can carry every choice (#demo-latent-arithmetic?a_class=7&k=1.5): see kit.js's fromLink.
import { fromLink, goLive, latestOnly, linkButton, slider, syncSliders } from "./kit.js";

const MODULE = "py_runtime.demos.latent_arithmetic";
const CLASSES = 10;
const SAMPLES = 20;
const CENTROID = -1;
const ROLES = { a: "start from", b: "take away", c: "add" };

function picker(name, params) {
  const box = document.createElement("fieldset");
  box.className = "operand-picker";
  box.innerHTML = `<legend><strong>${name}</strong> <span></span></legend>
    <label>class <select data-role="class"></select></label>
    <label>code <select data-role="which"></select></label>`;
  box.querySelector("legend span").textContent = `(${ROLES[name]})`;
  const classes = box.querySelector('[data-role="class"]');
  const which = box.querySelector('[data-role="which"]');
  for (let c = 0; c < CLASSES; c++) classes.add(new Option(String(c), String(c)));
  which.add(new Option("class centroid", String(CENTROID)));
  for (let i = 0; i < SAMPLES; i++) which.add(new Option(`sample ${i + 1}`, String(i)));
  classes.setAttribute("aria-label", `Operand ${name}: digit class`);
  which.setAttribute("aria-label", `Operand ${name}: the class centroid or one sample digit`);
  const sync = () => {
    classes.value = String(params[`${name}_class`]);
    which.value = String(params[`${name}_which`]);
  };
  sync();
  return { box, classes, which, sync };
}

export async function mount(root, python) {
  const live = root.querySelector(".demo-live");
  live.innerHTML = `<div class="arith-view">
    <div class="arith-pickers" data-pickers></div>
    <div data-equation></div>
    <div class="controls" data-controls></div>
    <div data-body></div>
    <div data-readouts></div>
    <div data-note></div></div>`;
  const params = fromLink(root, { a_class: 2, a_which: 18, b_class: 2, b_which: CENTROID, c_class: 3,
    c_which: CENTROID, k: 1, s: 1, method: "linear" });
  const slot = (name) => live.querySelector(`[data-${name}]`);
  const [equation, body, readouts, note, controls, pickers] =
    ["equation", "body", "readouts", "note", "controls", "pickers"].map(slot);

  // Every change bumps `version`; Python's cleaned values are copied back only when nothing
  // changed while it ran, so a reply never undoes a newer choice.
  let version = 0;
  const changed = () => { version += 1; draw(); };
  const draw = latestOnly(async () => {
    const asked = version;
    const state = await python.call(MODULE, "view", { ...params });
    equation.innerHTML = state.equation;
    body.innerHTML = state.body;
    readouts.innerHTML = state.readouts;
    note.innerHTML = state.note;
    if (asked === version) Object.assign(params, state.params);   // Python's cleaned values are the truth
  });

  const syncs = [];
  for (const name of ["a", "b", "c"]) {
    const { box, classes, which, sync } = picker(name, params);
    syncs.push(sync);
    classes.addEventListener("change", () => { params[`${name}_class`] = Number(classes.value); changed(); });
    which.addEventListener("change", () => { params[`${name}_which`] = Number(which.value); changed(); });
    pickers.append(box);
  }

  slider(controls, { label: "Intensity k", min: -1, max: 2, step: 0.05, value: params.k, key: "k",
    onInput: (value) => { params.k = value; changed(); } });
  slider(controls, { label: "Path a → r, s", min: 0, max: 1, step: 0.05, value: params.s, key: "s",
    onInput: (value) => { params.s = value; changed(); } });

  const methods = document.createElement("fieldset");
  methods.className = "arith-method";
  methods.innerHTML = `<legend>Path from a to r</legend>
    <label><input type="radio" name="method" value="linear"> linear (lerp)</label>
    <label><input type="radio" name="method" value="spherical"> spherical (slerp)</label>`;
  const group = `arith-method-${Math.random().toString(36).slice(2)}`;   // unique per page
  for (const radio of methods.querySelectorAll("input")) {
    radio.name = group;
    radio.checked = radio.value === params.method;
    radio.addEventListener("change", () => { if (radio.checked) { params.method = radio.value; changed(); } });
  }
  controls.append(methods);
  linkButton(live, root, () => params);

  await draw();
  for (const sync of syncs) sync();                // Python's cleaned values: the link's, or the defaults
  syncSliders(controls, params);
  for (const radio of methods.querySelectorAll("input")) radio.checked = radio.value === params.method;
  goLive(root);
}
