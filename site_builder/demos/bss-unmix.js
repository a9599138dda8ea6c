// bss-unmix: pick two sources and a mixing matrix A; Python mixes, whitens and runs ICA, and
// returns the scatter plots, the waveforms and, on request, each signal as a sound clip.
// "New random samples" draws other instants (and other noise): the seed is all this file adds.
// A link can carry the settings (#demo-bss-unmix?source1=square&a12=0.3): see kit.js's fromLink.
import { fromLink, goLive, latestOnly, linkButton, slider, syncSliders } from "./kit.js";

const MODULE = "py_runtime.demos.bss_unmix";
const GROUPS = [["Sources", ["s1", "s2"]], ["Microphones (the mixtures)", ["x1", "x2"]], ["Recovered by ICA", ["y1", "y2"]]];
const KINDS = [["sine", "sine wave"], ["square", "square wave"], ["sawtooth", "sawtooth wave"],
  ["noise", "uniform noise"], ["gaussian", "Gaussian noise"]];

export async function mount(root, python) {
  const live = root.querySelector(".demo-live");
  live.innerHTML = `<div class="bss-panels" data-panels></div>
    <div class="controls" data-controls></div>
    <div class="demo-toolbar"><button type="button" class="secondary" data-random>Random mixing matrix</button>
      <button type="button" class="secondary" data-resample>New random samples</button></div>
    <div class="bss-traces" data-traces></div>
    <p class="bss-audio-status" role="status" aria-live="polite" data-audio-status>Press ▶ to hear a signal (1.5 s).</p>
    <div class="demo-readouts" data-readouts></div>`;
  const panels = live.querySelector("[data-panels]");
  const controls = live.querySelector("[data-controls]");
  const traces = live.querySelector("[data-traces]");
  const readouts = live.querySelector("[data-readouts]");
  const audioStatus = live.querySelector("[data-audio-status]");
  const params = fromLink(root, { source1: "sine", source2: "sawtooth", a11: 1.0, a12: 0.8, a21: 0.6, a22: 1.0, seed: 0 });
  const labels = { s1: "source 1", s2: "source 2", x1: "microphone 1", x2: "microphone 2", y1: "recovered 1", y2: "recovered 2" };

  // the trace rows: a play button, a name, a waveform
  const traceSlots = {};
  const playButtons = {};
  for (const [title, keys] of GROUPS) {
    const group = document.createElement("div");
    group.className = "bss-group";
    group.innerHTML = `<p class="bss-group-title"></p>`;
    group.querySelector(".bss-group-title").textContent = title;
    for (const key of keys) {
      const row = document.createElement("div");
      row.className = "bss-row";
      row.innerHTML = `<button type="button" class="secondary bss-play" aria-pressed="false"></button>
        <div class="bss-wavebox"><span class="bss-row-label"></span><div class="bss-wave"></div></div>`;
      const button = row.querySelector("button");
      button.dataset.play = key;
      button.textContent = "▶";
      button.setAttribute("aria-label", `Play ${labels[key]}`);
      row.querySelector(".bss-row-label").textContent = labels[key];
      traceSlots[key] = row.querySelector(".bss-wave");
      playButtons[key] = button;
      group.append(row);
    }
    traces.append(group);
  }

  // sources and mixing-matrix controls
  const selects = {};
  for (const which of ["source1", "source2"]) {
    const row = document.createElement("div");
    row.className = "control bss-select";
    const id = `bss-${which}-${Math.random().toString(36).slice(2, 8)}`;
    row.innerHTML = `<label for="${id}"></label><select id="${id}"></select>`;
    row.querySelector("label").textContent = which === "source1" ? "Source 1" : "Source 2";
    const select = row.querySelector("select");
    for (const [value, text] of KINDS) select.append(new Option(text, value, false, value === params[which]));
    select.addEventListener("change", () => { params[which] = select.value; stopAudio(); draw(); });
    selects[which] = select;
    controls.append(row);
  }
  const matrixSliders = {};
  const names = { a11: "A₁₁ (s₁→mic 1)", a12: "A₁₂ (s₂→mic 1)", a21: "A₂₁ (s₁→mic 2)", a22: "A₂₂ (s₂→mic 2)" };
  for (const key of ["a11", "a12", "a21", "a22"]) {
    matrixSliders[key] = slider(controls, { label: names[key], min: -2, max: 2, step: 0.05, value: params[key], key,
      onInput: (value) => { params[key] = value; stopAudio(); draw(); } });
  }
  live.querySelector("[data-random]").addEventListener("click", () => {
    for (const key of Object.keys(matrixSliders)) {
      const value = Math.round((Math.random() * 3 - 1.5) * 20) / 20;
      matrixSliders[key].value = value;
      matrixSliders[key].dispatchEvent(new Event("input"));
    }
  });

  live.querySelector("[data-resample]").addEventListener("click", () => {
    params.seed = (params.seed + 1) % 1000000;
    stopAudio();
    draw();
  });

  let state = null;
  const draw = latestOnly(async () => {
    const sent = { ...params };
    state = await python.call(MODULE, "view", sent);
    // Python's cleaned values are the truth, unless the reader moved on while it computed.
    if (Object.keys(sent).every((key) => sent[key] === params[key])) Object.assign(params, state.params);
    panels.innerHTML = state.panels.map((panel) =>
      `<div class="bss-panel-box">${panel.svg}<div class="bss-panel-caption"></div></div>`).join("");
    panels.querySelectorAll(".bss-panel-caption").forEach((caption, i) => { caption.textContent = state.panels[i].title; });
    for (const [key, svg] of Object.entries(state.traces)) traceSlots[key].innerHTML = svg;
    readouts.innerHTML = state.readouts;
    for (const key of ["y1", "y2"]) playButtons[key].disabled = state.singular;
  });

  // audio: one AudioContext, made on the first click (a user gesture), one clip at a time
  let context = null;
  let playing = null;
  function stopAudio() {
    if (!playing) return;
    const { node, button } = playing;
    playing = null;
    try { node.stop(); } catch { /* already stopped */ }
    button.textContent = "▶";
    button.setAttribute("aria-pressed", "false");
  }
  async function play(key) {
    const button = playButtons[key];
    const wasPlaying = playing && playing.button === button;
    stopAudio();
    if (wasPlaying) { audioStatus.textContent = "Stopped."; return; }
    try {
      const AudioCtx = window.AudioContext || window.webkitAudioContext;
      if (!AudioCtx) { audioStatus.textContent = "This browser cannot play sound (no Web Audio)."; return; }
      context = context || new AudioCtx();
      const resumed = context.state === "suspended" ? context.resume() : Promise.resolve();
      const clip = await python.call(MODULE, "clip", { ...params, which: key });
      await resumed;
      if (!clip.samples.length) { audioStatus.textContent = clip.note; return; }
      const buffer = context.createBuffer(1, clip.samples.length, clip.rate);
      buffer.copyToChannel(Float32Array.from(clip.samples), 0);
      const node = context.createBufferSource();
      node.buffer = buffer;
      node.connect(context.destination);
      stopAudio();                                    // another clip may have started meanwhile
      playing = { node, button };
      node.onended = () => { if (playing && playing.node === node) stopAudio(); };
      node.start();
      button.textContent = "■";
      button.setAttribute("aria-pressed", "true");
      audioStatus.textContent = `Playing ${clip.label} (${(clip.samples.length / clip.rate).toFixed(1)} s).`;
    } catch (error) {
      audioStatus.textContent = `Could not play the sound: ${error.message}`;
    }
  }
  for (const [key, button] of Object.entries(playButtons)) button.addEventListener("click", () => play(key));
  linkButton(live, root, () => params);

  await draw();
  syncSliders(controls, params);
  for (const [which, select] of Object.entries(selects)) select.value = params[which];
  goLive(root);
}
