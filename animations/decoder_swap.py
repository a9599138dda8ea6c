"""The decoder swap behind the classic face-swap deepfake, frame in, frame out, run by the trained
model in weights/ (faces-swap) through py_runtime.pipeline: one encoder shared by two fictional
people, A and B, one decoder for each, and the stages around them that real pipelines use.

A's frame (128 px, py_runtime.faces) appears with its landmarks and the crop box the alignment
fits to them (py_runtime.align); the aligned crop is cut out and turned upright; the shared encoder
turns it into the code (drawn as bars, its real values); decoder A rebuilds A, decoder B draws the
swap, next to the ground truth (B's aligned crop with A's parameters); then the mask, the colour
match and the blend paste the swap back into A's frame. Then A's expression and pose sweep while
every frame is rendered, aligned, encoded, decoded and composited again (precomputed with the
NumPy backend).

Everything model-dependent (the latent size, the bars' scale, the quoted metrics, and what the
narration says carries over, from the manifest's `verdicts`) is read from weights/ at render time:
a retrained model re-renders the scene (its `inputs` in scenes.toml).
"""
import math

from manim import (DOWN, LEFT, RIGHT, UP, Arrow, Create, Dot, FadeIn, ImageMobject, Line, Polygon,
                   Rectangle, ShowPassingFlash, ValueTracker, VGroup, always_redraw, config, np)
from PIL.Image import Resampling

from animations.common import (BLUE, GRID, MUTED, ORANGE, PANEL, PINK, TEXT, YELLOW, Narrated, label,
                               live_label)

# Two video pixels per picture pixel at 720p (90 px per unit): the 128-px frame and the 64-px crops.
FRAME = 256 / 90
FACE = 128 / 90
FRAME_SIZE = 128
COLOUR = "mean"

# Where everything sits (x, y): the frame and the composite on top, the network below.
FRAME_POS, COMP_POS = np.array([-5.45, 1.85, 0]), np.array([5.45, 1.85, 0])
CROP_POS, CODE_POS = np.array([-5.45, -1.45, 0]), np.array([-1.8, -1.45, 0])
RECON_POS, SWAP_POS = np.array([1.95, -0.35, 0]), np.array([1.95, -2.55, 0])
TRUTH_POS, MASK_POS = np.array([3.6, -2.55, 0]), np.array([5.45, -2.55, 0])
READOUT_POS, SCORE_POS = np.array([-3.85, 1.85, 0]), np.array([3.75, -0.45, 0])

START = {"smile": 0.7, "mouth_open": 0.25, "eyes_open": 0.85, "gaze_x": 0.0, "gaze_y": 0.0, "yaw": -0.3,
         "pitch": 0.1, "roll": 0.6, "light": 0.3}
# The sweep: A's parameters pass through these keyframes (eased), back to the start.
KEYS = [START,
        {"smile": -0.6, "mouth_open": 0.05, "eyes_open": 0.35, "gaze_x": 0.8, "gaze_y": -0.3, "yaw": 0.7,
         "pitch": -0.2, "roll": -0.4, "light": -0.2},
        {"smile": 0.95, "mouth_open": 0.8, "eyes_open": 1.0, "gaze_x": -0.7, "gaze_y": 0.4, "yaw": 0.0,
         "pitch": 0.3, "roll": 0.1, "light": 0.6},
        {"smile": 0.0, "mouth_open": 0.0, "eyes_open": 0.05, "gaze_x": 0.2, "gaze_y": -0.5, "yaw": -0.8,
         "pitch": -0.1, "roll": 0.5, "light": 0.0},
        START]
SWEEP_SECONDS = 9.0
SHOWN = [("smile", "smile"), ("mouth_open", "mouth"), ("eyes_open", "eyes"), ("gaze_x", "gaze"),
         ("yaw", "turn"), ("roll", "tilt")]

# How the narration names each parameter ("A's ...").
PARAM_NAMES = ("smile", "mouth_open", "eyes_open", "gaze_x", "gaze_y", "yaw", "pitch", "roll", "light")
WORDS = {"smile": "smile", "mouth_open": "open mouth", "eyes_open": "eyes", "gaze_x": "left–right gaze",
         "gaze_y": "up–down gaze", "gaze": "gaze", "yaw": "head turn", "pitch": "nod", "roll": "tilt",
         "light": "light"}
EXPRESSION = ("smile", "mouth_open", "eyes_open", "gaze_x", "gaze_y")
POSE = ("yaw", "pitch", "roll")


