"""Words left out of a scene, reported to whoever asked for it.

Warnings reach the front ends through `unused_words()`, a context that collects them
per request (a contextvar, so threads of the playground do not mix), or else through
Python's warnings. A world's compiler calls `report_unused` with what it left out.
"""
from __future__ import annotations

import warnings
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from .errors import Location, SketchError, UnusedWords

@dataclass
class UnusedReport:
    """The warnings of one request (a CLI run, a playground render), each once."""

    strict: bool = False
    found: list[UnusedWords] = field(default_factory=list)

    def messages(self, for_person: bool = False) -> list[str]:
        return [w.for_person() if for_person else str(w) for w in self.found]


_REPORT: ContextVar[UnusedReport | None] = ContextVar("gendsl_unused_words", default=None)


@contextmanager
def unused_words(strict: bool = False):
    """Collect the UnusedWords warnings of what runs inside (strict: raise the first as an error)."""
    report = UnusedReport(strict)
    token = _REPORT.set(report)
    try:
        yield report
    finally:
        _REPORT.reset(token)


def report_unused(warning: UnusedWords, strict: bool = False) -> None:
    report = _REPORT.get()
    if strict or (report is not None and report.strict):
        raise SketchError(f"the world cannot draw {warning.shown}", warning.location,
                          "remove them, or leave strict mode to draw the scene without them")
    if report is None:
        warnings.warn(warning, stacklevel=4)
    elif all(str(w) != str(warning) for w in report.found):
        report.found.append(warning)


def unused_warning(words: list[tuple[str, Location]]) -> UnusedWords:
    shown = ", ".join(f'"{w}"' for w, _ in words)
    noun = "this word" if len(words) == 1 else "these words"
    warning = UnusedWords(f"the world cannot draw {shown}: the scene is drawn without {noun}", words[0][1],
                          "strict mode (--strict) refuses words it cannot draw")
    warning.shown = shown
    return warning
