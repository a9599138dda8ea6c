"""Chapter 1's figures: one real swap by the site's own faces-swap model, and the size of the
original deepfakes model, counted from its published layer list.

    swap_example()  -> {"svg", "alt"}: A's face, its code E(x_A), D_A(z) and D_B(z), and B truly
                       making that face (the renderer's ground truth)
    facts()         -> the numbers the prose quotes about both

Nothing here knows how good the model is: the pictures and distances are whatever the weights in
weights/ produce, so a retrained model changes them (and the prose's verdicts over them).
"""
from __future__ import annotations

import functools
import math
import os
import random
import re
from html import escape

from py_runtime import faces, pipeline
from py_runtime import swap as swap_model
from py_runtime.manifest import load_manifest
from py_runtime.model import default_weights_dir

# The expression and pose of the example: drawn from the training distribution with a fixed
# seed, not picked for a good-looking result.
EXAMPLE_SEED = 1

# The first published deepfakes code, deepfakes/faceswap commit 22f22d9 (15 December 2017),
# model.py, kept today as the faceswap project's "Original" model. Keras layers, channels last:
#   conv(f):    Conv2D(f, kernel_size=5, strides=2, padding="same") + LeakyReLU
#   upscale(f): Conv2D(4f, kernel_size=3, padding="same") + LeakyReLU + pixel shuffle (2h, 2w, f)
ORIGINAL_INPUT = (64, 64, 3)
ORIGINAL_ENCODER = (("conv", 128, 5, 2), ("conv", 256, 5, 2), ("conv", 512, 5, 2), ("conv", 1024, 5, 2),
                    ("dense", 1024), ("dense", 4 * 4 * 1024), ("reshape", (4, 4, 1024)), ("upscale", 512))
ORIGINAL_DECODER = (("upscale", 256), ("upscale", 128), ("upscale", 64), ("conv", 3, 5, 1))
# The faceswap project's USAGE.md: "a ballpark figure is 12-48 hours on GPU".
GUIDE_TRAINING_HOURS = (12, 48)


# -- counting a published model ----------------------------------------------------------------
def conv_parameters(c_in: int, c_out: int, kernel: int) -> int:
    """A k×k convolution: one k·k·c_in weight patch per output channel, plus its bias."""
    return kernel * kernel * c_in * c_out + c_out


def dense_parameters(n_in: int, n_out: int) -> int:
    """A dense layer: an n_out × n_in matrix plus n_out biases."""
    return n_in * n_out + n_out


