"""A very small SVG writer: the demos draw their figures in Python, as markup.

The same SVG is the pre-rendered picture in the page (made on CPython at build time) and
the live view (made in the browser's worker), so what the reader sees before and after
Python starts is drawn by one piece of code. Colours come from CSS classes, so the site's
light and dark themes apply; no inline styles (the Content-Security-Policy forbids them).
"""
from __future__ import annotations

import math
from html import escape


def format_number(value: float) -> str:
    """Short, stable numbers: SVG markup stays small and identical across platforms."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class Figure:
    """A drawing in data coordinates: x to the right, y up (maths convention, unlike SVG)."""

    def __init__(self, xmin: float, xmax: float, ymin: float, ymax: float, width: int = 480,
                 title: str = "", css_class: str = "plot"):
        self.xmin, self.xmax, self.ymin, self.ymax = xmin, xmax, ymin, ymax
        self.width = width
        self.height = round(width * (ymax - ymin) / (xmax - xmin))
        self.title, self.css_class = title, css_class
        self.parts: list[str] = []

    # data -> pixel coordinates
    def px(self, x: float, y: float) -> tuple[str, str]:
        sx = (x - self.xmin) / (self.xmax - self.xmin) * self.width
        sy = (self.ymax - y) / (self.ymax - self.ymin) * self.height
        return format_number(sx), format_number(sy)

    def line(self, x1, y1, x2, y2, cls="") -> "Figure":
        (a, b), (c, d) = self.px(x1, y1), self.px(x2, y2)
        self.parts.append(f'<line x1="{a}" y1="{b}" x2="{c}" y2="{d}" class="{cls}"/>')
        return self

    def arrow(self, x1, y1, x2, y2, cls="", head_px=9.0) -> "Figure":
        """A line with a triangular head, drawn in pixel space so heads look the same at any scale."""
        (a, b), (c, d) = [tuple(map(float, self.px(*p))) for p in ((x1, y1), (x2, y2))]
        length = math.hypot(c - a, d - b)
        if length < 1e-9:
            return self
        ux, uy = (c - a) / length, (d - b) / length
        head = min(head_px, length)
        bx, by = c - ux * head, d - uy * head
        left = (bx - uy * head * 0.45, by + ux * head * 0.45)
        right = (bx + uy * head * 0.45, by - ux * head * 0.45)
        a, b, bx, by, c, d = map(format_number, (a, b, bx, by, c, d))
        left, right = (",".join(map(format_number, corner)) for corner in (left, right))
        self.parts.append(f'<g class="{cls}"><line x1="{a}" y1="{b}" x2="{bx}" y2="{by}"/>'
                          f'<polygon points="{c},{d} {left} {right}"/></g>')
        return self

    def polyline(self, points, cls="", closed=False) -> "Figure":
        coords = " ".join(",".join(self.px(x, y)) for x, y in points)
        tag = "polygon" if closed else "polyline"
        self.parts.append(f'<{tag} points="{coords}" class="{cls}"/>')
        return self

    def circle(self, x, y, r_px=4, cls="", attrs="") -> "Figure":
        a, b = self.px(x, y)
        extra = " " + attrs if attrs else ""
        self.parts.append(f'<circle cx="{a}" cy="{b}" r="{format_number(r_px)}" class="{cls}"{extra}/>')
        return self

    def text(self, x, y, label, cls="", anchor="start", dx=0, dy=0) -> "Figure":
        a, b = self.px(x, y)
        self.parts.append(f'<text x="{a}" y="{b}" dx="{format_number(dx)}" dy="{format_number(dy)}" '
                          f'text-anchor="{anchor}" class="{cls}">{escape(str(label))}</text>')
        return self

    def image(self, x, y, w, h, href, cls="", label="") -> "Figure":
        """A raster (e.g. a data: URI PNG of a digit) placed in data coordinates, top-left at (x, y).
        The figure is one role="img" named by its <title>, so its parts carry no ARIA of their
        own (an aria-label on <image> is not allowed): `label` names the figure when it has no
        title yet."""
        a, b = self.px(x, y)
        wpx = w / (self.xmax - self.xmin) * self.width
        hpx = h / (self.ymax - self.ymin) * self.height
        if label and not self.title:
            self.title = label
        self.parts.append(f'<image x="{a}" y="{b}" width="{format_number(wpx)}" height="{format_number(hpx)}" '
                          f'href="{href}" class="{cls}" preserveAspectRatio="none"/>')
        return self

    def raw(self, markup: str) -> "Figure":
        self.parts.append(markup)
        return self

    def grid(self, step=1.0, cls="grid") -> "Figure":
        x = step * int(self.xmin / step)
        while x <= self.xmax:
            self.line(x, self.ymin, x, self.ymax, cls)
            x += step
        y = step * int(self.ymin / step)
        while y <= self.ymax:
            self.line(self.xmin, y, self.xmax, y, cls)
            y += step
        return self.line(self.xmin, 0, self.xmax, 0, "axis").line(0, self.ymin, 0, self.ymax, "axis")

    def to_svg(self) -> str:
        title = f"<title>{escape(self.title)}</title>" if self.title else ""
        return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.width} {self.height}" '
                f'class="{self.css_class}" role="img">{title}' + "".join(self.parts) + "</svg>")


def readouts_html(items: dict[str, str]) -> str:
    """Label/value pairs under a figure, as a description list."""
    rows = "".join(f"<div><dt>{escape(k)}</dt><dd>{escape(str(v))}</dd></div>" for k, v in items.items())
    return f'<dl class="readouts">{rows}</dl>'


def contour_segments(grid, xs, ys, level: float) -> list[tuple[float, float, float, float]]:
    """Marching squares: where a sampled field crosses `level`, as straight segments
    (x1, y1, x2, y2). grid[row][col] is the field at (xs[col], ys[row]); each crossing is found
    by linear interpolation along a cell's edge, and a saddle cell (four crossings) is split
    by the side of its mean value."""
    def node(col, row):
        return xs[col], ys[row]

    def cross(a, b, fa, fb):
        s = (level - fa) / (fb - fa) if fb != fa else 0.5
        return a[0] + s * (b[0] - a[0]), a[1] + s * (b[1] - a[1])

    segments = []
    for r in range(len(ys) - 1):
        for c in range(len(xs) - 1):
            corners = [(c, r), (c + 1, r), (c + 1, r + 1), (c, r + 1)]
            values = [grid[rr][cc] for cc, rr in corners]
            above = [v > level for v in values]
            if all(above) or not any(above):
                continue
            points = [cross(node(*corners[k]), node(*corners[(k + 1) % 4]), values[k], values[(k + 1) % 4])
                      for k in range(4) if above[k] != above[(k + 1) % 4]]
            if len(points) == 2:
                segments.append((*points[0], *points[1]))
            elif len(points) == 4:
                if (sum(values) / 4 > level) == above[0]:
                    segments += [(*points[0], *points[3]), (*points[1], *points[2])]
                else:
                    segments += [(*points[0], *points[1]), (*points[2], *points[3])]
    return segments


def runs(row):
    """Runs of equal values along a row, left to right: (start, length, value) for each."""
    start = 0
    while start < len(row):
        end = start + 1
        while end < len(row) and row[end] == row[start]:
            end += 1
        yield start, end - start, row[start]
        start = end


def run_rects(rows, cell: float, css_class=str, left: float = 0.0, top: float = 0.0,
              overlap: float = 0.0, digits: int = 2) -> list[str]:
    """A grid of values as SVG: one <rect> per run of equal values in a row (runs), cell pixels
    square, row r at top + r·cell, classed css_class(value); a value whose class is None (blank
    paper) is left out. `overlap` widens each rect so that neighbours leave no hairline gap."""
    parts = []
    for r, row in enumerate(rows):
        y = top + r * cell
        for start, length, value in runs(row):
            cls = css_class(value)
            if cls is not None:
                parts.append(f'<rect x="{left + start * cell:.{digits}f}" y="{y:.{digits}f}" '
                             f'width="{length * cell + overlap:.{digits}f}" height="{cell + overlap:.{digits}f}" '
                             f'class="{cls}"/>')
    return parts


def field_rects(classes, cell: float) -> str:
    """A sampled field as one <rect> per run of equal class in a row: rows of CSS class names,
    each cell `cell` pixels square, wrapped in <g class="field">."""
    return '<g class="field">' + "".join(run_rects(classes, cell)) + "</g>"
