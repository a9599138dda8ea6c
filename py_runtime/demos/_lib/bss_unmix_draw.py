"""The bss-unmix demo's pictures: the four scatter panels (sources, microphones, whitened,
recovered), the six waveform traces, and the first state as static HTML."""
from __future__ import annotations

from html import escape

from .svg import Figure

PANEL = 220


def scatter(title: str, xs, ys, arrows=(), lines=(), outline=None) -> dict:
    reach = max([max(abs(v) for v in xs), max(abs(v) for v in ys), 1e-6] +
                [max(abs(px), abs(py)) for px, py, _ in arrows]) * 1.12
    fig = Figure(-reach, reach, -reach, reach, width=PANEL, title=title, css_class="plot bss-panel")
    fig.line(-reach, 0, reach, 0, "axis").line(0, -reach, 0, reach, "axis")
    if outline:
        fig.polyline(outline, "outline", closed=True)
    for (dx, dy) in lines:
        fig.line(-reach * dx * 2, -reach * dy * 2, reach * dx * 2, reach * dy * 2, "ica-axis")
    fig.raw(f'<path d="{_dots(fig, xs, ys)}" class="dots"/>')
    for px, py, label in arrows:
        fig.arrow(0, 0, px, py, "column", head_px=7)
        fig.text(px, py, label, "label", dx=4, dy=-4)
    return {"title": title, "svg": fig.to_svg()}


def empty(title: str, message: str) -> dict:
    fig = Figure(-1, 1, -1, 1, width=PANEL, title=title, css_class="plot bss-panel")
    fig.line(-1, 0, 1, 0, "axis").line(0, -1, 0, 1, "axis")
    fig.text(0, 0.1, message, "label", anchor="middle")
    return {"title": title, "svg": fig.to_svg()}


def _scales(fig: Figure):
    return fig.width / (fig.xmax - fig.xmin), fig.height / (fig.ymax - fig.ymin)


def _dots(fig: Figure, xs, ys) -> str:
    """Points as one SVG path of zero-length round-capped strokes (what Figure.px does, but
    formatted in one go: hundreds of points on every slider move)."""
    sx, sy = _scales(fig)
    x0, y1 = fig.xmin, fig.ymax
    return "".join("M%.1f %.1fh0" % ((x - x0) * sx, (y1 - y) * sy) for x, y in zip(xs, ys))


def trace(values, cls: str, label: str) -> str:
    peak = max(max(abs(v) for v in values), 1e-9)
    fig = Figure(0, len(values) - 1, -1.15, 1.15, width=360, css_class=f"plot bss-trace {cls}", title=label)
    fig.height = 44                                     # a flat strip: not to scale in y
    fig.line(0, 0, len(values) - 1, 0, "axis")
    sx, sy = _scales(fig)
    points = " ".join("%.1f,%.1f" % (i * sx, (fig.ymax - v / peak) * sy) for i, v in enumerate(values))
    fig.raw(f'<polyline points="{points}" class="wave"/>')
    return fig.to_svg()


def panel_html(panel) -> str:
    return (f'<div class="bss-panel-box">{panel["svg"]}'
            f'<div class="bss-panel-caption">{escape(panel["title"])}</div></div>')


def static_html(s) -> str:
    """The first state (a view) as HTML: the four scatter panels, the six traces, the readouts."""
    labels = s["labels"]
    panels = "".join(panel_html(panel) for panel in s["panels"])
    groups = (("Sources", ("s1", "s2")), ("Microphones (the mixtures)", ("x1", "x2")), ("Recovered by ICA", ("y1", "y2")))
    rows = "".join(
        f'<div class="bss-group"><p class="bss-group-title">{title}</p>' + "".join(
            f'<div class="bss-row"><button type="button" class="secondary bss-play" disabled '
            f'aria-label="Play {labels[k]} (once Python has started)">▶</button><div class="bss-wavebox">'
            f'<span class="bss-row-label">{labels[k]}</span><div class="bss-wave">{s["traces"][k]}</div></div></div>'
            for k in keys)
        + "</div>" for title, keys in groups)
    return (f'<div class="bss-panels">{panels}</div><div class="bss-traces">{rows}</div>{s["readouts"]}')