def walk(layers, shape) -> tuple[list, int]:
    """The shape after each layer (h, w, c) or (n,), and the parameters of them all."""
    shapes, total = [], 0
    for layer in layers:
        kind = layer[0]
        if kind == "conv":
            _, filters, kernel, stride = layer
            h, w, c = shape
            total += conv_parameters(c, filters, kernel)
            shape = (-(-h // stride), -(-w // stride), filters)          # padding "same"
        elif kind == "upscale":
            h, w, c = shape
            total += conv_parameters(c, 4 * layer[1], 3)
            shape = (2 * h, 2 * w, layer[1])
        elif kind == "dense":
            total += dense_parameters(math.prod(shape), layer[1])         # Flatten() first
            shape = (layer[1],)
        elif kind == "reshape":
            shape = layer[1]
        shapes.append(shape)
    return shapes, total


def original_model() -> dict:
    """Bottleneck, decoder input and parameter count of the original model, from its layer list."""
    encoder_shapes, encoder = walk(ORIGINAL_ENCODER, ORIGINAL_INPUT)
    decoder_shapes, decoder = walk(ORIGINAL_DECODER, encoder_shapes[-1])
    sizes = [math.prod(s) for s in encoder_shapes]
    return {
        "input_numbers": math.prod(ORIGINAL_INPUT),
        "input_side": ORIGINAL_INPUT[0],
        "bottleneck": min(sizes),
        "decoder_input": list(encoder_shapes[-1]),
        "decoder_input_numbers": sizes[-1],
        "output_shape": list(decoder_shapes[-1]),
        "encoder_parameters": encoder,
        "decoder_parameters": decoder,
        "parameters": encoder + 2 * decoder,
    }


def manifest_parameters(entry: dict) -> int:
    """Parameters of a faces-swap manifest entry, counted from its layer list (shared layers once)."""
    layers = list(entry["encoder"])
    seen = set()
    for specs in entry["decoders"].values():
        for spec in specs:
            if not (spec.get("shared") and spec["weight"] in seen):
                layers.append(spec)
            seen.add(spec["weight"])
    return sum(conv_parameters(s["in"], s["out"], s["kernel"]) if s["type"] == "conv"
               else dense_parameters(s["in"], s["out"]) for s in layers)


# -- the site's own swap -----------------------------------------------------------------------
def rms(u, v) -> float:
    """Root-mean-square difference: the typical size of a pixel's error, in units of full brightness."""
    return math.sqrt(sum((a - b) * (a - b) for a, b in zip(u, v)) / len(u))


@functools.cache
def example() -> dict:
    """A's face at a random expression, its code, both decodings, and B truly making that face."""
    model = swap_model.load()
    params = faces.random_params(random.Random(EXAMPLE_SEED))
    x_a = pipeline.aligned_crop("A", params).pixels
    z = model.encode(x_a)
    return {"params": params, "x_A": x_a, "z": z, "D_A": model.decode(z, "A"), "D_B": model.decode(z, "B"),
            "truth_B": pipeline.aligned_crop("B", params).pixels, "latent_range": model.entry.get("latent_range", {})}


def example_facts() -> dict:
    """The example's distances (RMS, brightness 0 to 1): what the prose's verdict compares."""
    e = example()
    return {
        "latent_dim": len(e["z"]),
        "pixel_numbers": len(e["x_A"]),
        "rms_reconstruction": rms(e["D_A"], e["x_A"]),
        "rms_swap_to_truth": rms(e["D_B"], e["truth_B"]),
        "rms_swap_to_driver": rms(e["D_B"], e["x_A"]),
        "rms_truth_to_driver": rms(e["truth_B"], e["x_A"]),
        "params": {k: round(v, 3) for k, v in e["params"].items()},
    }


def facts() -> dict:
    """What chapter 1 quotes: the original model's size and this site's example swap."""
    entry = load_manifest(os.path.join(default_weights_dir(), "manifest.json"))["models"][swap_model.NAME]
    return {"original": original_model(), "guide_training_hours": list(GUIDE_TRAINING_HOURS),
            "example": example_facts(), "site_parameters_counted": manifest_parameters(entry)}


# -- the picture -------------------------------------------------------------------------------
INK, MUTED, BLUE, ORANGE, PAPER, EDGE = "#1f2023", "#5d5f66", "#0a5bb0", "#9a3b00", "#fbfaf6", "#d9d4c7"
FONT = "system-ui, 'DejaVu Sans', sans-serif"


def _math(label: str) -> str:
    """'D_B(z)' as SVG text: letters italic, a capital after '_' a subscript, the rest back on the line."""
    parts, lowered = [], False
    for letter, sub, other in re.findall(r"([A-Za-z])(?:_([A-Z]))?|([^A-Za-z]+)", label):
        back = ' dy="-4"' if lowered else ""
        if other:
            parts.append(f"<tspan{back}>{escape(other)}</tspan>")
            lowered = False
            continue
        parts.append(f'<tspan{back} font-style="italic">{letter}</tspan>')
        lowered = bool(sub)
        if sub:
            parts.append(f'<tspan dy="4" font-size="11">{sub}</tspan>')
    return "".join(parts)


def _face(pixels, x: float, y: float, size: float, label: str, sub: str, math_label: bool = True) -> str:
    """A 64×64 face as a PNG, framed, with its label and a line below it."""
    return (f'<image x="{x}" y="{y}" width="{size}" height="{size}" href="{faces.data_uri(pixels)}"/>'
            f'<rect x="{x}" y="{y}" width="{size}" height="{size}" fill="none" stroke="{EDGE}"/>'
            f'<text x="{x + size / 2}" y="{y + size + 18}" text-anchor="middle" font-weight="700">{_math(label) if math_label else label}</text>'
            f'<text x="{x + size / 2}" y="{y + size + 35}" text-anchor="middle" fill="{MUTED}">{sub}</text>')


def _arrow(x1: float, y1: float, x2: float, y2: float, name: str, colour: str = BLUE) -> str:
    """A line with a head at (x2, y2) and the network's name at its middle."""
    angle = math.atan2(y2 - y1, x2 - x1)
    left = (x2 - 9 * math.cos(angle - 0.4), y2 - 9 * math.sin(angle - 0.4))
    right = (x2 - 9 * math.cos(angle + 0.4), y2 - 9 * math.sin(angle + 0.4))
    mx, my = (x1 + x2) / 2, (y1 + y2) / 2
    return (f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{colour}" stroke-width="2"/>'
            f'<polygon points="{x2:.1f},{y2:.1f} {left[0]:.1f},{left[1]:.1f} {right[0]:.1f},{right[1]:.1f}" '
            f'fill="{colour}"/>'
            f'<rect x="{mx - 20}" y="{my - 13}" width="40" height="24" rx="6" fill="{PAPER}" stroke="{colour}"/>'
            f'<text x="{mx}" y="{my + 4}" text-anchor="middle" font-weight="700" fill="{colour}">{_math(name)}</text>')


def code_bars(z, ranges, x: float, y: float, width: float, height: float) -> str:
    """The code as bars around a zero line, each number scaled by its axis's range on held-out faces."""
    n = len(z)
    lo, hi = ranges.get("min", [-1.0] * n), ranges.get("max", [1.0] * n)
    mid, half, step = y + height / 2, height / 2, width / max(n, 1)
    parts = [f'<rect x="{x}" y="{y}" width="{width}" height="{height}" fill="#ffffff" stroke="{EDGE}"/>',
             f'<line x1="{x}" y1="{mid}" x2="{x + width}" y2="{mid}" stroke="{MUTED}"/>']
    for i, value in enumerate(z):
        span = max(abs(lo[i]) if i < len(lo) else 1.0, abs(hi[i]) if i < len(hi) else 1.0, 1e-6)
        share = max(-1.0, min(1.0, value / span)) if math.isfinite(value) else 0.0
        top = mid - max(share, 0.0) * half * 0.95
        parts.append(f'<rect x="{x + i * step + 1.5:.1f}" y="{top:.1f}" width="{max(step - 3, 1):.1f}" '
                     f'height="{abs(share) * half * 0.95:.1f}" fill="{BLUE}"/>')
    return "".join(parts)


def swap_example() -> dict:
    """The mechanism on one real face: x_A, z = E(x_A), D_A(z), D_B(z), and B truly making the face."""
    e = example()
    n = len(e["z"])
    body = (
        _face(e["x_A"], 16, 86, 112, "x_A", "A’s face")
        + _arrow(132, 142, 206, 142, "E")
        + code_bars(e["z"], e["latent_range"], 212, 92, 176, 100)
        + f'<text x="300" y="210" text-anchor="middle" font-weight="700">{_math("z = E(x_A)")}</text>'
        + f'<text x="300" y="227" text-anchor="middle" fill="{MUTED}">the code: {n} numbers</text>'
        + _arrow(392, 122, 488, 62, "D_A")
        + _arrow(392, 162, 488, 222, "D_B", ORANGE)
        + _face(e["D_A"], 494, 14, 96, "D_A(z)", "A rebuilt")
        + _face(e["D_B"], 494, 174, 96, "D_B(z)", "the swap")
        + _face(e["truth_B"], 630, 174, 96, "B", "really making it", math_label=False)
        + f'<text x="678" y="112" text-anchor="middle" fill="{MUTED}">ground truth:</text>'
        + f'<text x="678" y="129" text-anchor="middle" fill="{MUTED}">B drawn with</text>'
        + f'<text x="678" y="146" text-anchor="middle" fill="{MUTED}">A’s settings</text>'
    )
    alt = (f"A's face, x_A, with a random expression and pose; the encoder E turns it into {n} numbers, "
           f"drawn as bars (each scaled to that number's range on held-out faces); decoder A draws them as A again, and decoder B draws them as the swap, "
           f"shown beside B really rendered with the same expression, pose and light.")
    return {"svg": card_svg(744, 324, "One swap by this site’s model", alt, body, 14, "t"), "alt": alt}


def card_svg(width: int, height: int, title: str, alt: str, body: str, font_size: int, ids: str) -> str:
    """A figure on a rounded paper card, titled and described for screen readers."""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
            f'aria-labelledby="{ids} {ids}d"><title id="{ids}">{escape(title)}</title>'
            f'<desc id="{ids}d">{escape(alt)}</desc>'
            f'<rect width="{width}" height="{height}" rx="14" fill="{PAPER}" stroke="{EDGE}"/>'
            f'<g font-family="{FONT}" font-size="{font_size}" fill="{INK}">{body}</g></svg>')
