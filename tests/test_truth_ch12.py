"""Chapter 12's verdict on its baselines follows the manifest's SSIM figures (the rest of the
chapter is rewritten with the new face-swap model)."""
from __future__ import annotations

from truth_helpers import prose

STEM = "12-decoder-swap"


def metrics(**values):
    return lambda v: v["models"]["faces-swap"]["metrics"].update(values)


def test_the_baseline_verdict_is_computed_and_no_goal_is_spoken_of():
    assert "goal" not in prose(STEM)
    assert "It beats both baselines" in prose(STEM, metrics(swap_ssim=0.9, blend_ssim=0.5, pca_ssim=0.5))
    assert "It beats one of the two baselines" in prose(STEM, metrics(swap_ssim=0.6, blend_ssim=0.5, pca_ssim=0.7))
    assert "It beats neither baseline" in prose(STEM, metrics(swap_ssim=0.4, blend_ssim=0.5, pca_ssim=0.5))
