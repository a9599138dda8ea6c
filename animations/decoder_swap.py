"""The decoder swap behind the classic face-swap deepfake: one encoder shared by two people, one
decoder per person. Trained to rebuild each person through their own decoder, the shared code
carries pose and expression; decoding A's code with B's decoder draws B with A's expression.

Schematic: the faces are drawn from three numbers (head turn, smile, eyebrows), standing in for
the trained face models."""
from manim import (DOWN, LEFT, RIGHT, UP, Arc, Circle, Create, Dot, Ellipse, FadeIn, FadeOut, Line, Polygon,
                   Rectangle, RoundedRectangle, ShowPassingFlash, ValueTracker, VGroup, VMobject, always_redraw, np)

from animations.common import BLUE, GREEN, GRID, MUTED, ORANGE, PANEL, PINK, TEXT, YELLOW, Narrated, label

SKIN_A, HAIR_A = "#f1c7a5", "#5a3a22"
SKIN_B, HAIR_B = "#c98e66", "#1d1d1d"


def face(person: str, turn: float, smile: float, brow: float, scale: float = 1.0):
    """A cartoon face: `turn` in [-1, 1] (head turned left/right), `smile` in [-1, 1], `brow` in [0, 1]."""
    g = VGroup()
    dx = 0.28 * turn
    if person == "A":
        head = Circle(radius=1.0, stroke_width=0, fill_color=SKIN_A, fill_opacity=1)
        hair = Arc(radius=1.04, start_angle=np.pi * 0.08, angle=np.pi * 0.84, stroke_width=18, color=HAIR_A)
        g.add(head, hair.shift(RIGHT * dx * 0.3))
        eye = lambda: Circle(radius=0.13, stroke_width=0, fill_color="#2a2a2a", fill_opacity=1)
    else:
        head = Ellipse(width=1.75, height=2.3, stroke_width=0, fill_color=SKIN_B, fill_opacity=1)
        beard = Arc(radius=0.86, start_angle=np.pi * 1.1, angle=np.pi * 0.8, stroke_width=16, color=HAIR_B) \
            .shift(DOWN * 0.22)
        hair = Arc(radius=0.9, start_angle=np.pi * 0.15, angle=np.pi * 0.7, stroke_width=26, color=HAIR_B) \
            .shift(UP * 0.28)
        g.add(head, hair.shift(RIGHT * dx * 0.3), beard.shift(RIGHT * dx * 0.5))
        eye = lambda: Rectangle(width=0.22, height=0.1, stroke_width=0, fill_color="#1a1a1a", fill_opacity=1)
    eyes = VGroup(eye().move_to([-0.36 + dx, 0.18, 0]), eye().move_to([0.36 + dx, 0.18, 0]))
    if person == "B":
        eyes.add(*[RoundedRectangle(corner_radius=0.06, width=0.44, height=0.32, stroke_width=3, color="#e8e8e8")
                   .move_to(e) for e in eyes[:2]])
        eyes.add(Line(eyes[2].get_right(), eyes[3].get_left(), stroke_width=3, color="#e8e8e8"))
    brows = VGroup(*[Line([x - 0.17 + dx, 0.43 + 0.16 * brow, 0], [x + 0.17 + dx, 0.47 + 0.1 * brow, 0],
                          stroke_width=6, color=HAIR_A if person == "A" else HAIR_B) for x in (-0.36, 0.36)])
    brows[1].rotate(np.pi, about_point=brows[1].get_center()).flip(RIGHT)
    nose = Line([0.0 + dx * 1.3, 0.1, 0], [0.07 + dx * 1.3, -0.18, 0], stroke_width=4, color="#8a5a3c")
    mouth = VMobject(stroke_width=6, color="#7a2630")
    xs = np.linspace(-0.3, 0.3, 12)
    mouth.set_points_smoothly([[x + dx, -0.45 - smile * 0.18 * (1 - (x / 0.3) ** 2), 0] for x in xs])
    g.add(eyes, brows, nose, mouth)
    return g.scale(scale)


