"""site.toml's [pyodide] settings: a full distribution folder self-hosts NumPy's wheel (copied
with the core, listed for the worker, loaded from the site's own origin), a broken one falls
back to pure Python; `start = "interaction"` waits for the reader."""
from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile

import pytest

from browser_helpers import open_page, serve_folder
from conftest import ROOT
from site_builder.errors import BuildError
from site_builder.headers import load_headers
from site_builder.output import write_atomic
from site_builder.runtime import PYODIDE_FILES

STUB = "numpy-2.4.6-cp314-cp314-pyemscripten_2026_0_wasm32.whl"


def stub_wheel() -> bytes:
    """A stand-in for NumPy's wasm wheel (offline there is no real one): a package that
    imports, so the test can see it was fetched from this site and installed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as wheel:
        wheel.writestr("numpy/__init__.py", "__version__ = 'self-hosted-stub'\n")
        wheel.writestr("numpy-2.4.6.dist-info/METADATA", "Metadata-Version: 2.1\nName: numpy\nVersion: 2.4.6\n")
        wheel.writestr("numpy-2.4.6.dist-info/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: false\nTag: cp314-cp314-pyemscripten_2026_0_wasm32\n")
        wheel.writestr("numpy-2.4.6.dist-info/RECORD", "")
    return buffer.getvalue()


def make_distribution(folder, corrupt: bool = False):
    folder.mkdir()
    for name in PYODIDE_FILES:
        shutil.copyfile(ROOT / "node_modules" / "pyodide" / name, folder / name)
    data = stub_wheel()
    (folder / STUB).write_bytes(data)
    lock = json.loads((folder / "pyodide-lock.json").read_text())
    lock["packages"]["numpy"]["file_name"] = STUB
    lock["packages"]["numpy"]["sha256"] = hashlib.sha256(b"not these bytes" if corrupt else data).hexdigest()
    (folder / "pyodide-lock.json").write_text(json.dumps(lock))
    return folder


def scratchpad_site(tiny, settings: str):
    tiny.chapter("01-intro", "::demo python-scratchpad\n", front='demos = ["python-scratchpad"]\n')
    tiny.write_settings("\n[pyodide]\n" + settings)


def run_cell(browser, site, code: str):
    with serve_folder(site, load_headers(ROOT / "netlify.toml")) as url:
        context, page, log = open_page(browser)
        page.goto(url + "intro/")
        root = page.locator('[data-demo="python-scratchpad"]')
        root.scroll_into_view_if_needed()
        page.wait_for_selector('[data-demo][data-state="ready"]', state="attached", timeout=90_000)
        root.locator("textarea").fill(code)
        root.get_by_role("button", name="Run").click()
        page.wait_for_timeout(800)
        status, output = root.locator(".demo-status").inner_text(), root.locator(".demo-live .cell-output").inner_text()
        requests = list(log.requests)
        context.close()
        return status, output, log, requests


def test_distribution_wheels_are_copied_and_listed(tiny, tmp_path):
    dist = make_distribution(tmp_path / "dist")
    scratchpad_site(tiny, f'distribution = "{dist}"\n')
    files = tiny.build()
    wheel = [p for p in files if p.endswith(STUB)]
    assert len(wheel) == 1 and wheel[0].startswith("assets/pyodide/")
    config = json.loads(next(v for k, v in files.items() if k.startswith("assets/runtime.")))
    assert config["packages"] == ["numpy"]


def test_distribution_without_the_wheel_is_a_clear_error(tiny, tmp_path):
    dist = make_distribution(tmp_path / "dist")
    (dist / STUB).unlink()
    scratchpad_site(tiny, f'distribution = "{dist}"\n')
    with pytest.raises(BuildError, match=f"{STUB} is not in the distribution folder"):
        tiny.build()


def test_bad_start_setting_is_an_error(tiny):
    scratchpad_site(tiny, 'start = "whenever"\n')
    with pytest.raises(BuildError, match="pyodide.start must be") as caught:
        tiny.build()
    assert caught.value.path.name == "site.toml"


@pytest.mark.browser
def test_self_hosted_package_loads_from_the_site(browser, tiny, tmp_path):
    dist = make_distribution(tmp_path / "dist")
    scratchpad_site(tiny, f'distribution = "{dist}"\n')
    write_atomic(tiny.build(), tmp_path / "site")
    status, output, log, requests = run_cell(browser, tmp_path / "site", "import numpy\nnumpy.__version__")
    assert output.strip() == "'self-hosted-stub'"
    assert "with NumPy" in status
    assert any(url.endswith(STUB) for url in requests)
    assert log.problems == []


@pytest.mark.browser
def test_corrupt_package_falls_back_to_pure_python(browser, tiny, tmp_path):
    dist = make_distribution(tmp_path / "dist", corrupt=True)
    scratchpad_site(tiny, f'distribution = "{dist}"\n')
    write_atomic(tiny.build(), tmp_path / "site")
    status, output, log, _ = run_cell(browser, tmp_path / "site", "import py_runtime\npy_runtime.current_backend()")
    assert output.strip() == "'python'" and "with NumPy" not in status
    # The browser reports the failed integrity check; nothing else goes wrong.
    assert all("integrity" in p.lower() or "numpy" in p.lower() for p in log.problems), log.problems


@pytest.mark.browser
def test_start_on_interaction_waits_for_the_reader(browser, tiny, tmp_path):
    scratchpad_site(tiny, 'start = "interaction"\n')
    write_atomic(tiny.build(), tmp_path / "site")
    with serve_folder(tmp_path / "site", load_headers(ROOT / "netlify.toml")) as url:
        context, page, log = open_page(browser)
        page.goto(url + "intro/")
        root = page.locator('[data-demo="python-scratchpad"]')
        page.wait_for_timeout(1000)
        assert root.get_attribute("data-state") == "static"        # in view, but nobody touched it
        root.click()
        page.wait_for_selector('[data-demo][data-state="ready"]', state="attached", timeout=90_000)
        context.close()
    assert log.problems == []
