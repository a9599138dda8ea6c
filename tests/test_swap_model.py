"""The face-swap model: training end to end on a few faces, the float16 export read back by
py_runtime.swap (pure Python and NumPy agree with PyTorch, shared upscale block included), and
the committed weights' figures and verdicts."""
import json

import pytest

from py_runtime import faces, pipeline, safetensors, swap
from runtime_helpers import WEIGHTS

np = pytest.importorskip("numpy")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    torch = pytest.importorskip("torch")
    from training import faces_swap
    out = tmp_path_factory.mktemp("swap")
    entry = faces_swap.train(out, steps=3, per_identity=24, test_count=6, regressor_steps=3,
                             log=lambda *a: None, latency_calls=1, identity_size=(3, 12, 3))
    return out, entry, torch, faces_swap


def _torch_model(out, torch, faces_swap):
    data = (out / "faces-swap.safetensors").read_bytes()
    tensors, _ = safetensors.read(data)
    model = faces_swap.FaceSwap()
    model.load_state_dict({k: torch.tensor(np.frombuffer(bytes(t.data), dtype="<f2").astype(np.float32)
                                           .reshape(t.shape)) for k, t in tensors.items()})
    return model.eval()


def test_tiny_training_exports_an_entry_with_every_figure(tiny):
    out, entry, _, faces_swap = tiny
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["models"]["faces-swap"] == entry
    metrics = entry["metrics"]
    for key in ("swap_ssim", "swap_psnr", "blend_ssim", "blend_psnr", "pca_ssim", "pca_psnr",
                "reconstruction_A_ssim", "expression_error", "expression_error_blend",
                "expression_error_ground_truth", "smile_shift_half", "smile_shift_full", "smile_rises_full",
                "smile_change_features_rms", "smile_change_elsewhere_rms", "swap_ms_python", "swap_ms_numpy"):
        assert isinstance(metrics[key], (int, float)), key
    for key in ("floor", "reconstruction", "swap", "blend", "pca"):
        readback = metrics["expression"][key]
        assert set(readback["error"]) == set(readback["correlation"]) == set(faces.PARAM_NAMES), key
    for key in ("swap", "swap_reverse", "blend"):
        shares = metrics["identity"][key]
        assert shares["A"] + shares["B"] + shares["other"] == pytest.approx(1.0, abs=1e-3) and shares["people"] == 5
    assert set(entry["verdicts"]) >= set(faces.PARAM_NAMES) | {"swap_ssim", "swap_reverse_ssim", "floor"}
    assert entry["verdicts"] == faces_swap.verdicts(metrics, metrics["expression"], entry["bytes"],
                                                    entry["training"]["total_seconds"])
    assert entry["shared_upscale_blocks"] == faces_swap.SPEC["shared_ups"] >= 1
    shared = [layer for layer in entry["decoders"]["A"] if layer.get("shared")]
    assert [layer["weight"] for layer in shared] == [layer["weight"] for layer in entry["decoders"]["B"] if layer.get("shared")]
    assert len(shared) == 1 + entry["shared_upscale_blocks"]
    assert len(entry["smile_direction"]) == entry["latent_dim"] == 16
    assert sorted(entry["decoders"]) == ["A", "B"]
    assert entry["bytes"] == (out / entry["file"]).stat().st_size
    assert entry["training"]["loss"]["dssim"] > 0 and entry["training"]["loss"]["eyes_mouth_priority"] > 0


def test_schedules_warm_up_decay_and_ease_the_warp():
    from training import faces_swap
    spec = dict(faces_swap.SPEC, warmup_steps=100, learning_rate=1e-3, warp_strength=0.04, warp_until=0.5,
                warp_final=0.0)
    lr = [faces_swap.learning_rate(s, 1000, spec) for s in range(1000)]
    assert lr[0] < lr[50] < lr[99] == max(lr) and lr[-1] < 1e-5
    warp = [faces_swap.warp_strength(s, 1000, spec) for s in range(1000)]
    assert warp[0] == warp[499] == 0.04 and warp[750] == pytest.approx(0.02, abs=1e-3) and warp[-1] < 1e-3


def test_face_loss_counts_the_eyes_and_mouth_more():
    torch = pytest.importorskip("torch")
    from training import faces_swap
    target = torch.rand(2, 3, 64, 64)
    mask = torch.zeros(2, 1, 64, 64)
    mask[:, :, 20:30, 20:30] = 1.0
    inside, outside = target.clone(), target.clone()
    inside[:, :, 20:30, 20:30] += 0.2           # the same error, on the features or off them
    outside[:, :, 40:50, 40:50] += 0.2
    spec = dict(faces_swap.SPEC, priority_weight=3.0)
    assert faces_swap.face_loss(inside, target, mask, spec) > 2 * faces_swap.face_loss(outside, target, mask, spec)
    assert float(faces_swap.face_loss(target, target, mask, spec)) == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize("backend", ["python", "numpy"])
