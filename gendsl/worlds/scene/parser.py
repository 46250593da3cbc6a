"""The scene world's grammar (grammar.lark beside this file), completed with word terminals generated from
vocab.py, so the vocabulary lives in one place. Each terminal is a case-insensitive alternation of its
phrases, longest first, that must end at a word boundary ('car' never matches the start of 'cart').
Priorities settle phrases that begin alike: 'on top of' (relation) and 'at night' (time) are tried before
the preposition 'on'/'at'; 'blue sky' (place) before 'blue'.
"""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from lark import Lark, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from ...lang.errors import SketchError, SketchErrors
from ...lang.parser import MAX_ERRORS, Lexicon, Locate, located, plain_spaces, word_at
from . import vocab

GRAMMAR = Path(__file__).resolve().parent / "grammar.lark"

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

_DESCRIPTIONS = {
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
    "AND": "\"and\"",
}
LEXICON = Lexicon(tuple(_WORD_TERMINALS), {cat.terminal: cat.name for cat in vocab.WORD_CATEGORIES}, _DESCRIPTIONS,
                  tuple(vocab.all_phrases()))


def _phrase_regex(phrases: list[str]) -> str:
    alternatives = sorted({vocab.normalize_phrase(p) for p in phrases}, key=lambda p: (-len(p), p))
    body = "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in alternatives)
    return f"/(?:{body})(?![a-z0-9])/i"


def word_terminals() -> str:
    return "\n".join(f"{name}.{prio}: {_phrase_regex(phrases)}" for name, phrases, prio in _WORD_TERMINALS)


@cache
def scene_grammar() -> str:
    return GRAMMAR.read_text() + "\n// generated from gendsl/worlds/scene/vocab.py\n" + word_terminals()


@cache
def scene_parser(kind: str = "lalr") -> Lark:
    """The scene parser; kind 'earley' exists only for the benchmark beside LALR."""
    options = dict(parser="lalr", lexer="contextual") if kind == "lalr" else dict(parser="earley", lexer="dynamic")
    return Lark(scene_grammar(), start="start", propagate_positions=True, **options)


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
            found.append(located(error, text, parser, locate, LEXICON))
        last_stack[:] = [stack]
        if isinstance(error, UnexpectedToken) and error.token.type == "$END" or len(found) >= MAX_ERRORS:
            return False
        if isinstance(error, UnexpectedCharacters):  # skip the whole unknown word, not one letter of it
            state = error.interactive_parser.lexer_thread.state
            state.line_ctr.feed(word_at(text, error.pos_in_stream).split(" ")[0] or text[error.pos_in_stream])
        return True

    tree = None
    try:
        tree = parser.parse(text, on_error=recover)
    except UnexpectedInput as error:
        if id(error) not in seen:
            found.append(located(error, text, parser, locate, LEXICON))
    if errors is None:
        if found:
            raise SketchErrors.of(found)
        return tree
    errors.extend(found)
    return tree
