"""The autoencoder's bottleneck, with the trained 2-D model (weights/mnist-ae-2d): a real digit is
encoded to two numbers and decoded back; each test digit of the manifest's sample is a point of the
2-D latent map (the narration counts how many sit nearer another class's centroid), and decoding a
point that moves across the map redraws the digit as it goes."""
from manim import (UP, Dot, FadeIn, FadeOut, FadeTransform, Group, MoveAlongPath, Polygon, Rectangle, Square, VGroup,
                   VMobject, always_redraw, np)

from animations.common import (BLUE, GRID, MUTED, ORANGE, PANEL, PINK, PURPLE, TEXT, YELLOW, GREEN, Narrated,
                               digit_image, label, load_model, manifest, mnist_digits)

EXAMPLES = [(3, 0), (0, 1), (7, 2)]              # (class, which sample) from weights/mnist-digits
# One colour per digit class, neighbours on the map told apart.
CLASS_COLORS = [BLUE, ORANGE, GREEN, PINK, YELLOW, PURPLE, "#7fd4e0", "#ff6b6b", "#b8d66b", "#cfd3da"]


def overlap_sentence(sample, labels, centroids) -> str:
    """The narration's verdict on the map, from the codes: how many lie nearer another class's centroid."""
    keys = sorted(centroids)
    table = np.array([centroids[k] for k in keys])
    nearest = [keys[i] for i in np.argmin(((sample[:, None, :] - table[None]) ** 2).sum(axis=2), axis=1)]
    strays = sum(1 for n, c in zip(nearest, labels) if n != c)
    if not strays:
        return "Each class gathers in a region of its own."
    return (f"The classes gather in regions, but they overlap: {100 * strays / len(labels):.0f}% of these digits "
            "sit nearer another class's average code than their own.")


