"""The digits world's scene language: vocabulary, IR, compiler and encoder, in one place.

A second world beside the scene world (after alignDRAW's captioned MNIST):
one or two handwritten digits placed on a canvas by a caption.

    the digit 7 is at the bottom right of the image   -> DigitScene(("7",), position="bottom right")
    the digit 3 is at the top of the digit 9           -> DigitScene(("3", "9"), relation="above")
    the digit 9 is below the digit 3                   -> the same scene (canonical form)

A sketch says `world digits` to write its scenes in this language. The
grammar is grammar.lark beside this file, completed with word terminals generated from
the tables below. Errors are located like the scene language's: line,
column, caret, what was expected, and a did-you-mean.

Conditioning vector (float32, DIM = 10 + 9 + 2 + 10 = 31):
    digit1    one-hot over DIGIT.values      (10)
    position  one-hot over POSITION.values    (9)  a lone digit's place on the canvas
    relation  one-hot over RELATION.values    (2)  how digit1 stands to digit2 (canonical: above, left of)
    digit2    one-hot over DIGIT.values      (10)  all zero: one digit only
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedInput, VisitError

from ...lang import kinds
from ...lang.errors import Location, SketchError
from ...lang.ir import Source
from ...lang.parser import Lexicon, Locate, located

WORLD = "digits"
_NAMES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
DIGIT = kinds.Category("digit", "DIGIT", tuple("0123456789"),
                       {**{str(d): str(d) for d in range(10)}, **{name: str(d) for d, name in enumerate(_NAMES)}})

# The canvas is a 3 x 3 grid of places, in this (encoding) order.
_PLACES = {
    "top left": ["top left", "upper left", "top left corner", "upper left corner", "top-left"],
    "top": ["top", "top edge", "top middle", "top center", "top centre"],
    "top right": ["top right", "upper right", "top right corner", "upper right corner", "top-right"],
    "left": ["left", "left side", "left edge", "left hand side"],
    "center": ["center", "centre", "middle"],
    "right": ["right", "right side", "right edge", "right hand side"],
    "bottom left": ["bottom left", "lower left", "bottom left corner", "lower left corner", "bottom-left"],
    "bottom": ["bottom", "bottom edge", "bottom middle", "bottom center", "bottom centre"],
    "bottom right": ["bottom right", "lower right", "bottom right corner", "lower right corner", "bottom-right"],
}
POSITION = kinds.Category("position", "POSITION", tuple(_PLACES), {
    f"{prep} the {phrase}": value for value, phrases in _PLACES.items() for phrase in phrases
    for prep in ("at", "in", "on", "to")})
RELATION = kinds.Category("relation", "RELATION", ("above", "below", "left of", "right of"), {
    **{p: "above" for p in ("above", "at the top of", "on top of", "over", "atop", "higher than")},
    **{p: "below" for p in ("below", "at the bottom of", "under", "beneath", "underneath", "lower than")},
    **{p: "left of" for p in ("left of", "to the left of", "on the left of", "at the left of")},
    **{p: "right of" for p in ("right of", "to the right of", "on the right of", "at the right of")}})
CANONICAL_RELATIONS = ("above", "left of")  # "A below B" is "B above A"; "A right of B" is "B left of A"
MIRRORED = {"below": "above", "right of": "left of"}
VERBS = ("is", "are", "sits", "sitting", "stands", "standing", "written", "drawn", "placed", "located", "appears",
         "shown", "seen", "there")
CATEGORIES = (DIGIT, POSITION, RELATION)
DIM = 2 * len(DIGIT.values) + len(POSITION.values) + len(CANONICAL_RELATIONS)
_IMAGE = r"(?:\s+of\s+the\s+(?:image|picture|canvas|frame))?"


@dataclass(frozen=True)
class DigitScene:
    """One digit at a place on the canvas, or two digits one above / left of the other."""

    digits: tuple[str, ...]
    position: str | None = None  # for one digit; None means the center
    relation: str | None = None  # for two digits, from the first to the second

    def __str__(self) -> str:
        first = f"the digit {self.digits[0]}"
        if len(self.digits) == 1:
            where = self.position or "center"
            preposition = "in" if where == "center" else "on" if where in ("left", "right") else "at"
            return f"{first} is {preposition} the {where}"
        words = {"above": "at the top of", "left of": "to the left of", "below": "at the bottom of",
                 "right of": "to the right of"}
        return f"{first} is {words[self.relation]} the digit {self.digits[1]}"


def canonical(scene: DigitScene) -> DigitScene:
    if len(scene.digits) == 1:
        return DigitScene(scene.digits, scene.position or "center", None)
    if scene.relation in MIRRORED:
        return DigitScene(scene.digits[::-1], None, MIRRORED[scene.relation])
    return DigitScene(scene.digits, None, scene.relation)


# ---- parsing
def _phrase_regex(category: kinds.Category, suffix: str = "", never_before: str = "") -> str:
    phrases = sorted(category.phrases, key=lambda p: (-len(p), p))
    body = "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in phrases)
    return f"/(?:{body}){suffix}(?![a-z0-9-]){never_before}/i"


@cache
def grammar() -> str:
    # A position never stands before "of" (that is a relation) unless it says "of the image".
    not_a_relation = r"(?!\s+of(?![a-z]))"
    terminals = [f"POSITION.3: {_phrase_regex(POSITION, _IMAGE, not_a_relation)}",
                 f"RELATION.2: {_phrase_regex(RELATION)}", f"DIGIT.1: {_phrase_regex(DIGIT)}",
                 "VERB: /(?:" + "|".join(VERBS) + r")(?![a-z0-9])/i"]
    return (Path(__file__).with_name("grammar.lark")).read_text() + "\n// generated from worlds/digits/language.py\n" + "\n".join(terminals)


@cache
def parser() -> Lark:
    return Lark(grammar(), start="start", parser="lalr", lexer="contextual", propagate_positions=True)


_EXPECTED = {"DIGIT": "a digit (0-9 or zero-nine)", "POSITION": "a place (at the top left, in the center …)",
             "RELATION": "a relation (at the top of, below, to the left of …)", "NOUN": '"digit"',
             "ARTICLE": "an article", "$END": "the end of the scene"}


LEXICON = Lexicon((*((c.terminal, list(c.phrases), 0) for c in CATEGORIES), ("NOUN", ["digit", "number"], 0)),
                  {c.terminal: c.name for c in CATEGORIES}, _EXPECTED,
                  (*(p for c in CATEGORIES for p in c.phrases), "digit", "number"))


class DigitsCompiler(Transformer):
    def digit(self, children) -> str:
        return DIGIT.value_of(next(c for c in children if c.type == "DIGIT"))

    def single(self, children) -> DigitScene:
        position = POSITION.value_of(_strip_image(children[1])) if len(children) > 1 else None
        return canonical(DigitScene((children[0],), position))

    def pair(self, children) -> DigitScene:
        first, relation, second = children
        return canonical(DigitScene((first, second), None, RELATION.value_of(relation)))


def _strip_image(token: Token) -> str:
    return re.sub(r"\s+of\s+the\s+\w+$", "", str(token).strip(), flags=re.I)


def compile_digits_text(text: str, locate: Locate | None = None) -> DigitScene:
    """Parse and compile one concrete digits phrase to its canonical DigitScene."""
    if locate is None:
        source = Source(text)
        locate = lambda offset, length: Location(source, offset, length)  # noqa: E731
    if not text.strip():
        raise SketchError("the scene is empty; write where the digits go, like: the digit 3 is at the top left",
                          locate(0, 1))
    try:
        tree = parser().parse(text)
    except UnexpectedInput as error:
        raise located(error, text, parser(), locate, LEXICON) from None
    try:
        return DigitsCompiler().transform(tree)
    except VisitError as error:
        raise error.orig_exc from None


# ---- encoding
def blocks() -> list[tuple[str, int, int]]:
    sizes = (("digit1", 10), ("position", len(POSITION.values)), ("relation", len(CANONICAL_RELATIONS)),
             ("digit2", 10))
    rows, start = [], 0
    for name, width in sizes:
        rows.append((name, start, start + width))
        start += width
    return rows


def encode(scene: DigitScene) -> np.ndarray:
    scene = canonical(scene)
    vector = np.zeros(DIM, np.float32)
    (_, d1, _), (_, pos, _), (_, rel, _), (_, d2, _) = blocks()
    vector[d1 + DIGIT.index(scene.digits[0])] = 1
    if len(scene.digits) == 1:
        vector[pos + POSITION.index(scene.position)] = 1
    else:
        vector[rel + CANONICAL_RELATIONS.index(scene.relation)] = 1
        vector[d2 + DIGIT.index(scene.digits[1])] = 1
    return vector


def decode(vector) -> DigitScene:
    """The scene a vector means; mixed vectors (morph frames) take each block's heaviest value."""
    vector = np.asarray(vector, np.float32)
    if vector.shape != (DIM,):
        raise ValueError(f"a digits conditioning vector has shape ({DIM},), not {vector.shape}")
    (_, a, b), (_, p, q), (_, r, s), (_, c, d) = blocks()
    first = DIGIT.values[int(vector[a:b].argmax())]
    if vector[r:s].sum() >= 0.5 and vector[c:d].sum() >= 0.5:
        return DigitScene((first, DIGIT.values[int(vector[c:d].argmax())]), None,
                          CANONICAL_RELATIONS[int(vector[r:s].argmax())])
    return DigitScene((first,), POSITION.values[int(vector[p:q].argmax())] if vector[p:q].sum() >= 0.5 else "center")
