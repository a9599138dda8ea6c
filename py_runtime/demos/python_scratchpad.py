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

# The mechanism of chapter 1 on one face: E, D_A and D_B of the site's faces-swap model (the
# demo's toml loads its weights), with B really rendered at A's pose as the ground truth.
EXAMPLE = """from py_runtime import pipeline, swap
model = swap.load()              # E, D_A and D_B: this site's faces-swap weights
# Settings not named keep their defaults; each is clamped to its range in faces.PARAMS.
pose = {"yaw": 0.5, "light": -0.6, "smile": 0.8}
crop = pipeline.aligned_crop     # find the face, align it, cut it out
x_A = crop("A", pose).pixels     # A's face: 64×64 pixels × 3 colours, each in [0, 1]
z = model.encode(x_A)            # E(x_A): the code both decoders read
rebuilt = model.decode(z, "A")   # D_A(z)
swapped = model.decode(z, "B")   # D_B(z): the swap
truth = crop("B", pose).pixels   # B really making that face

def rms(u, v):                   # root-mean-square difference
    return (sum((a - b) ** 2 for a, b in zip(u, v)) / len(u)) ** 0.5

print(len(x_A), "numbers in, a code of", len(z))
print("D_A(z) against A:", round(rms(rebuilt, x_A), 3))
print("D_B(z) against B:", round(rms(swapped, truth), 3))
print("D_B(z) against A:", round(rms(swapped, x_A), 3))
[round(v, 1) for v in z]         # the code z itself, rounded"""

# The reader's variables between cells: the page's one scratchpad, so one namespace (what the
# reader builds up is kept in one module-level dict, as in every demo: _lib/models.py).
_namespace: dict = {"__name__": "__scratchpad__"}


def as_code(value) -> str:
    """What the page sent, as cell text: None is an empty cell, anything else its str()."""
    if value is None or isinstance(value, str):
        return value or ""
    try:
        return str(value)
    except Exception:              # an object whose __str__ raises is an empty cell too
        return ""


def run_cell(code: str = "", namespace: dict | None = None) -> dict:
    """Execute `code` (none: an empty cell); return {"stdout", "result", "error"} (result: repr
    of the last expression)."""
    scope = _namespace if not isinstance(namespace, dict) else namespace
    code = as_code(code)
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
