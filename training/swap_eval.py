"""The face swap's figures, all measured on held-out parameters with the float16 weights that
ship: picture similarity, expression carried over, identity, a smile direction in the latent
space, and the speed of one swap in the runtime the browser uses.

    pictures = {**swaps(shipped, data), **baselines(data, spec)}
    metrics, latent = evaluate(shipped, pictures, data, spec, seed, regressor_steps, log)
"""

import platform
import statistics
import time

import numpy as np
import torch
import torch.nn.functional as F

from py_runtime import faces, pipeline, swap

from . import export, identity
from .faces import PARAM_NAMES, feature_mask, params_array, render_crops
from .similarity import psnr, ssim
from .supervised import batched, fit_supervised, judge_cnn
from .swap_model import IDENTITY_NAMES

# Each picture's ground truth: the held-out crop of the person it should look like.
TRUTH = {"swap": "B", "swap_reverse": "A", "reconstruction_A": "A", "reconstruction_B": "B", "blend": "B",
         "blend_reverse": "A", "pca": "B", "pca_reverse": "A", "pca_reconstruction_B": "B"}


def swaps(shipped, data):
    """The network's pictures of the held-out crops: B wearing A's expression and back, and each
    person's own rebuild."""
    def run(x, who):
        return batched(lambda t: shipped(t, who), x)

    a_img, b_img = data["test"]["A"], data["test"]["B"]
    return {"swap": run(a_img, "B"), "swap_reverse": run(b_img, "A"),
            "reconstruction_A": run(a_img, "A"), "reconstruction_B": run(b_img, "B")}


def evaluate(shipped, pics, data, spec, seed, regressor_steps, log, identity_size=None):
    """Every figure of the manifest's "metrics"; and the latent space's smile direction and range."""
    metrics = image_quality(pics, data, log)
    expression, readback, reader = expression_readback(pics, data, spec, seed, regressor_steps, log)
    metrics.update(expression)
    metrics["identity"] = identity_check(pics, spec, seed, log, identity_size)
    metrics["expression"] = readback
    direction, smile = smile_direction(shipped, reader, data)
    metrics.update(smile)
    latent = {"smile_direction": export.rounded(direction.tolist()), "latent_range": latent_range(shipped.encoder, data)}
    return metrics, latent


def image_quality(pics, data, log):
    """SSIM and PSNR of every picture against its ground truth."""
    metrics = {}
    for key, who in TRUTH.items():
        metrics[f"{key}_ssim"] = round(float(np.mean(ssim(pics[key], data["test"][who]))), 4)
        metrics[f"{key}_psnr"] = round(float(np.mean(psnr(pics[key], data["test"][who]))), 2)
    log("  SSIM / PSNR on held-out parameters (A's crop through decoder B vs. B's crop with A's parameters):")
    for key in ("swap", "swap_reverse", "blend", "pca", "reconstruction_A", "reconstruction_B"):
        log(f"    {key:18s} {metrics[key + '_ssim']:.3f}  {metrics[key + '_psnr']:.2f} dB")
    return metrics


def train_regressor(images, params, steps, seed, log):
    """The expression reader: the judges' CNN, trained to read the nine parameters back from one person's crops."""
    torch.manual_seed(seed)
    model = judge_cnn(3, 96, len(PARAM_NAMES))
    return fit_supervised(model, images, params, F.mse_loss, steps, seed, log, "regressor", every=1000)


def read_parameters(reader, images, truth):
    """Mean absolute error of the parameters read back, as a share of each parameter's range,
    and Pearson's correlation between the true parameter and the value read."""
    values = batched(reader, images)
    ranges = np.array([faces.PARAMS[n][1] - faces.PARAMS[n][0] for n in PARAM_NAMES], dtype=np.float32)
    err = (np.abs(values - truth) / ranges).mean(0)
    corr = [float(np.corrcoef(values[:, i], truth[:, i])[0, 1]) if values[:, i].std() > 1e-9 else 0.0
            for i in range(len(PARAM_NAMES))]
    return {"error": {n: round(float(e), 4) for n, e in zip(PARAM_NAMES, err)},
            "correlation": {n: round(c, 4) for n, c in zip(PARAM_NAMES, corr)},
            "mean_error": round(float(err.mean()), 4)}


def expression_readback(pics, data, spec, seed, regressor_steps, log):
    """A reader trained on B's crops reads the nine parameters back. Its error on B's own
    held-out crops is the floor; on D_B(E(x_B)) it is what the autoencoder keeps; on the swap
    and the baselines, what carried over of A's parameters."""
    reader = train_regressor(data["images"]["B"], params_array(data["params"]["B"]), regressor_steps,
                             spec["seeds"]["regressor"] + seed, log)
    truth = params_array(data["test_params"])
    read = {"floor": data["test"]["B"], "reconstruction": pics["reconstruction_B"], "swap": pics["swap"],
            "blend": pics["blend"], "pca": pics["pca"]}
    out = {key: read_parameters(reader, images, truth) for key, images in read.items()}
    log("  expression read back by a regressor trained on B's crops (error as a share of each range; r):")
    for n in PARAM_NAMES:
        log(f"    {n:10s} floor {out['floor']['error'][n]:.3f}  autoencoder {out['reconstruction']['error'][n]:.3f}  "
            f"swap {out['swap']['error'][n]:.3f} (r {out['swap']['correlation'][n]:+.2f})  "
            f"blend {out['blend']['error'][n]:.3f}")
    metrics = {"expression_error": out["swap"]["mean_error"], "expression_error_ground_truth": out["floor"]["mean_error"],
               "expression_error_blend": out["blend"]["mean_error"], "expression_error_pca": out["pca"]["mean_error"],
               "expression_error_by_parameter": out["swap"]["error"]}
    return metrics, out, reader


