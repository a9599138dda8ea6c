// autoencoder-draw: a drawing pad (pointer, touch, sample buttons or an arrow-key pen). While
// the reader draws, the pad's ink, downsampled, goes to Python, which MNIST-ifies it, runs the
// 2-D autoencoder and the denoising autoencoder, and sends back small pictures and a marker.
// A link can carry the drawing (28 × 28, 16 grey levels, coded by Python: 523 characters), the
// noise and its seed (#demo-autoencoder-draw?noise=0.2&drawing=…): see kit.js's fromLink.
import { fromLink, goLive, latestOnly, linkButton, slider, syncSliders } from "./kit.js";

const MODULE = "py_runtime.demos.autoencoder_draw";
const MOVES = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
const reducedMotion = () => matchMedia("(prefers-reduced-motion: reduce)").matches;

function button(parent, text, label, onClick, secondary = true) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = text;
  if (label) b.setAttribute("aria-label", label);
  if (secondary) b.className = "secondary";
  b.addEventListener("click", onClick);
  parent.append(b);
  return b;
}

export async function mount(root, python) {
  const live = root.querySelector(".demo-live");
  const first = await python.call(MODULE, "initial", fromLink(root, { noise: 0.5, seed: 0, drawing: "" }));
  live.innerHTML = `${first.html}<div class="controls" data-controls></div>
    <p class="ad-pen-status" data-pen-status aria-live="polite"></p>`;
  const $ = (selector) => live.querySelector(selector);
  const canvas = $("[data-canvas]");
  const pen = $("[data-pen]");
  const penStatus = $("[data-pen-status]");
  const images = ["input", "recon", "noisy", "denoised"].map((key) => [key, $(`[data-${key}]`)]);
  const overlay = $("[data-overlay]");
  const readouts = $("[data-readouts]");
  const ctx = canvas.getContext("2d");
  const small = document.createElement("canvas");
  small.width = small.height = first.size;
  const smallCtx = small.getContext("2d", { willReadFrequently: true });
  const params = { ...first.params };
  let linked = first.linked;                      // a link's drawing: sent as it is until the reader draws
  let drawingCode = first.drawing;                // the drawing Python last saw, as a link carries it

  ctx.lineWidth = first.line_width;
  ctx.lineCap = "round";
  ctx.lineJoin = "round";
  ctx.strokeStyle = "#fff";

  // The pad's ink (its alpha channel), downsampled to size × size, is what Python gets.
  const pixels = () => {
    smallCtx.clearRect(0, 0, small.width, small.height);
    smallCtx.imageSmoothingEnabled = true;
    smallCtx.imageSmoothingQuality = "high";
    smallCtx.drawImage(canvas, 0, 0, small.width, small.height);
    const rgba = smallCtx.getImageData(0, 0, small.width, small.height).data;
    return Array.from({ length: rgba.length / 4 }, (_, i) => rgba[4 * i + 3]);
  };
  const drawing = () => (linked ? { pixels: linked, size: first.linked_size } : { pixels: pixels(), size: first.size });
  const show = (state, sent) => {
    for (const [key, img] of images) img.src = state[key];
    overlay.innerHTML = state.overlay;
    readouts.innerHTML = state.readouts;
    drawingCode = state.drawing;
    // Python's cleaned values are the truth, unless a control moved while it computed: then the
    // queued call carries the newer value, and adopting these would undo the reader's move.
    if (Object.keys(sent).every((key) => params[key] === sent[key])) Object.assign(params, state.params);
  };
  const update = latestOnly(async () => {
    const sent = { ...params };
    show(await python.call(MODULE, "view", { ...sent, ...drawing() }), sent);
  });

  const line = (a, b) => {
    linked = null;
    ctx.beginPath();
    ctx.moveTo(a[0], a[1]);
    ctx.lineTo(b[0], b[1]);
    ctx.stroke();
  };
  let animation = 0;                              // bumping it stops a sample being drawn
  const clear = () => {
    animation++;
    linked = null;
    ctx.clearRect(0, 0, canvas.width, canvas.height);
  };

  // Sample digits: drawn at once, or stroke by stroke when motion is welcome.
  const drawSample = async (strokes) => {
    clear();
    const run = animation;
    for (const stroke of strokes) {
      for (let i = 0; i < stroke.length; i++) {
        line(stroke[Math.max(0, i - 1)], stroke[i]);
        if (!reducedMotion()) {
          update();
          await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 40)));
          if (run !== animation) return;
        }
      }
    }
    await update();
  };

  // Pointer and touch drawing.
  const toCanvas = (event) => {
    const box = canvas.getBoundingClientRect();
    return [(event.clientX - box.left) * canvas.width / box.width, (event.clientY - box.top) * canvas.height / box.height];
  };
  let last = null;
  canvas.addEventListener("pointerdown", (event) => {
    animation++;
    canvas.setPointerCapture(event.pointerId);
    last = toCanvas(event);
    line(last, last);
    update();
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!last) return;
    const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
    for (const e of events.length ? events : [event]) {
      const point = toCanvas(e);
      line(last, point);
      last = point;
    }
    update();
  });
  const lift = () => { if (last) update(); last = null; };
  canvas.addEventListener("pointerup", lift);
  canvas.addEventListener("pointercancel", lift);

  // Keyboard pen: arrows move it (drawing while it is down), Space or Enter lifts/lowers it.
  const keyPen = { x: canvas.width / 2, y: canvas.height / 2, down: false };
  const placePen = () => {
    pen.style.left = `${(100 * keyPen.x) / canvas.width}%`;
    pen.style.top = `${(100 * keyPen.y) / canvas.height}%`;
    pen.classList.toggle("down", keyPen.down);
  };
  const say = () => {
    penStatus.textContent = `Keyboard pen ${keyPen.down ? "down: the arrow keys draw" : "up: the arrow keys move it"}`
      + " (Space or Enter to lift or lower it).";
  };
  canvas.tabIndex = 0;
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", "Drawing pad: draw a digit with the mouse, a finger or a pen; or focus it and "
    + "use the arrow keys to move a pen, Space or Enter to put it down or lift it, Shift for longer steps");
  canvas.addEventListener("focus", () => { pen.hidden = false; placePen(); say(); });
  canvas.addEventListener("blur", () => { pen.hidden = true; penStatus.textContent = ""; });
  canvas.addEventListener("keydown", (event) => {
    const move = MOVES[event.key];
    if (event.key === " " || event.key === "Enter") {
      event.preventDefault();
      animation++;
      keyPen.down = !keyPen.down;
      if (keyPen.down) { line([keyPen.x, keyPen.y], [keyPen.x, keyPen.y]); update(); }
      placePen();
      say();
      return;
    }
    if (!move) return;
    event.preventDefault();
    const step = event.shiftKey ? 30 : 10;
    const next = [Math.min(Math.max(keyPen.x + move[0] * step, 0), canvas.width),
      Math.min(Math.max(keyPen.y + move[1] * step, 0), canvas.height)];
    if (keyPen.down) { line([keyPen.x, keyPen.y], next); update(); }
    [keyPen.x, keyPen.y] = next;
    placePen();
  });

  const buttons = $("[data-buttons]");
  button(buttons, "Clear", "Clear the drawing pad", () => { clear(); update(); }, false);
  for (const [digit, strokes] of Object.entries(first.samples)) {
    button(buttons, `Draw a ${digit}`, `Draw a ${digit} on the pad`, () => drawSample(strokes));
  }

  const controls = $("[data-controls]");
  slider(controls, { label: "Noise σ", min: 0, max: 1, step: 0.05, value: params.noise, key: "noise",
    onInput: (value) => { params.noise = value; update(); } });
  button(controls, "New noise", "New noise: a fresh random noise pattern", () => { params.seed += 1; update(); });

  linkButton(live, root, () => ({ noise: params.noise, seed: params.seed, drawing: drawingCode }));

  if (linked) {                                   // the link's drawing on the pad, scaled up smoothly
    const side = first.linked_size;
    const picture = new ImageData(side, side);
    linked.forEach((ink, i) => picture.data.set([255, 255, 255, ink], 4 * i));
    const tiny = Object.assign(document.createElement("canvas"), { width: side, height: side });
    tiny.getContext("2d").putImageData(picture, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = "high";
    ctx.drawImage(tiny, 0, 0, canvas.width, canvas.height);
  } else {
    for (const stroke of first.samples[first.first]) {
      for (let i = 0; i < stroke.length; i++) line(stroke[Math.max(0, i - 1)], stroke[i]);
    }
  }
  await update();
  syncSliders(controls, params);                  // Python's cleaned values: the link's, or the defaults
  goLive(root);
}
