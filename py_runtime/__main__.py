"""python -m py_runtime: encode, decode, reconstruct, interpolate and do latent arithmetic.

Inputs ("SRC") are written as:
    mnist:INDEX     a digit of the MNIST test set (needs the IDX files; see --data-dir)
    path/to/a.png   your own drawing, preprocessed the way MNIST was made
    centroid:D      the mean latent of class D (stands for a latent, not an image)
    1.5,-0.3        a latent vector written out (decode, interpolate, arith)

Examples:
    python -m py_runtime encode mnist:0 mnist:1
    python -m py_runtime decode 0.5,-1.2 --out decoded.png
    python -m py_runtime reconstruct mnist:0 mnist:1 mnist:2 --model mnist-ae-16d
    python -m py_runtime interpolate mnist:3 mnist:7 --steps 10 --method spherical
    python -m py_runtime arith "mnist:0 - centroid:7 + centroid:1" --model mnist-ae-16d
"""

import argparse
import os
import re
import sys

from . import latent, png
from .backend import use_backend
from .idx import IMAGES_MAGIC, read_idx_file
from .model import default_weights_dir, load
from .preprocess import canvas_to_mnist

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def mnist_test_images(data_dir=None):
    """The raw 10,000 x 784 test-set bytes, from --data-dir, $MNIST_DIR or ../shared/data/mnist."""
    candidates = [data_dir, os.environ.get("MNIST_DIR"),
                  os.path.join(REPO_ROOT, "..", "shared", "data", "mnist"),
                  os.path.join("..", "shared", "data", "mnist")]
    for directory in filter(None, candidates):
        for name in ("t10k-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte"):
            path = os.path.join(directory, name)
            if os.path.isfile(path):
                return read_idx_file(path, IMAGES_MAGIC)[1]
    raise SystemExit("error: mnist:INDEX needs the MNIST test images (t10k-images-idx3-ubyte[.gz]); "
                     "pass --data-dir DIR or set MNIST_DIR")


class Inputs:
    """Resolves SRC strings to images and latents for one model."""

    def __init__(self, model, data_dir):
        self.model, self.data_dir, self._mnist = model, data_dir, None

    def image(self, source):
        if source.startswith("mnist:"):
            if self._mnist is None:
                self._mnist = mnist_test_images(self.data_dir)
            index = int(source[6:])
            if not 0 <= index < len(self._mnist) // 784:
                raise SystemExit(f"error: {source}: the test set has digits 0 to {len(self._mnist) // 784 - 1}")
            return [b / 255.0 for b in self._mnist[index * 784:(index + 1) * 784]]
        if os.path.isfile(source):
            with open(source, "rb") as f:
                _, _, rows = png.decode(f.read())
            return canvas_to_mnist(rows)
        return None

    def latent(self, source):
        """(latent, image or None) for any SRC."""
        if source.startswith("centroid:"):
            label = int(source[9:])
            if label not in self.model.centroids:
                raise SystemExit(f"error: {self.model.name} has no centroid for class {label}")
            return self.model.centroids[label], None
        image = self.image(source)
        if image is not None:
            return self.model.encode(image), image
        try:
            z = [float(v) for v in source.split(",")]
        except ValueError:
            raise SystemExit(f"error: {source!r} is not mnist:INDEX, centroid:D, a PNG file, or a latent like 1.5,-0.3")
        if len(z) != self.model.latent_dim:
            raise SystemExit(f"error: {self.model.name} has a {self.model.latent_dim}-D latent, {source!r} has {len(z)}")
        return z, None


def fmt(z):
    return "[" + ", ".join(f"{v:+.4f}" for v in z) + "]"


def describe(model, z):
    if not model.centroids:
        return fmt(z)
    label, dist = latent.nearest_centroid(z, model.centroids)
    return f"{fmt(z)}  nearest centroid: {label} (distance {dist:.3f})"


def save(path, images, columns, scale):
    png.write_gray(path, png.tile(images, columns=columns, factor=scale))
    print(f"wrote {path}")


def cmd_encode(model, inputs, args):
    images = []
    for source in args.sources:
        z, image = inputs.latent(source)
        print(f"{source}: {describe(model, z)}")
        images.append(image or model.decode(z))
    if args.out:
        save(args.out, images, len(images), args.scale)


def cmd_decode(model, inputs, args):
    images = []
    for source in args.latents:
        z, _ = inputs.latent(source)
        print(f"{source}: {fmt(z)}")
        images.append(model.decode(z))
    save(args.out, images, len(images), args.scale)


