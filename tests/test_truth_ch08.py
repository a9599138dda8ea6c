"""Chapter 8 tells the truth: its numbers are the demo code's, and each verdict flips when the
figure it rests on does."""
from __future__ import annotations

import pytest

from truth_helpers import prose, real_variables

STEM = "08-kernel-trick"


def facts() -> dict:
    return real_variables()["facts"]["kernel_trick"]


def changed(**updates):
    """A patch: set facts.kernel_trick[path...] = value, the path given as a tuple key."""
    def patch(variables):
        for path, value in updates.items():
            node = variables["facts"]["kernel_trick"]
            *parents, leaf = path.split("__")
            for name in parents:
                node = node[name]
            node[leaf] = value
    return patch


def test_the_facts_are_what_the_demo_computes():
    from py_runtime.demos import kernel_trick as demo
    f = facts()
    state = demo.view(**demo.DEFAULTS)
    assert f["n"] == state["total"]
    assert f["default"]["origin_circle_correct"] == state["plane_correct"]
    assert f["default"]["line_correct"] == state["line_correct"]
    q = f["perceptron"]["square_plus_one"]
    assert (q["train_correct"], q["test_correct"]) == (state["train_correct"], state["test_correct"])
    assert f["gram"]["square_plus_one"]["difference"] == state["gram_difference"]
    assert f["example"]["kernel"] == f["example"]["dot"] ** 2 == pytest.approx(f["example"]["lifted_dot"])


def test_the_numbers_in_the_prose_are_the_facts():
    text, f = prose(STEM), facts()
    d = f["default"]
    assert f"classifies {d['origin_circle_correct']} of the {f['n']} points" in text
    assert f"gets {f['n'] - d['line_correct']} wrong" in text
    assert f"gets {f['perceptron']['square_plus_one']['test_correct']} right on a fresh draw" in text
    assert f"{int(f['example']['kernel'])}." in text and f"= {int(f['example']['dot'])}$" in text
    assert f"{f['gram']['rbf']['coordinates']} coordinates" in text
    assert f"{f['rbf_at_1']:.2f}" in text and f"{f['rbf_at_3']:.3f}" in text
    narrow = f["gram"]["rbf_narrow"]
    assert f"at $\\sigma = {f['narrow_sigma']}$ the tables differ by up to {narrow['difference']:.2f}" in text
    o1 = f["overlap_perceptron"]["rbf_narrow"]
    assert f"gets {o1['train_correct']} of the {f['n']} training points right but only {o1['test_correct']}" in text
    assert f"same points, gets {f['overlap']['centred_circle_test_correct']}:" in text
    assert f"{f['gram_points']} points in {f['gram']['square_plus_one']['coordinates']} coordinates" in text


def test_the_narrow_rbf_facts_are_the_demo_s():
    from py_runtime.demos import kernel_trick as demo
    f = facts()
    sigma = f["narrow_sigma"]
    state = demo.view(r1=1.4, r2=1.6, noise=0.5, kernel="rbf", sigma=sigma)
    o1 = f["overlap_perceptron"]["rbf_narrow"]
    assert (state["train_correct"], state["test_correct"]) == (o1["train_correct"], o1["test_correct"])
    assert demo.view(kernel="rbf", sigma=sigma)["gram_difference"] == f["gram"]["rbf_narrow"]["difference"]


@pytest.mark.parametrize("phrase, patch", [
    ("every one,", changed(default__origin_circle_correct=79)),
    ("every point of the inner ring lies inside the outer ring's convex hull", changed(default__inside_hull=False)),
    ("no horizontal plane works any more", changed(shifted__origin_circle_correct=80)),
    ("no horizontal plane works any more", changed(shifted__centred_circle_correct=79)),
    ("no such circle, and no horizontal plane, gets every point right", changed(overlap__radial_overlap=False)),
    ("they are the same table", changed(gram__square_plus_one__difference=1.0)),
    ("not below zero", changed(gram__rbf__eigen_min=-0.5)),
    ("with all 80 training points right", changed(perceptron__square_plus_one__converged=False)),
    ("a pass without mistakes would be a line that separates the rings", changed(default__inside_hull=False)),
    ("a pass without mistakes would be a line that separates the rings", changed(perceptron__linear__converged=True)),
    ("a centred conic treats", changed(shifted_perceptron__square__converged=True)),
    ("every training point right. ", changed(shifted_perceptron__square_plus_one__converged=False)),
    ("it has fitted the noise", changed(overlap_perceptron__rbf_narrow__test_correct=80)),
    ("no better than a coin toss", changed(overlap_perceptron__rbf_narrow__test_correct=60)),
    ("where the best circle about the centre", changed(overlap__centred_circle_test_correct=30)),
    ("falls far short", changed(gram__rbf_narrow__difference=1e-3)),
    ("smallest eigenvalue zero up to rounding", changed(gram__square_plus_one__eigen_min=-0.5)),
    ("smallest eigenvalue zero up to rounding", changed(gram__square_plus_one__coordinates=12)),
])
def test_each_verdict_flips_with_its_figure(phrase, patch):
    assert phrase in prose(STEM)
    assert phrase not in prose(STEM, patch)
