"""The kernel lift: points inside a ring cannot be split from the ring by a line; lifted to the
height x² + y² they are split by a flat plane, which cuts back to a circle in the original plane.

The plane's height is computed from the points: halfway, in x² + y², between the farthest inner
point and the nearest outer one, so "blue below, orange above" holds for every point drawn."""
from manim import (DEGREES, ORIGIN, OUT, Circle, Create, Dot, FadeIn, FadeOut, Line, Surface, ValueTracker, VGroup, always_redraw, np)

from animations.common import BLUE, GREEN, GRID, MUTED, ORANGE, YELLOW, Narrated3D

rng = np.random.default_rng(3)
INNER = [(r * np.cos(a), r * np.sin(a)) for r, a in zip(np.sqrt(rng.uniform(0, 1, 45)) * 1.05,
                                                          rng.uniform(0, 2 * np.pi, 45))]
OUTER = [(r * np.cos(a), r * np.sin(a)) for r, a in zip(rng.uniform(1.75, 2.45, 70), rng.uniform(0, 2 * np.pi, 70))]
LIFT = 0.42                        # drawn height per unit of x² + y²
R2_GAP = (max(x * x + y * y for x, y in INNER), min(x * x + y * y for x, y in OUTER))
CUT = LIFT * sum(R2_GAP) / 2       # the separating plane's drawn height: r² = CUT / LIFT lies in the gap


class KernelLift(Narrated3D):
    def construct(self):
        self.set_camera_orientation(phi=0, theta=-90 * DEGREES, zoom=0.95)
        floor = VGroup(*[Line([x, -3.2, 0], [x, 3.2, 0]) for x in range(-3, 4)],
                       *[Line([-3.2, y, 0], [3.2, y, 0]) for y in range(-3, 4)]).set_stroke(GRID, 1.5)
        inner = VGroup(*[Dot([x, y, 0], radius=0.09, color=BLUE) for x, y in INNER])
        outer = VGroup(*[Dot([x, y, 0], radius=0.09, color=ORANGE) for x, y in OUTER])

        self.say("Blue points inside, orange points on a ring around them.")
        self.play(FadeIn(floor), FadeIn(inner), FadeIn(outer), run_time=1.5)
        self.wait(1)
        self.say("No straight line separates them: one side of a line is convex, so a side that holds every "
                 "orange point holds everything between them, blue points included.")
        tracker = ValueTracker(0)
        trial = always_redraw(lambda: Line(
            np.array([np.cos(tracker.get_value()), np.sin(tracker.get_value()), 0]) * 3.2 + [0, 0.6, 0],
            -np.array([np.cos(tracker.get_value()), np.sin(tracker.get_value()), 0]) * 3.2 + [0, 0.6, 0],
            color=YELLOW, stroke_width=4))
        self.play(Create(trial))
        self.play(tracker.animate.set_value(np.pi * 0.9), run_time=3)
        self.play(FadeOut(trial))

        self.say("Add a third coordinate, the height z = x² + y²: the farther a point is from the centre, the higher it rises.")
        self.move_camera(phi=68 * DEGREES, theta=-60 * DEGREES, zoom=0.9, frame_center=OUT * 1.3, run_time=2.5)
        self.play(*[d.animate.shift(OUT * LIFT * (d.get_x() ** 2 + d.get_y() ** 2)) for d in [*inner, *outer]],
                  run_time=3)
        bowl = Surface(lambda u, v: np.array([u * np.cos(v), u * np.sin(v), LIFT * u * u]),
                       u_range=(0, 2.6), v_range=(0, 2 * np.pi), resolution=(12, 24),
                       fill_color=GRID, fill_opacity=0.18, stroke_color=MUTED, stroke_width=0.5,
                       checkerboard_colors=False)
        self.play(FadeIn(bowl), run_time=1.5)
        self.wait(1)

        self.say("Now a flat plane separates them: blue below, orange above.")
        plane = Surface(lambda u, v: np.array([u, v, CUT]), u_range=(-3, 3), v_range=(-3, 3), resolution=(1, 1),
                        fill_color=GREEN, fill_opacity=0.35, stroke_color=GREEN, stroke_width=1,
                        checkerboard_colors=False)
        self.play(FadeIn(plane), run_time=1.5)
        self.begin_ambient_camera_rotation(rate=0.18)
        self.poster()
        self.wait(4)
        self.stop_ambient_camera_rotation()

        self.say("Seen from above, where the plane meets the bowl is a circle: a curved boundary in the original plane.")
        ring = Circle(radius=np.sqrt(CUT / LIFT), color=GREEN, stroke_width=6).shift(OUT * CUT)
        self.play(Create(ring), run_time=1.5)
        self.play(FadeOut(plane), FadeOut(bowl))
        self.play(*[d.animate.move_to([d.get_x(), d.get_y(), 0]) for d in [*inner, *outer]],
                  ring.animate.move_to([0, 0, 0]), run_time=2.5)
        self.move_camera(phi=0, theta=-90 * DEGREES, zoom=0.95, frame_center=ORIGIN, run_time=2)
        self.say("In the space of (x², √2·xy, y²) the height x² + y² is the dot product with (1, 0, 1), so the cut is "
                 "flat there too; the kernel (x·y)² gives that space's dot products without ever building it.")
        self.wait(7)
