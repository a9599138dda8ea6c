"""A matrix transforms the plane: the basis vectors land on the matrix's columns, the grid follows
in straight lines, areas scale by the determinant, and a determinant of zero flattens the plane."""
from manim import (DOWN, LEFT, RIGHT, UR, ApplyMatrix, Arrow, Create, FadeIn, FadeOut, NumberPlane, Polygon,
                   VGroup, np)

from animations.common import (GREEN, GRID, MUTED, ORANGE, PANEL, TEXT, YELLOW, Narrated, bracket_matrix, label)


class MatrixPlane(Narrated):
    def construct(self):
        plane = NumberPlane(x_range=(-8, 8, 1), y_range=(-5, 5, 1),
                            background_line_style={"stroke_color": GRID, "stroke_width": 1.5},
                            axis_config={"stroke_color": MUTED, "stroke_width": 2})
        plane.prepare_for_nonlinear_transform()
        i_hat = Arrow(plane.c2p(0, 0), plane.c2p(1, 0), buff=0, color=GREEN, stroke_width=7)
        j_hat = Arrow(plane.c2p(0, 0), plane.c2p(0, 1), buff=0, color=ORANGE, stroke_width=7)
        square = Polygon(plane.c2p(0, 0), plane.c2p(1, 0), plane.c2p(1, 1), plane.c2p(0, 1),
                         stroke_width=0, fill_color=YELLOW, fill_opacity=0.35)
        i_label = label("e₁", 30, GREEN).add_updater(lambda m: m.next_to(i_hat.get_end(), DOWN + RIGHT * 0.3, buff=0.1))
        j_label = label("e₂", 30, ORANGE).add_updater(lambda m: m.next_to(j_hat.get_end(), LEFT, buff=0.15))

        self.say("A 2 × 2 matrix is a rule that moves every point of the plane.")
        self.play(Create(plane, lag_ratio=0.05), run_time=2)
        self.play(FadeIn(square), Create(i_hat), Create(j_hat), FadeIn(i_label), FadeIn(j_label))
        self.wait(1)

        self.say("Watch the two basis vectors: where they land is all the matrix records.")
        matrix = np.array([[1.0, 1.0], [0.0, 1.0]])
        shown = self.matrix_card([["1", "1"], ["0", "1"]], "shear")
        self.play(FadeIn(shown))
        self.play(ApplyMatrix(matrix, VGroup(plane, square, i_hat, j_hat)), run_time=3)
        self.say("Its first column is where e₁ lands, its second where e₂ lands. "
                 "Grid lines stay straight, parallel and evenly spaced.")
        self.wait(5)

        self.say("Another matrix: the unit square becomes a parallelogram whose area is the determinant, "
                 "2 × 1.75 − 1 × 0.5 = 3.")
        self.play(ApplyMatrix(np.linalg.inv(matrix), VGroup(plane, square, i_hat, j_hat)), FadeOut(shown),
                  run_time=2)
        stretch = np.array([[2.0, 1.0], [0.5, 1.75]])
        shown = self.matrix_card([["2", "1"], ["0.5", "1.75"]], "det = 3")
        self.play(FadeIn(shown))
        self.play(ApplyMatrix(stretch, VGroup(plane, square, i_hat, j_hat)), run_time=3)
        self.poster()
        self.wait(2.5)

        self.play(ApplyMatrix(np.linalg.inv(stretch), VGroup(plane, square, i_hat, j_hat)), FadeOut(shown),
                  run_time=2)
        flat = np.array([[1.0, 2.0], [0.5, 1.0]])
        shown = self.matrix_card([["1", "2"], ["0.5", "1"]], "det = 0")
        self.say("Here the second column is twice the first, so the determinant is zero: the whole plane "
                 "flattens onto one line, and that step cannot be undone.")
        self.play(FadeIn(shown))
        self.play(ApplyMatrix(flat, VGroup(plane, square, i_hat, j_hat)), run_time=3)
        self.wait(3)

    def matrix_card(self, rows, caption):
        matrix = bracket_matrix(rows, 32)
        text = label(caption, 26, TEXT)
        card = VGroup(matrix, text).arrange(DOWN, buff=0.2)
        from manim import BackgroundRectangle
        back = BackgroundRectangle(card, color=PANEL, fill_opacity=0.92, buff=0.25)
        return VGroup(back, card).to_corner(UR, buff=0.4)
