"""Loading the sketch grammar and turning Lark's parse errors into SketchErrors.

A world's own grammar (worlds/scene/parser.py) reports its mistakes through the same `located`, with a
`Lexicon` of its words: the terminals that hold them, what each kind is called, every phrase for a
did-you-mean.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Callable

from lark import Lark, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from .errors import Location, SketchError, did_you_mean
from .ir import Source

GRAMMARS = Path(__file__).resolve().parents[2] / "grammars"

# How an expected terminal is named in an error message.
_DESCRIPTIONS = {
    "_CROSS": "\"x\" (between two axes)",
    "GRID_AXIS": "rows or cols",
    "NUMBER": "a number",
    "NUMBER": "a number",
    "WORD": "a word",
    "STRING": 'a quoted name like "classic"',
    "INT": "a whole number",
    "NAME": "a name",
    "TEXT": "scene text",
    "VAR": "a $variable",
    "WILDCARD": "a __wildcard__",
    "WEIGHT": "a weight like 2:",
    "GRID_AXIS": "rows or cols",
    "_NL": "the end of the line",
    "$END": "the end of the input",
}


@dataclass(frozen=True)
class Lexicon:
    """A grammar's words, for its error messages: (terminal, phrases, lexer priority) rows, the kind each
    word terminal holds, how other terminals are named, and every phrase (a did-you-mean's last resort)."""

    terminals: tuple = ()
    kinds: dict = field(default_factory=dict)  # terminal -> the kind it holds ('object', 'color' …)
    descriptions: dict = field(default_factory=dict)
    phrases: tuple = ()


SKETCH = Lexicon()


@cache
def sketch_parser() -> Lark:
    return Lark.open(str(GRAMMARS / "sketch.lark"), parser="lalr", lexer="contextual",
                     start=["start", "template", "grid"], propagate_positions=True)


Locate = Callable[[int, int], Location]


MAX_ERRORS = 8  # mistakes reported in one pass


def plain_spaces(text: str) -> str:
    """Spaces people type (no-break, thin, ideographic …) as plain ones, one for one so that offsets hold;
    bounds.check_characters has already refused line separators and control characters."""
    return "".join(" " if ch.isspace() and ch not in "\n\r" else ch for ch in text) if not text.isascii() else text


def parse_sketch(text: str, source: Source, start: str = "start") -> Tree:
    try:
        return sketch_parser().parse(plain_spaces(text), start=start)
    except UnexpectedInput as error:
        raise located(error, text, sketch_parser(), lambda o, n: Location(source, o, n), SKETCH) from None


def _candidates(parser: Lark, expected: set[str], lexicon: Lexicon) -> list[str]:
    """Every phrase that would have been accepted, for did-you-mean."""
    words: list[str] = []
    for name, phrases, _ in lexicon.terminals:
        if name in expected:
            words += phrases
    for name in expected:
        pattern = _pattern(parser, name)
        if pattern is not None and pattern.type == "str" and pattern.value.isalpha():
            words.append(pattern.value)
    return words


def _pattern(parser: Lark, name: str):
    try:
        return parser.get_terminal(name).pattern
    except KeyError:
        return None


def describe(parser: Lark, name: str, lexicon: Lexicon = SKETCH) -> str:
    pattern = _pattern(parser, name)
    if pattern is not None and pattern.type == "str":  # a keyword: show it as written
        return f'"{pattern.value}"'
    return lexicon.descriptions.get(name) or _DESCRIPTIONS.get(name, name.lower())


def _expected_text(parser: Lark, expected: set[str], lexicon: Lexicon) -> str:
    names = sorted({describe(parser, n, lexicon) for n in expected if n not in ("VERB", "COMMENT")})
    if not names:
        return ""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def word_at(text: str, offset: int) -> str:
    match = re.match(r"[^\s{}|()$:,]+(?:[ \t]+[^\s{}|()$:,]+){0,2}", text[offset:])
    return match.group(0) if match else text[offset:offset + 1]


def located(error: UnexpectedInput, text: str, parser: Lark, locate: Locate, lexicon: Lexicon) -> SketchError:
    """A parse error as a SketchError: where, what was expected, and a did-you-mean from the lexicon's words."""
    if isinstance(error, UnexpectedCharacters):
        expected = set(error.allowed or ())
        offset = error.pos_in_stream
        words = word_at(text, offset)
        word = (words.split() or [f"U+{ord(text[offset]):04X}" if offset < len(text) else "end"])[0]
        match = did_you_mean(words, _candidates(parser, expected, lexicon)) or \
            did_you_mean(words, list(lexicon.phrases), cutoff=0.8)
        message = f'unknown word "{word}"' if word[:1].isalnum() else f'unexpected "{word[:1]}"'
        if match and " " in match[0]:  # 'at the tpo' for 'at the top': the words the caret covers
            message = f'unknown words "{match[0]}"'
        hint = f'did you mean "{match[1]}"?' if match else None
        length = len(match[0]) if match else len(word)
    elif isinstance(error, UnexpectedToken):
        expected = set(error.expected)
        token = error.token
        if token.type in ("$END", "_NL"):
            offset = len(text.rstrip()) if token.type == "$END" else token.start_pos
            length, message = 1, "the text ends too early"
        else:
            offset, length = token.start_pos, max(1, len(token))
            category = lexicon.kinds.get(token.type)
            if category:  # a known word in the wrong place
                message = f'"{token}" (a {category}) cannot stand here'
            else:  # a word no rule here knows, like a misspelt directive
                words = word_at(text, offset)
                match = did_you_mean(words, _candidates(parser, expected, lexicon))
                message = f'unknown word "{words.split()[0]}"'
                length = len(match[0]) if match else len(words.split()[0])
                hint = f'did you mean "{match[1]}"?' if match else None
                return SketchError(f"{message}; expected {_expected_text(parser, expected, lexicon)}",
                                   locate(offset, length), hint)
        hint = None
    else:  # pragma: no cover - LALR raises only the two above
        return SketchError(str(error))
    wanted = _expected_text(parser, expected, lexicon)
    if wanted:
        message += f"; expected {wanted}"
    return SketchError(message, locate(offset, length), hint)
