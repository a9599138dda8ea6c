"""Arithmetic in latent space, with the trained 16-D autoencoder (weights/mnist-ae-16d): a real,
slanted 1, minus the average code of the 1s, plus the average code of another digit, decoded.
Each 16-number code is drawn as a row of bars. What the narration says carries over (the slant,
and which 1s fail) is measured by figures/latent.py, the numbers chapter 11 quotes."""
from manim import (FadeIn, FadeOut, Group, Line, Rectangle, ReplacementTransform, ValueTracker, VGroup, always_redraw, np)

from animations.common import (BLUE, GREEN, GRID, ORANGE, PINK, TEXT, YELLOW, Narrated, digit_image, label, live_label, load_model,
                               mnist_digits)
from figures import latent as measured

SOURCE = (1, 0)                  # (class, which sample): a slanted 1 from weights/mnist-digits
FROM, TO = 1, 7
OTHERS = [0, 2, 3, 4, 5, 6, 8, 9]


class LatentArithmetic(Narrated):
    def construct(self):
        model = load_model("mnist-ae-16d")
        c = {k: np.array(v) for k, v in model.centroids.items()}
        pixels = np.array(mnist_digits()[SOURCE[1] * 10 + SOURCE[0]][1])
        z = np.array(model.encode(pixels))
        scale = 0.75 / max(np.abs(np.vstack([z, *c.values(), *(z - c[FROM] + c[k] for k in c)])).max(), 1e-6)

        def bars(values, color, width=1.9):
            step = width / len(values)
            group = VGroup(Line([-width / 2, 0, 0], [width / 2, 0, 0], color=GRID, stroke_width=1.5))
            for i, v in enumerate(values):
                h = max(abs(v) * scale, 0.01)
                group.add(Rectangle(width=step * 0.75, height=h, stroke_width=0, fill_color=color, fill_opacity=0.9)
                          .move_to([-width / 2 + step * (i + 0.5), np.sign(v) * h / 2, 0]))
            return group

        xs = [-4.9, -1.9, 1.1, 4.9]
        image_y, bars_y = 1.25, -1.0
        size = 1.9

        def term(values, image, color, x, caption):
            return Group(digit_image(image, size).move_to([x, image_y, 0]),
                         bars(values, color).move_to([x, bars_y, 0]),
                         label(caption, 22, color).move_to([x, bars_y - 1.05, 0]))

        t_a = term(z, pixels, BLUE, xs[0], "z: this 1")
        self.say("Encode a real, slanted 1 with the trained 16-D autoencoder: its code is 16 numbers, drawn as bars.")
        self.play(FadeIn(t_a[0]))
        self.play(FadeIn(t_a[1]), FadeIn(t_a[2]), run_time=1.5)
        self.wait(1.5)

        ops = [label(s, 40, TEXT).move_to([(xs[i] + xs[i + 1]) / 2, bars_y, 0]) for i, s in enumerate("−+=")]
        t_from = term(c[FROM], model.decode(c[FROM]), ORANGE, xs[1], "mean of the 1s")
        self.say("Average the codes of all the 1s: a typical 1. Subtracting it leaves what is particular "
                 "to this one: the slant, the stroke.")
        self.play(FadeIn(ops[0]), FadeIn(t_from), run_time=1.5)
        self.wait(2.5)
        t_to = term(c[TO], model.decode(c[TO]), GREEN, xs[2], "mean of the 7s")
        self.say("Add the average code of the 7s …")
        self.play(FadeIn(ops[1]), FadeIn(t_to), run_time=1.5)
        self.wait(1)
        result = z - c[FROM] + c[TO]
        t_out = term(result, model.decode(result), YELLOW, xs[3], "decoded sum")
        facts = measured.facts()
        upright = abs(facts["video_slant_out"]) < abs(facts["video_slant_in"]) / 2
        self.say("… and decode the sum: a 7" + (", though a more upright one than the 1 was." if upright
                                                 else ", leaning much as the 1 did."))
        self.play(FadeIn(ops[2]), ReplacementTransform(VGroup(t_a[1].copy(), t_from[1].copy(), t_to[1].copy()), t_out[1]),
                  run_time=1.5)
        self.play(FadeIn(t_out[0]), FadeIn(t_out[2]))
        self.poster()
        self.wait(2.5)

        self.say("Swap in the average of any other digit: the 1's offset rides along to each, "
                 "whatever it encodes.")
        for k in OTHERS:
            result = z - c[FROM] + c[k]
            new_to = term(c[k], model.decode(c[k]), GREEN, xs[2], f"mean of the {k}s")
            new_out = term(result, model.decode(result), YELLOW, xs[3], "decoded sum")
            self.remove(*[m for m in self.mobjects if m in (*t_to, *t_out)])
            self.add(*new_to, *new_out)
            t_to, t_out = new_to, new_out
            self.wait(0.9)
        self.wait(1)

        self.say("Slide along the direction from the 1s toward the 7s, z + t·(c₇ − c₁), and the digit changes "
                 "smoothly on the way.")
        t = ValueTracker(0)
        self.remove(*t_to, *t_out, *t_from, *ops)
        code = lambda: z + t.get_value() * (c[TO] - c[FROM])
        slide = [always_redraw(lambda: digit_image(model.decode(code()), 3.0).move_to([2.2, 0.5, 0])),
                 always_redraw(lambda: bars(code(), YELLOW, 3.2).move_to([-2.2, 0.4, 0])),
                 always_redraw(lambda: live_label(f"t = {t.get_value():.2f}", 30, YELLOW).move_to([0, -2.0, 0]))]
        self.play(FadeOut(t_a), *[FadeIn(m) for m in slide])
        self.play(t.animate.set_value(1.0), run_time=4)
        self.play(t.animate.set_value(0.0), run_time=2)
        self.wait(1)

        # One failure, measured: the sample 1 whose a − c₁ + c₇ is read as something else.
        rows = measured.ones_to_sevens(model)
        failures = [r for r in rows if r["reads_as"] != TO]
        self.remove(*slide)
        if failures:
            worst = max(failures, key=lambda r: r["offset"])
            self.say(f"It does not always work. This 1 leans hard and sits far from the mean 1; "
                     f"minus the 1s, plus the 7s, it decodes to a shape the encoder reads as a {worst['reads_as']}.")
            shown = Group(digit_image(worst["pixels"], 2.6).move_to([-2.2, 0.4, 0]),
                          label("a far-off 1", 24, BLUE).move_to([-2.2, -1.3, 0]),
                          digit_image(np.clip(worst["decoded"], 0, 1), 2.6).move_to([2.2, 0.4, 0]),
                          label(f"− c₁ + c₇: read as a {worst['reads_as']}", 24, PINK).move_to([2.2, -1.3, 0]))
        else:
            self.say(f"Across all {len(rows)} sample 1s, every result is read as a 7.")
            shown = Group(*[digit_image(np.clip(r["decoded"], 0, 1), 1.2).move_to([-4.5 + 1.0 * i, 0, 0])
                            for i, r in enumerate(rows[:10])])
        self.play(FadeIn(shown), run_time=1.5)
        self.wait(3)
        self.say(f"Over {facts['ones']} sample 1s, the slant in and the slant out correlate at "
                 f"{facts['slant_correlation']:.2f}: a tendency for small offsets, not a law.")
        self.wait(3)
