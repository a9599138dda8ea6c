"""PCA finds the directions of variance: a line through the mean turns, the spread of the points'
shadows on it rises and falls; its maximum is the first principal component. Turned onto the
principal axes, the cloud's covariance matrix, shown before and after, loses its off-diagonal
entries: the new coordinates are uncorrelated. Every variance divides by n − 1, as np.cov does
and as chapter 6 writes it."""
from manim import (DOWN, LEFT, RIGHT, UP, UR, Arrow, Axes, Create, Dot, FadeIn, FadeOut, GrowArrow,
                   Line, Rotate, TracedPath, ValueTracker, VGroup, always_redraw, np)

from animations.common import (BLUE, GREEN, MUTED, ORANGE, TEXT, YELLOW, Narrated, bracket_matrix, label, live_label)

rng = np.random.default_rng(6)
RAW = rng.normal(size=(140, 2)) * [1.9, 0.6]
ANGLE = np.deg2rad(33)
ROT = np.array([[np.cos(ANGLE), -np.sin(ANGLE)], [np.sin(ANGLE), np.cos(ANGLE)]])
DATA = RAW @ ROT.T
DATA -= DATA.mean(axis=0)
COV = np.cov(DATA.T)
EIGVALS, EIGVECS = np.linalg.eigh(COV)          # ascending
PC1, PC2 = EIGVECS[:, 1], EIGVECS[:, 0]
if PC1[0] < 0:
    PC1 = -PC1
if PC1[0] * PC2[1] - PC1[1] * PC2[0] < 0:         # PC 2 a quarter turn anticlockwise from PC 1
    PC2 = -PC2
TURNED = DATA @ np.column_stack([PC1, PC2])        # the coordinates along PC 1 and PC 2
COV_AFTER = np.cov(TURNED.T)


def matrix_text(m) -> list[list[str]]:
    """A 2×2 matrix as the entries a viewer reads, with real minus signs and no "−0.00"."""
    return [[f"{v:.2f}".replace("-0.00", "0.00").replace("-", "−") for v in row] for row in m]


