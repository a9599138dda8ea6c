"""A small multilayer perceptron and its backpropagation, by hand, in plain Python lists.

No NumPy (the browser has none) and no autograd: the forward pass stores every layer's
activations, and the backward pass applies the chain rule layer by layer, from the loss
back to the first weights. It is "vectorised over lists": a batch is held column-wise, one
list per neuron with one entry per example, so each step of the maths is a list
comprehension over the batch rather than a Python loop per example.

    layer l:    z_l = W_l a_{l−1} + b_l,   a_l = tanh(z_l)       (the last layer: p = sigmoid(z_L))
    loss:       L = (1/B) Σₙ −[yₙ log pₙ + (1 − yₙ) log(1 − pₙ)]   over a batch of B examples

Backpropagation, with δ_l = ∂L/∂z_l (one column per example): the chapter's three lines.

    output:     δ_L = (p − y) / B                  (sigmoid and cross-entropy together)
    weights:    ∂L/∂W_l = δ_l a_{l−1}ᵀ,  i.e. ∂L/∂W[j][i] = Σₙ δⱼ[n] · aᵢ[n];   ∂L/∂b[j] = Σₙ δⱼ[n]
    going back: δ_{l−1} = (W_lᵀ δ_l) ⊙ tanh′(z_{l−1}),  i.e. (Σⱼ W[j][i] · δⱼ) · (1 − aᵢ²)
"""
from __future__ import annotations

import math
import random

from ...backend import sumprod
from ...layers import sigmoid


def softplus(z: float) -> float:
    """log(1 + eᶻ), without overflow."""
    return max(z, 0.0) + math.log1p(math.exp(-abs(z)))


class MLP:
    """Fully connected layers of `sizes` (e.g. (2, 8, 8, 1)): tanh hidden units, one sigmoid output."""

    def __init__(self, sizes=(2, 8, 8, 1), seed: int = 0):
        rng = random.Random(seed)
        self.sizes = tuple(sizes)
        # Glorot/Xavier initialisation keeps tanh units out of saturation at the start.
        self.weights = [[[rng.gauss(0.0, math.sqrt(2.0 / (n_in + n_out))) for _ in range(n_in)] for _ in range(n_out)]
                        for n_in, n_out in zip(self.sizes, self.sizes[1:])]
        self.biases = [[0.0] * n_out for n_out in self.sizes[1:]]

    # --- forward ------------------------------------------------------------------------------

    def forward(self, columns):
        """`columns`: one list per input feature, each as long as the batch.

        Returns (activations, logits): the activations of every layer (the input first, the
        hidden layers after tanh) and the output layer's pre-sigmoid values z."""
        acts = [columns]
        size = len(columns[0])
        last = len(self.weights) - 1
        for l, (W, b) in enumerate(zip(self.weights, self.biases)):
            a = acts[-1]
            zs = []
            for row, bias in zip(W, b):
                z = [bias] * size
                for w, col in zip(row, a):
                    z = [zz + w * x for zz, x in zip(z, col)]
                zs.append(z)
            if l == last:
                return acts, zs[0]
            acts.append([[math.tanh(v) for v in z] for z in zs])
        raise ValueError("the network needs at least one layer")

    def predict(self, points):
        """Probabilities of class 1 for [(x, y), ...]."""
        if not points:
            return []
        _, logits = self.forward([list(c) for c in zip(*points)])
        return [sigmoid(z) for z in logits]

    @staticmethod
    def loss_from_logits(logits, labels) -> float:
        """Mean binary cross-entropy, computed from the logits z: softplus(z) − y·z."""
        return sum(softplus(z) - y * z for z, y in zip(logits, labels)) / len(labels)

    def loss(self, points, labels) -> float:
        _, logits = self.forward([list(c) for c in zip(*points)])
        return self.loss_from_logits(logits, labels)

    # --- backward -----------------------------------------------------------------------------

    def gradients(self, points, labels):
        """(loss, dW, db) on a batch: dW[l][j][i] = ∂L/∂W[l][j][i], db[l][j] = ∂L/∂b[l][j]."""
        acts, logits = self.forward([list(c) for c in zip(*points)])
        n = len(labels)
        loss = self.loss_from_logits(logits, labels)
        deltas = [[(sigmoid(z) - y) / n for z, y in zip(logits, labels)]]
        dW = [None] * len(self.weights)
        db = [None] * len(self.weights)
        for l in range(len(self.weights) - 1, -1, -1):
            a = acts[l]
            dW[l] = [[sumprod(d, col) for col in a] for d in deltas]
            db[l] = [sum(d) for d in deltas]
            if l == 0:
                break
            W = self.weights[l]
            back = []
            for i, col in enumerate(a):                 # ∂L/∂aᵢ, then through tanh′ = 1 − a²
                g = [0.0] * n
                for j, d in enumerate(deltas):
                    w = W[j][i]
                    g = [gg + w * dd for gg, dd in zip(g, d)]
                back.append([gg * (1.0 - x * x) for gg, x in zip(g, col)])
            deltas = back
        return loss, dW, db

    # --- parameters as one flat list (for the optimiser and for gradient checks) -----------

    def parameters(self) -> list[float]:
        flat = []
        for W, b in zip(self.weights, self.biases):
            for row in W:
                flat.extend(row)
            flat.extend(b)
        return flat

    def set_parameters(self, flat) -> None:
        k = 0
        for W, b in zip(self.weights, self.biases):
            for row in W:
                row[:] = flat[k:k + len(row)]
                k += len(row)
            b[:] = flat[k:k + len(b)]
            k += len(b)

    @staticmethod
    def flatten(dW, db) -> list[float]:
        flat = []
        for Wg, bg in zip(dW, db):
            for row in Wg:
                flat.extend(row)
            flat.extend(bg)
        return flat


class Adam:
    """Adam (Kingma & Ba, 2015): per-parameter step sizes from running averages of the
    gradient (m) and of its square (v), bias-corrected for the first steps."""

    def __init__(self, count: int, beta1=0.9, beta2=0.999, eps=1e-8):
        self.m, self.v = [0.0] * count, [0.0] * count
        self.beta1, self.beta2, self.eps, self.t = beta1, beta2, eps, 0

    def step(self, params, grads, lr: float) -> list[float]:
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        c1, c2 = 1 - b1 ** self.t, 1 - b2 ** self.t
        self.m = [b1 * m + (1 - b1) * g for m, g in zip(self.m, grads)]
        self.v = [b2 * v + (1 - b2) * g * g for v, g in zip(self.v, grads)]
        return [p - lr * (m / c1) / (math.sqrt(v / c2) + self.eps) for p, m, v in zip(params, self.m, self.v)]


def train_step(net: MLP, opt: Adam, points, labels, lr: float) -> float:
    """One mini-batch step: gradients by backpropagation, then an Adam update. Returns the batch loss."""
    loss, dW, db = net.gradients(points, labels)
    net.set_parameters(opt.step(net.parameters(), MLP.flatten(dW, db), lr))
    return loss
