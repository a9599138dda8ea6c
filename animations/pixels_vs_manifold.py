"""Blending pixels versus walking the data manifold: the straight line between two images in pixel
space passes through double exposures; the straight line between their codes in the trained
16-D autoencoder's latent space decodes to digits all the way."""
from manim import (DOWN, LEFT, RIGHT, UP, Create, FadeIn, FadeOut, Group, Line, Rectangle, ValueTracker,
                   VGroup, always_redraw, np)

from animations.common import (BLUE, GREEN, GRID, MUTED, ORANGE, TEXT, YELLOW, Narrated, digit_image, framed,
                               label, load_model, mnist_digits)

STEPS = 7
PAIRS = [(1, 7, 0), (0, 6, 0)]           # (first class, second class, which sample)


def pair(model, a, b, which):
    digits = mnist_digits()
    pa = np.array(digits[which * 10 + a][1])
    pb = np.array(digits[which * 10 + b][1])
    za, zb = np.array(model.encode(pa)), np.array(model.encode(pb))
    return pa, pb, za, zb


class PixelsVsManifold(Narrated):
    def construct(self):
        model = load_model("mnist-ae-16d")
        ts = np.linspace(0, 1, STEPS)
        size = 1.35
        xs = np.linspace(-4.6, 4.6, STEPS)
        top, bottom = UP * 1.0, DOWN * 1.75
        top_title = label("blend the pixels:  (1 − t)·a + t·b", 28, ORANGE).move_to(top + UP * 1.25)
        bottom_title = label("walk the latent space:  decode((1 − t)·z(a) + t·z(b))", 28, GREEN) \
            .move_to(bottom + UP * 1.25)
        t_marks = VGroup(*[label(f"t = {t:.2f}".rstrip("0").rstrip("."), 20, MUTED).move_to([x, 3.35, 0])
                           for x, t in zip(xs, ts)])

        def rows(a, b, which):
            pa, pb, za, zb = pair(model, a, b, which)
            blend = Group(*[digit_image((1 - t) * pa + t * pb, size).move_to([x, top[1], 0]) for x, t in zip(xs, ts)])
            walk = Group(*[digit_image(model.decode((1 - t) * za + t * zb), size).move_to([x, bottom[1], 0])
                           for x, t in zip(xs, ts)])
            frames = VGroup(*[framed(m, GRID) for m in [*blend, *walk]])
            return blend, walk, frames

        blend, walk, frames = rows(*PAIRS[0])
        self.say("Two real handwritten digits, a 1 and a 7. What lies halfway between them?")
        self.play(FadeIn(blend[0]), FadeIn(blend[-1]), FadeIn(frames[0]), FadeIn(frames[STEPS - 1]),
                  FadeIn(t_marks[0]), FadeIn(t_marks[-1]))
        self.wait(2)
        self.say("Averaging the pixels gives a double exposure: a faded 1 on top of a faded 7, never a digit.")
        self.play(FadeIn(top_title))
        for i in range(1, STEPS - 1):
            self.play(FadeIn(blend[i]), FadeIn(frames[i]), FadeIn(t_marks[i]), run_time=0.45)
        self.wait(2)
        self.say("Encode both with the trained autoencoder and walk the straight line between their codes instead.")
        self.play(FadeIn(bottom_title))
        self.play(FadeIn(walk[0]), FadeIn(walk[-1]), FadeIn(frames[STEPS]), FadeIn(frames[-1]))
        self.say("Every step decodes to a plausible digit: the stroke bends, it does not fade. "
                 "The path runs along the manifold where digits live.")
        for i in range(1, STEPS - 1):
            self.play(FadeIn(walk[i]), FadeIn(frames[STEPS + i]), run_time=0.45)
        self.poster()
        self.wait(3)

        self.say("The same with a 0 and a 6: the pixels cross-fade, the decoder redraws.")
        blend2, walk2, frames2 = rows(*PAIRS[1])
        self.play(FadeOut(blend), FadeOut(walk), run_time=0.6)
        for i in range(STEPS):
            self.play(FadeIn(blend2[i]), FadeIn(walk2[i]), run_time=0.4)
        self.wait(3)
        self.say("Digits occupy a thin, curved region of the 784-dimensional pixel space; straight lines in pixels leave it.")
        self.wait(4)
