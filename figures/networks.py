"""Chapters 9 and 10's numbers, computed from the site's own code, models and sample digits.

Chapter 9: the two hand-worked backpropagation examples (a chain, and a fan-out whose
gradient is a sum over paths), each checked by nudging a value; and what the neural-net
demo does on its data sets, trained exactly as the page trains it (neural_net.run).
Chapter 10: how the 2-D autoencoder errs on the 200 sample test digits (weights/mnist-digits),
where the demo's drawings and the class centroids land on its map, and what the denoiser
does to noisy samples at the demo's noise levels.
"""
from __future__ import annotations

import math

import numpy as np

from py_runtime.demos import autoencoder_draw, neural_net
from py_runtime.demos._lib import mnist_data, models
from py_runtime.demos._lib.mlp import MLP

# --- chapter 9: the worked examples ---------------------------------------------------------

CHAIN = {"x": 2.0, "w1": 0.5, "w2": 3.0, "y": 1.0, "rate": 0.01, "nudge": 0.001}
FAN = {"x": 2.0, "w": (0.5, 1.0), "v": (3.0, 0.5), "y": 1.0, "nudge": 0.001}


def relu(a: float) -> float:
    return max(0.0, a)


def relu_slope(a: float) -> float:
    return 1.0 if a > 0 else 0.0


def chain_forward(x, w1, w2, y):
    """x → a = w₁x → h = ReLU(a) → ŷ = w₂h, loss ½(ŷ − y)²."""
    a = w1 * x
    h = relu(a)
    out = w2 * h
    return {"a": a, "h": h, "out": out, "loss": 0.5 * (out - y) ** 2}


def chain_example(x, w1, w2, y, rate, nudge) -> dict:
    """Forward, backward (each local derivative times the one after it), a brute-force check
    of ∂L/∂w₁ by nudging w₁, and one gradient-descent step with the loss after it."""
    f = chain_forward(x, w1, w2, y)
    d_out = f["out"] - y
    d_w2 = d_out * f["h"]
    d_h = d_out * w2
    d_a = d_h * relu_slope(f["a"])
    d_w1 = d_a * x
    nudged = chain_forward(x, w1 + nudge, w2, y)
    new_w1, new_w2 = w1 - rate * d_w1, w2 - rate * d_w2
    after = chain_forward(x, new_w1, new_w2, y)
    return {"inputs": {"x": x, "w1": w1, "w2": w2, "y": y, "rate": rate, "nudge": nudge},
            "forward": f, "slope": relu_slope(f["a"]),
            "grad": {"out": d_out, "w2": d_w2, "h": d_h, "a": d_a, "w1": d_w1},
            "nudged": {"w1": w1 + nudge, **nudged, "rise": nudged["loss"] - f["loss"]},
            "step": {"w1": new_w1, "w2": new_w2, "d_w1": rate * d_w1, "d_w2": rate * d_w2, **after}}


def fan_forward(x, w, v, y):
    """x fans out to two ReLU units hⱼ = ReLU(wⱼx); ŷ = v₁h₁ + v₂h₂; loss ½(ŷ − y)²."""
    a = [wj * x for wj in w]
    h = [relu(aj) for aj in a]
    out = sum(vj * hj for vj, hj in zip(v, h))
    return {"a": a, "h": h, "out": out, "loss": 0.5 * (out - y) ** 2}


def fan_example(x, w, v, y, nudge) -> dict:
    """∂L/∂x as a sum over the two paths x → hⱼ → ŷ, which is Wᵀδ with W = (w₁, w₂)ᵀ; checked
    by nudging x."""
    f = fan_forward(x, w, v, y)
    d_out = f["out"] - y
    deltas = [d_out * vj * relu_slope(aj) for vj, aj in zip(v, f["a"])]      # δⱼ = ∂L/∂aⱼ
    paths = [wj * dj for wj, dj in zip(w, deltas)]                            # one term per path
    nudged = fan_forward(x + nudge, w, v, y)
    return {"inputs": {"x": x, "w": list(w), "v": list(v), "y": y, "nudge": nudge},
            "forward": f, "grad": {"out": d_out, "deltas": deltas, "paths": paths, "x": sum(paths)},
            "nudged": {"x": x + nudge, **nudged, "rise": nudged["loss"] - f["loss"]}}


# --- chapter 9: the demo, trained as the page trains it ---------------------------------------

REACH_LIMIT = 1000               # steps allowed for XOR and rings to pass 95% accuracy
COMPARE_STEPS = 200              # XOR at the slider's two ends and its default, after this many steps
TOP_SEEDS = 8                    # XOR at the slider's ends: seeds 0…7 (each Reset moves to the next seed)
SPIRAL_SEEDS = 3
SPIRAL_LIMIT = 3000
PLATEAU_LOSS = 0.5               # the spirals' loss sits near ln 2 ≈ 0.69 until the boundary winds…
SOLVED_LOSS = 0.1                # …then falls below this
LONG_PLATEAU = 1000
STALLED = 0.9                    # accuracy below this after COMPARE_STEPS: a stalled run


