"""Blind source separation: two independent signals are mixed by a matrix; whitening and a
rotation toward the least Gaussian directions unmix them (the idea of ICA), up to order and sign.

The sources have variance 1, so they fill a rectangle (half-widths √2 for the tone, √3 for the
sawtooth). Whitening uses C = A Aᵀ, their covariance after mixing, exactly as chapter 4 works it
out; then U = Λ^(-1/2) Qᵀ A is orthogonal and the white cloud is that rectangle turned, drawn
here with its outline."""
from manim import (DOWN, LEFT, RIGHT, UP, Create, Dot, FadeIn, Rectangle, Transform, UpdateFromAlphaFunc,
                   VGroup, VMobject, np)

from animations.common import BLUE, GRID, MUTED, ORANGE, PANEL, TEXT, YELLOW, Narrated, bracket_matrix, label

def signals(t):
    """The two sources at times t: a 3 Hz tone and a sawtooth at √23 ≈ 4.8 Hz (no common period, so
    over a minute the pairs fill the rectangle), each scaled to unit variance."""
    return np.vstack([np.sin(2 * np.pi * 3 * t) * np.sqrt(2),
                      (2 * ((np.sqrt(23) * t + 0.25) % 1) - 1) * np.sqrt(3)])


T = np.linspace(0, 1, 400)                                  # one second, drawn as traces
SOURCES = signals(T)
SAMPLE = signals(np.random.default_rng(4).uniform(0, 60, 260))   # instants scattered over a minute
HALF_WIDTHS = (np.sqrt(2), np.sqrt(3))                       # the unit-variance tone and sawtooth swing this far
CORNERS = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1], [-1, -1]]) * HALF_WIDTHS
MIX = np.array([[1.0, 0.8], [0.6, 1.0]])                     # chapter 4's A, the bss-unmix demo's starting matrix
MIXED = MIX @ SOURCES
_vals, _vecs = np.linalg.eigh(MIX @ MIX.T)                   # C = A Aᵀ for unit-variance independent sources
WHITEN = np.diag(_vals ** -0.5) @ _vecs.T
WHITE = WHITEN @ MIX @ SAMPLE


def _contrast(angle):
    r = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    y = r @ WHITE
    return np.abs((y ** 4).mean(axis=1) - 3).sum()          # |excess kurtosis|: distance from Gaussian


ANGLES = np.linspace(-np.pi / 4, np.pi / 4, 721)             # a 90° turn covers every solution
BEST = ANGLES[np.argmax([_contrast(a) for a in ANGLES])]
ROTATE = np.array([[np.cos(BEST), -np.sin(BEST)], [np.sin(BEST), np.cos(BEST)]])
UNMIXED = ROTATE @ WHITEN @ MIXED
# Match each recovered signal to its source for display (ICA cannot know order or sign).
_corr = np.corrcoef(np.vstack([UNMIXED, SOURCES]))[:2, 2:]
ORDER = [int(np.argmax(np.abs(_corr[:, j]))) for j in range(2)]
RECOVERED = np.vstack([np.sign(_corr[ORDER[j], j]) * UNMIXED[ORDER[j]] for j in range(2)])


def trace(values, width, height, color, center):
    """A waveform scaled to its own peak (the mixtures swing wider than the sources)."""
    curve = VMobject(stroke_color=color, stroke_width=3)
    xs = np.linspace(-width / 2, width / 2, len(values))
    peak = np.abs(values).max() / 0.9
    curve.set_points_as_corners([center + np.array([x, height / 2 * v / peak, 0]) for x, v in zip(xs, values)])
    return curve


def matrix_text(m):
    return [[f"{v:g}" for v in row] for row in m]


