"""Every demo: registered, embedded once, its UI module present, pre-rendered on CPython."""
from __future__ import annotations

import importlib
import re

import pytest

from demo_helpers import embedded_demos, registered_demos

DEMOS = registered_demos()


def test_every_registered_demo_is_embedded_in_a_chapter():
    assert set(embedded_demos()) == set(DEMOS)


@pytest.mark.parametrize("name", sorted(DEMOS))
def test_prerender_produces_the_static_first_state(name):
    demo = DEMOS[name]
    module_name, _, function = demo.prerender.partition(":")
    state = getattr(importlib.import_module(module_name), function)()
    assert {"html", "svg", "png"} & set(state)
    if "html" in state:
        assert len(state["html"]) > 100 and "<script" not in state["html"] and " style=" not in state["html"]
        assert not re.search(r"\son\w+=", state["html"])
    assert demo.script.exists() and "export async function mount" in demo.script.read_text()


def test_prerendered_demos_are_in_the_built_pages(built_site):
    for name, page in embedded_demos().items():
        html = (built_site / page / "index.html").read_text()
        match = re.search(rf'<figure class="demo" id="demo-{name}" data-demo="{name}" data-state="static"'
                          rf'.*?<div class="demo-static">(.*?)</div>\s*<div class="demo-live" hidden>', html, re.S)
        assert match and len(match.group(1)) > 100, name