# -- pictures --------------------------------------------------------------------------------------
def face_rgba(pixels, alpha=None):
    """Square RGB floats (HWC, [0, 1]) as an RGBA uint8 array; `alpha`: one value in [0, 1] a pixel."""
    values = np.clip(np.asarray(pixels, dtype=float), 0, 1)
    side = int(round(math.sqrt(values.size / 3)))
    rgb = np.rint(values.reshape(side, side, 3) * 255)
    a = np.full((side, side, 1), 255.0) if alpha is None else \
        np.rint(np.clip(np.asarray(alpha, dtype=float), 0, 1).reshape(side, side, 1) * 255)
    return np.concatenate([rgb, a], axis=2).astype(np.uint8)


def mask_rgba(mask):
    """The blending mask (one value a crop pixel) drawn from the panel colour (0) to white (1)."""
    m = np.clip(np.asarray(mask, dtype=float), 0, 1)[:, None]
    lo, hi = (np.array([int(c[i:i + 2], 16) / 255 for i in (1, 3, 5)]) for c in (PANEL, TEXT))
    return face_rgba((lo * (1 - m) + hi * m).ravel())


def face_image(rgba, center, height=FACE):
    image = ImageMobject(rgba.copy(), resampling_algorithm=Resampling.NEAREST)
    image.height = height
    return image.move_to(center)


def on_frame(point, center, size=FRAME):
    """A point in frame pixels scaled to [0, 1] (x right, y down) -> the screen, for a frame drawn at `center`."""
    return np.array([center[0] + (point[0] - 0.5) * size, center[1] + (0.5 - point[1]) * size, 0.0])


def square_of(corners, center, size=FRAME):
    """The crop box (four corners in [0, 1] frame coordinates, crop's top-left first, clockwise)
    as (centre, side, angle) on the screen."""
    pts = [on_frame(c, center, size) for c in corners]
    u = pts[1] - pts[0]
    return sum(pts) / 4, float(np.hypot(u[0], u[1])), math.atan2(u[1], u[0])


def place(image, centre, side, angle):
    """Put an image's four corners (UL, UR, DL, DR) on a square: any size, any rotation."""
    u = side * np.array([math.cos(angle), math.sin(angle), 0.0])
    v = side * np.array([math.sin(angle), -math.cos(angle), 0.0])          # the crop's "down"
    ul = np.asarray(centre, dtype=float) - u / 2 - v / 2
    image.points = np.array([ul, ul + u, ul + v, ul + u + v])
    return image


def between(start, end, t):
    """(centre, side, angle) part-way from `start` to `end`."""
    return (start[0] + (end[0] - start[0]) * t, start[1] + (end[1] - start[1]) * t,
            start[2] + (end[2] - start[2]) * t)


# -- the frames ------------------------------------------------------------------------------------
def params_at(t):
    """A's parameters at t in [0, 1] of the sweep: cosine-eased between keyframes."""
    segments = len(KEYS) - 1
    i = min(int(t * segments), segments - 1)
    u = t * segments - i
    u = 0.5 - 0.5 * math.cos(math.pi * u)
    a, b = KEYS[i], KEYS[i + 1]
    return {k: a[k] + (b[k] - a[k]) * u for k in a}


def frame_data(model, params):
    """One frame of the whole swap, A driving, B's decoder drawing, every stage as the scene shows it."""
    from py_runtime import align, faces, pipeline

    swapped = pipeline.swap_crop(model, "A", params, "B")
    done = pipeline.finish(swapped, FRAME_SIZE, COLOUR)
    crop, view = swapped.crop, done.view

    def norm(wx, wy):
        x, y = view.to_pixel(wx, wy)
        return x / view.size, y / view.size

    return {"params": faces.clean_params(params), "z": np.asarray(swapped.latent, dtype=float),
            "frame": face_rgba(done.frame), "crop": face_rgba(crop.pixels),
            "recon": face_rgba(model.decode(list(swapped.latent), "A")), "swap": face_rgba(swapped.pixels),
            "truth": face_rgba(pipeline.aligned_crop("B", params).pixels), "mask": mask_rgba(done.mask),
            "cutout": face_rgba(done.matched, done.mask), "composite": face_rgba(done.pixels),
            "marks": [norm(*crop.marks[name]) for name in align.TEMPLATE],
            "outline": [norm(*crop.marks[name]) for name in align.OUTLINE],
            "box": [norm(*c) for c in align.crop_corners(crop.alignment)],
            "degrees": crop.alignment.degrees}


