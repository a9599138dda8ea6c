"""A forward pass and backpropagation through a 2-3-1 network (tanh hidden units, a sigmoid output,
squared error on one training example): activations flow forward, the error's gradient flows back,
each weight moves against its gradient, and the loss is plotted over the rounds that follow. The
narration's verdict on the loss is computed from those rounds."""
from manim import (DOWN, LEFT, RIGHT, UP, Circle, Create, FadeIn, FadeOut, Line, ShowPassingFlash,
                   Transform, VGroup, np)

from animations.common import BG, BLUE, MUTED, ORANGE, PANEL, PINK, TEXT, YELLOW, GREEN, Narrated, label

X = np.array([0.9, -0.4])
Y = 1.0
RATE = 0.5
ROUNDS = 25                                            # steps of gradient descent in all
rng = np.random.default_rng(7)
W1_0 = rng.normal(scale=0.9, size=(3, 2))
B1_0 = np.zeros(3)
W2_0 = rng.normal(scale=0.9, size=(1, 3))
B2_0 = np.zeros(1)


def sigmoid(v):
    return 1 / (1 + np.exp(-v))


def forward(w1, b1, w2, b2):
    h = np.tanh(w1 @ X + b1)
    y = sigmoid(w2 @ h + b2)
    return h, y, 0.5 * float((y[0] - Y) ** 2)


def backward(w1, b1, w2, b2):
    h, y, loss = forward(w1, b1, w2, b2)
    d_out = (y - Y) * y * (1 - y)                     # dL/d(pre-activation of the output)
    g_w2 = np.outer(d_out, h)
    d_hidden = (w2.T @ d_out) * (1 - h ** 2)
    g_w1 = np.outer(d_hidden, X)
    return g_w1, d_hidden, g_w2, d_out


def minus(text: str) -> str:
    """A real minus sign (−) for the numbers on screen."""
    return text.replace("-", "−")


def loss_verdict(history) -> str:
    """The narration on the plotted losses, from the numbers: how far it fell, and whether every round helped."""
    rounds = len(history) - 1
    every = all(later < earlier for earlier, later in zip(history, history[1:]))
    if history[-1] >= history[0]:
        return f"Repeat: forward, backward, step. After {rounds} rounds the loss has not fallen: {history[-1]:.3f}."
    return (f"Repeat: forward, backward, step. In {rounds} rounds the loss falls from {history[0]:.3f} to "
            f"{history[-1]:.3f}" + (", lower after every round." if every else ", though not after every round."))


