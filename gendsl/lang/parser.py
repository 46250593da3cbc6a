"""Loading the grammars and turning Lark's parse errors into SketchErrors.

The scene grammar (grammars/scene.lark) is completed here with word terminals
generated from vocab.py, so the vocabulary lives in one place. Each terminal is
a case-insensitive alternation of its phrases, longest first, that must end at
a word boundary ('car' never matches the start of 'cart'). Priorities settle
phrases that begin alike: 'on top of' (relation) and 'at night' (time) are
tried before the preposition 'on'/'at'; 'blue sky' (place) before 'blue'.
"""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Callable

from lark import Lark, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from . import vocab
from .errors import Location, SketchError, SketchErrors, did_you_mean
from .ir import Source

GRAMMARS = Path(__file__).resolve().parents[2] / "grammars"

# (terminal, phrases, lexer priority)
_WORD_TERMINALS = [
    *[(cat.terminal, list(cat.heard), priority) for cat, priority in (
        (vocab.TIME, 6), (vocab.COUNT, 5), (vocab.RELATION, 4), (vocab.POSITION, 3), (vocab.PLACE, 2),
        (vocab.OBJECT, 1), (vocab.COLOR, 1), (vocab.SIZE, 1))],
    ("ARTICLE", list(vocab.ARTICLES), 1),
    ("PREP", [*vocab.PREPOSITIONS, *vocab.MORE_PREPOSITIONS], 1),
    ("AND", list(vocab.CONJUNCTIONS), 2),  # 'along with' before the preposition 'along'
    # ignored words first: 'a picture of' before the article, 'next to each other' before the relation
    ("VERB", [*vocab.VERBS, *vocab.FILLERS], 7),
]