def first_step(history, test) -> int | None:
    """The first recorded step count at which test(loss, accuracy) holds."""
    return next((steps for steps, loss, accuracy in history if test(loss, accuracy)), None)


def demo_settings() -> dict:
    low, high, _ = neural_net.LR_SLIDER
    hidden = neural_net.DEFAULTS["hidden"]
    return {"batch": neural_net.BATCH, "points": neural_net.N_POINTS, "hidden": hidden,
            "hidden_choices": list(neural_net.HIDDEN), "lr": neural_net.DEFAULTS["lr"],
            "lr_bottom": 10 ** low, "lr_top": 10 ** high, "grid": neural_net.GRID,
            "parameters": len(MLP((2, hidden, hidden, 1)).parameters())}


def demo_runs(settings: dict) -> dict:
    """Steps to 95% accuracy on XOR and rings; the spirals' plateau; XOR at the slider's ends and
    its default, each over the same seeds (mean accuracy after COMPARE_STEPS, and the stalls)."""
    reach = lambda name: first_step(neural_net.run(REACH_LIMIT, dataset=name, stop=lambda l, a: a >= 0.95),
                                    lambda l, a: a >= 0.95)
    after = lambda lr, seed: neural_net.run(COMPARE_STEPS, every=COMPARE_STEPS, dataset="xor", lr=lr, seed=seed)[-1][2]
    spirals = []
    for seed in range(SPIRAL_SEEDS):
        history = neural_net.run(SPIRAL_LIMIT, every=50, dataset="spiral", seed=seed,
                                 stop=lambda loss, accuracy: loss < SOLVED_LOSS)
        plateau = first_step(history, lambda loss, accuracy: loss < PLATEAU_LOSS)
        solved = first_step(history, lambda loss, accuracy: loss < SOLVED_LOSS)
        spirals.append({"seed": seed, "plateau": plateau, "solved": solved, "early": history[0][1],
                        "drop": None if plateau is None or solved is None else solved - plateau})
    top = [after(settings["lr_top"], seed) for seed in range(TOP_SEEDS)]
    bottom = [after(settings["lr_bottom"], seed) for seed in range(TOP_SEEDS)]
    default = [after(settings["lr"], seed) for seed in range(TOP_SEEDS)]
    drops = [s["drop"] for s in spirals if s["drop"] is not None]
    return {
        "reach_limit": REACH_LIMIT, "xor_steps_95": reach("xor"), "rings_steps_95": reach("rings"),
        "spirals": spirals, "spiral_seeds": SPIRAL_SEEDS, "spiral_limit": SPIRAL_LIMIT,
        "chance_loss": math.log(2), "plateau_loss": PLATEAU_LOSS, "solved_loss": SOLVED_LOSS, "long_plateau": LONG_PLATEAU,
        "early_above_plateau": all(s["early"] > PLATEAU_LOSS for s in spirals),
        "long_plateaus": sum(1 for s in spirals if s["plateau"] is None or s["plateau"] > LONG_PLATEAU),
        "longest_drop": max(drops) if drops else None,
        "shortest_plateau": min((s["plateau"] for s in spirals if s["plateau"] is not None), default=None),
        "compare_steps": COMPARE_STEPS, "stalled_below": STALLED, "top_seeds": TOP_SEEDS,
        "xor_default_accuracy": sum(default) / len(default), "xor_bottom_accuracy": sum(bottom) / len(bottom),
        "xor_top_accuracy": top, "xor_top_stalled": sum(1 for a in top if a < STALLED),
    }


# --- chapter 10: the autoencoders on the sample digits -----------------------------------------

INK = 0.5                        # a "stroke" pixel: at least this bright in the original
VISIBLE = 0.1                    # a pixel visibly inked in the original or the rebuild
NOISE_LEVELS = (0.5, 1.0)        # the denoiser's training noise, and the demo slider's top


def sample_digits() -> tuple[np.ndarray, np.ndarray]:
    digits = mnist_data.digits()
    return np.array([label for label, _ in digits]), np.array([pixels for _, pixels in digits])


def pixel_errors(model, images, labels) -> dict:
    """RMS against median: the squared error of a rebuild sits on the stroke pixels."""
    rebuilt = np.array([model.reconstruct(list(x)) for x in images])
    error = rebuilt - images
    squared = error ** 2
    stroke = images >= INK
    visible = (images >= VISIBLE) | (rebuilt >= VISIBLE)
    return {"mse": float(squared.mean()), "rms": float(np.sqrt(squared.mean())),
            "median_abs": float(np.median(np.abs(error))), "mean_abs": float(np.abs(error).mean()),
            "p90_abs": float(np.percentile(np.abs(error), 90)),
            "stroke_level": INK, "stroke_pixels": float(stroke.mean()),
            "stroke_error_share": float(squared[stroke].sum() / squared.sum()),
            "visible_level": VISIBLE, "visible_pixels": float(visible.mean()),
            "visible_error_share": float(squared[visible].sum() / squared.sum()),
            "per_class": {str(c): float(squared[labels == c].mean()) for c in range(10)}}