class DecoderSwap(Narrated):
    def construct(self):
        in_pos = np.array([-5.4, 0, 0])
        code_pos = np.array([0, 0, 0])
        out_a, out_b = np.array([5.3, 1.7, 0]), np.array([5.3, -1.7, 0])
        encoder = Polygon([-3.9, 1.1, 0], [-1.4, 0.4, 0], [-1.4, -0.4, 0], [-3.9, -1.1, 0], color=TEXT,
                          fill_color=TEXT, fill_opacity=0.12, stroke_width=3)
        dec_a = Polygon([1.4, 1.45, 0], [3.6, 2.25, 0], [3.6, 1.05, 0], [1.4, 1.25, 0], color=BLUE, fill_color=BLUE,
                        fill_opacity=0.2, stroke_width=3).shift(DOWN * 0.1)
        dec_b = Polygon([1.4, -1.25, 0], [3.6, -1.05, 0], [3.6, -2.25, 0], [1.4, -1.45, 0], color=ORANGE,
                        fill_color=ORANGE, fill_opacity=0.2, stroke_width=3).shift(UP * 0.1)
        names = VGroup(label("shared encoder", 24, TEXT).next_to(encoder, UP, buff=0.2),
                       label("decoder A", 24, BLUE).next_to(dec_a, UP, buff=0.15),
                       label("decoder B", 24, ORANGE).next_to(dec_b, DOWN, buff=0.15))
        wires = VGroup(Line([-1.4, 0, 0], [-0.75, 0, 0]), Line([0.75, 0, 0], [1.4, 1.25, 0]),
                       Line([0.75, 0, 0], [1.4, -1.25, 0])).set_stroke(GRID, 3)
        tag = label("schematic faces", 20, MUTED).to_corner(UP + RIGHT, buff=0.3)

        turn, smile, brow = ValueTracker(0.0), ValueTracker(0.6), ValueTracker(0.2)
        person = {"who": "A"}

        def code_bars():
            values = [turn.get_value(), smile.get_value(), brow.get_value() * 2 - 1]
            g = VGroup(Rectangle(width=1.5, height=1.5, color=YELLOW, stroke_width=2, fill_color=PANEL,
                                 fill_opacity=1))
            for i, v in enumerate(values):
                h = max(abs(v) * 0.6, 0.02)
                g.add(Rectangle(width=0.28, height=h, stroke_width=0, fill_color=YELLOW, fill_opacity=0.9)
                      .move_to([-0.42 + 0.42 * i, np.sign(v) * h / 2, 0]))
            return g.move_to(code_pos)

        code = always_redraw(code_bars)
        code_name = VGroup(label("shared code:", 22, YELLOW), label("pose, expression", 22, YELLOW)) \
            .arrange(DOWN, buff=0.1).next_to(code_pos, DOWN, buff=0.95)
        source = always_redraw(lambda: face(person["who"], turn.get_value(), smile.get_value(), brow.get_value(), 1.0)
                               .move_to(in_pos))

        self.say("The classic face swap: one encoder shared by two people, and one decoder for each of them.")
        self.play(FadeIn(encoder), FadeIn(dec_a), FadeIn(dec_b), FadeIn(names), FadeIn(wires), FadeIn(tag),
                  FadeIn(code), FadeIn(code_name), run_time=2)
        self.wait(1.5)

        def flow(route, color):
            path = [Line(in_pos + RIGHT * 1.1, [-3.9, 0, 0]), Line([-1.4, 0, 0], [-0.75, 0, 0]),
                    Line([0.75, 0, 0], [1.4, 1.25 if route == "A" else -1.25, 0]),
                    Line([3.6, 1.65 if route == "A" else -1.65, 0], (out_a if route == "A" else out_b) + LEFT * 1.1)]
            return [ShowPassingFlash(p.copy().set_stroke(color, 7), time_width=0.6) for p in path]

        self.say("Training: pictures of A go through the encoder and decoder A, and must come back as A.")
        self.play(FadeIn(source))
        rebuilt_a = always_redraw(lambda: face("A", turn.get_value(), smile.get_value(), brow.get_value(), 0.9)
                                  .move_to(out_a))
        self.play(*flow("A", BLUE), run_time=1.5)
        rebuilt_a.update()
        self.play(FadeIn(rebuilt_a))
        self.play(turn.animate.set_value(-0.7), smile.animate.set_value(-0.3), run_time=1.5)
        self.wait(1)

        self.say("Pictures of B go through the same encoder and decoder B. Sharing the encoder makes its code "
                 "hold what both have in common: pose and expression.")
        self.play(FadeOut(source), run_time=0.5)
        person["who"] = "B"
        source.update()
        self.play(FadeIn(source), turn.animate.set_value(0.5), smile.animate.set_value(0.8), run_time=1)
        rebuilt_b = always_redraw(lambda: face("B", turn.get_value(), smile.get_value(), brow.get_value(), 0.9)
                                  .move_to(out_b))
        self.play(*flow("B", ORANGE), run_time=1.5)
        rebuilt_b.update()
        self.play(FadeIn(rebuilt_b))
        self.play(brow.animate.set_value(0.9), smile.animate.set_value(0.1), run_time=1.5)
        self.wait(1)

        self.say("The swap: encode a picture of A, but decode it with decoder B.")
        self.play(FadeOut(source), FadeOut(rebuilt_a), FadeOut(rebuilt_b), run_time=0.6)
        person["who"] = "A"
        source.update()
        self.play(FadeIn(source), turn.animate.set_value(-0.5), smile.animate.set_value(0.9),
                  brow.animate.set_value(0.1), run_time=1)
        self.play(dec_a.animate.set_opacity(0.25), names[1].animate.set_opacity(0.35), wires[1].animate.set_opacity(0.2))
        self.play(*flow("B", PINK), run_time=1.5)
        rebuilt_b.update()
        self.play(FadeIn(rebuilt_b))
        self.poster()
        self.wait(1)
        self.say("Out comes B wearing A's expression and head turn, frame after frame: a deepfake.")
        self.play(turn.animate.set_value(0.7), smile.animate.set_value(-0.6), brow.animate.set_value(1.0), run_time=2)
        self.play(turn.animate.set_value(-0.2), smile.animate.set_value(0.7), brow.animate.set_value(0.0), run_time=2)
        self.play(turn.animate.set_value(0.3), smile.animate.set_value(0.2), run_time=1.5)
        self.wait(2)
