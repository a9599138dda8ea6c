"""The HTTP headers the site is meant to be served with, read from netlify.toml.

One source of truth for the Content-Security-Policy: the host applies it as a header,
every page carries it as a <meta> tag, and `serve` and the browser tests send it too.
"""
from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import BuildError

# A <meta> policy cannot carry these (browsers ignore them there, with a console error).
NOT_IN_META = ("frame-ancestors", "report-uri", "report-to", "sandbox")


@dataclass(frozen=True)
class HeaderRules:
    rules: tuple[tuple[str, dict[str, str]], ...]   # (path glob, headers), in file order

    def for_path(self, url_path: str) -> dict[str, str]:
        """Headers for a URL path; later rules override earlier ones, as on Netlify."""
        headers: dict[str, str] = {}
        for pattern, values in self.rules:
            if fnmatch.fnmatchcase(url_path, pattern):
                headers.update(values)
        return headers

    @property
    def csp(self) -> str:
        return self.for_path("/index.html").get("Content-Security-Policy", "")

    @property
    def meta_csp(self) -> str:
        directives = [d.strip() for d in self.csp.split(";") if d.strip()]
        return "; ".join(d for d in directives if d.split()[0] not in NOT_IN_META)


def load_headers(netlify_toml: Path) -> HeaderRules:
    try:
        data = tomllib.loads(netlify_toml.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return HeaderRules(())
    except tomllib.TOMLDecodeError as err:
        raise BuildError(f"invalid TOML: {err}", netlify_toml) from None
    rules = []
    for block in data.get("headers", []):
        rules.append((block["for"], {k: str(v) for k, v in block.get("values", {}).items()}))
    return HeaderRules(tuple(rules))
