"""A world made of a user's own words: kinds -> words -> synonyms, read from a folder's world.toml.

    name = "shapes"
    [object]
    circle = ["ring", "disc"]     # a word and its synonyms
    square = []
    [color]
    red = []

Its language: a scene says at most one word of each kind, in any order, among articles, prepositions
and a few verbs that mean nothing more (`a red circle`, `the ring is red`). The lark grammar's terminals
are generated from the words, as the scene language's are from vocab.py; a typo is an error with a
did-you-mean from these words. Canonical text reads as English: other kinds before the object
(`a small red circle`), then `in the <place>` and `at <time>` where the world has those kinds.
Vector: one one-hot block per kind, in the file's order; all zero where the scene does not say it.
The world has no renderer and no judge: its pictures are the folder's.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from lark import Lark
from lark.exceptions import UnexpectedInput, UnexpectedToken

from ..lang.errors import GendslError, SketchError, did_you_mean
from ..lang.kinds import Category, normalize_phrase
from .base import World, locate_in

FILLERS = ("a", "an", "the", "in", "on", "at", "of", "with", "is", "are", "by", "and")
NOUN, AFTER = "object", {"place": "in the", "time": "at"}  # how canonical text places these kinds ...
FIRST = ("count", "size", "color")  # ... and English's order of these before the noun (other kinds: the file's)
MAX_KINDS, MAX_WORDS = 16, 256  # a world.toml is user input: bounded
_WORD = re.compile(r"^[a-z0-9][a-z0-9' -]{0,39}$")


@dataclass(frozen=True)
class WordScene:
    """What a scene of a words world says: (kind, word) pairs in the world's kind order."""

    words: tuple[tuple[str, str], ...]

    def said(self, kind: str) -> str | None:
        return dict(self.words).get(kind)

    def __str__(self) -> str:
        said = dict(self.words)
        rank = {k: i for i, k in enumerate(FIRST)}
        front = [w for k, w in sorted(self.words, key=lambda kw: rank.get(kw[0], len(FIRST)))
                 if k != NOUN and k not in AFTER]
        noun = [said[NOUN]] if NOUN in said else []
        head = " ".join(front + noun)
        head = f"a {head}" if noun else head
        tail = [f"{AFTER[k]} {said[k]}" for k in AFTER if k in said]
        return " ".join(p for p in [head, *tail] if p)


