"""neural-net on CPython: backpropagation against finite differences and NumPy, training, sessions."""
from __future__ import annotations

import json
import math
import random

import numpy as np
import pytest

from py_runtime.demos import neural_net as demo
from py_runtime.demos._lib.mlp import MLP, Adam, train_step


def _batch(seed=0, n=24):
    rng = random.Random(seed)
    pts = [(rng.uniform(-1, 1), rng.uniform(-1, 1)) for _ in range(n)]
    return pts, [1.0 if x * y > 0 else 0.0 for x, y in pts]


@pytest.mark.parametrize("sizes", [(2, 8, 8, 1), (2, 3, 1), (2, 5, 4, 3, 1)])
def test_backprop_matches_finite_differences(sizes):
    net = MLP(sizes, seed=3)
    net.set_parameters([p + 0.3 * math.sin(i) for i, p in enumerate(net.parameters())])   # not near zero
    pts, labels = _batch(1)
    loss, dW, db = net.gradients(pts, labels)
    grads, params = MLP.flatten(dW, db), net.parameters()
    assert loss == pytest.approx(net.loss(pts, labels))
    h = 1e-6
    for k in range(len(params)):
        plus, minus = list(params), list(params)
        plus[k] += h
        minus[k] -= h
        net.set_parameters(plus)
        up = net.loss(pts, labels)
        net.set_parameters(minus)
        down = net.loss(pts, labels)
        assert grads[k] == pytest.approx((up - down) / (2 * h), abs=1e-7, rel=1e-5), k
    net.set_parameters(params)


def test_forward_and_loss_match_numpy():
    net = MLP((2, 8, 8, 1), seed=5)
    pts, labels = _batch(2, 40)
    a = np.array(pts)
    for l, (W, b) in enumerate(zip(net.weights, net.biases)):
        z = a @ np.array(W).T + np.array(b)
        a = np.tanh(z) if l < len(net.weights) - 1 else 1 / (1 + np.exp(-z))
    p = a[:, 0]
    y = np.array(labels)
    assert np.allclose(net.predict(pts), p)
    assert net.loss(pts, labels) == pytest.approx(float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))))


def test_adam_first_step_moves_each_weight_by_the_learning_rate():
    opt = Adam(3)
    out = opt.step([1.0, 2.0, 3.0], [0.5, -2.0, 1e-3], lr=0.1)
    assert out == pytest.approx([0.9, 2.1, 2.9], abs=1e-6)         # bias-corrected: ±lr·sign(g)


def test_training_on_xor_lowers_the_loss_and_learns_it():
    net = MLP((2, 8, 8, 1), seed=0)
    opt = Adam(len(net.parameters()))
    pts, labels = demo.make_dataset("xor")
    before = net.loss(pts, labels)
    rng = random.Random(0)
    for _ in range(300):
        batch = rng.sample(range(len(pts)), 32)
        train_step(net, opt, [pts[i] for i in batch], [labels[i] for i in batch], 0.03)
    assert net.loss(pts, labels) < before / 3
    accuracy = sum((p > 0.5) == (y > 0.5) for p, y in zip(net.predict(pts), labels)) / len(pts)
    assert accuracy > 0.9


def test_sessions_keep_the_network_between_calls(monkeypatch):
    monkeypatch.setattr(demo, "BUDGET_MS", 1e9)
    first = demo.reset("s1", dataset="xor", hidden=8, seed=0, lr=0.03)
    assert first["steps"] == 0 and first["loss"] > 0.5
    state = first
    for _ in range(30):
        state = demo.train("s1", steps=10, lr=0.03)
    assert state["steps"] == 300 and state["loss"] < first["loss"] / 3 and state["accuracy"] > 0.9
    assert demo.view("s1")["steps"] == 300
    other = demo.reset("s2", dataset="spiral", hidden=16)
    assert other["dataset"] == "spiral" and other["hidden"] == 16 and demo.view("s1")["dataset"] == "xor"
    for i in range(demo.MAX_SESSIONS + 3):
        demo.view(f"crowd-{i}")
    assert len(demo._SESSIONS) <= demo.MAX_SESSIONS
    assert demo.train("never-seen", steps=2)["steps"] == 2        # a missing session starts afresh


def test_datasets():
    for name in demo.DATASETS:
        pts, labels = demo.make_dataset(name)
        assert len(pts) == demo.N_POINTS and set(labels) == {0.0, 1.0}
        assert all(abs(v) <= demo.VIEW for p in pts for v in p)
        assert 0.4 < sum(labels) / len(labels) < 0.6


def test_budget_keeps_calls_short(monkeypatch):
    monkeypatch.setattr(demo, "BUDGET_MS", 0.0)
    demo.reset("budget")
    assert demo.train("budget", steps=200)["steps"] == 1


def test_bad_input_never_crashes():
    rng = random.Random(0)
    bad = [math.nan, math.inf, -math.inf, "", "x", None, 1e308, -1e308, [], {}, -5]
    for _ in range(60):
        kwargs = {k: rng.choice(bad) for k in ("dataset", "hidden", "seed", "lr", "steps") if rng.random() < 0.7}
        session = rng.choice(["a", "", None, 3, "b" * 500])
        for call in (demo.reset, demo.train, demo.view):
            json.dumps(call(session, **kwargs), allow_nan=False)
    demo.reset("hot", lr=1.0)
    for _ in range(20):                                          # a huge learning rate stays finite
        json.dumps(demo.train("hot", steps=20, lr=1.0), allow_nan=False)


def test_prerender_and_interaction():
    html = demo.prerender()["html"]
    assert html.count("<svg") == 2 and " style=" not in html and "<script" not in html
    name, kwargs = demo.INTERACTION
    json.dumps(getattr(demo, name)(**kwargs), allow_nan=False)


def test_the_view_carries_the_learning_rate_slider_and_counts_parameters():
    state = demo.reset("slider")
    low, high, step = demo.LR_SLIDER
    assert state["lr_slider"] == {"min": low, "max": high, "step": step}
    assert demo.LR_RANGE[0] <= 10 ** low < demo.DEFAULTS["lr"] < 10 ** high <= demo.LR_RANGE[1]
    count = len(MLP((2, state["hidden"], state["hidden"], 1)).parameters())
    assert f"{count} parameters (weights and biases)" in state["readouts"]


def test_run_answers_bad_input():
    for bad in (math.nan, math.inf, -5, None, "", [], {}):        # 1e308 steps would be capped at MAX_RUN
        history = demo.run(bad, every=bad, stop=bad, dataset=bad, seed=bad, lr=bad)
        json.dumps(history, allow_nan=False)
    assert len(demo.run(20, every=10)) == 2 and len(demo.run(3, every=1e308, lr=1e308)) == 1
