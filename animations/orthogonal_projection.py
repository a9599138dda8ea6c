"""Orthonormal bases and projection: coordinates are dot products, rotating the basis changes the
coordinates but not the vector, and the projections add back up to it."""
from manim import (DOWN, LEFT, RIGHT, UL, UP, Arrow, BackgroundRectangle, Create, DashedLine, FadeIn,
                   FadeOut, GrowArrow, Line, NumberPlane, ValueTracker, VGroup, always_redraw, np)

from animations.common import BLUE, GREEN, GRID, MUTED, ORANGE, PANEL, TEXT, YELLOW, Narrated, label, live_label

V = np.array([3.0, 2.0, 0.0])


class OrthogonalProjection(Narrated):
    def construct(self):
        plane = NumberPlane(x_range=(-8, 8, 1), y_range=(-5, 5, 1),
                            background_line_style={"stroke_color": GRID, "stroke_width": 1.2, "stroke_opacity": 0.7},
                            axis_config={"stroke_color": GRID, "stroke_width": 2}).shift(LEFT * 1.5 + DOWN * 0.8)
        origin = plane.c2p(0, 0)
        theta = ValueTracker(np.deg2rad(15))

        def basis():
            t = theta.get_value()
            return np.array([np.cos(t), np.sin(t), 0.0]), np.array([-np.sin(t), np.cos(t), 0.0])

        def point(v):
            return plane.c2p(v[0], v[1])

        v_arrow = Arrow(origin, point(V), buff=0, color=BLUE, stroke_width=7)
        v_label = label("v", 34, BLUE).next_to(point(V), UP + RIGHT * 0.4, buff=0.1)
        lines = always_redraw(lambda: VGroup(*[
            Line(point(-7 * u), point(7 * u), color=c, stroke_width=2, stroke_opacity=0.45)
            for u, c in zip(basis(), (GREEN, ORANGE))]))
        u1 = always_redraw(lambda: Arrow(origin, point(basis()[0]), buff=0, color=GREEN, stroke_width=8))
        u2 = always_redraw(lambda: Arrow(origin, point(basis()[1]), buff=0, color=ORANGE, stroke_width=8))
        u_labels = VGroup(label("u₁", 30, GREEN), label("u₂", 30, ORANGE)).add_updater(lambda m: (
            m[0].move_to(point(1.45 * basis()[0] - 0.35 * basis()[1])),
            m[1].move_to(point(1.45 * basis()[1] + 0.35 * basis()[0]))))

        def coefficients():
            a, b = basis()
            return float(V @ a), float(V @ b)

        drops = always_redraw(lambda: VGroup(
            DashedLine(point(V), point(coefficients()[0] * basis()[0]), color=MUTED, stroke_width=2.5),
            DashedLine(point(V), point(coefficients()[1] * basis()[1]), color=MUTED, stroke_width=2.5)))
        shadows = always_redraw(lambda: VGroup(
            Line(origin, point(coefficients()[0] * basis()[0]), color=GREEN, stroke_width=11, stroke_opacity=0.55),
            Line(origin, point(coefficients()[1] * basis()[1]), color=ORANGE, stroke_width=11, stroke_opacity=0.55)))

        def readout():
            c1, c2 = coefficients()
            rows = VGroup(live_label(f"c₁ = v·u₁ = {c1:5.2f}", 28, GREEN),
                          live_label(f"c₂ = v·u₂ = {c2:5.2f}", 28, ORANGE),
                          live_label(f"c₁² + c₂² = {c1 * c1 + c2 * c2:5.2f} = |v|²", 28, TEXT))
            rows.arrange(DOWN, aligned_edge=LEFT, buff=0.2).to_corner(UL, buff=0.4)
            return VGroup(BackgroundRectangle(rows, color=PANEL, fill_opacity=0.92, buff=0.2), rows)

        self.say("Two perpendicular unit vectors, u₁ and u₂, form an orthonormal basis of the plane.")
        self.play(FadeIn(plane), run_time=1)
        self.play(FadeIn(lines), GrowArrow(u1), GrowArrow(u2), FadeIn(u_labels), run_time=1.5)
        self.wait(1.5)
        self.say("A vector's coordinate along each of them is a dot product: drop a perpendicular and read off "
                 "the signed length.")
        self.play(GrowArrow(v_arrow), FadeIn(v_label))
        self.play(Create(drops), FadeIn(shadows), run_time=1.5)
        self.play(FadeIn(readout()))
        self.wait(2)
        board = always_redraw(readout)
        self.remove(*[m for m in self.mobjects if m not in (plane, lines, u1, u2, u_labels, v_arrow, v_label,
                                                              drops, shadows)])
        self.add(board)
        self.say("Turn the basis: the coordinates change, the vector does not, and c₁² + c₂² stays |v|².")
        self.play(theta.animate.set_value(np.deg2rad(70)), run_time=4)
        self.play(theta.animate.set_value(np.deg2rad(-20)), run_time=4)
        self.poster()
        self.play(theta.animate.set_value(np.deg2rad(25)), run_time=2)
        self.say("Placed tip to tail, the two projections rebuild v exactly: nothing lost, nothing counted twice.")
        c1, c2 = coefficients()
        a, b = basis()
        p1 = Arrow(origin, point(c1 * a), buff=0, color=GREEN, stroke_width=7)
        p2 = Arrow(point(c1 * a), point(c1 * a + c2 * b), buff=0, color=ORANGE, stroke_width=7)
        self.play(GrowArrow(p1))
        self.play(GrowArrow(p2))
        self.wait(2.5)
        self.say("Keep only c₁ and you get the closest point to v on that line: the error is perpendicular to it.")
        self.play(FadeOut(p2))
        err = Line(point(c1 * a), point(V), color=YELLOW, stroke_width=6)
        self.play(Create(err))
        self.wait(3)
