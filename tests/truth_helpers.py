"""A chapter's prose after Jinja, with the build's real variables or with a figure changed:
what the verdict tests ("beats PCA" flips to "does not" when the figure does) are built on.

    prose("10-autoencoders")                                             # as the site says it
    prose("10-autoencoders", lambda v: v["models"]["mnist-ae-16d"].update(test_mse=1.0))
"""
from __future__ import annotations

import copy
import functools
from typing import Callable

from conftest import ROOT
from site_builder.assets import Assets
from site_builder.build import RUNTIME_VERSION, Builder, Project, download_sizes
from site_builder.chapters import apply_variables, content_environment
from site_builder.runtime import add_pyodide, add_runtime, add_snapshot, add_weights, core_digests
from site_builder.snapshot import cached_snapshot, compiled_stdlib

PROJECT = Project.at(ROOT)


@functools.cache
def _documents():
    builder = Builder(PROJECT)
    site, chapters, registries = builder.load()
    return builder, site, {c.stem: c for c in chapters + builder.load_pages(site, chapters)}, registries


@functools.cache
def real_variables() -> dict:
    """The variables the build gives every chapter: site, manifest, models, download, facts."""
    builder, site, documents, registries = _documents()
    manifest = builder._manifest()
    facts, _ = builder.build_time_python(tuple(documents.values()), registries)
    assets = Assets()
    demos = {d for c in documents.values() for d in c.demos if d in registries.demos}
    source = PROJECT.root / site.pyodide.package_dir
    core = core_digests(source, builder._file_digest)          # as the build does (cached in .build-cache)
    stdlib = compiled_stdlib(source, core, PROJECT.cache / "stdlib") if site.pyodide.compiled_stdlib else None
    pyodide = add_pyodide(assets, source, builder._file_digest, (), {"python_stdlib.zip": stdlib} if stdlib else None)
    wheel = add_runtime(assets, PROJECT.py_runtime, RUNTIME_VERSION)
    weights = add_weights(assets, PROJECT.weights, {w for d in demos for w in registries.demos[d].weights})
    snapshot = (add_snapshot(assets, cached_snapshot(source, core, assets.files[wheel[0]], PROJECT.cache / "snapshot", stdlib))
                if site.pyodide.snapshot else None)
    return {"site": site, "manifest": manifest, "models": manifest.get("models", {}),
            "download": download_sizes(assets, pyodide, wheel[0], weights, snapshot), "facts": facts}


def prose(stem: str, patch: Callable[[dict], object] | None = None) -> str:
    """Chapter or page `stem` after Jinja, its variables first changed by `patch` (on a copy),
    with every run of whitespace made one space, so a phrase can be looked for across lines."""
    _, _, documents, _ = _documents()
    variables = {k: (v if k == "site" else copy.deepcopy(v)) for k, v in real_variables().items()}
    if patch:
        patch(variables)
    return " ".join(apply_variables(documents[stem], variables, content_environment()).split())
