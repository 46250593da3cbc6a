"""Located, helpful errors for bad sketches and scenes.

Every user mistake becomes a `SketchError` that names the file, line and
column, shows the line with a caret under the problem, says what was expected
and, for unknown words, suggests the nearest known one. Front ends print
`str(error)` and exit 2; nothing falls back silently.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass

from .ir import Source

EXCERPT_CHARS = 120  # of a source line shown under a message


class GendslError(Exception):
    """A problem with the user's input or setup, shown as a message, never a traceback."""


@dataclass(frozen=True)
class Location:
    source: Source
    offset: int
    length: int = 1

    def line_col(self) -> tuple[int, int]:
        text = self.source.text
        offset = min(max(self.offset, 0), len(text))
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        return line, column

    def excerpt(self) -> str:
        """The source line with a caret (or carets) under the problem."""
        text = self.source.text
        offset = min(max(self.offset, 0), len(text))
        start = text.rfind("\n", 0, offset) + 1
        end = text.find("\n", offset)
        end = len(text) if end < 0 else end
        line_no, column = self.line_col()
        gutter = f"{line_no:>4} | "
        width = max(1, min(self.length, end - offset, EXCERPT_CHARS // 2))
        before, after = "", ""
        if end - start > EXCERPT_CHARS:  # a long line (a hostile one may be 256 kB) is shown around the problem
            if offset - start > EXCERPT_CHARS // 2:
                start, before = offset - EXCERPT_CHARS // 2, "…"
            if end - offset > EXCERPT_CHARS // 2:
                end, after = offset + EXCERPT_CHARS // 2, "…"
        pad = "".join("\t" if ch == "\t" else " " for ch in before + text[start:offset])
        return f"{gutter}{before}{text[start:end]}{after}\n{' ' * (len(gutter) - 2)}| {pad}{'^' * width}"


class SketchError(GendslError):
    """A mistake in a sketch or scene, with where it is and what might fix it."""

    def __init__(self, message: str, location: Location | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint

    @property
    def line(self) -> int | None:
        return self.location.line_col()[0] if self.location else None

    @property
    def column(self) -> int | None:
        return self.location.line_col()[1] if self.location else None

    def __str__(self) -> str:
        if self.location is None:
            head = f"error: {self.message}"
            return head + (f"\n  hint: {self.hint}" if self.hint else "")
        line, column = self.location.line_col()
        parts = [f"{self.location.source.name}:{line}:{column}: error: {self.message}", self.location.excerpt()]
        if self.hint:
            parts.append(f"  hint: {self.hint}")
        return "\n".join(parts)


def did_you_mean(text: str, candidates, cutoff: float = 0.7) -> tuple[str, str] | None:
    """The candidate nearest to the first one, two or three words of `text`.

    Returns (the words of text that were compared, the suggestion), or None.
    Multi-word phrases are compared word for word count: 'parkng lot' is
    matched against 'parking lot', not against 'parking'.
    """
    words = text.split()
    best: tuple[float, str, str] | None = None
    for n in range(1, min(3, len(words)) + 1):
        chunk = " ".join(words[:n]).lower()
        pool = [c for c in candidates if len(c.split()) == n]
        for match in difflib.get_close_matches(chunk, pool, n=1, cutoff=cutoff):
            score = difflib.SequenceMatcher(None, chunk, match).ratio()
            if best is None or score > best[0]:
                best = (score, " ".join(words[:n]), match)
    return (best[1], best[2]) if best else None


def suggestion_hint(text: str, candidates, cutoff: float = 0.7) -> str | None:
    match = did_you_mean(text, candidates, cutoff)
    return f'did you mean "{match[1]}"?' if match else None
