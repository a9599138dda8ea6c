"""py_runtime inside real Pyodide (Node), on the same digits, matches CPython.

The page's path is reproduced: the package's files are copied into Pyodide's file
system (no NumPy there), and JavaScript hands the manifest object and the weight
file's bytes to `py_runtime.load_model`, exactly as the browser demos will.
"""

import json
import shutil
import struct
import subprocess

import pytest

import py_runtime
from runtime_helpers import REPO, WEIGHTS, committed_manifest, sample_digits

PYODIDE = REPO / "node_modules" / "pyodide" / "pyodide.js"
COUNTS = {"mnist-ae-2d": 200, "mnist-ae-16d": 200, "mnist-dae": 200}     # the committed sample, every digit

RUNNER = r"""
const fs = require("fs");
const path = require("path");
const [pyodideJs, repo, work] = process.argv.slice(2);
const { loadPyodide } = require(pyodideJs);

(async () => {
  const py = await loadPyodide();
  // Copy the package in, as the site's wheel would install it.
  py.FS.mkdirTree("/lib/site/py_runtime");
  for (const name of fs.readdirSync(path.join(repo, "py_runtime"))) {
    if (name.endsWith(".py")) {
      py.FS.writeFile("/lib/site/py_runtime/" + name, fs.readFileSync(path.join(repo, "py_runtime", name)));
    }
  }
  py.mountNodeFS("/work", work);
  const job = JSON.parse(fs.readFileSync(path.join(work, "job.json"), "utf8"));
  const manifest = JSON.parse(fs.readFileSync(path.join(repo, "weights", "manifest.json"), "utf8"));
  py.runPython("import sys; sys.dont_write_bytecode = True; sys.path.insert(0, '/lib/site')");
  const run = py.runPython(`
import math, struct, sys, time
import py_runtime

def run(manifest, name, weight_bytes, count):
    model = py_runtime.load_model(manifest, name, weight_bytes)
    with open('/work/digits.u8', 'rb') as f:
        pixels = f.read()
    out, start = [], time.perf_counter()
    for i in range(count):
        image = [b / 255.0 for b in pixels[i * 784:(i + 1) * 784]]
        z = model.encode(image)
        out.extend(z)
        out.extend(model.decode(z))
    seconds = time.perf_counter() - start
    with open(f'/work/{name}.f64', 'wb') as f:
        f.write(struct.pack(f'<{len(out)}d', *out))
    return {"backend": py_runtime.current_backend(), "python": sys.version.split()[0],
            "sumprod": hasattr(math, "sumprod"), "ms_per_digit": 1000 * seconds / count}
run
`);
  const report = {};
  for (const [name, count] of Object.entries(job.counts)) {
    const bytes = new Uint8Array(fs.readFileSync(path.join(repo, "weights", manifest.models[name].file)));
    const result = run(manifest, name, bytes, count);
    report[name] = result.toJs({ dict_converter: Object.fromEntries });
    result.destroy();
  }
  // The other article operations, once each.
  report.extras = py.runPython(`
from py_runtime import latent, canvas_to_mnist
canvas = [[255.0] * 140 for _ in range(140)]
for y in range(30, 110):
    for x in range(60, 75):
        canvas[y][x] = 0.0
digit = canvas_to_mnist(canvas)
a, b = [1.0, 0.0], [0.0, 2.0]
import json
json.dumps({"digit": digit, "slerp": latent.slerp(a, b, 0.3), "lerp": latent.lerp(a, b, 0.3),
            "nearest": latent.nearest_centroid([0.1, 1.9], {"0": a, "1": b})})
`);
  fs.writeFileSync(path.join(work, "report.json"), JSON.stringify(report));
})().catch((error) => { console.error(error); process.exit(1); });
"""


@pytest.mark.slow
def test_pyodide_matches_cpython(tmp_path, pure_python):
    node = shutil.which("node")
    if node is None or not PYODIDE.is_file():
        pytest.fail("node and node_modules/pyodide are not installed: `make test` runs npm ci (package.json pins them)")
    images, _ = sample_digits(max(COUNTS.values()))
    (tmp_path / "digits.u8").write_bytes((images * 255).round().astype("uint8").tobytes())
    (tmp_path / "job.json").write_text(json.dumps({"counts": COUNTS}))
    (tmp_path / "runner.js").write_text(RUNNER)
    done = subprocess.run([node, str(tmp_path / "runner.js"), str(PYODIDE), str(REPO), str(tmp_path)],
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads((tmp_path / "report.json").read_text())

    manifest = committed_manifest()
    pixels = (tmp_path / "digits.u8").read_bytes()
    for name, count in COUNTS.items():
        info = report[name]
        assert info["backend"] == "python" and info["python"].startswith("3.")
        model = pure_python.load(name, WEIGHTS)
        latent_dim = manifest["models"][name]["latent_dim"]
        width = latent_dim + 784
        got = struct.unpack(f"<{count * width}d", (tmp_path / f"{name}.f64").read_bytes())
        worst = 0.0
        for i in range(count):
            image = [b / 255.0 for b in pixels[i * 784:(i + 1) * 784]]
            z = model.encode(image)
            expected = z + model.decode(z)
            worst = max(worst, max(abs(a - b) for a, b in zip(expected, got[i * width:(i + 1) * width])))
        assert worst <= 1e-6, f"{name}: Pyodide differs from CPython by {worst}"

    extras = json.loads(report["extras"])
    canvas = [[255.0] * 140 for _ in range(140)]
    for y in range(30, 110):
        for x in range(60, 75):
            canvas[y][x] = 0.0
    assert extras["digit"] == pytest.approx(py_runtime.canvas_to_mnist(canvas), abs=1e-12)
    assert extras["slerp"] == pytest.approx(py_runtime.latent.slerp([1.0, 0.0], [0.0, 2.0], 0.3), abs=1e-12)
    assert extras["nearest"] == [1, pytest.approx(0.1 * 2 ** 0.5)]
