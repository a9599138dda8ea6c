"""The deepfake: one shared encoder, one decoder per identity, trained on fictional faces.

    python -m training faces-swap [--steps N] [--out DIR] [--seed S]

This is the original 2017 face-swap architecture scaled down to run in a browser without
NumPy. Like the original it works on aligned crops: each rendered face is found (the
renderer's landmarks), aligned by a similarity transform and cut out tight, so that the eyes
and mouth fill a good part of the 64×64 picture (py_runtime.pipeline.aligned_crop). Strided
convolutions take the crop down to a small latent vector; a shared dense layer (and, as
in the original, where the first upscale sits in the encoder, the first `shared_ups` upscale
blocks) turn it back into a feature map, and each person's decoder paints that map up to a
64×64 colour face with "upscale" blocks (convolution, LeakyReLU(0.1), pixel shuffle).
Each decoder only ever learns to rebuild *its own* person, from randomly warped inputs
(the original's augmentation). The loss is the original's mean absolute error plus the
structural DSSIM term DeepFaceLab added, both weighted up on the eyes and mouth (its
"eyes and mouth priority": the renderer knows where they are, training/faces.feature_mask),
because those few pixels carry the expression. The swap is then one line:
decoder_B(encoder(crop of A)).

Everything quoted on the site is measured here, on held-out parameters, on the float16
weights that ship, and written into weights/manifest.json under "faces-swap":
swap SSIM/PSNR against the ground-truth crop of B with A's parameters, beside two baselines
(a pixel blend, and a PCA encoder with per-identity linear decoders); identity, by an identity
classifier that sees grey crops (training/identity.py); expression transfer, parameter by
parameter, read back by a regressor trained on B's crops, against its floor on B's own crops;
a "smile direction" in the latent space; model size and the latency of one swap in pure Python.

This module renders the data and runs the steps in order; each step is its own module:
swap_model (the network and SPEC), swap_loss (what it minimises), swap_fit (the training
loop), swap_baselines (the pixel blend and PCA swap), swap_eval (the figures), swap_targets
(TARGETS and the verdicts), export (the float16 file and the manifest).
"""

import time
from pathlib import Path

import torch

from . import export
from .export import WEIGHTS_DIR
from .faces import PARAM_NAMES, feature_mask, render_crops, sample_params
from .swap_baselines import baselines
from .swap_eval import evaluate, measure_latency, swaps
from .swap_fit import fit, learning_rate, warp_strength
from .swap_loss import face_loss
from .swap_model import IDENTITY_NAMES, LEAK, SPEC, FaceSwap
from .swap_targets import TARGETS, verdicts

__all__ = ["NAME", "SPEC", "TARGETS", "FaceSwap", "face_loss", "fit", "learning_rate", "main", "train",
           "verdicts", "warp_strength"]

NAME = "faces-swap"


def train(out_dir=WEIGHTS_DIR, steps=None, seed=0, per_identity=None, test_count=None,
          regressor_steps=2000, log=print, spec=SPEC, latency_calls=15, identity_size=None):
    """Render, train, measure on the float16 weights that ship, export; returns the manifest
    entry. The tests shrink a run with the counts after `seed` (None: the spec's)."""
    started, out_dir = time.time(), Path(out_dir)
    torch.set_num_threads(1)
    torch.manual_seed(seed)
    steps = spec["steps"] if steps is None else steps
    data = render_data(spec, seed, per_identity or spec["train_per_identity"], test_count or spec["test_count"], log)
    model, history, seconds = fit(spec, data["images"], data["masks"], steps, seed, log)
    shipped, state = export.float16_copy(model, FaceSwap(spec))     # measure what ships
    pics = {**swaps(shipped, data), **baselines(data, spec)}
    metrics, latent = evaluate(shipped, pics, data, spec, seed, regressor_steps, log, identity_size)
    figures = {**latent, "training": training_record(spec, data, seed, steps, history, seconds),
               "targets": TARGETS, "metrics": metrics}
    entry = export_model(out_dir, model, state, spec, figures)
    return add_latency_and_verdicts(entry, out_dir, started, latency_calls, log)


def render_data(spec, seed, per_identity, test_count, log):
    """Training crops (with their views, for the eyes-and-mouth masks) and held-out test crops,
    rendered for both people with the same test parameters (each other's ground truth)."""
    seeds = spec["seeds"]
    t0 = time.time()
    params = {who: sample_params(per_identity, seeds[who] + seed) for who in IDENTITY_NAMES}
    crops = {who: render_crops(who, params[who]) for who in IDENTITY_NAMES}
    test_params = sample_params(test_count, seeds["test"] + seed)
    test = {who: render_crops(who, test_params)[0] for who in IDENTITY_NAMES}
    masks = {who: feature_mask(who, params[who], views=crops[who][1]) for who in IDENTITY_NAMES}
    seconds = time.time() - t0
    log(f"{NAME}: rendered and aligned {per_identity:,} training crops per identity and {test_count} held-out "
        f"parameter sets for both in {seconds:.0f}s")
    return {"params": params, "images": {w: crops[w][0] for w in IDENTITY_NAMES}, "masks": masks,
            "test_params": test_params, "test": test, "seconds": seconds}


