"""`neural-net`: a small network trained live by backpropagation on 2-D points the reader picks.

The network (py_runtime.demos._lib.mlp) is 2 → h → h → 1 with tanh hidden units and a sigmoid
output, trained with Adam on mini-batches of 32 points to minimise the cross-entropy. It
lives here, in the worker's Python, between calls: the page calls `reset(...)` once and then
`train(steps=…)` in a loop, each call kept short (a time budget) so the page stays
responsive, and redraws what comes back: the decision boundary (the network's probability
on a 30 × 30 grid, and the curve where it is ½), the training points, and the loss so far.

The data sets are made for the demo, so that a clean boundary exists: XOR leaves an empty
band along both axes, the two rings sit well apart, the spirals carry little noise.
`run(...)` trains exactly as the page does, without the clock, for the chapter's figures.
"""
from __future__ import annotations

import math
import random
import time
from collections import OrderedDict

from ..params import choice, integer, number, text
from ._lib.mlp import MLP, Adam, train_step
from ._lib.svg import Figure, contour_segments, field_rects, readouts_html

DATASETS = {"xor": "XOR (four quadrants)", "rings": "two rings", "spiral": "two spirals"}
HIDDEN = (4, 8, 16)
N_POINTS = 200
BATCH = 32
GRID = 30
VIEW = 1.3                       # the plane shown spans [-VIEW, VIEW]²
DEFAULTS = {"dataset": "xor", "hidden": 8, "seed": 0, "lr": 0.03, "steps": 10}
LR_RANGE = (1e-4, 1.0)
LR_SLIDER = (-3.0, -0.5, 0.05)   # the page's learning-rate slider: log10 of the rate, min, max, step
MAX_STEPS = 200
MAX_RUN = 10_000                 # run(): the most steps one uninterrupted training run may take
BUDGET_MS = 15.0                 # a train() call stops early after this much training time…
MAX_BUDGET_MS = 250.0            # …or after what the caller allows, up to this (an explicit "+10 steps")
MAX_SESSIONS = 8
MAX_SESSION_ID = 64              # characters of a session id kept
HISTORY = 400                    # loss values kept for the curve
KEYS = (*DEFAULTS, "budget_ms")  # what reset and train read besides `session` (_clean)

# The reader's networks between calls, as every demo keeps what the reader builds up (see
# py_runtime.demos._lib.models): one dict keyed by session id (each demo on a page makes one up),
# the least recently used dropped beyond MAX_SESSIONS, so a page cannot fill the memory.
_SESSIONS: "OrderedDict[str, dict]" = OrderedDict()


# --- sanitising ---------------------------------------------------------------------------

def _clean(params: dict) -> dict:
    """Every value through py_runtime.params; a width the menu does not offer is the default."""
    hidden = integer(params.get("hidden"), DEFAULTS["hidden"], 1, 64)
    return {
        "dataset": choice(params.get("dataset"), DATASETS, DEFAULTS["dataset"]),
        "hidden": hidden if hidden in HIDDEN else DEFAULTS["hidden"],
        "seed": integer(params.get("seed"), DEFAULTS["seed"], 0, 10**6),
        "lr": number(params.get("lr"), DEFAULTS["lr"], *LR_RANGE),
        "steps": integer(params.get("steps"), DEFAULTS["steps"], 0, MAX_STEPS),
        "budget_ms": number(params.get("budget_ms"), BUDGET_MS, 0.0, MAX_BUDGET_MS),
    }


# --- the data -------------------------------------------------------------------------------------

def make_dataset(name: str, n: int = N_POINTS, seed: int = 7):
    """(points, labels): n points in about [-1, 1]², labels 0.0 / 1.0."""
    rng = random.Random(f"{name}-{seed}")
    points, labels = [], []
    if name == "rings":
        for i in range(n):
            label = i % 2
            r = (0.35 if label else 0.85) + rng.gauss(0.0, 0.08)
            a = rng.uniform(0, 2 * math.pi)
            points.append((r * math.cos(a), r * math.sin(a)))
            labels.append(float(label))
    elif name == "spiral":
        half = n // 2
        for label in (0, 1):
            for i in range(half):
                t = i / half
                r = 0.08 + 0.92 * t
                a = 2.6 * math.pi * t + label * math.pi
                points.append((r * math.cos(a) + rng.gauss(0, 0.03), r * math.sin(a) + rng.gauss(0, 0.03)))
                labels.append(float(label))
    else:                                       # xor: the sign of x·y, with a small gap at the axes
        while len(points) < n:
            x, y = rng.uniform(-1, 1), rng.uniform(-1, 1)
            if abs(x) < 0.06 or abs(y) < 0.06:
                continue
            points.append((x, y))
            labels.append(1.0 if x * y > 0 else 0.0)
    return points, labels