class WordsWorld(World):
    map_channels = None  # no layout: models of a words world read the vector (flat conditioning)

    def __init__(self, name: str, table: dict[str, dict[str, list[str]]], version: str = "1"):
        self.name, self.version, self.table = name, version, table
        self.categories = tuple(_category(kind, words) for kind, words in table.items())
        self.dim = sum(len(c.values) for c in self.categories)

    @classmethod
    def from_toml(cls, text: str, where: str = "world.toml") -> "WordsWorld":
        import tomllib

        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise GendslError(f"{where}: {error}") from None
        name = data.pop("name", None)
        version = str(data.pop("version", "1"))
        if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_-]{0,39}", name):
            raise GendslError(f'{where}: name the world with a short lower-case word, like: name = "shapes"')
        return cls(name, check_table(data, where), version)

    # ---- the language
    def kinds(self):
        return self.categories

    @cached_property
    def _parser(self) -> Lark:
        terminals = [f"{c.terminal}.2: {_regex(c.phrases)}" for c in self.categories]
        fillers = [f for f in FILLERS if not any(f in c.phrases for c in self.categories)]
        grammar = "\n".join([
            "start: _word*", "_word: " + " | ".join(c.terminal for c in self.categories), *terminals,
            f"FILLER: {_regex(fillers)}", "%import common.WS", "%ignore WS", "%ignore FILLER", '%ignore /[,.!]/'])
        return Lark(grammar, parser="lalr", lexer="contextual")

    def compile(self, text, locate=None):
        locate = locate or locate_in(text)
        if not text.strip():
            raise SketchError(f"the scene is empty; say it in the {self.name} world's words, like: "
                              f"{self.text(self.sample_scene(np.random.default_rng(0)))}", locate(0, 1))
        try:
            tokens = self._parser.parse(text).children
        except UnexpectedInput as error:
            raise self._located(error, text, locate) from None
        said: dict[str, tuple[str, object]] = {}
        for token in tokens:
            cat = next(c for c in self.categories if c.terminal == token.type)
            if cat.name in said:
                raise SketchError(f'a scene says one {cat.name}: "{said[cat.name][0]}" and "{token}"',
                                  locate(token.start_pos, len(token)))
            said[cat.name] = (cat.value_of(str(token)), token)
        return WordScene(tuple((c.name, said[c.name][0]) for c in self.categories if c.name in said))

    def _located(self, error: UnexpectedInput, text: str, locate) -> SketchError:
        offset = getattr(error, "pos_in_stream", None) or 0
        if isinstance(error, UnexpectedToken):
            offset = error.token.start_pos or 0
        words = re.match(r"\S+(?:\s+\S+){0,2}", text[offset:])
        words = words.group(0) if words else text[offset:offset + 1]
        phrases = [p for c in self.categories for p in c.phrases]
        match = did_you_mean(words, phrases) or did_you_mean(words, phrases, cutoff=0.5)
        first = words.split()[0] if words.split() else words
        known = "; ".join(f"{c.name}: {', '.join(c.values[:8])}{' …' if len(c.values) > 8 else ''}"
                          for c in self.categories)
        return SketchError(f'unknown word "{first}" in the {self.name} world (its words: {known})',
                           locate(offset, len(match[0]) if match else len(first)),
                           f'did you mean "{match[1]}"?' if match else None)

    def canonical(self, scene):
        return scene

    # ---- the vector
    def blocks(self):
        rows, start = [], 0
        for cat in self.categories:
            rows.append((cat.name, start, start + len(cat.values)))
            start += len(cat.values)
        return rows

    def encode(self, scene) -> np.ndarray:
        vector = np.zeros(self.dim, np.float32)
        for (kind, start, _), cat in zip(self.blocks(), self.categories):
            word = scene.said(kind)
            if word is not None:
                vector[start + cat.index(word)] = 1.0
        return vector

    def decode(self, vector):
        vector = np.asarray(vector, np.float32)
        if vector.shape != (self.dim,):
            raise GendslError(f"a {self.name} conditioning vector has shape ({self.dim},), not {vector.shape}")
        return WordScene(tuple((kind, cat.values[int(vector[a:b].argmax())])
                               for (kind, a, b), cat in zip(self.blocks(), self.categories)
                               if vector[a:b].sum() >= 0.5))

    # ---- scenes and captions
    def sample_scene(self, rng, held_out=False):
        """Every kind said with probability 0.8, the object always (no held-out compositions: the data is the
        user's own)."""
        return WordScene(tuple((c.name, c.values[int(rng.integers(len(c.values)))]) for c in self.categories
                               if c.name == NOUN or rng.random() < 0.8))

    def caption(self, scene, rng):
        def say(kind: str, word: str) -> str:
            cat = next(c for c in self.categories if c.name == kind)
            options = [p for p, v in cat.phrases.items() if v == word]
            return options[int(rng.integers(len(options)))]
        return str(WordScene(tuple((k, say(k, w)) for k, w in scene.words)))

    def signature(self) -> dict:
        return {"world": self.name, "world_version": self.version, "dim": self.dim, "words": self.table}


def check_table(data: dict, where: str) -> dict[str, dict[str, list[str]]]:
    """{kind: {word: [synonyms]}} from a parsed world.toml, every name and count checked."""
    if not data:
        raise GendslError(f"{where} names no kinds of word; add a table like [object] with words in it")
    if len(data) > MAX_KINDS:
        raise GendslError(f"{where} names {len(data)} kinds of word; at most {MAX_KINDS}")
    table, seen = {}, {}
    for kind, words in data.items():
        if not isinstance(words, dict) or not re.fullmatch(r"[a-z][a-z_]{0,19}", kind):
            raise GendslError(f"{where}: [{kind}] should be a table of words, each with a list of synonyms")
        if not words or len(words) > MAX_WORDS:
            raise GendslError(f"{where}: [{kind}] needs between 1 and {MAX_WORDS} words")
        table[kind] = {}
        for word, synonyms in words.items():
            if not isinstance(synonyms, list) or not all(isinstance(s, str) for s in synonyms):
                raise GendslError(f'{where}: {kind} "{word}" should list its synonyms: {word} = ["…"]')
            phrases = [normalize_phrase(p) for p in [word, *synonyms]]
            for phrase in phrases:
                if not _WORD.match(phrase) or phrase in FILLERS:
                    raise GendslError(f'{where}: "{phrase}" cannot be a word (letters, digits, spaces; '
                                      f"not {', '.join(FILLERS)})")
                if phrase in seen:
                    raise GendslError(f'{where}: "{phrase}" means two things ({seen[phrase]} and {kind} {phrases[0]})')
                seen[phrase] = f"{kind} {phrases[0]}"
            table[kind][phrases[0]] = phrases[1:]
    return table


def _category(kind: str, words: dict[str, list[str]]) -> Category:
    phrases = {p: word for word, synonyms in words.items() for p in [word, *synonyms]}
    return Category(kind, f"K_{kind.upper()}", tuple(words), phrases)


def _regex(phrases) -> str:
    ordered = sorted(phrases, key=lambda p: (-len(p), p))
    body = "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in ordered)
    return f"/(?<![a-z0-9'-])(?:{body})(?![a-z0-9'-])/i"