def sweep_frames(model, count):
    """`count` frames of the sweep, evenly spaced from its start to its end (back at the start)."""
    return [frame_data(model, params_at(k / max(count - 1, 1))) for k in range(count)]


# -- the narration, from the manifest --------------------------------------------------------------
def _number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _dig(tree, *keys):
    for key in keys:
        if not isinstance(tree, dict):
            return None
        tree = tree.get(key)
    return tree


def listing(words):
    words = list(dict.fromkeys(words))
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def named(names):
    """Parameter names as the narration says them; both gazes together are "gaze"."""
    names = list(names)
    if "gaze_x" in names and "gaze_y" in names:
        names[names.index("gaze_x")] = "gaze"
        names.remove("gaze_y")
    return listing([WORDS.get(n, n) for n in names])


def carried_and_lost(entry):
    """The parameters the manifest's verdicts say the swap carries over, and those it does not
    (None when the entry has no verdicts on them)."""
    verdicts = entry.get("verdicts")
    if not isinstance(verdicts, dict):
        return None
    judged = [n for n in PARAM_NAMES if isinstance(verdicts.get(n), bool)]
    if not judged:
        return None
    return [n for n in judged if verdicts[n]], [n for n in judged if not verdicts[n]]


def swap_sentence(entry):
    verdicts = entry.get("verdicts") if isinstance(entry.get("verdicts"), dict) else {}
    if all(verdicts.get(n) is True for n in EXPRESSION + POSE):
        return ("Now send the same code to decoder B: it draws B with A's pose and expression. "
                "That is the swap.")
    return "Now send the same code to decoder B: it draws B's face from A's code. That is the swap."


def truth_sentence(entry):
    metrics = entry.get("metrics", {})
    line = "Beside it, the ground truth: B really rendered with A's parameters, aligned and cropped the same way."
    ssim = metrics.get("swap_ssim")
    who = _dig(metrics, "identity", "swap")
    named_b = who.get("B") if isinstance(who, dict) else None
    people = who.get("people") if isinstance(who, dict) else None
    if _number(ssim):
        line += f" On held-out faces the swaps score an SSIM of {ssim:.2f} against it, where 1 is identical"
        if _number(named_b) and _number(people):
            line += (f"; an identity classifier choosing among {people:.0f} people names B for "
                     f"{100 * named_b:.0f}% of them")
        line += "."
    elif _number(named_b) and _number(people):
        line += (f" On held-out faces, an identity classifier choosing among {people:.0f} people names B for "
                 f"{100 * named_b:.0f}% of the swaps.")
    return line


def transfer_sentence(entry):
    """What carries over, from the verdicts, with the read-back figures from the metrics; empty
    when the entry has no verdicts on the parameters."""
    lists = carried_and_lost(entry)
    if lists is None:
        return ""
    carried, lost = lists
    expression = _dig(entry.get("metrics", {}), "expression") or {}
    read = "Read back from held-out swaps by a regressor trained on B's faces"
    if carried and lost:
        line = f"{read}, B's face follows A's {named(carried)}, but not A's {named(lost)}."
    elif carried:
        line = f"{read}, B's face follows A's {named(carried)}."
    else:
        what = "expression, pose or light" if set(lost) == set(PARAM_NAMES) else named(lost)
        line = f"{read}, B's face follows none of A's {what} closely."
    r, r_floor = _dig(expression, "swap", "correlation", "smile"), _dig(expression, "floor", "correlation", "smile")
    if _number(r):
        line += f" The swap's smile correlates with A's at {r:.2f}"
        line += f"; B's own faces, read the same way, at {r_floor:.2f}." if _number(r_floor) else "."
    floor_error = _dig(expression, "floor", "mean_error")
    if entry["verdicts"].get("floor") is False and _number(floor_error):
        line += (f" That regressor is off by {100 * floor_error:.0f}% of each parameter's range even on B's own "
                 "faces, so these readings are rough.")
    return line


def closing_sentence(entry):
    verdicts = entry.get("verdicts") if isinstance(entry.get("verdicts"), dict) else {}
    if verdicts.get("swap_ssim") is False:
        return "The model is small, sized to run in the browser: it trades sharpness for speed."
    return "The model is small, sized to run in the browser."