def cmd_reconstruct(model, inputs, args):
    originals, copies = [], []
    for source in args.sources:
        image = inputs.image(source)
        if image is None:
            raise SystemExit(f"error: reconstruct needs images (mnist:INDEX or a PNG), not {source!r}")
        z = model.encode(image)
        copy = model.decode(z)
        error = sum((a - b) ** 2 for a, b in zip(image, copy)) / len(image)
        print(f"{source}: latent {describe(model, z)}  mse {error:.4f}")
        originals.append(image)
        copies.append(copy)
    print(f"top row: inputs; bottom row: reconstructions by {model.name}")
    save(args.out, originals + copies, len(originals), args.scale)


def cmd_interpolate(model, inputs, args):
    a, _ = inputs.latent(args.start)
    b, _ = inputs.latent(args.end)
    path = latent.interpolate(a, b, args.steps, args.method)
    for i, z in enumerate(path):
        print(f"t={i / (args.steps - 1):.3f}: {describe(model, z)}")
    save(args.out, [model.decode(z) for z in path], args.steps, args.scale)


TERM = re.compile(r"\s*([+-])?\s*(?:([0-9.]+)\s*\*\s*)?([^\s+*]+(?:,[-+]?[0-9.eE+-]+)*)")


def parse_expression(text):
    """'mnist:0 - centroid:7 + 0.5*centroid:1' -> [(+1, 1.0, 'mnist:0'), (-1, 1.0, 'centroid:7'), ...]."""
    terms, position = [], 0
    text = text.strip()
    while position < len(text):
        match = TERM.match(text, position)
        if not match or match.end() == position:
            raise SystemExit(f"error: cannot read the expression at {text[position:]!r}")
        sign, factor, source = match.groups()
        if terms and sign is None:
            raise SystemExit(f"error: expected + or - before {source!r}")
        terms.append((-1.0 if sign == "-" else 1.0, float(factor) if factor else 1.0, source))
        position = match.end()
    return terms


def cmd_arith(model, inputs, args):
    total, images = [0.0] * model.latent_dim, []
    for sign, factor, source in parse_expression(args.expression):
        z, image = inputs.latent(source)
        total = latent.add(total, latent.scale(z, sign * factor))
        print(f"{'+' if sign > 0 else '-'} {factor:g} x {source}: {fmt(z)}")
        images.append(image or model.decode(z))
    print(f"= {describe(model, total)}")
    print("images: each term as the model sees it, then the decoded result (last)")
    save(args.out, images + [model.decode(total)], len(images) + 1, args.scale)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m py_runtime", description=__doc__.split("\n")[0],
                                     epilog=__doc__.split("\n", 1)[1], formatter_class=argparse.RawDescriptionHelpFormatter)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--model", default="mnist-ae-2d", help="model name in the manifest (default mnist-ae-2d)")
    common.add_argument("--weights", default=None, help=f"weights directory (default {default_weights_dir()})")
    common.add_argument("--backend", choices=["auto", "numpy", "python"], default=None,
                        help="arithmetic backend (default: $PY_RUNTIME_BACKEND or auto)")
    common.add_argument("--data-dir", help="MNIST IDX directory for mnist:INDEX inputs")
    common.add_argument("--scale", type=int, default=4, help="PNG enlargement factor (default 4)")
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("encode", parents=[common], help="print the latent vector of each input")
    p.add_argument("sources", nargs="+", metavar="SRC")
    p.add_argument("--out", help="also write the inputs, as the model sees them, to this PNG")
    p.set_defaults(run=cmd_encode)
    p = commands.add_parser("decode", parents=[common], help="draw the image of latent vectors")
    p.add_argument("latents", nargs="+", metavar="LATENT", help="e.g. 0.5,-1.2 or centroid:3")
    p.add_argument("--out", default="decoded.png")
    p.set_defaults(run=cmd_decode)
    p = commands.add_parser("reconstruct", parents=[common], help="encode then decode images")
    p.add_argument("sources", nargs="+", metavar="SRC")
    p.add_argument("--out", default="reconstruct.png")
    p.set_defaults(run=cmd_reconstruct)
    p = commands.add_parser("interpolate", parents=[common], help="decode a path between two latents")
    p.add_argument("start", metavar="SRC_A")
    p.add_argument("end", metavar="SRC_B")
    p.add_argument("--steps", type=int, default=8)
    p.add_argument("--method", choices=["linear", "spherical"], default="linear")
    p.add_argument("--out", default="interpolate.png")
    p.set_defaults(run=cmd_interpolate)
    p = commands.add_parser("arith", parents=[common], help="latent arithmetic, e.g. \"mnist:0 - centroid:7 + centroid:1\"")
    p.add_argument("expression")
    p.add_argument("--out", default="arith.png")
    p.set_defaults(run=cmd_arith)
    args = parser.parse_args(argv)

    if args.backend:
        use_backend(args.backend)
    try:
        model = load(args.model, args.weights)
    except (OSError, ValueError) as error:
        raise SystemExit(f"error: {error}")
    print(f"{model}")
    args.run(model, Inputs(model, args.data_dir), args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
