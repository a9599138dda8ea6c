"""Train one autoencoder on MNIST, seeded, and export it with its figures.

Adam on mean squared error, a cosine learning-rate schedule, one CPU thread (on a
small machine two threads are slower). The figures that go in the manifest are
measured on the float16 weights that ship, not on the float32 ones trained here.
"""

import time
from pathlib import Path

import numpy as np
import torch

from . import export
from .export import WEIGHTS_DIR
from .mnist import load_mnist, split
from .models import SPECS, Autoencoder, corrupt
from .pca import PCA
from .progress import Progress

TEST_NOISE_SEED = 1234


def evaluate(model, x, target=None, batch=2000):
    """Mean squared error per pixel of model(x) against target (default x)."""
    target = x if target is None else target
    with torch.no_grad():
        total = sum(float(((model(x[i:i + batch]) - target[i:i + batch]) ** 2).sum())
                    for i in range(0, len(x), batch))
    return total / target.numel()


def train(name, data=None, data_dir=None, epochs=None, out_dir=WEIGHTS_DIR, seed=0,
          limit=None, download=False, log=print):
    """Train model `name`, write its weights to out_dir and merge its manifest entry."""
    spec = SPECS[name]
    epochs = spec["epochs"] if epochs is None else epochs
    torch.set_num_threads(1)
    torch.manual_seed(seed)
    data = data if data is not None else load_mnist(data_dir, download)
    train_x, train_y, val_x, _, test_x, test_y = split(data)
    if limit:  # tiny runs for the tests
        train_x, train_y, val_x = train_x[:limit], train_y[:limit], val_x[:max(limit // 10, 10)]
        test_x, test_y = test_x[:limit], test_y[:limit]
    train_t, val_t, test_t = map(torch.from_numpy, (train_x, val_x, test_x))
    noise = torch.Generator().manual_seed(TEST_NOISE_SEED)
    val_in, test_in = corrupt(val_t, spec["corruption"], noise), corrupt(test_t, spec["corruption"], noise)

    model = Autoencoder(spec["sizes"])
    log(f"{name}: {'-'.join(map(str, spec['sizes']))} mirrored, {sum(p.numel() for p in model.parameters()):,} "
        f"parameters, {len(train_t):,} training digits, {epochs} epochs")
    history, seconds = fit(model, spec, epochs, train_t, (val_in, val_t), seed, log)
    shipped, _ = export.float16_copy(model, Autoencoder(model.sizes))
    figures = held_out_figures(model, shipped, spec, train_x, test_x, test_in, test_t, log)
    layers = model.layer_specs()
    entry = {
        "description": spec["description"],
        "kind": spec["kind"],
        **export.export_layers(Path(out_dir), name, layers["encoder"] + layers["decoder"],
                               {k: v.detach().numpy() for k, v in model.state_dict().items()}),
        "input_shape": [28, 28],
        "latent_dim": spec["sizes"][-1],
        "encoder": layers["encoder"],
        "decoder": layers["decoder"],
        "training": {
            "seed": seed, "epochs": epochs, "batch_size": spec["batch_size"], "optimizer": "adam",
            "learning_rate": spec["learning_rate"], "schedule": "cosine", "loss": "mse",
            "train_images": len(train_t), "validation_images": len(val_t), "test_images": len(test_t),
            "corruption": spec["corruption"], "threads": 1, "seconds": round(seconds, 1),
            "torch": torch.__version__.split("+")[0], "history": history,
        },
        **figures,
        **latent_figures(shipped, spec, train_t, train_y, test_t, test_y, seed),
    }
    export.update_manifest(Path(out_dir), name, entry)
    log(f"  wrote {Path(out_dir) / entry['file']} ({entry['bytes']:,} bytes) and {Path(out_dir) / 'manifest.json'}")
    return entry


def fit(model, spec, epochs, train_t, validation, seed, log):
    """Adam on the mean squared error of rebuilding clean digits from corrupted ones, with a
    cosine schedule; the validation error after every epoch. Returns (history, seconds)."""
    val_in, val_t = validation
    optimizer = torch.optim.Adam(model.parameters(), lr=spec["learning_rate"])
    steps_per_epoch = (len(train_t) + spec["batch_size"] - 1) // spec["batch_size"]
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=max(1, epochs * steps_per_epoch))
    shuffle = torch.Generator().manual_seed(seed)
    history, started = [], time.time()
    for epoch in range(1, epochs + 1):
        model.train()
        order = torch.randperm(len(train_t), generator=shuffle)
        bar = Progress(steps_per_epoch, f"epoch {epoch}/{epochs}")
        running = 0.0
        for step in range(steps_per_epoch):
            clean = train_t[order[step * spec["batch_size"]:(step + 1) * spec["batch_size"]]]
            loss = torch.mean((model(corrupt(clean, spec["corruption"], shuffle)) - clean) ** 2)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            running += loss.item()
            bar.draw(step + 1, f"loss {running / (step + 1):.5f}")
        bar.clear()
        model.eval()
        record = {"epoch": epoch, "train_mse": round(running / steps_per_epoch, 6),
                  "val_mse": round(evaluate(model, val_in, val_t), 6)}
        history.append(record)
        log(f"  epoch {epoch:3d}/{epochs}  train mse {record['train_mse']:.5f}  val mse {record['val_mse']:.5f}  "
            f"lr {schedule.get_last_lr()[0]:.2e}  {time.time() - started:6.1f}s")
    return history, time.time() - started


def held_out_figures(model, shipped, spec, train_x, test_x, test_in, test_t, log) -> dict:
    """Test error of the float16 weights that ship, against PCA with as many components."""
    test_mse = evaluate(shipped, test_in, test_t)
    latent_dim = spec["sizes"][-1]
    pca = PCA.fit(train_x)
    pca_mse = pca.mse(test_in.numpy(), latent_dim, target=test_x)
    log(f"  test mse {test_mse:.5f} (float16 weights; float32: {evaluate(model.eval(), test_in, test_t):.5f}); "
        f"PCA-{latent_dim}: {pca_mse:.5f}; ratio {test_mse / pca_mse:.3f}")
    figures = {"test_mse": round(test_mse, 6), "pca_test_mse": round(pca_mse, 6), "pca_components": latent_dim}
    if spec["corruption"]:
        figures["test_mse_clean"] = round(evaluate(shipped, test_t), 6)
        figures["pca_test_mse_clean"] = round(pca.mse(test_x, latent_dim), 6)
    return figures


def latent_figures(shipped, spec, train_t, train_y, test_t, test_y, seed) -> dict:
    """Where the digits land in the latent space: each digit's centroid, the range the demos'
    sliders span (1st to 99th percentile) and a seeded sample of test codes to plot."""
    with torch.no_grad():
        train_z = shipped.encoder(train_t).numpy()
        test_z = shipped.encoder(test_t).numpy()
    sample = np.sort(np.random.default_rng(seed).permutation(len(test_z))[:spec["latent_sample"]])
    return {
        "centroids": {str(d): export.rounded(train_z[train_y == d].mean(axis=0).tolist())
                      for d in range(10) if np.any(train_y == d)},
        "latent_range": {
            "min": export.rounded(np.percentile(test_z, 1, axis=0).tolist()),
            "max": export.rounded(np.percentile(test_z, 99, axis=0).tolist()),
        },
        "latent_sample": {
            "points": export.rounded(test_z[sample].tolist(), 3),
            "labels": test_y[sample].tolist(),
            "indices": sample.tolist(),
        },
    }
