"""Every formula of every page, as Chromium renders it in the built site: screenshots to look at.

    .venv/bin/python bench/math_screenshots.py [--site _site] [--out /tmp/math-shots] [--page pca]

Serves the built site on 127.0.0.1 with netlify.toml's headers (so the Content-Security-Policy
applies, as in production), opens each page that has formulas (not /all/, which repeats the
chapters) in headless Chromium (Debian's, through Playwright; every request elsewhere is
blocked) and writes, per page, contact sheets OUT/PAGE-N.png: each formula numbered, in its
place in the prose (a margin of the text around it), with its TeX source under it. OUT/report.json
lists every formula with its size, its computed font family and the problems found: a formula
wider than its column (display math scrolls), or one not set in STIX Two Math.
"""
from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from site_builder.headers import load_headers  # noqa: E402
from site_builder.serve import make_server  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHEET_HEIGHT = 1500          # pixels: small enough to look at whole
SHEET_WIDTH = 1400
MARGIN = 28                  # CSS pixels of the page around each formula

MEASURE = """() => [...document.querySelectorAll('main math')].map((m, i) => {
  m.dataset.shot = i;
  const r = m.getBoundingClientRect(), box = m.closest('.math-display');
  return {index: i, display: m.getAttribute('display') === 'block',
          tex: (m.querySelector('annotation') || {}).textContent || '',
          x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height,
          font: getComputedStyle(m).fontFamily,
          overflows: box ? box.scrollWidth > box.clientWidth + 1 : false};
})"""


def pages_with_math(site: Path) -> list[str]:
    found = []
    for page in sorted(site.glob("*/index.html")):
        if page.parent.name != "all" and "<math" in page.read_text(encoding="utf-8"):
            found.append(page.parent.name)
    return found


def contact_sheets(shots: list[tuple[dict, bytes]], out: Path, name: str, width: int) -> list[Path]:
    """The shots, labelled and packed in rows, on sheets `width` pixels wide."""
    from io import BytesIO

    from PIL import Image, ImageDraw, ImageFont
    font = ImageFont.load_default(size=20)
    tiles = []
    for info, png in shots:
        image = Image.open(BytesIO(png)).convert("RGB")
        if image.width > width:
            image = image.resize((width, int(image.height * width / image.width)))
        flag = "  WIDER THAN THE COLUMN" if info["overflows"] else ""
        label = f"#{info['index']}{flag}  {info['tex']}"
        limit = max(image.width, 420)
        while font.getlength(label) > limit and len(label) > 8:
            label = label[:-4] + "…"
        tile = Image.new("RGB", (min(width, max(image.width, int(font.getlength(label)) + 8)), image.height + 26),
                         "white")
        tile.paste(image, (0, 0))
        draw = ImageDraw.Draw(tile)
        draw.text((4, image.height + 2), label, fill=(200, 0, 0) if flag else (70, 70, 200), font=font)
        draw.rectangle([0, 0, tile.width - 1, tile.height - 1], outline=(190, 190, 190))
        tiles.append(tile)
    rows, row, used = [], [], 0                       # pack the tiles left to right
    for tile in tiles:
        if row and used + tile.width > width:
            rows.append(row)
            row, used = [], 0
        row.append(tile)
        used += tile.width + 6
    if row:
        rows.append(row)
    sheets, batch, height = [], [], 0
    for r in rows + [None]:
        row_height = max(t.height for t in r) + 6 if r else 0
        if r is None or (batch and height + row_height > SHEET_HEIGHT):
            sheet = Image.new("RGB", (width, height), "white")
            y = 0
            for tiles_row in batch:
                x = 0
                for t in tiles_row:
                    sheet.paste(t, (x, y))
                    x += t.width + 6
                y += max(t.height for t in tiles_row) + 6
            path = out / f"{name}-{len(sheets) + 1:02d}.png"
            sheet.save(path)
            sheets.append(path)
            batch, height = [], 0
        if r is not None:
            batch.append(r)
            height += row_height
    return sheets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, default=ROOT / "_site")
    parser.add_argument("--out", type=Path, default=Path("/tmp/math-shots"))
    parser.add_argument("--page", action="append", help="only this page (its folder name); repeatable")
    parser.add_argument("--scale", type=float, default=2)
    parser.add_argument("--width", type=int, default=1280, help="viewport width in CSS pixels")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    names = args.page or pages_with_math(args.site)
    server = make_server(args.site, 0, load_headers(ROOT / "netlify.toml"))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    report, blocked, errors = {}, [], []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                        args=["--headless", "--no-sandbox", "--disable-gpu"])
            context = browser.new_context(viewport={"width": args.width, "height": 900},
                                          device_scale_factor=args.scale)

            def route(route_, request):
                host = urlsplit(request.url).hostname or ""
                if request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
                    return route_.continue_()
                blocked.append(request.url)
                return route_.abort()

            context.route("**/*", route)
            page = context.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            for name in names:
                page.goto(base + name + "/", wait_until="load")
                page.evaluate("document.fonts.ready.then(() => true)")
                formulas = page.evaluate(MEASURE)
                shots, hidden = [], 0
                full = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
                for info in formulas:
                    if not info["width"]:           # a note's copy hidden at this width (sidenote or footnote)
                        hidden += 1
                        continue
                    x0, y0 = max(0, info["x"] - MARGIN), max(0, info["y"] - MARGIN / 2)
                    x1 = min(full[0], info["x"] + info["width"] + MARGIN)
                    y1 = min(full[1], info["y"] + info["height"] + MARGIN / 2)
                    png = page.screenshot(full_page=True, clip={"x": x0, "y": y0, "width": max(1, x1 - x0),
                                                                "height": max(1, y1 - y0)})
                    shots.append((info, png))
                sheets = contact_sheets(shots, args.out, name, SHEET_WIDTH)
                report[name] = {"formulas": formulas, "sheets": [str(s) for s in sheets],
                                "loaded_fonts": page.evaluate("[...document.fonts].filter(f => f.status === 'loaded')"
                                                              ".map(f => f.family)")}
                wide = sum(f["overflows"] for f in formulas)
                print(f"{name}: {len(formulas)} formulas ({hidden} hidden at this width: notes' other copies), "
                      f"{len(sheets)} sheets, {wide} wider than the column")
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    problems = [f"{name} #{f['index']}: {why} ({html.unescape(f['tex'])[:80]})"
                for name, r in report.items() for f in r["formulas"] if f["width"]
                for why in (["wider than the column"] if f["overflows"] else [])
                + ([] if re.match(r'"?STIX Two Math', f["font"]) else [f"font {f['font']}"])]
    problems += [f"blocked request: {u}" for u in blocked] + [f"console error: {e}" for e in errors]
    (args.out / "report.json").write_text(json.dumps({"pages": report, "problems": problems}, indent=1))
    print("\n".join(problems) or "no problems")
    print(f"sheets and report.json in {args.out}")


if __name__ == "__main__":
    main()
