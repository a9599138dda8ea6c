"""Who is in a picture? An identity classifier, to judge a face swap by more than pixel distance.

Pixel RMS between a swap and B's face is mostly decided by skin tone. A fairer test of
"the swap is B" is recognition: a small CNN learns to tell `pool` fictional people apart
(A, B and many random identities, each rendered with random expression, pose and light),
and is then asked who each swap is. It sees the aligned crops in grey, each normalised to
zero mean and unit spread, so it cannot go by skin tone or brightness: it must use face
shape, brows, eyes, nose, lips, beard, glasses and hair.

    pool = identity_pool(38, 150, seed)            # A, B and 38 others
    clf = train_classifier(*pool[:2], steps, seed)
    shares = recognised(clf, swaps, pool[2])       # {"B": 0.97, "A": 0.01, "other": 0.02}
"""

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

from py_runtime import faces

from .faces import render_crops, sample_params
from .supervised import batched, fit_supervised, judge_cnn


def identity_pool(randoms, per_identity, seed, processes=2):
    """Aligned crops of A, B and `randoms` random people: images (N, 3, 64, 64), labels (N,), names."""
    people = [faces.IDENTITIES["A"], faces.IDENTITIES["B"]] + [faces.random_identity(seed + i) for i in range(randoms)]
    params = sample_params(per_identity * len(people), seed)
    images, labels = [], []
    for label, person in enumerate(people):
        chunk = params[label * per_identity:(label + 1) * per_identity]
        images.append(render_crops(person, chunk, processes)[0])
        labels.append(np.full(per_identity, label, dtype=np.int64))
    return np.concatenate(images), np.concatenate(labels), ["A", "B"] + [p["name"] for p in people[2:]]


def grey_normalised(x):
    """The classifier's view: the mean of the colour channels, minus its mean, over its spread."""
    g = x.mean(1, keepdim=True)
    return (g - g.mean((2, 3), keepdim=True)) / (g.std((2, 3), keepdim=True) + 1e-3)


class IdentityClassifier(nn.Module):
    """The judges' CNN on the grey, normalised crop, one logit per person."""

    def __init__(self, people):
        super().__init__()
        self.net = judge_cnn(1, 128, people)

    def forward(self, x):
        return self.net(grey_normalised(x))


def shift(batch, generator):
    """Move the whole batch by up to two pixels each way: recognise faces, not pixel positions."""
    offsets = torch.randint(-2, 3, (2,), generator=generator).tolist()
    return torch.roll(batch, shifts=offsets, dims=(2, 3))


def train_classifier(images, labels, steps, seed, log=print):
    """Cross-entropy with Adam, on slightly shifted batches."""
    torch.manual_seed(seed)
    model = IdentityClassifier(int(labels.max()) + 1)
    return fit_supervised(model, images, labels, F.cross_entropy, steps, seed, log, "identity classifier", shift)


def predict(model, images):
    """The index of the person each image is taken for."""
    return batched(model, images).argmax(1)


def recognised(model, images, names):
    """Share of `images` recognised as A, as B, and as anyone else."""
    who = predict(model, images)
    return {"A": round(float(np.mean(who == 0)), 4), "B": round(float(np.mean(who == 1)), 4),
            "other": round(float(np.mean(who > 1)), 4), "people": len(names)}