def identity_check(pics, spec, seed, log, size=None):
    """Who the swaps look like, to an identity classifier of grey crops (training/identity.py).
    `size` = (random people, crops each, steps) overrides the spec's (for tests)."""
    people, each, steps = size or (spec["identity_pool"], spec["identity_faces"], spec["identity_steps"])
    images, labels, names = identity.identity_pool(people, each, spec["seeds"]["identity"] + seed)
    clf = identity.train_classifier(images, labels, steps, spec["seeds"]["identity"] + seed, log)
    out = {key: identity.recognised(clf, pics[key], names) for key in ("swap", "swap_reverse", "blend")}
    log(f"  identity, among {len(names)} people: swaps A→B recognised as B {100 * out['swap']['B']:.0f}%, "
        f"as A {100 * out['swap']['A']:.0f}%; B→A as A {100 * out['swap_reverse']['A']:.0f}%; "
        f"pixel blend as B {100 * out['blend']['B']:.0f}%")
    return out


def smile_direction(shipped, reader, data):
    """Mean latent of smiling training crops minus mean latent of frowning ones, and what adding
    it does to B's swaps of the held-out A crops (the smile read back, where the pixels move)."""
    lat = {w: batched(shipped.encoder, data["images"][w]) for w in IDENTITY_NAMES}
    smile = PARAM_NAMES.index("smile")
    smiles = np.concatenate([params_array(data["params"][w])[:, smile] for w in IDENTITY_NAMES])
    all_lat = np.concatenate([lat["A"], lat["B"]])
    direction = all_lat[smiles > 0.5].mean(0) - all_lat[smiles < -0.5].mean(0)
    test_lat = batched(shipped.encoder, data["test"]["A"])

    def smile_swaps(k):
        moved = batched(lambda t: shipped.decode(t, "B"), (test_lat + k * direction).astype(np.float32))
        return moved, batched(reader, moved)[:, smile]

    still, before = smile_swaps(0.0)
    _, half = smile_swaps(0.5)
    moved, after = smile_swaps(1.0)
    metrics = {"smile_shift_half": round(float(np.mean(half - before)), 4),
               "smile_shift_full": round(float(np.mean(after - before)), 4),
               "smile_rises_full": round(float(np.mean(after > before)), 4)}
    where = feature_mask("B", data["test_params"], views=render_crops("B", data["test_params"])[1]) > 0.5
    change = np.sqrt(((moved - still) ** 2).mean(1, keepdims=True))
    metrics["smile_change_features_rms"] = round(float(change[where].mean()), 4)
    metrics["smile_change_elsewhere_rms"] = round(float(change[~where].mean()), 4)
    return direction, metrics


def latent_range(encoder, data):
    """The span of the held-out codes of both people, 1st to 99th percentile: the demo's sliders."""
    codes = np.concatenate([batched(encoder, data["test"][w]) for w in IDENTITY_NAMES])
    return {"min": export.rounded(np.percentile(codes, 1, axis=0).tolist()),
            "max": export.rounded(np.percentile(codes, 99, axis=0).tolist())}


def measure_latency(out_dir, log, calls=15):
    """Median ms of one swap (render excluded: encode A's aligned crop, decode with B) on this CPython.

    CPU time of this process (time.process_time), so that other jobs on a busy machine do
    not inflate it; wall-clock time on an idle machine is the same."""
    image = pipeline.aligned_crop("A", faces.DEFAULT_PARAMS).pixels
    out = {"latency_python": platform.python_version(), "latency_clock": "process CPU time, median"}
    for backend in ("python", "numpy"):
        model = swap.load(out_dir, backend=backend)
        model.swap(image, "B")
        times = []
        for _ in range(calls):
            t = time.process_time()
            model.swap(image, "B")
            times.append(1000 * (time.process_time() - t))
        out[f"swap_ms_{backend}"] = round(statistics.median(times), 2)
    t = time.process_time()
    for _ in range(calls):
        pipeline.aligned_crop("A", faces.DEFAULT_PARAMS)
    out["render_ms_python"] = round(1000 * (time.process_time() - t) / calls, 2)
    log(f"  one swap on CPython {out['latency_python']}: {out['swap_ms_python']:.1f} ms pure Python, "
        f"{out['swap_ms_numpy']:.2f} ms NumPy; rendering an aligned crop {out['render_ms_python']:.1f} ms")
    return out
