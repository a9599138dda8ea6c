"""Sanitising what the page sends: every demo function takes every value it reads through
here (numbers, whole numbers, angles, a name from a set, an id, a list of numbers), and
faces.clean_params its face parameters (through `number`). No demo keeps a cleaner of its own.

A slider can send NaN, an empty string or 1e308; a script can send anything (10**400, a
list, a dict, True). A demo must answer all of it with a sensible picture, never an
exception, so each value is coerced to a finite number within its range, or to one of its
names, or replaced by its default. tests/test_demo_contract.py holds every demo function
the UIs call to that, through the bridge.
"""
from __future__ import annotations

import math


def number(value, default: float, low: float, high: float) -> float:
    """A finite float in [low, high]; `default` when `value` is not a finite number."""
    try:
        value = float(value)
    except (TypeError, ValueError, OverflowError):
        return default
    if not math.isfinite(value):
        return default
    return min(max(value, low), high)


def integer(value, default: int, low: int, high: int) -> int:
    """A whole number in [low, high], rounded; `default` when `value` is not a finite number."""
    return int(round(number(value, default, low, high)))


def clean(params: dict, defaults: dict, limits: dict) -> dict:
    """Every key of `defaults`, from `params` where usable: limits maps key -> (low, high)."""
    return {key: number(params.get(key, default), default, *limits[key]) for key, default in defaults.items()}


def choice(value, options, default):
    """`value` if it is one of `options` (names: strings), else `default`: a name from the page
    picks from a fixed set, and a list, a dict or a look-alike number never reaches a lookup."""
    return value if isinstance(value, str) and value in options else default


def text(value, default: str, limit: int) -> str:
    """A non-empty string cut to `limit` characters, else `default`: an id the page makes up."""
    return value[:limit] if isinstance(value, str) and value else default


def angle(value, default: float, low: float = -180.0, high: float = 180.0) -> float:
    """Degrees wrapped into [-180, 180) then kept in [low, high]: a turn past ±180 comes round
    the other side (270 is -90) instead of sticking at the end; `default` when not a finite
    number (beyond ±1e6, where a float no longer holds the degrees, it stops at ±1e6)."""
    turned = number(value, math.nan, -1e6, 1e6)
    if math.isnan(turned):
        return default
    return number((turned + 180.0) % 360.0 - 180.0, default, low, high) + 0.0


def numbers(value, length: int, fill: float, low: float, high: float) -> list[float] | None:
    """Exactly `length` numbers, each a finite float in [low, high] (`fill` for one that is not
    a number), or None when `value` is not a list of that length: a picture's pixels fill its
    grid or there is no picture."""
    if not isinstance(value, (list, tuple)) or len(value) != length:
        return None
    return [float(v) if (type(v) is float or type(v) is int) and low <= v <= high     # the usual case, fast
            else (fill if isinstance(v, bool) else number(v, fill, low, high)) for v in value]


def flag(value) -> bool:
    """True for True itself only: a switch from the page is on when it says so, and a 1, a
    "yes" or a non-empty list leaves it off."""
    return value is True
