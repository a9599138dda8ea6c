"""Sanitising what the page sends: every demo function takes its numbers through here, and
faces.clean_params its face parameters.

A slider can send NaN, an empty string or 1e308; a script can send anything. A demo must
answer all of it with a sensible picture, never an exception, so each value is coerced to
a finite number within its range, or replaced by its default.
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
