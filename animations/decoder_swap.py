"""The decoder swap behind the classic face-swap deepfake, run by the trained model in weights/
(faces-swap): one encoder shared by two fictional people, A and B, and one decoder for each.

A's face, rendered by py_runtime.faces, is encoded into the shared code (drawn as bars, its real
values); decoder A rebuilds A, decoder B draws B with A's pose and expression (the swap), next to
the ground truth: B rendered with A's parameters. Then A's expression and pose sweep while every
frame is rendered, encoded and decoded again (precomputed with the NumPy backend).

Everything model-dependent (the latent size, the bars' scale, the quoted metrics) is read from
weights/ at render time: a retrained model re-renders the scene (its `inputs` in scenes.toml).
"""
import math

from manim import (DOWN, LEFT, RIGHT, UP, FadeIn, ImageMobject, Line, Polygon, Rectangle,
                   ShowPassingFlash, ValueTracker, VGroup, always_redraw, config, np)
from PIL.Image import Resampling

from animations.common import (BLUE, GRID, MUTED, ORANGE, PANEL, PINK, TEXT, YELLOW, Narrated, label,
                               live_label)

# A face on screen is 3 video pixels per face pixel at 720p (90 px per unit), 2 at 480p: crisp.
FACE = 192 / 90
START = {"smile": 0.8, "mouth_open": 0.3, "yaw": -0.35, "pitch": 0.0, "roll": 0.0, "light": 0.3}
# The sweep: A's parameters pass through these keyframes (eased), back to the start.
KEYS = [START,
        {"smile": -0.7, "mouth_open": 0.0, "yaw": 0.75, "pitch": 0.3, "roll": 0.45, "light": -0.8},
        {"smile": 0.95, "mouth_open": 0.7, "yaw": 0.1, "pitch": -0.55, "roll": -0.35, "light": 0.9},
        {"smile": 0.1, "mouth_open": 0.1, "yaw": -0.85, "pitch": 0.4, "roll": 0.1, "light": -0.3},
        START]
SWEEP_SECONDS = 12.0
SHOWN = [("smile", "smile"), ("yaw", "turn"), ("pitch", "nod"), ("roll", "tilt"), ("light", "light")]
WORDS = {"smile": "the smile", "mouth_open": "the open mouth", "eyes_open": "the eyes", "gaze_x": "the gaze",
         "gaze_y": "the gaze", "yaw": "the head's turn", "pitch": "the head's nod", "roll": "the head's tilt",
         "light": "the light"}


def face_rgba(pixels):
    """64×64 RGB floats (HWC, [0, 1]) as an RGBA uint8 array."""
    values = np.clip(np.asarray(pixels, dtype=float), 0, 1)
    side = int(round(math.sqrt(values.size / 3)))
    rgb = np.rint(values.reshape(side, side, 3) * 255)
    return np.concatenate([rgb, np.full((side, side, 1), 255.0)], axis=2).astype(np.uint8)


def face_image(rgba, center, height=FACE):
    image = ImageMobject(rgba.copy(), resampling_algorithm=Resampling.NEAREST)
    image.height = height
    return image.move_to(center)


def params_at(t):
    """A's parameters at t in [0, 1] of the sweep: cosine-eased between keyframes."""
    segments = len(KEYS) - 1
    i = min(int(t * segments), segments - 1)
    u = t * segments - i
    u = 0.5 - 0.5 * math.cos(math.pi * u)
    a, b = KEYS[i], KEYS[i + 1]
    return {k: a[k] + (b[k] - a[k]) * u for k in a}


def listing(words):
    words = list(dict.fromkeys(words))
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def transfer_sentence(errors):
    """What the measured expression transfer says, from the manifest's per-parameter errors (share of
    each parameter's range read back from held-out swaps by a regressor; a guess scores about 1/3)."""
    if not errors:
        return ""
    ranked = sorted(errors.items(), key=lambda kv: kv[1])
    kept = [WORDS.get(n, n) for n, e in ranked if e <= 0.15]
    lost = [WORDS.get(n, n) for n, e in ranked[::-1] if e >= 0.3]
    if kept and lost:
        return (f"Measured on held-out faces, the swap carries {listing(kept)} closely, "
                f"but {listing(lost)} hardly at all.")
    if kept:
        return f"Measured on held-out faces, the swap carries {listing(kept)} closely."
    mean = sum(errors.values()) / len(errors)
    return (f"Measured on held-out faces, the swap's expression and pose are off by {100 * mean:.0f}% of each "
            f"parameter's range on average.")