# --- sessions: the network lives between calls --------------------------------------------------

def _new_state(p: dict) -> dict:
    points, labels = make_dataset(p["dataset"])
    net = MLP((2, p["hidden"], p["hidden"], 1), seed=p["seed"])
    return {"net": net, "opt": Adam(len(net.parameters())), "points": points, "labels": labels,
            "rng": random.Random(p["seed"] + 1), "steps": 0, "history": [], "dataset": p["dataset"],
            "hidden": p["hidden"], "seed": p["seed"], "lr": p["lr"], "full_loss": None}


def _get(session, new: dict | None = None) -> dict:
    """The session's network (`new` in its place when given; a fresh default one for an id not
    seen), now the most recently used; the least recently used go beyond MAX_SESSIONS."""
    key = text(session, "default", MAX_SESSION_ID)
    if new is not None:
        _SESSIONS[key] = new
    elif key not in _SESSIONS:
        _SESSIONS[key] = _new_state(_clean({}))
        _record(_SESSIONS[key])
    _SESSIONS.move_to_end(key)
    while len(_SESSIONS) > MAX_SESSIONS:
        _SESSIONS.popitem(last=False)
    return _SESSIONS[key]


def _record(state) -> None:
    """The loss and accuracy on all the points, appended to the history."""
    probs = state["net"].predict(state["points"])
    eps = 1e-12
    loss = -sum(y * math.log(max(p, eps)) + (1 - y) * math.log(max(1 - p, eps))
                for p, y in zip(probs, state["labels"])) / len(probs)
    state["full_loss"] = loss
    state["accuracy"] = sum((p > 0.5) == (y > 0.5) for p, y in zip(probs, state["labels"])) / len(probs)
    history = state["history"]
    history.append((state["steps"], loss))
    if len(history) > HISTORY:                  # keep the curve's length bounded: thin out the past
        state["history"] = history[:-HISTORY // 2:2] + history[-HISTORY // 2:]


def reset(session="default", **params) -> dict:
    """A new network (and data set) for this session, untrained."""
    state = _get(session, new=_new_state(_clean(params)))
    _record(state)
    return _view(state)


def _step(state, lr: float) -> None:
    """One Adam step on a mini-batch of BATCH points drawn without replacement."""
    points, labels = state["points"], state["labels"]
    batch = state["rng"].sample(range(len(points)), BATCH)
    train_step(state["net"], state["opt"], [points[i] for i in batch], [labels[i] for i in batch], lr)
    state["steps"] += 1


def train(session="default", **params) -> dict:
    """Up to `steps` mini-batch Adam steps (stopping early after `budget_ms`), then the new view."""
    state = _get(session)
    p = _clean({**params, "dataset": state["dataset"], "hidden": state["hidden"]})
    state["lr"] = p["lr"]
    started = time.perf_counter()
    for _ in range(p["steps"]):
        _step(state, p["lr"])
        if (time.perf_counter() - started) * 1000 > p["budget_ms"]:
            break
    if p["steps"]:
        _record(state)
    return _view(state)


def run(steps: int, every: int = 10, stop=None, **params) -> list[tuple[int, float, float]]:
    """Train a fresh network as the page does (same data, seeds and steps), without a time budget:
    [(steps, loss, accuracy)] on all the points every `every` steps, until `stop(loss, accuracy)`."""
    p = _clean(params)
    state = _new_state(p)
    history = []
    steps = integer(steps, 0, 0, MAX_RUN)
    every = integer(every, 10, 1, MAX_RUN)
    stop = stop if callable(stop) else None
    while state["steps"] < steps:
        for _ in range(min(every, steps - state["steps"])):
            _step(state, p["lr"])
        _record(state)
        history.append((state["steps"], state["full_loss"], state["accuracy"]))
        if stop and stop(state["full_loss"], state["accuracy"]):
            break
    return history


def view(session="default", **_ignored) -> dict:
    return _view(_get(session))


# --- drawing --------------------------------------------------------------------------------------

def _grid_probabilities(net: MLP) -> list[list[float]]:
    """The network's probability at the centres of a GRID × GRID grid, rows from the top."""
    step = 2 * VIEW / GRID
    centres = [-VIEW + step * (i + 0.5) for i in range(GRID)]
    pts = [(x, y) for y in reversed(centres) for x in centres]
    probs = net.predict(pts)
    return [probs[r * GRID:(r + 1) * GRID] for r in range(GRID)]


def _level(p: float) -> int:
    return min(int(p * 10), 9)


def _boundary_segments(grid):
    """The ½ level of the network's output as segments [(x1, y1, x2, y2)] in data coordinates;
    grid nodes are cell centres, rows from the top."""
    step = 2 * VIEW / GRID
    centres = [-VIEW + step * (i + 0.5) for i in range(GRID)]
    return contour_segments(grid, centres, centres[::-1], 0.5)


def _field_figure(state) -> str:
    fig = Figure(-VIEW, VIEW, -VIEW, VIEW, width=360, title="The network's decision boundary and the training points")
    grid = _grid_probabilities(state["net"])
    cell = fig.width / GRID
    fig.raw(field_rects([[f"p{_level(p)}" for p in row] for row in grid], cell))
    path = " ".join("M{},{} L{},{}".format(*fig.px(x1, y1), *fig.px(x2, y2))
                    for x1, y1, x2, y2 in _boundary_segments(grid))
    if path:
        fig.raw(f'<path d="{path}" class="boundary"/>')
    for (x, y), label in zip(state["points"], state["labels"]):
        if label > 0.5:
            a, b = (float(v) for v in fig.px(x, y))
            fig.raw(f'<rect x="{a - 3.5:.1f}" y="{b - 3.5:.1f}" width="7" height="7" class="class1"/>')
        else:
            fig.circle(x, y, 3.8, "class0")
    return fig.to_svg()


def _loss_figure(state) -> str:
    history = state["history"]
    last_step = max(history[-1][0] if history else 0, 100)
    top = max(max((l for _, l in history), default=0.7), 0.7)
    fig = Figure(0, 100, 0, 38, width=360, title="Loss on all the points, as training goes on")
    x0, x1, y0, y1 = 12, 97, 6, 33

    def sx(step):
        return x0 + (x1 - x0) * step / last_step

    def sy(loss):
        return y0 + (y1 - y0) * min(max(loss, 0.0), top) / top

    fig.line(x0, y0, x1, y0, "axis").line(x0, y0, x0, y1, "axis")
    for v in (top / 2, top):
        fig.line(x0, sy(v), x1, sy(v), "grid").text(x0, sy(v), f"{v:.2f}", "tick", anchor="end", dx=-3, dy=4)
    fig.text(x0, y0, "0", "tick", anchor="end", dx=-3, dy=4)
    fig.text(x1, y0, f"{last_step} steps", "tick", anchor="end", dy=14)
    fig.text(x1, y1, "loss (cross-entropy) on all points", "tick", anchor="end", dy=-4)
    if len(history) >= 2:
        fig.polyline([(sx(s), sy(l)) for s, l in history], "loss-curve")
    if history:
        fig.circle(sx(history[-1][0]), sy(history[-1][1]), 3.5, "loss-dot")
    return fig.to_svg()


def _view(state) -> dict:
    h = state["hidden"]
    readouts = {
        "steps": str(state["steps"]),
        "loss": f"{state['full_loss']:.3f}",
        "accuracy": f"{100 * state['accuracy']:.1f}%",
        "network": f"2 → {h} → {h} → 1, tanh, Adam: {len(state['net'].parameters())} parameters (weights and biases)",
    }
    return {"field": _field_figure(state), "loss_svg": _loss_figure(state), "readouts": readouts_html(readouts),
            "steps": state["steps"], "loss": state["full_loss"], "accuracy": state["accuracy"],
            "dataset": state["dataset"], "hidden": h, "seed": state["seed"], "lr": state["lr"],
            "lr_slider": dict(zip(("min", "max", "step"), LR_SLIDER))}


def prerender() -> dict:
    state = _new_state(_clean({}))
    _record(state)
    out = _view(state)
    return {"html": f'<div class="nn-panels"><div class="demo-figure">{out["field"]}</div>'
                    f'<div class="nn-side"><div class="demo-figure nn-loss">{out["loss_svg"]}</div>'
                    f'{out["readouts"]}</div></div>'}


# One call of the training loop (the page asks for five steps a frame) and its redraw.
INTERACTION = ("train", {"session": "bench", "steps": 5, "lr": 0.03})
