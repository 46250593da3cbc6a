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

    def excerpt(self, gutter: bool = True) -> str:
        """The source line with a caret (or carets) under the problem; gutter: its line number before it."""
        text = self.source.text
        offset = min(max(self.offset, 0), len(text))
        start = text.rfind("\n", 0, offset) + 1
        end = text.find("\n", offset)
        end = len(text) if end < 0 else end
        line_no, column = self.line_col()
        gutter = f"{line_no:>4} | " if gutter else "  "
        width = max(1, min(self.length, end - offset, EXCERPT_CHARS // 2))
        before, after = "", ""
        if end - start > EXCERPT_CHARS:  # a long line (a hostile one may be 256 kB) is shown around the problem
            if offset - start > EXCERPT_CHARS // 2:
                start, before = offset - EXCERPT_CHARS // 2, "…"
            if end - offset > EXCERPT_CHARS // 2:
                end, after = offset + EXCERPT_CHARS // 2, "…"
        pad = "".join("\t" if ch == "\t" else " " for ch in before + text[start:offset])
        rule = f"{' ' * (len(gutter) - 2)}| " if gutter.strip() else gutter
        return f"{gutter}{before}{text[start:end]}{after}\n{rule}{pad}{'^' * width}"


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

    kind = "error"

    def __str__(self) -> str:
        if self.location is None:
            head = f"{self.kind}: {self.message}"
            return head + (f"\n  hint: {self.hint}" if self.hint else "")
        line, column = self.location.line_col()
        parts = [f"{self.location.source.name}:{line}:{column}: {self.kind}: {self.message}", self.location.excerpt()]
        if self.hint:
            parts.append(f"  hint: {self.hint}")
        return "\n".join(parts)

    def for_person(self, clean=lambda text: text) -> str:
        """The message for a page: no file name or line number when the text is one line typed in a box
        (a sketch keeps its line numbers, never a path), the caret and the hint kept. clean: applied to
        the message and the hint (not to the person's own line above the caret)."""
        message, hint = clean(self.message), self.hint and clean(self.hint)
        if self.location is None:
            return message + (f"\nhint: {hint}" if hint else "")
        one_line = "\n" not in self.location.source.text.strip("\n")
        parts = [message if one_line else f"line {self.line}: {message}", self.location.excerpt(gutter=not one_line)]
        return "\n".join(parts + ([f"hint: {hint}"] if hint else []))


class SketchErrors(SketchError):
    """Several mistakes found in one pass, shown together; it reads as the first one for code that asks."""

    def __init__(self, errors: list[SketchError]):
        first = errors[0]
        super().__init__(first.message, first.location, first.hint)
        self.errors = list(errors)

    @staticmethod
    def of(errors: list[SketchError]) -> SketchError:
        return errors[0] if len(errors) == 1 else SketchErrors(errors)

    def __str__(self) -> str:
        return "\n".join(SketchError.__str__(e) for e in self.errors)

    def for_person(self, clean=lambda text: text) -> str:
        return "\n\n".join(e.for_person(clean) for e in self.errors)


class UnusedWords(SketchError, UserWarning):
    """Words the world cannot draw ("a vintage car"): a warning that the scene is drawn without them,
    or, in strict mode, an error. It is a Warning so that it reaches every front end through Python's
    warnings (the CLI prints it, the playground shows it) and `warnings.simplefilter("error", UnusedWords)`
    raises it as the located error it is."""

    kind = "warning"


def did_you_mean(text: str, candidates, cutoff: float = 0.7) -> tuple[str, str] | None:
    """The candidate nearest to the first one, two or three words of `text`.

    Returns (the words of text that were compared, the suggestion), or None.
    Multi-word phrases are compared word for word count: 'parkng lot' is
    matched against 'parking lot', not against 'parking'. A short word is only
    matched by one that begins alike: 'cat' is not a typo of 'at'.
    """
    words = text.split()
    best: tuple[float, str, str] | None = None
    for n in range(1, min(3, len(words)) + 1):
        chunk = " ".join(words[:n]).lower()
        pool = [c for c in candidates if len(c.split()) == n and (len(chunk) > 4 or c[:1] == chunk[:1])]
        # two letters swapped ('cra', 'tree' as 'tere') is the commonest slip, and difflib scores it low
        swaps = [(0.95, c) for c in pool if _swapped(chunk, c)]
        close = [(difflib.SequenceMatcher(None, chunk, m).ratio(), m)
                 for m in difflib.get_close_matches(chunk, pool, n=1, cutoff=cutoff)]
        for score, match in swaps[:1] + close:
            if best is None or score > best[0]:
                best = (score, " ".join(words[:n]), match)
    return (best[1], best[2]) if best else None


def _swapped(a: str, b: str) -> bool:
    """b is a with two neighbouring letters swapped."""
    if len(a) != len(b) or a == b:
        return False
    diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def suggestion_hint(text: str, candidates, cutoff: float = 0.7) -> str | None:
    match = did_you_mean(text, candidates, cutoff)
    return f'did you mean "{match[1]}"?' if match else None