class DecoderSwap(Narrated):
    def construct(self):
        from py_runtime import faces, swap

        model = swap.load(backend="numpy")
        entry = model.entry
        metrics = entry.get("metrics", {})

        def run(params):
            a = faces.render("A", params)
            z = np.asarray(model.encode(a), dtype=float)
            return {"z": z, "A": face_rgba(a), "recon": face_rgba(model.decode(z.tolist(), "A")),
                    "swap": face_rgba(model.decode(z.tolist(), "B")), "truth": face_rgba(faces.render("B", params)),
                    "params": faces.clean_params(params)}

        frames_n = int(round(SWEEP_SECONDS * config.frame_rate)) + 1
        frames = [run(params_at(k / (frames_n - 1))) for k in range(frames_n)]
        first = frames[0]
        n = len(first["z"])

        # The bars: one per latent number, on one scale for all (the real values), each over a faint
        # band: that number's range on held-out faces (the manifest's latent_range), when known.
        ranges = entry.get("latent_range", {})
        lo, hi = ranges.get("min"), ranges.get("max")
        if not (lo and hi and len(lo) == n and len(hi) == n):
            lo = hi = None
        extent = max([abs(v) for f in frames for v in f["z"]] + ([abs(v) for v in lo + hi] if lo else []) + [1e-6])
        code_pos = np.array([-1.2, 0.0, 0])
        bar_w, bar_h = 2.5, 0.75
        step = bar_w / n
        x0 = code_pos[0] - bar_w / 2
        panel = Rectangle(width=bar_w + 0.3, height=2 * bar_h + 0.35, color=YELLOW, stroke_width=2,
                          fill_color=PANEL, fill_opacity=1).move_to(code_pos)
        bands = VGroup()
        if lo:
            for i in range(n):
                y0, y1 = lo[i] / extent * bar_h, hi[i] / extent * bar_h
                bands.add(Rectangle(width=step * 0.9, height=max(y1 - y0, 0.02), stroke_width=0, fill_color=GRID,
                                    fill_opacity=1).move_to([x0 + step * (i + 0.5), code_pos[1] + (y0 + y1) / 2, 0]))
        axis = Line([x0, code_pos[1], 0], [x0 + bar_w, code_pos[1], 0], color=MUTED, stroke_width=1.5)
        state = {"frame": first}
        grow = ValueTracker(0.0)

        def bars():
            z = state["frame"]["z"] * grow.get_value()
            group = VGroup()
            for i, v in enumerate(z):
                h = max(abs(v) / extent * bar_h, 0.01)
                group.add(Rectangle(width=step * 0.6, height=h, stroke_width=0, fill_color=YELLOW, fill_opacity=0.95)
                          .move_to([x0 + step * (i + 0.5), code_pos[1] + np.sign(v) * h / 2, 0]))
            return group

        code_bars = always_redraw(bars)
        code_name = label(f"shared code: {n} numbers", 22, YELLOW).next_to(panel, UP, buff=0.15)
        code_note = VGroup(label("bars: its values", 18, MUTED),
                           label("grey: typical range", 18, MUTED)).arrange(DOWN, buff=0.08).next_to(panel, DOWN, buff=0.15)
        if not lo:
            code_note = code_note[:1]

        # The network.
        in_pos = np.array([-5.75, 0.0, 0])
        out_a, out_b, truth_pos = np.array([3.35, 1.75, 0]), np.array([3.35, -1.75, 0]), np.array([5.7, -1.75, 0])
        encoder = Polygon([-4.45, 1.0, 0], [-2.95, 0.4, 0], [-2.95, -0.4, 0], [-4.45, -1.0, 0], color=TEXT,
                          fill_color=TEXT, fill_opacity=0.12, stroke_width=3)
        dec_a = Polygon([0.55, 0.3, 0], [1.95, 0.85, 0], [1.95, -0.85, 0], [0.55, -0.3, 0], color=BLUE,
                        fill_color=BLUE, fill_opacity=0.2, stroke_width=3).shift(UP * out_a[1])
        dec_b = dec_a.copy().set_color(ORANGE).set_fill(ORANGE, 0.2).shift(DOWN * (out_a[1] - out_b[1]))
        names = VGroup(VGroup(label("shared", 22, TEXT), label("encoder", 22, TEXT)).arrange(DOWN, buff=0.08)
                       .next_to(encoder, DOWN, buff=0.2),
                       label("decoder A", 22, BLUE).next_to(dec_a, UP, buff=0.15),
                       label("decoder B", 22, ORANGE).next_to(dec_b, DOWN, buff=0.15))
        code_left, code_right = panel.get_left(), panel.get_right()
        wires = VGroup(Line(in_pos + RIGHT * FACE / 2, [-4.45, 0, 0]), Line([-2.95, 0, 0], code_left),
                       Line(code_right, dec_a.get_left()), Line(code_right, dec_b.get_left()),
                       Line(dec_a.get_right(), out_a + LEFT * FACE / 2),
                       Line(dec_b.get_right(), out_b + LEFT * FACE / 2)).set_stroke(GRID, 3)

        def flow(pieces, color):
            return [ShowPassingFlash(p.copy().set_stroke(color, 7), time_width=0.7) for p in pieces]

        def framed(image, color):
            return Rectangle(width=image.width, height=image.height, color=color, stroke_width=3).move_to(image)

        img_a = face_image(first["A"], in_pos)
        img_recon = face_image(first["recon"], out_a)
        img_swap = face_image(first["swap"], out_b)
        img_truth = face_image(first["truth"], truth_pos)
        images = {"A": img_a, "recon": img_recon, "swap": img_swap, "truth": img_truth}
        box_a, box_recon = framed(img_a, BLUE), framed(img_recon, BLUE)
        box_swap, box_truth = framed(img_swap, PINK), framed(img_truth, MUTED)
        cap_a = label("A, rendered", 22, BLUE).next_to(box_a, UP, buff=0.15)
        cap_recon = label("A rebuilt", 22, BLUE).next_to(box_recon, UP, buff=0.15)
        cap_swap = label("the swap", 22, PINK).next_to(box_swap, DOWN, buff=0.15)
        cap_truth = label("ground truth", 22, MUTED).next_to(box_truth, DOWN, buff=0.15)

        def readout():
            p = state["frame"]["params"]
            rows = VGroup(*[live_label(f"{word:<6}{p[key]:+.2f}", 20, MUTED) for key, word in SHOWN])
            return rows.arrange(DOWN, buff=0.12, aligned_edge=LEFT).next_to(box_a, DOWN, buff=0.3)

        params_box = always_redraw(readout)

        ssim = metrics.get("swap_ssim")
        score = None
        if isinstance(ssim, (int, float)):
            score = VGroup(label("held-out swaps", 20, MUTED), label("vs. ground truth:", 20, MUTED),
                           label(f"SSIM {ssim:.2f}", 26, TEXT)).arrange(DOWN, buff=0.12).move_to([truth_pos[0], out_a[1], 0])

        # 1. The network.
        self.say("The face swap, run by this site's trained model: one shared encoder, one decoder for A, "
                 "one for B.")
        self.play(FadeIn(encoder), FadeIn(dec_a), FadeIn(dec_b), FadeIn(names), FadeIn(wires), FadeIn(panel),
                  FadeIn(axis), FadeIn(bands), FadeIn(code_name), FadeIn(code_note), run_time=2)
        self.add(code_bars)
        self.wait(2.5)

        # 2. Encode A.
        self.say(f"A's face, rendered from an expression and a pose, goes through the encoder and comes out "
                 f"as {n} numbers: the shared code.")
        self.play(FadeIn(img_a), FadeIn(box_a), FadeIn(cap_a), FadeIn(params_box), run_time=0.9)
        self.play(*flow(wires[:2], TEXT), run_time=1.2)
        self.play(grow.animate.set_value(1.0), run_time=1.5)
        self.wait(1.8)

        # 3. Decoder A.
        self.say("Decoder A, trained to rebuild A, turns the code back into A.")
        self.play(*flow([wires[2], wires[4]], BLUE), run_time=1.2)
        self.play(FadeIn(img_recon), FadeIn(box_recon), FadeIn(cap_recon), run_time=0.8)
        self.wait(1.5)

        # 4. The swap.
        self.say("Now send the same code to decoder B: it draws B with A's pose and expression. That is the swap.")
        self.play(*flow([wires[3], wires[5]], PINK), run_time=1.2)
        self.play(FadeIn(img_swap), FadeIn(box_swap), FadeIn(cap_swap), run_time=0.8)
        self.wait(2.5)

        # 5. The ground truth.
        truth_line = "Beside it, the ground truth: B really rendered with A's parameters."
        if score is not None:
            truth_line += f" On held-out faces the swaps score an SSIM of {ssim:.2f} against it, where 1 is identical."
        self.say(truth_line)
        self.play(FadeIn(img_truth), FadeIn(box_truth), FadeIn(cap_truth), *([FadeIn(score)] if score else []),
                  run_time=0.9)
        self.poster()
        self.wait(5.2 if score is not None else 3)

        # 6. The sweep: every frame rendered, encoded and decoded again.
        sweep = ValueTracker(0.0)

        def follow(_):
            k = int(round(sweep.get_value() * (frames_n - 1)))
            frame = frames[min(max(k, 0), frames_n - 1)]
            if frame is not state["frame"]:
                state["frame"] = frame
                for key, image in images.items():
                    image.pixel_array = frame[key].copy()

        img_a.add_updater(follow)
        self.say("Now A turns, nods and smiles, and the light moves: every frame is encoded again, "
                 "and both decoders redraw it.")
        half = frames_n // 2 / (frames_n - 1)
        self.play(sweep.animate.set_value(half), run_time=SWEEP_SECONDS * half, rate_func=lambda t: t)
        closing = transfer_sentence(metrics.get("expression_error_by_parameter") or {})
        self.say((closing[:-1] + ": a" if closing else "A") + " small model, sized for the browser, trades "
                 "sharpness for speed.")
        self.play(sweep.animate.set_value(1.0), run_time=SWEEP_SECONDS * (1 - half), rate_func=lambda t: t)
        img_a.remove_updater(follow)
        self.wait(2.5)