def training_record(spec, data, seed, steps, history, seconds):
    """The manifest's "training": every setting the run used, its history and its time."""
    return {
        "seed": seed, "steps": steps, "batch_size_per_identity": spec["batch_size"], "optimizer": "adam",
        "learning_rate": spec["learning_rate"], "warmup_steps": spec["warmup_steps"], "schedule": "linear warm-up, cosine",
        "loss": {"l1": 1.0, "dssim": spec["dssim_weight"], "eyes_mouth_priority": spec["priority_weight"]},
        "augmentation": {"random_warp": {"grid": 5, "std": spec["warp_strength"], "std_pixels": round(32 * spec["warp_strength"], 2),
                                         "eased_from": spec["warp_until"], "to": spec["warp_final"]},
                         "random_transform": bool(spec.get("transform"))},
        "latent_alignment_weight": spec["align_weight"],
        "latent_critic": {"weight": spec.get("critic_weight", 0), "hidden": spec.get("critic_hidden"),
                          "learning_rate": spec.get("critic_learning_rate"),
                          "ramp_steps": spec.get("critic_ramp_steps"), "loss": "confusion (target 1/2)"},
        "train_faces_per_identity": len(data["images"]["A"]), "test_parameter_sets": len(data["test_params"]),
        "threads": 1, "render_seconds": round(data["seconds"], 1), "seconds": round(seconds, 1),
        "torch": torch.__version__.split("+")[0], "history": history,
    }


def export_model(out_dir, model, state, spec, figures):
    """Write the float16 weights as faces-swap.safetensors and merge their entry into the
    manifest: the file, how the runtime wires the layers, then `figures`. Returns the entry."""
    specs = model.layer_specs(spec)
    layers = specs["encoder"] + [layer for who in IDENTITY_NAMES for layer in specs["decoders"][who]]
    entry = {
        "description": spec["description"],
        "kind": spec["kind"],
        **export.export_layers(out_dir, NAME, layers, {k: v.numpy() for k, v in state.items()}),
        "input_shape": [64, 64, 3],
        "input": "aligned crop (py_runtime.pipeline.aligned_crop)",
        "layout": "HWC pixels in [0, 1]; tensors in PyTorch layout (conv: out, in, kh, kw; dense: out, in)",
        "latent_dim": spec["latent_dim"],
        "shared_upscale_blocks": spec.get("shared_ups", 0),
        "leaky_relu_slope": LEAK,
        "identities": list(IDENTITY_NAMES),
        "param_names": list(PARAM_NAMES),
        "encoder": specs["encoder"],
        "decoders": specs["decoders"],
        **figures,
    }
    export.update_manifest(out_dir, NAME, entry)
    return entry


def add_latency_and_verdicts(entry, out_dir, started, calls, log):
    """The last figures need the exported file: one swap's latency through py_runtime; then the
    run's total time and the verdicts on every target. Rewrites the manifest entry."""
    entry["metrics"].update(measure_latency(out_dir, log, calls))
    entry["training"]["total_seconds"] = round(time.time() - started, 1)
    entry["verdicts"] = verdicts(entry["metrics"], entry["metrics"]["expression"], entry["bytes"],
                                 entry["training"]["total_seconds"])
    export.update_manifest(out_dir, NAME, entry)
    log(f"  wrote {out_dir / entry['file']} ({entry['bytes']:,} bytes, {entry['parameters']:,} parameters) and "
        f"{out_dir / 'manifest.json'}; total {entry['training']['total_seconds']:.0f}s")
    log("  targets: " + ", ".join(f"{k} {'met' if v else 'NOT met'}" for k, v in entry["verdicts"].items()))
    return entry


def main(argv=None):
    import argparse

    parser = argparse.ArgumentParser(prog="python -m training.faces_swap")
    parser.add_argument("--steps", type=int)
    parser.add_argument("--per-identity", type=int)
    parser.add_argument("--out", default=str(WEIGHTS_DIR))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    train(args.out, steps=args.steps, seed=args.seed, per_identity=args.per_identity,
          log=lambda *a: print(*a, flush=True))


if __name__ == "__main__":
    main()