def test_runtime_matches_pytorch(tiny, backend):
    out, _, torch, faces_swap = tiny
    reference = _torch_model(out, torch, faces_swap)
    model = swap.load(out, backend=backend)
    pixels = pipeline.aligned_crop("A", faces.random_params(__import__("random").Random(3))).pixels
    x = torch.tensor(np.asarray(pixels, dtype=np.float32).reshape(64, 64, 3).transpose(2, 0, 1)[None])
    with torch.no_grad():
        z = reference.encoder(x)[0].numpy()
        for who in ("A", "B"):
            expected = reference(x, who)[0].numpy().transpose(1, 2, 0).reshape(-1)
            assert np.abs(np.asarray(model.swap(pixels, who)) - expected).max() < 1e-4
    assert np.abs(np.asarray(model.encode(pixels)) - z).max() < 1e-4
    decoded = model.decode(list(z), "B")
    assert len(decoded) == 12288 and all(0.0 <= v <= 1.0 for v in decoded)


def test_runtime_rejects_wrong_inputs_and_files(tiny, tmp_path, pure_python):
    out, entry, _, _ = tiny
    model = pure_python.load(out, loader=swap.load)
    with pytest.raises(ValueError):
        model.encode([0.0] * 100)
    with pytest.raises(ValueError):
        model.decode([0.0] * 16, "C")
    manifest = json.loads((out / "manifest.json").read_text())
    data = bytearray((out / entry["file"]).read_bytes())
    data[-1] ^= 0xFF
    with pytest.raises(safetensors.WeightFileError, match="sha256"):
        swap.load_model(manifest, bytes(data))
    with pytest.raises(Exception, match="faces-swap"):
        swap.load_model({"format": 1, "models": {}}, bytes(data))


def test_training_cli_knows_faces_swap():
    from training.__main__ import main
    with pytest.raises(SystemExit):
        main(["--help"])


# The committed weights: within the budgets, with the figures the chapter quotes.
@pytest.fixture(scope="module")
def committed():
    manifest = json.loads((WEIGHTS / "manifest.json").read_text())
    if "faces-swap" not in manifest["models"]:
        pytest.fail("faces-swap is not in weights/manifest.json: run `python -m training faces-swap`")
    return manifest["models"]["faces-swap"]


def test_committed_model_fits_the_budget_and_its_checksum(committed):
    data = (WEIGHTS / committed["file"]).read_bytes()
    assert len(data) == committed["bytes"] <= 1_500_000
    assert safetensors.sha256_hex(data) == committed["sha256"]


def test_committed_swap_beats_both_baselines(committed):
    m = committed["metrics"]
    assert m["swap_ssim"] > m["blend_ssim"] and m["swap_ssim"] > m["pca_ssim"]
    assert m["swap_psnr"] > m["blend_psnr"] and m["swap_psnr"] > m["pca_psnr"]
    assert m["identity"]["swap"]["B"] > m["identity"]["swap"]["A"]
    assert m["expression_error"] < m["expression_error_pca"]
    assert m["swap_ms_python"] < 150


def test_committed_verdicts_follow_the_committed_figures(committed):
    """Every verdict the pages read is the training script's rule applied to the figures beside it;
    a swap is no better than B's own reconstruction, and the reader sees B's own crops well."""
    from training import faces_swap
    m = committed["metrics"]
    assert committed["verdicts"] == faces_swap.verdicts(m, m["expression"], committed["bytes"],
                                                        committed["training"]["total_seconds"])
    assert committed["targets"] == faces_swap.TARGETS
    assert m["swap_ssim"] <= m["reconstruction_B_ssim"]
    assert max(m["expression"]["floor"]["error"].values()) < 0.1


def test_committed_model_runs_in_pure_python_and_agrees_with_numpy(committed):
    pixels = pipeline.aligned_crop("A", faces.DEFAULT_PARAMS).pixels
    py = swap.load(backend="python").swap(pixels, "B")
    fast = swap.load(backend="numpy").swap(pixels, "B")
    assert np.abs(np.asarray(py) - np.asarray(fast)).max() < 1e-4
    truth = np.asarray(pipeline.aligned_crop("B", faces.DEFAULT_PARAMS).pixels)
    assert np.sqrt(np.mean((np.asarray(py) - truth) ** 2)) < 0.12
