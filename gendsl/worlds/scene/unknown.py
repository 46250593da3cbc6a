"""Words the scene language does not know, handled by what they are.

The grammar lets any other word (WORD) stand where a modifier, an object or a
place stands; here it is judged:
- a near-typo of a word of the kind expected there is an error with a did-you-mean
  ("a yelow bus"; only close matches, and only of that kind: "cat" is not "at");
- a modifier the world cannot draw ("a vintage car", "a dry field") is left out, with
  a warning listing the words (UnusedWords); strict mode makes it an error;
- an unknown thing where an object or a place must stand ("a cat on a sofa") is an
  error naming what this world knows.

The words left out reach the front ends through lang/unused.py.
"""
from __future__ import annotations

from ...lang.errors import Location, SketchError, did_you_mean
from . import vocab

TYPO_CUTOFF = 0.8  # a near-typo: 'yelow' 0.91, 'blu' 0.86; not 'dry'/'gray' 0.57 nor 'rainy'/'tiny' 0.67
THING_CUTOFF = 0.75  # an object or a place: 'elefant' 0.8, 'beech' 0.8; not 'cat'/'car' 0.67


def _words_of(cat: vocab.Category) -> list[str]:
    """Each phrase, and each word of a phrase of several ('school' of 'school bus')."""
    return sorted({w for p in cat.heard for w in [p, *p.split()]})


def _listing(cat: vocab.Category) -> str:
    return ", ".join(cat.values)


# The kinds a word may be a typo of, by where it stands.
_NEAR = {
    "modifier": lambda: [*vocab.COLOR.heard, *vocab.SIZE.heard, *_words_of(vocab.OBJECT)],
    "place modifier": lambda: [*vocab.COLOR.heard, *vocab.SIZE.heard, *_words_of(vocab.PLACE)],
}
_EXPECTED = {"modifier": "a color, a size or an object", "place modifier": "a place (parking lot, beach, blue sky …)"}
_GRAMMAR_WORDS = {**{w: "an article" for w in vocab.ARTICLES},
                  **{w: "a preposition" for w in (*vocab.PREPOSITIONS, *vocab.MORE_PREPOSITIONS)},
                  **{w: "a conjunction" for w in vocab.CONJUNCTIONS}}


def known_kind(word: str) -> str | None:
    """'a color', 'a place' … for a word the language knows of another kind, or None."""
    phrase = vocab.normalize_phrase(word)
    if phrase in _GRAMMAR_WORDS:
        return _GRAMMAR_WORDS[phrase]
    for cat in vocab.WORD_CATEGORIES:
        if phrase in cat.heard:
            return f"a {cat.name}"
    return None


def modifier(word: str, location: Location, where: str = "modifier") -> SketchError | None:
    """An error for a modifier that is a typo or a word that cannot stand here; None: a word the
    world cannot draw, to be left out with a warning."""
    kind = known_kind(word)
    if kind in _GRAMMAR_WORDS.values():
        return SketchError(f'"{word}" ({kind}) cannot stand here', location)
    if kind is not None:  # 'a beach house': the place word describes nothing the world draws
        return None
    match = did_you_mean(word, _NEAR[where](), TYPO_CUTOFF)
    if match:
        return SketchError(f'unknown word "{word}"; expected {_EXPECTED[where]}', location,
                           f'did you mean "{match[1]}"?')
    return None


def thing(text: str, kind: vocab.Category, location: Location) -> SketchError:
    """The error for an unknown object or place: a did-you-mean when one is close, else what the world knows."""
    match = did_you_mean(text, list(kind.heard), THING_CUTOFF)
    if match:
        shown = match[0]
        return SketchError(f'unknown {kind.name} "{shown}"', Location(location.source, location.offset, len(shown)),
                           f'did you mean "{match[1]}"?')
    word = text.split()[-1] if kind is vocab.PLACE else text
    known = known_kind(word)
    if known:
        return SketchError(f'"{word}" ({known}) cannot stand where {"an" if kind.name[0] in "aeiou" else "a"} '
                           f"{kind.name} should", location)
    known_ones = "this world draws" if kind is vocab.OBJECT else "this world's places are"
    return SketchError(f'unknown {kind.name} "{word}"; {known_ones}: {_listing(kind)}', location)