# -- the scene -------------------------------------------------------------------------------------
class DecoderSwap(Narrated):
    def construct(self):
        from py_runtime import swap

        model = swap.load(backend="numpy")
        entry = model.entry
        metrics = entry.get("metrics", {})

        frames_n = int(round(SWEEP_SECONDS * config.frame_rate)) + 1
        frames = sweep_frames(model, frames_n)
        first = frames[0]
        n = len(first["z"])
        state = {"frame": first}

        # The bars: one per latent number, on one scale for all (the real values), each over a faint
        # band: that number's range on held-out faces (the manifest's latent_range), when known.
        ranges = entry.get("latent_range", {})
        lo, hi = ranges.get("min"), ranges.get("max")
        if not (lo and hi and len(lo) == n and len(hi) == n):
            lo = hi = None
        extent = max([abs(v) for f in frames for v in f["z"]] + ([abs(v) for v in lo + hi] if lo else []) + [1e-6])
        bar_w, bar_h = 2.2, 0.6
        step = bar_w / n
        x0 = CODE_POS[0] - bar_w / 2
        panel = Rectangle(width=bar_w + 0.3, height=2 * bar_h + 0.35, color=YELLOW, stroke_width=2,
                          fill_color=PANEL, fill_opacity=1).move_to(CODE_POS)
        bands = VGroup()
        if lo:
            for i in range(n):
                y0, y1 = lo[i] / extent * bar_h, hi[i] / extent * bar_h
                bands.add(Rectangle(width=step * 0.9, height=max(y1 - y0, 0.02), stroke_width=0, fill_color=GRID,
                                    fill_opacity=1).move_to([x0 + step * (i + 0.5), CODE_POS[1] + (y0 + y1) / 2, 0]))
        axis = Line([x0, CODE_POS[1], 0], [x0 + bar_w, CODE_POS[1], 0], color=MUTED, stroke_width=1.5)
        grow = ValueTracker(0.0)

        def bars():
            z = state["frame"]["z"] * grow.get_value()
            group = VGroup()
            for i, v in enumerate(z):
                h = max(abs(v) / extent * bar_h, 0.01)
                group.add(Rectangle(width=step * 0.6, height=h, stroke_width=0, fill_color=YELLOW, fill_opacity=0.95)
                          .move_to([x0 + step * (i + 0.5), CODE_POS[1] + np.sign(v) * h / 2, 0]))
            return group

        code_bars = always_redraw(bars)
        code_name = label(f"shared code: {n} numbers", 20, YELLOW).next_to(panel, UP, buff=0.12)
        code_note = VGroup(label("bars: its values", 16, MUTED),
                           label("grey: typical range", 16, MUTED)).arrange(DOWN, buff=0.06).next_to(panel, DOWN,
                                                                                                    buff=0.12)
        if not lo:
            code_note = code_note[:1]

        # The network.
        cy = CODE_POS[1]
        encoder = Polygon([-4.45, cy + 0.85, 0], [-3.35, cy + 0.35, 0], [-3.35, cy - 0.35, 0], [-4.45, cy - 0.85, 0],
                          color=TEXT, fill_color=TEXT, fill_opacity=0.12, stroke_width=3)
        dec_a = Polygon([-0.2, 0.25, 0], [1.0, 0.7, 0], [1.0, -0.7, 0], [-0.2, -0.25, 0], color=BLUE,
                        fill_color=BLUE, fill_opacity=0.2, stroke_width=3).shift(UP * RECON_POS[1])
        dec_b = dec_a.copy().set_color(ORANGE).set_fill(ORANGE, 0.2).shift(DOWN * (RECON_POS[1] - SWAP_POS[1]))
        names = VGroup(VGroup(label("shared", 20, TEXT), label("encoder", 20, TEXT)).arrange(DOWN, buff=0.06)
                       .next_to(encoder, DOWN, buff=0.15),
                       label("decoder A", 20, BLUE).next_to(dec_a, UP, buff=0.12),
                       label("decoder B", 20, ORANGE).next_to(dec_b, DOWN, buff=0.12))
        wires = VGroup(Line(CROP_POS + RIGHT * FACE / 2, encoder.get_left()),
                       Line(encoder.get_right(), panel.get_left()),
                       Line(panel.get_right(), dec_a.get_left()), Line(panel.get_right(), dec_b.get_left()),
                       Line(dec_a.get_right(), RECON_POS + LEFT * FACE / 2),
                       Line(dec_b.get_right(), SWAP_POS + LEFT * FACE / 2)).set_stroke(GRID, 3)

        def flow(pieces, color):
            return [ShowPassingFlash(p.copy().set_stroke(color, 7), time_width=0.7) for p in pieces]

        def framed(image, color):
            return Rectangle(width=image.width, height=image.height, color=color, stroke_width=3).move_to(image)

        img_frame = face_image(first["frame"], FRAME_POS, FRAME)
        img_crop = face_image(first["crop"], CROP_POS)
        img_recon = face_image(first["recon"], RECON_POS)
        img_swap = face_image(first["swap"], SWAP_POS)
        img_truth = face_image(first["truth"], TRUTH_POS)
        img_mask = face_image(first["mask"], MASK_POS)
        img_comp = face_image(first["frame"], COMP_POS, FRAME)
        images = {"frame": img_frame, "crop": img_crop, "recon": img_recon, "swap": img_swap, "truth": img_truth,
                  "mask": img_mask, "composite": img_comp}
        box_frame, box_crop = framed(img_frame, BLUE), framed(img_crop, BLUE)
        box_recon, box_swap, box_truth = framed(img_recon, BLUE), framed(img_swap, PINK), framed(img_truth, MUTED)
        box_mask, box_comp = framed(img_mask, MUTED), framed(img_comp, PINK)
        cap_frame = label("A's frame", 20, BLUE).next_to(box_frame, UP, buff=0.12)
        cap_crop = label("aligned crop", 20, BLUE).next_to(box_crop, DOWN, buff=0.12)
        cap_recon = label("A rebuilt", 20, BLUE).next_to(box_recon, UP, buff=0.12)
        cap_swap = label("the swap", 20, PINK).next_to(box_swap, DOWN, buff=0.12)
        cap_truth = label("ground truth", 20, MUTED).next_to(box_truth, DOWN, buff=0.12)
        cap_mask = label("mask", 20, MUTED).next_to(box_mask, DOWN, buff=0.12)
        cap_comp = label("A's frame, B's face", 20, PINK).next_to(box_comp, UP, buff=0.12)
        paste_arrow = Arrow(box_mask.get_top(), box_comp.get_bottom(), buff=0.08, color=GRID, stroke_width=3,
                            max_tip_length_to_length_ratio=0.3)
        crop_arrow = Arrow(box_frame.get_bottom(), box_crop.get_top(), buff=0.08, color=GRID, stroke_width=3,
                           max_tip_length_to_length_ratio=0.3)

        # What detection and alignment found, drawn on A's frame: the landmarks and the crop box.
        def marks():
            f = state["frame"]
            group = VGroup(*[Dot(on_frame(p, FRAME_POS), radius=0.025, color=MUTED) for p in f["outline"]])
            group.add(*[Dot(on_frame(p, FRAME_POS), radius=0.05, color=YELLOW) for p in f["marks"]])
            return group

        def box():
            return Polygon(*[on_frame(c, FRAME_POS) for c in state["frame"]["box"]], color=YELLOW, stroke_width=2.5)

        landmarks, crop_box = always_redraw(marks), always_redraw(box)

        def readout():
            p = state["frame"]["params"]
            rows = VGroup(*[live_label(f"{word:<6}{p[key]:+.2f}", 18, MUTED) for key, word in SHOWN])
            rows.arrange(DOWN, buff=0.11, aligned_edge=LEFT)
            return rows.move_to(READOUT_POS, aligned_edge=LEFT)

        params_box = always_redraw(readout)

        ssim = metrics.get("swap_ssim")
        score = None
        if _number(ssim):
            score = VGroup(label("held-out swaps", 18, MUTED), label("vs. ground truth:", 18, MUTED),
                           label(f"SSIM {ssim:.2f}", 24, TEXT)).arrange(DOWN, buff=0.1).move_to(SCORE_POS)

        # 1. A's frame, its landmarks and the crop box.
        self.say("A deepfake, one frame at a time, run by this site's trained model. First A's frame: "
                 "the face's landmarks are found, and a square is fitted to them.")
        self.play(FadeIn(img_frame), FadeIn(box_frame), FadeIn(cap_frame), FadeIn(params_box), run_time=0.9)
        self.play(FadeIn(landmarks), run_time=0.8)
        self.play(Create(crop_box), run_time=0.9)
        self.wait(1.6)

        # 2. The aligned crop: cut along the box, turned upright.
        turn = abs(first["degrees"])
        self.say("Cut along that square" + (f" and turned {turn:.0f}° back upright" if turn >= 1 else "")
                 + ", the face becomes the aligned crop: all the network ever sees.")
        start = square_of(first["box"], FRAME_POS)
        end = (CROP_POS, FACE, 0.0)
        place(img_crop, *start)
        cut = ValueTracker(0.0)
        img_crop.add_updater(lambda m: place(m, *between(start, end, cut.get_value())))
        self.add(img_crop)
        self.play(cut.animate.set_value(1.0), FadeIn(crop_arrow), run_time=1.8)
        img_crop.clear_updaters()
        self.play(FadeIn(box_crop), FadeIn(cap_crop), run_time=0.5)
        self.wait(1.3)

        # 3. The shared encoder and the code.
        self.say(f"The crop goes through the shared encoder and comes out as {n} numbers: the shared code.")
        self.play(FadeIn(encoder), FadeIn(dec_a), FadeIn(dec_b), FadeIn(names), FadeIn(wires), FadeIn(panel),
                  FadeIn(axis), FadeIn(bands), FadeIn(code_name), FadeIn(code_note), run_time=1.2)
        self.add(code_bars)
        self.play(*flow(wires[:2], TEXT), run_time=1.0)
        self.play(grow.animate.set_value(1.0), run_time=1.2)
        self.wait(1.2)

        # 4. Decoder A.
        self.say("Decoder A, trained to rebuild A, turns the code back into A.")
        self.play(*flow([wires[2], wires[4]], BLUE), run_time=1.0)
        self.play(FadeIn(img_recon), FadeIn(box_recon), FadeIn(cap_recon), run_time=0.7)
        self.wait(1.0)

        # 5. The swap.
        self.say(swap_sentence(entry))
        self.play(*flow([wires[3], wires[5]], PINK), run_time=1.0)
        self.play(FadeIn(img_swap), FadeIn(box_swap), FadeIn(cap_swap), run_time=0.7)
        self.wait(1.6)

        # 6. The ground truth.
        self.say(truth_sentence(entry))
        self.play(FadeIn(img_truth), FadeIn(box_truth), FadeIn(cap_truth), *([FadeIn(score)] if score else []),
                  run_time=0.8)
        self.wait(3.4 if score is not None else 2.2)

        # 7. The mask, the colour match and the blend back into A's frame.
        self.say("Then back into the frame: a mask from the landmarks, the swap's colours shifted to match A's "
                 "face, and a blend. A's frame, now with B's face.")
        self.play(FadeIn(img_comp), FadeIn(box_comp), FadeIn(cap_comp), FadeIn(img_mask), FadeIn(box_mask),
                  FadeIn(cap_mask), run_time=0.8)
        cutout = face_image(first["cutout"], MASK_POS)
        self.play(FadeIn(cutout), run_time=0.6)
        home = (MASK_POS, FACE, 0.0)
        target = square_of(first["box"], COMP_POS)
        paste = ValueTracker(0.0)
        cutout.add_updater(lambda m: place(m, *between(home, target, paste.get_value())))
        self.play(paste.animate.set_value(1.0), FadeIn(paste_arrow), run_time=1.5)
        cutout.clear_updaters()
        img_comp.pixel_array = first["composite"].copy()
        self.remove(cutout)
        self.poster()
        self.wait(2.0)

        # 8. The sweep: every frame rendered, aligned, encoded, decoded and composited again.
        sweep = ValueTracker(0.0)

        def follow(_):
            k = int(round(sweep.get_value() * (frames_n - 1)))
            frame = frames[min(max(k, 0), frames_n - 1)]
            if frame is not state["frame"]:
                state["frame"] = frame
                for key, image in images.items():
                    image.pixel_array = frame[key].copy()

        img_frame.add_updater(follow)
        self.say("Now A smiles, opens the mouth, blinks, looks around and turns the head: every frame is "
                 "rendered, aligned, encoded, decoded and blended back again.")
        transfer = transfer_sentence(entry)
        split = 0.4 if transfer else 1.0
        at = round(split * (frames_n - 1)) / (frames_n - 1)
        self.play(sweep.animate.set_value(at), run_time=SWEEP_SECONDS * at, rate_func=lambda t: t)
        if transfer:
            self.say(transfer)
            self.play(sweep.animate.set_value(1.0), run_time=SWEEP_SECONDS * (1 - at), rate_func=lambda t: t)
        img_frame.remove_updater(follow)
        self.say(closing_sentence(entry))
        self.wait(2.0)
