"""Blending pixels versus walking the latent space: the straight line between two images in pixel
space passes through double exposures; the straight line between their codes in the trained
16-D autoencoder's latent space decodes to one redrawn shape, which at some steps breaks apart.
Which steps break is measured, not assumed: a frame whose ink (pixels ≥ 0.5) falls into more
than one piece is outlined and named (figures/interpolation.py, the chapter's figure of it)."""
from manim import DOWN, UP, Create, FadeIn, FadeOut, Group, Rectangle, VGroup, np

from animations.common import GRID, GREEN, MUTED, ORANGE, Narrated, digit_image, framed, label
from figures.interpolation import STEPS, VIDEO_PAIRS, morph_frames, step_label
from py_runtime.demos import interpolation as demo
from py_runtime.demos._lib import mnist_data

BROKEN = "#ff7a59"


def pixel_frames(a: int, b: int, which: int) -> list:
    """(1 − t)·a + t·b at the same steps as the morph."""
    pa, pb = (np.array(mnist_data.digit(c, which)) for c in (a, b))
    return [demo.pixel_blend(pa, pb, i / (STEPS - 1)) for i in range(STEPS)]


def broken(frames: list) -> list[int]:
    """The steps whose ink falls into more than one piece."""
    return [i for i, frame in enumerate(frames) if demo.ink_pieces(frame) > 1]


def listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def where_broken(steps: list[int]) -> str:
    """Where a morph's stroke breaks, in words, from the measurement; "" when it never does."""
    if not steps:
        return ""
    return f"at {listed([f't = {step_label(i)}' for i in steps])} the stroke breaks into separate pieces"


def first_verdict(steps: list[int]) -> str:
    where = where_broken(steps)
    if not where:
        return "Here every step is one unbroken stroke."
    return f"But not every step is a whole digit: {where}. A straight line between codes can leave the digits too."


def second_verdict(a: int, b: int, steps: list[int]) -> str:
    where = where_broken(steps)
    return (f"The same with a {a} and a {b}: the pixels cross-fade, the decoder redraws"
            + (f"; {where}." if where else ", one unbroken stroke at every step."))


class PixelsVsManifold(Narrated):
    def construct(self):
        size = 1.35
        xs = np.linspace(-4.6, 4.6, STEPS)
        top, bottom = UP * 1.0, DOWN * 1.75
        top_title = label("blend the pixels:  (1 − t)·a + t·b", 28, ORANGE).move_to(top + UP * 1.25)
        bottom_title = label("walk the latent space:  decode((1 − t)·z(a) + t·z(b))", 28, GREEN) \
            .move_to(bottom + UP * 1.25)
        t_marks = VGroup(*[label(f"t = {step_label(i)}", 20, MUTED).move_to([x, 3.35, 0])
                           for i, x in enumerate(xs)])

        def rows(a, b, which):
            morphs = morph_frames(a, b, which)
            blend = Group(*[digit_image(p, size).move_to([x, top[1], 0]) for x, p in zip(xs, pixel_frames(a, b, which))])
            walk = Group(*[digit_image(m, size).move_to([x, bottom[1], 0]) for x, m in zip(xs, morphs)])
            frames = VGroup(*[framed(m, GRID) for m in [*blend, *walk]])
            return blend, walk, frames, broken(morphs)

        def outlines(walk, steps):
            return VGroup(*[Rectangle(width=walk[i].width + 0.12, height=walk[i].height + 0.12, color=BROKEN,
                                      stroke_width=5).move_to(walk[i]) for i in steps])

        (a, b, which), (c, d, which2) = VIDEO_PAIRS
        blend, walk, frames, steps = rows(a, b, which)
        self.say(f"Two real handwritten digits, a {a} and a {b}. What lies halfway between them?")
        self.play(FadeIn(blend[0]), FadeIn(blend[-1]), FadeIn(frames[0]), FadeIn(frames[STEPS - 1]),
                  FadeIn(t_marks[0]), FadeIn(t_marks[-1]))
        self.wait(2)
        self.say(f"Averaging the pixels gives double exposures: the {a} fades where it stands "
                 f"while a {b} fades in on top of it.")
        self.play(FadeIn(top_title))
        for i in range(1, STEPS - 1):
            self.play(FadeIn(blend[i]), FadeIn(frames[i]), FadeIn(t_marks[i]), run_time=0.45)
        self.wait(2)
        self.say("Encode both with the trained autoencoder and walk the straight line between their codes instead.")
        self.play(FadeIn(bottom_title))
        self.play(FadeIn(walk[0]), FadeIn(walk[-1]), FadeIn(frames[STEPS]), FadeIn(frames[-1]))
        self.say("Now the decoder draws every frame anew, from a point between the two codes.")
        for i in range(1, STEPS - 1):
            self.play(FadeIn(walk[i]), FadeIn(frames[STEPS + i]), run_time=0.45)
        self.wait(2)
        self.say(first_verdict(steps))
        marks = outlines(walk, steps)
        if steps:
            self.play(Create(marks), run_time=0.8)
        self.poster()
        self.wait(7.5)

        blend2, walk2, _, steps2 = rows(c, d, which2)
        self.say(second_verdict(c, d, steps2))
        self.play(FadeOut(blend), FadeOut(walk), FadeOut(marks), run_time=0.6)
        for i in range(STEPS):
            self.play(FadeIn(blend2[i]), FadeIn(walk2[i]), run_time=0.4)
        if steps2:
            self.play(Create(outlines(walk2, steps2)), run_time=0.8)
        self.wait(3.5)
        self.say("If the manifold hypothesis holds, digits lie near a thin, curved region of the "
                 f"{len(mnist_data.digit(0))}-dimensional pixel space. Straight lines in pixels leave it; "
                 "the decoder's path does better, but not everywhere.")
        self.wait(8)
