"""Social cards: the 1200×630 picture a link to a chapter shows when it is shared.

Drawn at build time by Pillow: the chapter's number and title on the left, on the right a
picture the chapter holds (its first video's poster, else its first pre-rendered figure or
demo picture that is a PNG), and the site's name with its icon below. Cached by their
inputs, so a warm build draws none.
"""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

from .cache import cached

WIDTH, HEIGHT = 1200, 630
BACKGROUND, TEXT, MUTED, ACCENT = "#fcfbf7", "#1f2023", "#5d5f66", "#0a5bb0"
MARGIN = 64
PICTURE_BOX = (560, 420)         # the picture is scaled to fit this box, on the right


def _font(size: int):
    from PIL import ImageFont
    return ImageFont.load_default(size=size)          # Pillow's own scalable face: no system font needed


def _wrapped(draw, text: str, font, width: int, max_lines: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if draw.textlength(trial, font=font) <= width or not line:
            line = trial
        else:
            lines.append(line)
            line = word
    lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip(" ,.;:") + "…"
    return lines


def draw_card(kicker: str, title: str, site_title: str, picture: bytes | None) -> bytes:
    from PIL import Image, ImageDraw

    from .icons import png_icon
    card = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(card)
    text_width = WIDTH - 2 * MARGIN - (PICTURE_BOX[0] + 40 if picture else 0)
    if picture:
        image = Image.open(io.BytesIO(picture)).convert("RGB")
        image.thumbnail(PICTURE_BOX, Image.LANCZOS)
        x = WIDTH - MARGIN - image.width
        y = (HEIGHT - image.height) // 2 - 20
        card.paste(image, (x, y))
        draw.rectangle((x - 1, y - 1, x + image.width, y + image.height), outline="#dcd8cc")
    draw.text((MARGIN, MARGIN + 20), kicker.upper(), font=_font(30), fill=ACCENT)
    title_font = _font(64 if len(title) < 40 else 52)
    y = MARGIN + 80
    for line in _wrapped(draw, title, title_font, text_width, 4):
        draw.text((MARGIN, y), line, font=title_font, fill=TEXT)
        y += int(title_font.size * 1.2)
    icon = Image.open(io.BytesIO(png_icon(56))).convert("RGBA")
    card.paste(icon, (MARGIN, HEIGHT - MARGIN - 56), icon)
    draw.text((MARGIN + 72, HEIGHT - MARGIN - 44), site_title, font=_font(34), fill=MUTED)
    out = io.BytesIO()
    card.save(out, format="PNG", optimize=True)
    return out.getvalue()


def cached_card(cache: Path, kicker: str, title: str, site_title: str, picture: bytes | None) -> bytes:
    from .icons import SHAPES
    key = hashlib.sha256(repr((kicker, title, site_title, SHAPES, Path(__file__).read_bytes())).encode()
                         + (picture or b"")).hexdigest()[:32]
    return cached(cache / f"{key}.png", f"{key}.tmp", lambda: draw_card(kicker, title, site_title, picture))


def add_cards(assets, site, documents, registries, static_states: dict, figure_states: dict, cache: Path) -> dict[str, str]:
    """Each document's social card (and the site's, under ""), added to `assets`; their absolute URLs."""
    def picture(doc) -> bytes | None:
        posters = [registries.videos[v].poster for v in doc.videos if v in registries.videos]
        for poster in posters:
            if poster.is_file():
                return poster.read_bytes()
        states = [figure_states.get(n, {}) for n in doc.figures] + [static_states.get(n, {}) for n in doc.demos]
        return next((state["png"] for state in states if "png" in state), None)

    cards = {}
    chapters = [d for d in documents if d.kind == "chapter"]
    for doc in documents:
        kicker = f"Chapter {doc.number} of {len(chapters)}" if doc.kind == "chapter" else site.title
        data = cached_card(cache, kicker, doc.title, site.title, picture(doc))
        cards[doc.stem] = site.base_url + assets.add(f"cards/{doc.slug}.png", data)
    first = next((p for p in map(picture, chapters) if p), None)
    cards[""] = site.base_url + assets.add("cards/site.png", cached_card(cache, site.subtitle or "", site.title,
                                                                           site.title, first))
    return cards
