"""The scratchpad's example cell as CPython prints it, and a comparison that tells "the example ran"
from anything else without typing its output into the tests.

The page runs the cell in Pyodide, often with the pure-Python backend, while the build ran it on
CPython with NumPy (float32): the printed numbers can differ in their last rounded digit.
"""
from __future__ import annotations

import functools
import re

NUMBER = re.compile(r"[-+]?\d+(?:\.(\d+))?")


@functools.cache
def example_output() -> str:
    """What the example cell prints on CPython here: stdout, then the last expression's repr."""
    from py_runtime.demos import python_scratchpad as scratchpad
    cell = scratchpad.run_cell(scratchpad.EXAMPLE, namespace={"__name__": "__scratchpad__"})
    assert cell["error"] is None, cell["error"]
    return cell["stdout"] + (cell["result"] or "")


def same_output(shown: str, expected: str) -> bool:
    """The same words, and every number within one step of the precision it is printed with."""
    if NUMBER.sub("#", shown.strip()) != NUMBER.sub("#", expected.strip()):
        return False
    for got, want in zip(NUMBER.finditer(shown), NUMBER.finditer(expected)):
        decimals = len(want.group(1) or "")
        if abs(float(got.group()) - float(want.group())) > 1.01 * 10 ** -decimals:
            return False
    return True


def shows_example(shown: str) -> bool:
    """The output pane holds what the example cell prints (as the page's Python computed it)."""
    return same_output(shown, example_output())