class SignalUnmixing(Narrated):
    def construct(self):
        left = LEFT * 3.3
        rows = [left + UP * 1.6, left + DOWN * 0.9]
        boxes = VGroup(*[Rectangle(width=5.6, height=2.0, color=GRID, stroke_width=2, fill_color=PANEL,
                                   fill_opacity=1).move_to(r) for r in rows])
        colors = (BLUE, ORANGE)
        sources = VGroup(*[trace(SOURCES[i], 5.2, 1.8, colors[i], rows[i]) for i in range(2)])
        names = VGroup(*[label(t, 24, MUTED).next_to(boxes[i], UP, buff=0.08, aligned_edge=LEFT)
                         for i, t in enumerate(["source 1: a tone", "source 2: a sawtooth"])])

        self.say("Two independent sources: a tone and a sawtooth.")
        self.play(FadeIn(boxes), FadeIn(names))
        self.play(Create(sources[0]), Create(sources[1]), run_time=2)
        self.wait(1)

        self.say("Two microphones each hear a different blend of both: x = A s.")
        mix_card = bracket_matrix(matrix_text(MIX), 28)
        mix_card = VGroup(label("A =", 28), mix_card).arrange(RIGHT, buff=0.2).move_to(left + DOWN * 2.75)
        mixed = VGroup(*[trace(MIXED[i], 5.2, 1.8, YELLOW, rows[i]) for i in range(2)])
        mixed_names = VGroup(*[label(t, 24, MUTED).next_to(boxes[i], UP, buff=0.08, aligned_edge=LEFT)
                               for i, t in enumerate(["microphone 1", "microphone 2"])])
        self.play(FadeIn(mix_card))
        self.play(Transform(sources, mixed), Transform(names, mixed_names), run_time=2.5)
        self.wait(1)

        # The joint view: each time step is a point (signal 1, signal 2).
        center = RIGHT * 3.6 + DOWN * 0.1
        unit = 0.9
        frame = Rectangle(width=5.4, height=5.4, color=GRID, stroke_width=2).move_to(center)
        axes = VGroup(*[VMobject(stroke_color=GRID, stroke_width=1.5).set_points_as_corners(
            [center + d * 2.7, center - d * 2.7]) for d in (RIGHT, UP)])
        plot_title = label("one point per instant", 24, MUTED).next_to(frame, UP, buff=0.1)
        dots = VGroup(*[Dot(center + unit * np.array([a, b, 0]), radius=0.04, color=TEXT, fill_opacity=0.8)
                        for a, b in SAMPLE.T])
        to_scene = lambda points: [center + unit * np.array([x, y, 0]) for x, y in points]
        outline = VMobject(stroke_color=MUTED, stroke_width=2).set_points_as_corners(to_scene(CORNERS))
        self.say("Plot one signal against the other: at variance 1, the independent sources fill a rectangle…")
        self.play(FadeIn(frame), FadeIn(axes), FadeIn(plot_title), FadeIn(dots, lag_ratio=0.005), Create(outline),
                  run_time=2)
        self.wait(1.5)
        corners = CORNERS.copy()

        def move(matrix_at, run_time):
            """Move the dots (their centres, not their shapes) and the outline by matrix_at(alpha) @ their start."""
            nonlocal corners
            start = np.array([(d.get_center() - center)[:2] / unit for d in dots])
            start_corners = corners

            def update(group, alpha):
                for dot, p in zip(group, start @ matrix_at(alpha).T):
                    dot.move_to(center + unit * np.array([p[0], p[1], 0]))
                outline.set_points_as_corners(to_scene(start_corners @ matrix_at(alpha).T))
            self.play(UpdateFromAlphaFunc(dots, update), run_time=run_time)
            corners = start_corners @ matrix_at(1).T

        linear = lambda m: (lambda a: (1 - a) * np.eye(2) + a * m)
        self.say("…and the mixing matrix A maps the rectangle to a parallelogram.")
        move(linear(MIX), 2.5)
        self.wait(1)

        self.say("Whitening gives every direction variance 1: the cloud is the rectangle again, only turned.")
        move(linear(WHITEN), 2.5)
        self.wait(1.5)
        self.say("Now turn it until its edges line up with the axes: there the coordinates are as far "
                 "from Gaussian as they get. That turn is what ICA searches for.")
        move(lambda a: np.array([[np.cos(a * BEST), -np.sin(a * BEST)], [np.sin(a * BEST), np.cos(a * BEST)]]), 3)
        self.poster()
        self.wait(1.5)

        self.say("Read off the two coordinates: the tone and the sawtooth come back. ICA cannot know their "
                 "order or sign; here they are matched to the originals for display.")
        recovered = VGroup(*[trace(RECOVERED[i], 5.2, 1.8, colors[i], rows[i]) for i in range(2)])
        recovered_names = VGroup(*[label(t, 24, MUTED).next_to(boxes[i], UP, buff=0.08, aligned_edge=LEFT)
                                   for i, t in enumerate(["recovered 1", "recovered 2"])])
        unmix_card = label("unmixing = rotation × whitening", 26, TEXT).move_to(mix_card)
        self.play(Transform(sources, recovered), Transform(names, recovered_names), Transform(mix_card, unmix_card),
                  run_time=2.5)
        self.wait(4)