# How an expected terminal is named in an error message.
_DESCRIPTIONS = {
    "_CROSS": "\"x\" (between two axes)",
    "GRID_AXIS": "rows or cols",
    "NUMBER": "a number",
    "OBJECT": "an object (car, school bus, tree …)",
    "COLOR": "a color",
    "SIZE": "a size (small, large)",
    "COUNT": "a count (two, three, a herd of …)",
    "POSITION": "a position (on the left, in the center …)",
    "RELATION": "a relation (left of, above, next to …)",
    "PLACE": "a place (parking lot, beach, blue sky …)",
    "TIME": "a time of day (at day, at night)",
    "ARTICLE": "an article",
    "PREP": "a preposition (in, on, at …)",
    "NUMBER": "a number",
    "AND": "\"and\"",
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


def _phrase_regex(phrases: list[str]) -> str:
    alternatives = sorted({vocab.normalize_phrase(p) for p in phrases}, key=lambda p: (-len(p), p))
    body = "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in alternatives)
    return f"/(?:{body})(?![a-z0-9])/i"


def word_terminals() -> str:
    return "\n".join(f"{name}.{prio}: {_phrase_regex(phrases)}" for name, phrases, prio in _WORD_TERMINALS)


@cache
def scene_grammar() -> str:
    return (GRAMMARS / "scene.lark").read_text() + "\n// generated from gendsl/lang/vocab.py\n" + word_terminals()


@cache
def scene_parser(kind: str = "lalr") -> Lark:
    """The scene parser; kind 'earley' exists only for the benchmark beside LALR."""
    options = dict(parser="lalr", lexer="contextual") if kind == "lalr" else dict(parser="earley", lexer="dynamic")
    return Lark(scene_grammar(), start="start", propagate_positions=True, **options)


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


def parse_scene(text: str, locate: Locate, errors: list[SketchError] | None = None) -> Tree | None:
    """Parse with Lark's LALR error recovery, so that every mistake of a phrase is reported at once.

    errors: a list to add the mistakes to, and the tree recovered past them is returned (None when
    none could be), so that the compiler can add its own; without it they are raised."""
    parser, text = scene_parser(), plain_spaces(text)
    found: list[SketchError] = []
    seen: set[int] = set()
    last_stack: list = []

    def recover(error: UnexpectedInput) -> bool:
        seen.add(id(error))
        stack = list(error.interactive_parser.parser_state.state_stack)
        if not found or stack != last_stack[0]:  # no progress since the last one: the same mistake, skipped
            found.append(_located(error, text, parser, locate))
        last_stack[:] = [stack]
        if isinstance(error, UnexpectedToken) and error.token.type == "$END" or len(found) >= MAX_ERRORS:
            return False
        if isinstance(error, UnexpectedCharacters):  # skip the whole unknown word, not one letter of it
            state = error.interactive_parser.lexer_thread.state
            state.line_ctr.feed(_word_at(text, error.pos_in_stream).split(" ")[0] or text[error.pos_in_stream])
        return True

    tree = None
    try:
        tree = parser.parse(text, on_error=recover)
    except UnexpectedInput as error:
        if id(error) not in seen:
            found.append(_located(error, text, parser, locate))
    if errors is None:
        if found:
            raise SketchErrors.of(found)
        return tree
    errors.extend(found)
    return tree


def parse_sketch(text: str, source: Source, start: str = "start") -> Tree:
    try:
        return sketch_parser().parse(plain_spaces(text), start=start)
    except UnexpectedInput as error:
        raise _located(error, text, sketch_parser(), lambda o, n: Location(source, o, n)) from None


def _candidates(parser: Lark, expected: set[str]) -> list[str]:
    """Every phrase that would have been accepted, for did-you-mean."""
    words: list[str] = []
    for name, phrases, _ in _WORD_TERMINALS:
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


def describe(parser: Lark, name: str) -> str:
    pattern = _pattern(parser, name)
    if pattern is not None and pattern.type == "str":  # a keyword: show it as written
        return f'"{pattern.value}"'
    return _DESCRIPTIONS.get(name, name.lower())


def _expected_text(parser: Lark, expected: set[str]) -> str:
    names = sorted({describe(parser, n) for n in expected if n not in ("VERB", "COMMENT")})
    if not names:
        return ""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _word_at(text: str, offset: int) -> str:
    match = re.match(r"[^\s{}|()$:,]+(?:[ \t]+[^\s{}|()$:,]+){0,2}", text[offset:])
    return match.group(0) if match else text[offset:offset + 1]


def _category_of(token_type: str) -> str | None:
    for cat in vocab.WORD_CATEGORIES:
        if cat.terminal == token_type:
            return cat.name
    return None


def _located(error: UnexpectedInput, text: str, parser: Lark, locate: Locate) -> SketchError:
    if isinstance(error, UnexpectedCharacters):
        expected = set(error.allowed or ())
        offset = error.pos_in_stream
        words = _word_at(text, offset)
        word = (words.split() or [f"U+{ord(text[offset]):04X}" if offset < len(text) else "end"])[0]
        match = did_you_mean(words, _candidates(parser, expected)) or \
            did_you_mean(words, vocab.all_phrases(), cutoff=0.8)
        message = f'unknown word "{word}"' if word[:1].isalnum() else f'unexpected "{word[:1]}"'
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
            category = _category_of(token.type)
            if category:  # a known word in the wrong place
                message = f'"{token}" (a {category}) cannot stand here'
            else:  # a word no rule here knows, like a misspelt directive
                words = _word_at(text, offset)
                match = did_you_mean(words, _candidates(parser, expected))
                message = f'unknown word "{words.split()[0]}"'
                length = len(match[0]) if match else len(words.split()[0])
                hint = f'did you mean "{match[1]}"?' if match else None
                return SketchError(f"{message}; expected {_expected_text(parser, expected)}",
                                   locate(offset, length), hint)
        hint = None
    else:  # pragma: no cover - LALR raises only the two above
        return SketchError(str(error))
    wanted = _expected_text(parser, expected)
    if wanted:
        message += f"; expected {wanted}"
    return SketchError(message, locate(offset, length), hint)
