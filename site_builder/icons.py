"""The site's icon and web app manifest, so that tabs show it and the offline copy installs.

One drawing, the article's picture of a deepfake (one encoder narrowing to a code, two
decoders widening from it), is written twice from the same shapes: as SVG for browsers that
take it, and by Pillow as PNGs and `favicon.ico` for those that do not (Pillow draws without
anti-aliasing, so it draws at four times the size and scales down).
"""
from __future__ import annotations

import hashlib
import io
import json
from functools import lru_cache
from pathlib import Path

from .cache import cached

BOX = 64
BACKGROUND = "#0a5bb0"          # the site's accent colour
SHAPES = (                        # (fill, polygon in a 64×64 box)
    ("#ffffff", ((9, 13), (29, 26), (29, 38), (9, 51))),           # the shared encoder
    ("#ffffff", ((35, 25), (55, 11), (55, 30), (35, 30))),         # decoder A
    ("#ffd27f", ((35, 34), (55, 34), (55, 53), (35, 39))),         # decoder B
)
RADIUS = 13


def svg_icon() -> bytes:
    polygons = "".join(f'<polygon fill="{fill}" points="{" ".join(f"{x},{y}" for x, y in points)}"/>'
                       for fill, points in SHAPES)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {BOX} {BOX}">'
            f'<rect width="{BOX}" height="{BOX}" rx="{RADIUS}" fill="{BACKGROUND}"/>{polygons}</svg>\n').encode()


def _drawn(size: int, rounded: bool = True):
    from PIL import Image, ImageDraw
    big = size * 4
    scale = big / BOX
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0) if rounded else BACKGROUND)
    draw = ImageDraw.Draw(image)
    if rounded:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=RADIUS * scale, fill=BACKGROUND)
    for fill, points in SHAPES:
        draw.polygon([(x * scale, y * scale) for x, y in points], fill=fill)
    return image.resize((size, size), Image.LANCZOS)


@lru_cache(maxsize=None)                 # the same drawing every build: drawn once a process
def png_icon(size: int, rounded: bool = True) -> bytes:
    out = io.BytesIO()
    _drawn(size, rounded).save(out, format="PNG", optimize=True)
    return out.getvalue()


@lru_cache(maxsize=None)
def favicon_ico() -> bytes:
    out = io.BytesIO()
    _drawn(48).save(out, format="ICO", sizes=[(16, 16), (32, 32), (48, 48)])
    return out.getvalue()


def web_manifest(site, icons: dict[str, str]) -> bytes:
    """`manifest.webmanifest`: icons are site paths, made relative to the manifest (the root)."""
    return json.dumps({
        "name": site.title,
        "short_name": site.title,
        "description": site.description or site.subtitle,
        "lang": site.language,
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "background_color": "#fcfbf7",
        "theme_color": BACKGROUND,
        "icons": [{"src": path, "sizes": size, "type": kind} for (size, kind), path in icons.items()],
    }, indent=2, ensure_ascii=False).encode()


def _cached(cache: Path | None, name: str, make) -> bytes:
    """A drawing from the build cache, keyed by this module's source (the shapes live here)."""
    if cache is None:
        return make()
    key = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    return cached(cache / f"{name}.{key}", f"{name}.*", make)


def add_icons(assets, site, cache: Path | None = None) -> tuple[dict[str, str], bytes, bytes]:
    """The icon files (fingerprinted under assets/), the manifest and favicon.ico (both at
    the root, where browsers look for them). Returns (paths for the page head, manifest, ico)."""
    head = {
        "svg": assets.add("icons/icon.svg", svg_icon()),
        "apple": assets.add("icons/apple-touch-icon.png",
                            _cached(cache, "apple-touch-icon.png", lambda: png_icon(180, rounded=False))),
    }
    icons = {
        ("any", "image/svg+xml"): head["svg"],
        ("192x192", "image/png"): assets.add("icons/icon-192.png", _cached(cache, "icon-192.png", lambda: png_icon(192))),
        ("512x512", "image/png"): assets.add("icons/icon-512.png", _cached(cache, "icon-512.png", lambda: png_icon(512))),
    }
    return head, web_manifest(site, icons), _cached(cache, "favicon.ico", favicon_ico)
