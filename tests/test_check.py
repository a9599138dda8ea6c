"""`check DIR` catches what would break a deployed site, and says where."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from conftest import BUDGETS, PAGE_COUNT, ROOT
from site_builder.check import check_site


@pytest.fixture
def site_copy(built_site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(built_site, copy)
    return copy


def edit(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_clean_site_passes(site_copy):
    report = check_site(site_copy, **BUDGETS)
    assert report.ok and report.pages == PAGE_COUNT
    assert all(10_000 < weight <= BUDGETS["page_budgets"]["all/index.html"] for weight in report.weights.values())


def test_broken_link_and_anchor(site_copy):
    page = site_copy / "pca" / "index.html"
    edit(page, 'href="../limits-of-linearity/"', 'href="../kernel-tricks/"')
    edit(page, 'href="#key-takeaways"', 'href="#key-take-aways"')
    errors = check_site(site_copy).errors
    assert any(e.startswith("pca/index.html:") and "../kernel-tricks/" in e and "missing file" in e for e in errors)
    assert any("anchor #key-take-aways does not exist" in e for e in errors)


def test_missing_asset_and_missing_worker(site_copy):
    css = next((site_copy / "assets").glob("site.*.css"))
    css.unlink()
    worker = next((site_copy / "assets" / "js").glob("worker.*.js"))
    worker.unlink()
    errors = check_site(site_copy).errors
    assert any(f'<link href="../assets/{css.name}"> points at a missing file' in e for e in errors)
    assert any(e.startswith("assets/runtime.") and f"assets/js/{worker.name} is missing" in e for e in errors), errors


def test_external_resources_inline_code_and_iframes_are_flagged(site_copy):
    page = site_copy / "orthogonality" / "index.html"
    edit(page, "</main>", '<script src="https://cdn.example.com/tracker.js"></script>'
                          '<img src="//pixel.example.com/p.gif" alt="">'
                          '<iframe src="https://video.example.com/embed"></iframe>'
                          '<script>alert(1)</script><p style="color:red" onclick="x()">x</p>'
                          '<a href="https://arxiv.org/abs/1312.6114">a paper</a></main>')
    errors = "\n".join(check_site(site_copy).errors)
    assert "loads https://cdn.example.com/tracker.js from another origin" in errors
    assert "loads //pixel.example.com/p.gif from another origin" in errors
    assert "iframe" in errors and "inline <script>" in errors
    assert "inline style=" in errors and "inline event handler onclick=" in errors
    assert "arxiv.org" not in errors                  # a link to read elsewhere is not a request


def test_page_weight_budget(site_copy):
    report = check_site(site_copy, budget=20 * 1024)
    assert not report.ok and any("over the budget of 20 KB" in e for e in report.errors)


def test_cli_exit_codes(site_copy):
    ok = subprocess.run([sys.executable, "-m", "site_builder", "check", str(site_copy)], cwd=ROOT,
                        capture_output=True, text=True)
    assert ok.returncode == 0 and f"checked {PAGE_COUNT} pages: no problems" in ok.stdout and "KB  index.html" in ok.stdout
    (site_copy / "assets" / "runtime.json").write_text("{}")
    edit(site_copy / "pca" / "index.html", 'href="../limits-of-linearity/"', 'href="../nowhere/"')
    bad = subprocess.run([sys.executable, "-m", "site_builder", "check", str(site_copy)], cwd=ROOT,
                         capture_output=True, text=True)
    assert bad.returncode == 1 and "pca/index.html" in bad.stderr
    missing = subprocess.run([sys.executable, "-m", "site_builder", "check", str(site_copy / "nope")], cwd=ROOT,
                             capture_output=True, text=True)
    assert missing.returncode == 2