class PCAAxes(Narrated):
    def construct(self):
        center = LEFT * 2.6 + DOWN * 0.3
        unit = 0.62
        to_scene = lambda p: center + unit * np.array([p[0], p[1], 0.0])
        dots = VGroup(*[Dot(to_scene(p), radius=0.045, color=BLUE, fill_opacity=0.85) for p in DATA])
        theta = ValueTracker(np.deg2rad(-60))
        direction = lambda: np.array([np.cos(theta.get_value()), np.sin(theta.get_value())])
        line = always_redraw(lambda: Line(to_scene(-6 * direction()), to_scene(6 * direction()), color=YELLOW,
                                          stroke_width=3))
        shadows = always_redraw(lambda: VGroup(*[
            Dot(to_scene((p @ direction()) * direction()), radius=0.035, color=YELLOW, fill_opacity=0.7)
            for p in DATA]))
        variance = lambda: float(np.var(DATA @ direction(), ddof=1))      # as np.cov, 1/(n − 1)

        graph = Axes(x_range=(-90, 90, 30), y_range=(0, 4.2, 1), x_length=4.2, y_length=2.6,
                     axis_config={"color": MUTED, "stroke_width": 2, "include_ticks": False},
                     tips=False).to_corner(UR, buff=0.6).shift(DOWN * 0.5)
        graph_title = label("variance of the shadows", 24, MUTED).next_to(graph, UP, buff=0.2)
        angle_label = label("angle of the line", 22, MUTED).next_to(graph, DOWN, buff=0.15)
        curve_dot = always_redraw(lambda: Dot(graph.c2p(np.rad2deg(self.wrapped(theta.get_value())), variance()),
                                              color=YELLOW, radius=0.06))
        readout = always_redraw(lambda: live_label(f"variance {variance():.2f}", 28, YELLOW)
                                .next_to(graph, DOWN, buff=0.6))

        self.say("A cloud of points that spreads more in one direction than in the others.")
        self.play(FadeIn(dots, lag_ratio=0.01), run_time=2)
        self.wait(1)
        self.say("Draw a line through the mean and drop every point onto it: how spread out are the shadows?")
        self.play(Create(line), FadeIn(shadows))
        self.play(FadeIn(graph), FadeIn(graph_title), FadeIn(angle_label), FadeIn(curve_dot), FadeIn(readout))
        trace = TracedPath(curve_dot.get_center, stroke_color=YELLOW, stroke_width=3)
        self.add(trace)
        self.wait(1)
        self.say("Turn the line: the variance of the shadows rises and falls as it sweeps around.")
        self.play(theta.animate.set_value(np.deg2rad(89)), run_time=6, rate_func=lambda t: t)
        best = np.arctan2(PC1[1], PC1[0])
        self.say("Its maximum is the first principal component: the top eigenvector of the covariance matrix.")
        self.play(theta.animate.set_value(best), run_time=2.5)
        pc1 = Arrow(to_scene([0, 0]), to_scene(2.2 * np.sqrt(EIGVALS[1]) * PC1 / 1.4), buff=0, color=GREEN,
                    stroke_width=8)
        pc2 = Arrow(to_scene([0, 0]), to_scene(2.2 * np.sqrt(EIGVALS[0]) * PC2 / 1.4 + 0.5 * PC2), buff=0,
                    color=ORANGE, stroke_width=8)
        pc1_label = label("PC 1", 28, GREEN).next_to(pc1.get_end(), RIGHT * 0.2 + DOWN * 0.6, buff=0.1)
        pc2_label = label("PC 2", 28, ORANGE).next_to(pc2.get_end(), UP, buff=0.1)
        self.play(GrowArrow(pc1), FadeIn(pc1_label))
        self.poster()
        self.wait(1.5)
        self.say("The second is perpendicular to the first and carries the variance that is left.")
        self.play(GrowArrow(pc2), FadeIn(pc2_label))
        self.wait(2)
        self.say("Before the turn, the covariance matrix has large off-diagonal entries: x and y move together.")
        self.remove(trace)
        self.play(FadeOut(line), FadeOut(shadows), FadeOut(curve_dot), FadeOut(readout), FadeOut(graph),
                  FadeOut(graph_title), FadeOut(angle_label))
        before_title = label("covariance in x, y", 24, MUTED)
        before = bracket_matrix(matrix_text(COV), 28)
        after_title = label("covariance along PC 1, PC 2", 24, MUTED)
        after = bracket_matrix(matrix_text(COV_AFTER), 28)
        panel = VGroup(VGroup(before_title, before).arrange(DOWN, buff=0.2),
                       VGroup(after_title, after).arrange(DOWN, buff=0.2)).arrange(DOWN, buff=0.6)
        panel.to_corner(UR, buff=0.8)
        self.play(FadeIn(panel[0]))
        self.wait(1.5)
        turn = -best
        self.say("Turn the data onto the principal axes and the covariance becomes diagonal: "
                 "the new coordinates are uncorrelated, with the eigenvalues as their variances.")
        self.play(Rotate(VGroup(dots, pc1, pc2), turn, about_point=to_scene([0, 0])),
                  pc1_label.animate.shift(DOWN * 0.2), run_time=2.5)
        self.play(FadeIn(panel[1]))
        self.wait(2.5)
        self.say("Dropping PC 2 then loses the least variance.")
        self.play(FadeOut(panel), FadeOut(pc1_label), FadeOut(pc2_label), VGroup(dots, pc1, pc2).animate.shift(RIGHT * 2.6))
        flat = VGroup(*[Dot([d.get_x(), to_scene([0, 0])[1], 0], radius=0.045, color=GREEN) for d in dots])
        self.play(*[d.animate.move_to(f) for d, f in zip(dots, flat)], run_time=2)
        kept = EIGVALS[1] / EIGVALS.sum()
        note = label(f"PC 1 alone keeps {kept:.0%} of the variance", 30, TEXT).to_edge(UP, buff=1.0)
        self.play(FadeIn(note))
        self.wait(2.5)

    @staticmethod
    def wrapped(angle):
        """Directions repeat every 180°: show the angle in (-90°, 90°]."""
        return (angle + np.pi / 2) % np.pi - np.pi / 2