class ForwardBackward(Narrated):
    def construct(self):
        w1, b1, w2, b2 = W1_0.copy(), B1_0.copy(), W2_0.copy(), B2_0.copy()
        shift = LEFT * 1.6
        pos_in = [np.array([-4.0, y, 0]) + shift for y in (1.0, -1.0)]
        pos_h = [np.array([-0.8, y, 0]) + shift for y in (2.0, 0.0, -2.0)]
        pos_out = [np.array([2.4, 0, 0]) + shift]
        nodes = VGroup(*[Circle(radius=0.42, color=MUTED, stroke_width=3, fill_color=PANEL, fill_opacity=1).move_to(p)
                         for p in pos_in + pos_h + pos_out]).set_z_index(1)

        def edge_set(w1, w2):
            edges = VGroup()
            for j, ph in enumerate(pos_h):
                for i, pi in enumerate(pos_in):
                    edges.add(self.edge(pi, ph, w1[j, i]))
            for j, ph in enumerate(pos_h):
                edges.add(self.edge(ph, pos_out[0], w2[0, j]))
            return edges

        edges = edge_set(w1, w2)
        legend = VGroup(label("positive weight", 22, BLUE), label("negative weight", 22, ORANGE),
                        label("line width = size", 22, MUTED)).arrange(DOWN, aligned_edge=LEFT, buff=0.12) \
            .to_corner(UP + LEFT, buff=0.35)

        self.say("A small network: two inputs, three tanh units, one sigmoid output. Each line is a weight.")
        self.play(FadeIn(nodes), Create(edges), FadeIn(legend), run_time=2)
        self.wait(1)

        h, y, loss = forward(w1, b1, w2, b2)
        values_in = VGroup(*[label(minus(f"{v:.1f}"), 24, TEXT).move_to(p) for v, p in zip(X, pos_in)])
        values_h = VGroup(*[label(minus(f"{v:.2f}"), 19, TEXT).move_to(p) for v, p in zip(h, pos_h)])
        value_out = label(minus(f"{y[0]:.2f}"), 19, TEXT).move_to(pos_out[0])
        for text in (values_in, values_h, value_out):
            text.set_z_index(2)
        self.say("Forward pass: the inputs are weighted, summed and squashed, layer by layer.")
        self.play(FadeIn(values_in))
        self.play(*[ShowPassingFlash(e.copy().set_stroke(YELLOW, 6), time_width=0.5) for e in edges[:6]],
                  run_time=1.2)
        self.play(FadeIn(values_h), nodes[2:5].animate.set_stroke(YELLOW))
        self.play(*[ShowPassingFlash(e.copy().set_stroke(YELLOW, 6), time_width=0.5) for e in edges[6:]],
                  run_time=1.2)
        self.play(FadeIn(value_out), nodes[5].animate.set_stroke(YELLOW))

        panel_at = RIGHT * 4.9 + UP * 1.6
        target = label(f"target  {Y:.0f}", 26, TEXT)
        loss_text = label(f"loss  ½(ŷ − y)² = {loss:.3f}", 26, YELLOW)
        panel = VGroup(target, loss_text).arrange(DOWN, aligned_edge=LEFT, buff=0.2).move_to(panel_at) \
            .to_edge(RIGHT, buff=0.5)
        self.say(f"The output is {y[0]:.2f}; this one training example's target is {Y:.0f}: "
                 "the loss measures how far off it is.")
        self.play(FadeIn(panel))
        self.wait(2)

        g_w1, d_hidden, g_w2, d_out = backward(w1, b1, w2, b2)
        self.say("Backpropagation: the chain rule sends the error back along the same lines, "
                 "giving every weight its gradient.")
        back = [e.copy().set_stroke(PINK, 6) for e in edges]
        for b in back:
            b.reverse_direction()
        self.play(*[ShowPassingFlash(b, time_width=0.5) for b in back[6:]], nodes[5].animate.set_stroke(PINK),
                  run_time=1.3)
        self.play(*[ShowPassingFlash(b, time_width=0.5) for b in back[:6]], nodes[2:5].animate.set_stroke(PINK),
                  run_time=1.3)
        # On the first layer's edges near their hidden unit (the edges cross midway), halfway on the second.
        grads = VGroup(*[label(minus(f"{g:+.3f}"), 18, PINK).set_stroke(BG, 5, background=True)
                         .move_to(e.point_from_proportion(0.7 if i < 6 else 0.5) + (UP * 0.2 if i >= 6 else 0))
                         for i, (e, g) in enumerate(zip(edges, [*g_w1.ravel(), *g_w2.ravel()]))])
        self.play(FadeIn(grads))
        self.poster()
        self.wait(2)

        self.say(f"Each weight (and bias) takes a small step against its gradient, w ← w − {RATE}·∂L/∂w: "
                 "the lines change width.")
        w1, w2 = w1 - RATE * g_w1, w2 - RATE * g_w2
        b1, b2 = b1 - RATE * d_hidden, b2 - RATE * d_out
        self.play(Transform(edges, edge_set(w1, w2)), FadeOut(grads), run_time=2)
        self.play(nodes.animate.set_stroke(MUTED))

        history = [loss, forward(w1, b1, w2, b2)[2]]          # before any step, and after the first
        for step in range(ROUNDS - 1):
            g_w1, d_hidden, g_w2, d_out = backward(w1, b1, w2, b2)
            w1, w2 = w1 - RATE * g_w1, w2 - RATE * g_w2
            b1, b2 = b1 - RATE * d_hidden, b2 - RATE * d_out
            history.append(forward(w1, b1, w2, b2)[2])
        self.say(loss_verdict(history))
        h, y, loss = forward(w1, b1, w2, b2)
        chart_origin = RIGHT * 3.4 + DOWN * 1.9
        axes = VGroup(Line(chart_origin, chart_origin + RIGHT * 3.0), Line(chart_origin, chart_origin + UP * 2.2)) \
            .set_stroke(MUTED, 2)
        scale_y = 2.0 / history[0]
        points = [chart_origin + np.array([3.0 * i / (len(history) - 1), scale_y * v, 0]) for i, v in enumerate(history)]
        curve = VGroup(*[Line(a, b, color=YELLOW, stroke_width=4) for a, b in zip(points, points[1:])])
        chart_label = label(f"loss over {len(history) - 1} rounds", 22, MUTED).next_to(axes, DOWN, buff=0.12)
        self.play(Create(axes), FadeIn(chart_label))
        new_values_h = VGroup(*[label(minus(f"{v:.2f}"), 19, TEXT).move_to(p) for v, p in zip(h, pos_h)])
        new_out = label(minus(f"{y[0]:.2f}"), 19, GREEN).move_to(pos_out[0])
        new_values_h.set_z_index(2)
        new_out.set_z_index(2)
        new_loss = label(f"loss  ½(ŷ − y)² = {loss:.3f}", 26, GREEN).move_to(loss_text, aligned_edge=LEFT)
        self.play(Create(curve, lag_ratio=1), Transform(edges, edge_set(w1, w2)), Transform(values_h, new_values_h),
                  Transform(value_out, new_out), Transform(loss_text, new_loss), run_time=4)
        self.wait(3)

    @staticmethod
    def edge(a, b, w):
        direction = (b - a) / np.linalg.norm(b - a)
        return Line(a + direction * 0.42, b - direction * 0.42, color=BLUE if w >= 0 else ORANGE,
                    stroke_width=1.5 + 4.5 * min(abs(w), 2.0), stroke_opacity=0.85)
