"""`python-scratchpad`: run a cell of Python the reader types, the way a notebook does.

The last expression's value is shown like the REPL shows it; print() output is captured.
It runs in the reader's own browser, in a worker: nothing leaves the page.
"""
from __future__ import annotations

import ast
import contextlib
import io
import sys
import traceback

EXAMPLE = """import math
# A vector is a list of numbers; its length comes from Pythagoras.
v = [3.0, 4.0]
print("length of v:", math.hypot(*v))
sum(x * x for x in range(10))"""

_namespace: dict = {"__name__": "__scratchpad__"}


def run_cell(code: str, namespace: dict | None = None) -> dict:
    """Execute `code`; return {"stdout", "result", "error"} (result: repr of the last expression)."""
    scope = _namespace if namespace is None else namespace
    stdout = io.StringIO()
    result, error = None, None
    try:
        tree = ast.parse(code, filename="<cell>", mode="exec")
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        with contextlib.redirect_stdout(stdout):
            exec(compile(tree, "<cell>", "exec"), scope)
            if last is not None:
                value = eval(compile(ast.Expression(last.value), "<cell>", "eval"), scope)
                if value is not None:
                    result = repr(value)
    except KeyboardInterrupt:
        raise
    except BaseException as err:  # a typo, or even SystemExit, must not take the demo down
        lines = traceback.format_exception(type(err), err, err.__traceback__)
        error = "".join(line for line in lines if 'File "<cell>"' in line or not line.startswith("  File")).strip()
    return {"stdout": stdout.getvalue(), "result": result, "error": error,
            "python": sys.version.split()[0], "platform": sys.platform}


def prerender() -> dict:
    """The static first state: the example cell and what CPython printed for it at build time."""
    from html import escape
    out = run_cell(EXAMPLE, namespace={"__name__": "__scratchpad__"})
    shown = out["stdout"] + (out["result"] or "") + (out["error"] or "")
    return {"html": f'<pre class="cell-code"><code>{escape(EXAMPLE)}</code></pre>\n'
                    f'<pre class="cell-output" aria-label="Output">{escape(shown)}</pre>'}


# One run of a small cell, as `make bench` times it in the browser.
INTERACTION = ("run_cell", {"code": "sum(i * i for i in range(100))"})
