"""The one place where values are checked against gendsl/limits.py.

The CLI, the Python API, the playground and restore (whose values come from a PNG
anyone may have edited) all call these, so a limit cannot hold on one path and not
on another. Each failure is a GendslError whose message says what was wanted.
It lives in `lang`, the lowest floor, because the compiler checks numbers too.
"""
from __future__ import annotations

import math
import numbers

from .. import limits
from .errors import GendslError

RESAMPLES = ("nearest", "bicubic")


def whole(value, what: str, low: int, high: int, strict: bool = True) -> int:
    """An int in [low, high]. strict: it must already be an int (metadata, API);
    otherwise a float or text that holds a whole number is taken too (a widget's value)."""
    if value is None or value == "":
        raise GendslError(f"{what} is empty: give a whole number from {low} to {high}")
    if isinstance(value, bool) or (strict and not isinstance(value, numbers.Integral)):
        raise GendslError(f"{what} is a whole number from {low} to {high}, not {_show(value)}")
    if not isinstance(value, numbers.Integral):
        try:
            number = float(value)
        except (TypeError, ValueError, OverflowError):
            raise GendslError(f"{what} is a whole number, not {_show(value)}") from None
        if not math.isfinite(number) or number != int(number):
            raise GendslError(f"{what} is a whole number, not {_show(value)}")
        value = int(number)
    if not low <= value <= high:
        raise GendslError(f"{what} goes from {low} to {high}, not {_show(value)}")
    return int(value)


def seed(value, what: str = "seed", strict: bool = True) -> int:
    if isinstance(value, numbers.Integral) and not isinstance(value, bool) and not 0 <= value <= limits.MAX_SEED:
        raise GendslError(f"{what} {_show(value)} is out of range: seeds go from 0 to {limits.MAX_SEED}")
    return whole(value, what, 0, limits.MAX_SEED, strict)


def fraction(value, what: str = "a variation strength") -> float:
    """A finite number from 0 to 1."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value) \
            or not 0 <= value <= 1:
        raise GendslError(f"{what} goes from 0 to 1, not {_show(value)}")
    return float(value)


def upscale(factor, resample, size: int = 0) -> int:
    """A display upscaling factor, its resampling, and the size it makes (at most limits.MAX_DISPLAY_SIDE)."""
    if resample not in RESAMPLES:
        raise GendslError(f'unknown resampling {_show(resample)}; choose {" or ".join(RESAMPLES)}')
    if isinstance(factor, bool) or not isinstance(factor, numbers.Integral) or not 1 <= factor <= limits.MAX_UPSCALE:
        raise GendslError(f"upscaling goes from 1 to {limits.MAX_UPSCALE} times, not {_show(factor)}")
    if size * factor > limits.MAX_DISPLAY_SIDE:
        raise GendslError(f"{size} px upscaled {factor} times is larger than {limits.MAX_DISPLAY_SIDE} px")
    return int(factor)


def size(value, what: str = "size") -> int:
    if isinstance(value, bool) or value not in limits.SIZES:
        raise GendslError(f"{what} must be one of {', '.join(map(str, limits.SIZES))}, not {_show(value)}")
    return int(value)


def choice(value, options, what: str) -> str:
    """One of `options`; `what` names the kind ("seed mode"): 'unknown seed mode "x"; seed modes: …'."""
    if not isinstance(value, str) or value not in options:
        shown = f'"{value}"' if isinstance(value, str) and len(value) <= 40 else _show(value)
        raise GendslError(f"unknown {what} {shown}; {what}s: {', '.join(map(str, options))}")
    return value


def text(value, what: str, max_chars: int) -> str:
    if not isinstance(value, str):
        raise GendslError(f"{what} is text, not {_show(value)}")
    if len(value) > max_chars:
        raise GendslError(f"{what} is at most {max_chars} characters, not {len(value)}")
    return value


def image_pixels(width: int, height: int, name: str, max_side: int | None = None) -> None:
    """Refuse an image too large to decode before a byte of its pixels is read (a decompression bomb)."""
    if width * height > limits.MAX_IMAGE_PIXELS or (max_side and max(width, height) > max_side):
        most = f"{max_side} px on a side" if max_side else f"{limits.MAX_IMAGE_PIXELS:,} pixels"
        raise GendslError(f"{name} is {width}x{height} pixels; gendsl reads images of at most {most}")


def _show(value) -> str:
    """A value for a message, cut short: a hostile one may be huge."""
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."
