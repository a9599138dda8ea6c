"""What the face swap is held to, and whether it meets it.

The chapter, the README and the video quote TARGETS and the verdicts written beside the
figures in weights/manifest.json, never copies of them.
"""

TARGETS = {
    "expression": ["smile", "mouth_open", "eyes_open"],
    "expression_error_over_floor": 2.0,        # swap error at most this many times the reader's floor
    "expression_correlation": 0.85,
    "gaze": ["gaze_x", "gaze_y"],
    "gaze_correlation": 0.7,
    "pose_light": ["yaw", "pitch", "roll", "light"],
    "pose_light_error": 0.06,
    "floor_error": 0.10,
    "swap_ssim": 0.90,
    "swap_reverse_ssim": 0.88,
    "weights_bytes": 1_500_000,
    "train_minutes": 60,
    "first_swap_ms": 100,
}


def verdicts(metrics, readback, entry_bytes, seconds):
    """Each target, met or not, computed here once so that every page reads the same answer."""
    t, swap, floor = TARGETS, readback["swap"], readback["floor"]
    out = {}
    for n in t["expression"]:
        out[n] = (swap["error"][n] <= t["expression_error_over_floor"] * floor["error"][n]
                  and swap["correlation"][n] >= t["expression_correlation"])
    for n in t["gaze"]:
        out[n] = swap["correlation"][n] >= t["gaze_correlation"]
    for n in t["pose_light"]:
        out[n] = swap["error"][n] <= t["pose_light_error"]
    out["floor"] = all(floor["error"][n] <= t["floor_error"] for n in t["expression"] + t["gaze"])
    out["swap_ssim"] = metrics["swap_ssim"] >= t["swap_ssim"]
    out["swap_reverse_ssim"] = metrics["swap_reverse_ssim"] >= t["swap_reverse_ssim"]
    out["weights_bytes"] = entry_bytes <= t["weights_bytes"]
    out["train_minutes"] = seconds / 60 <= t["train_minutes"]
    return out