class AutoencoderBottleneck(Narrated):
    def construct(self):
        model = load_model("mnist-ae-2d")
        digits = mnist_digits()
        pixels = [np.array(digits[w * 10 + c][1]) for c, w in EXAMPLES]
        codes = [np.array(model.encode(p)) for p in pixels]
        outputs = [np.array(model.decode(z)) for z in codes]

        entry = manifest()["models"]["mnist-ae-2d"]
        pixels_in, code_size = entry["encoder"][0]["in"], entry["latent_dim"]
        numbers = {1: "one number", 2: "two numbers", 3: "three numbers"}.get(code_size, f"{code_size} numbers")
        widths = [layer["out"] for layer in entry["encoder"][:-1]], [layer["out"] for layer in entry["decoder"][:-1]]
        size = 2.3
        encoder = Polygon([-3.3, 1.3, 0], [-1.1, 0.45, 0], [-1.1, -0.45, 0], [-3.3, -1.3, 0],
                          color=BLUE, fill_color=BLUE, fill_opacity=0.18, stroke_width=3)
        decoder = Polygon([1.1, 0.45, 0], [3.3, 1.3, 0], [3.3, -1.3, 0], [1.1, -0.45, 0],
                          color=ORANGE, fill_color=ORANGE, fill_opacity=0.18, stroke_width=3)
        names = VGroup(label("encoder", 26, BLUE).next_to(encoder, UP, buff=0.25),
                       label("decoder", 26, ORANGE).next_to(decoder, UP, buff=0.25))
        sizes = VGroup(label(f"{pixels_in} pixels", 22, MUTED).move_to([-5.3, -1.65, 0]),
                       label(f"{code_size} numbers", 22, MUTED).move_to([0, -1.0, 0]),
                       label(f"{pixels_in} pixels", 22, MUTED).move_to([5.3, -1.65, 0]))
        # The hidden layers' widths, spread along each trapezoid (encoder left to right, decoder after).
        spots = lambda n, a, b: [a + (b - a) * (i + 1) / (n + 1) for i in range(n)]
        layer_sizes = VGroup(*[label(str(w), 18, MUTED).move_to([x, 0, 0]) for w, x in
                               [*zip(widths[0], spots(len(widths[0]), -3.3, -1.1)),
                                *zip(widths[1], spots(len(widths[1]), 1.1, 3.3))]])

        def code_box(z):
            text = label(f"z = ({z[0]:.1f}, {z[1]:.1f})".replace("-", "−"), 24, YELLOW)
            return VGroup(Rectangle(width=text.width + 0.3, height=0.6, color=YELLOW, stroke_width=2,
                                    fill_color=PANEL, fill_opacity=1), text).move_to([0, 0, 0])

        inp = digit_image(pixels[0], size).move_to([-5.3, 0, 0])
        out = digit_image(outputs[0], size).move_to([5.3, 0, 0])
        box = code_box(codes[0])
        self.say(f"An autoencoder squeezes a {pixels_in}-pixel digit through a bottleneck of just {numbers}.")
        self.play(FadeIn(inp), FadeIn(encoder), FadeIn(decoder), FadeIn(names), FadeIn(sizes), FadeIn(layer_sizes),
                  run_time=1.5)
        self.wait(1)
        self.say("The encoder turns the image into a code z …")
        self.play(FadeTransform(inp.copy(), box), run_time=1.8)
        self.wait(0.5)
        self.say(f"… and the decoder redraws the digit from those {numbers} alone.")
        self.play(FadeTransform(box.copy(), out), run_time=1.8)
        self.wait(1.5)
        self.say(f"Other digits, other codes. The redrawings are blurry: where {numbers} cannot pin a stroke "
                 "down, the decoder draws an average.")
        for p, z, o in zip(pixels[1:], codes[1:], outputs[1:]):
            new_in, new_box = digit_image(p, size).move_to(inp), code_box(z)
            new_out = digit_image(o, size).move_to(out)
            self.play(FadeTransform(inp, new_in), FadeTransform(box, new_box), FadeTransform(out, new_out),
                      run_time=1.2)
            inp, box, out = new_in, new_box, new_out
            self.wait(1)
        self.play(FadeOut(Group(inp, box, out, encoder, decoder, names, sizes, layer_sizes)))

        # The latent map: the manifest's sample of test digits, each at its code.
        sample = np.array(entry["latent_sample"]["points"])
        labels = entry["latent_sample"]["labels"]
        # The codes spread over very different scales (the 0s far out, 2, 3, 5, 8 close together):
        # the map's axes are log-scaled around the median code, and both ways of the warp are exact.
        middle = np.median(sample, axis=0)
        warp = lambda z: np.sign(np.asarray(z) - middle) * np.log1p(np.abs(np.asarray(z) - middle))
        unwarp = lambda w: middle + np.sign(w) * np.expm1(np.abs(w))
        low, high = np.percentile(warp(sample), 0.5, axis=0), np.percentile(warp(sample), 99.5, axis=0)
        side = 6.0
        center = np.array([-3.2, -0.1, 0])

        def to_map(z):
            f = (warp(z) - low) / (high - low)
            return center + np.array([(f[0] - 0.5) * side, (f[1] - 0.5) * side, 0])

        inside = [(z, c) for z, c in zip(sample, labels) if np.all(warp(z) >= low) and np.all(warp(z) <= high)]
        frame = Square(side_length=side + 0.3, color=GRID, stroke_width=2).move_to(center)
        dots = VGroup(*[Dot(to_map(z), radius=0.03, color=CLASS_COLORS[c], fill_opacity=0.8) for z, c in inside])
        centroids = {int(k): np.array(v) for k, v in entry["centroids"].items()}
        tags = VGroup(*[label(str(k), 30, CLASS_COLORS[k], weight="BOLD").set_stroke(PANEL, 5, background=True)
                        .move_to(to_map(np.median(sample[np.array(labels) == k], axis=0)))
                        for k in centroids])
        map_title = label("latent space of mnist-ae-2d (log-scaled axes)", 22, MUTED).next_to(frame, UP, buff=0.12)
        self.say(f"Here are {len(inside):,} test digits, each one point in this two-dimensional latent space.")
        self.play(FadeIn(frame), FadeIn(map_title), FadeIn(dots, lag_ratio=0.002), run_time=2.5)
        self.say(overlap_sentence(np.array([z for z, _ in inside]), [c for _, c in inside], centroids))
        self.play(FadeIn(tags))
        self.wait(3)

        # Decode a point that travels through the map.
        stops = [np.median(sample[np.array(labels) == k], axis=0) for k in (1, 7, 4, 9, 6, 0)]
        path = VMobject().set_points_smoothly([to_map(s) for s in stops])
        marker = Dot(path.get_start(), radius=0.11, color=TEXT)
        ring = always_redraw(lambda: Dot(marker.get_center(), radius=0.16, color=TEXT, fill_opacity=0)
                             .set_stroke(TEXT, 3))

        def from_map(point):
            f = (point[:2] - center[:2]) / side + 0.5
            return unwarp(low + f * (high - low))

        drawn = always_redraw(lambda: digit_image(model.decode(from_map(marker.get_center())), 3.6)
                              .move_to([3.6, 0.1, 0]))
        drawn_frame = Rectangle(width=3.6, height=3.6, color=GRID, stroke_width=2).move_to([3.6, 0.1, 0])
        drawn_title = label("decode(z)", 26, TEXT).next_to(drawn_frame, UP, buff=0.15)
        trail = path.copy().set_stroke(TEXT, 2, opacity=0.5)
        self.say("Decode any point, and move it: the drawing morphs from one kind of digit into the next.")
        self.play(FadeIn(marker), FadeIn(ring), FadeIn(drawn), FadeIn(drawn_frame), FadeIn(drawn_title))
        self.poster()
        self.play(MoveAlongPath(marker, path), FadeIn(trail), run_time=9, rate_func=lambda t: t)
        self.wait(2)