def class_ranking(per_class: dict) -> list[str]:
    """Classes from the best rebuilt (lowest mean squared error) to the worst."""
    return sorted(per_class, key=per_class.get)


def map_facts(model, entry: dict) -> dict:
    """Where the demo's drawings, the centroids and the zeros sit on the 2-D map."""
    centroids = {str(k): np.array(v) for k, v in entry["centroids"].items()}
    points = np.array(entry["latent_sample"]["points"])
    labels = np.array(entry["latent_sample"]["labels"])
    nearest = lambda z: min(centroids, key=lambda k: float(np.linalg.norm(np.asarray(z) - centroids[k])))
    zeros = points[labels == 0]
    drawn = {}
    for digit, strokes in autoencoder_draw.SAMPLES.items():
        z = autoencoder_draw.view(pixels=autoencoder_draw.rasterize(strokes), noise=0)["latent"]
        top, count = neighbour_vote(z, points, labels)
        drawn[digit] = {"nearest": nearest(z), "neighbours_mostly": top, "neighbours": count,
                        "z": [float(v) for v in z], "z_norm": float(np.linalg.norm(z))}
    reencoded = {k: nearest(model.encode(model.decode(list(c)))) for k, c in centroids.items()}
    by_norm = sorted(centroids, key=lambda k: float(np.linalg.norm(centroids[k])))
    return {
        "sample": len(points), "drawn": drawn, "reencoded": reencoded,
        "nearest_origin": sorted(by_norm[:4]),
        "crowd_radius": float(np.linalg.norm(centroids[by_norm[3]])),     # the 4th-nearest centroid's distance
        "zeros": len(zeros), "zeros_z2_max": float(zeros[:, 1].max()),
        "zeros_nearer_6": float(np.mean([np.linalg.norm(z - centroids["6"]) < np.linalg.norm(z - centroids["0"])
                                         for z in zeros])),
    }


def neighbour_vote(z, points, labels, k: int = 10) -> tuple[str, int]:
    """The class most of the k map dots nearest to z belong to, and how many: the demo's
    "10 nearest map dots" readout (latent_map.neighbours), ties to the lower class."""
    order = np.argsort(((points - np.asarray(z)) ** 2).sum(axis=1), kind="stable")[:k]
    counts = np.bincount(labels[order], minlength=10)
    top = int(np.argmax(counts))
    return str(top), int(counts[top])


def denoiser_facts(dae, images) -> dict:
    """The denoiser on every sample digit, with the demo's own noise fields (seed = digit index)."""
    out = {}
    for sigma in NOISE_LEVELS:
        noisy = np.array([np.clip(x + sigma * np.array(autoencoder_draw.noise_field(i)), 0, 1)
                          for i, x in enumerate(images)])
        denoised = np.array([dae.reconstruct(list(x)) for x in noisy])
        out[f"{sigma:g}"] = {"sigma": sigma, "noisy_mse": float(((noisy - images) ** 2).mean()),
                             "denoised_mse": float(((denoised - images) ** 2).mean())}
    clean = np.array([dae.reconstruct(list(x)) for x in images])
    out["clean_mse"] = float(((clean - images) ** 2).mean())
    return out


def activations(layers: list[dict]) -> dict[str, list[int]]:
    """Which layers (numbered from 1, encoder first) use which activation, in order of first use."""
    used: dict[str, list[int]] = {}
    for number, layer in enumerate(layers, start=1):
        used.setdefault(layer["activation"], []).append(number)
    return used


def autoencoder_facts() -> dict:
    manifest = models.manifest()["models"]
    labels, images = sample_digits()
    ae, dae = models.get("mnist-ae-2d"), models.get("mnist-dae")
    errors = pixel_errors(ae, images, labels)
    entry = manifest["mnist-ae-2d"]
    return {
        "digits": len(images), "per_class_count": int(min(np.sum(labels == c) for c in range(10))), "errors": errors, "ranking": class_ranking(errors["per_class"]),
        "map": map_facts(ae, entry), "denoiser": denoiser_facts(dae, images),
        "activations": activations(entry["encoder"] + entry["decoder"]),
    }


def facts() -> dict:
    settings = demo_settings()
    return {"chain": chain_example(**CHAIN), "fan": fan_example(**FAN),
            "demo": settings, "runs": demo_runs(settings), "ae": autoencoder_facts()}
