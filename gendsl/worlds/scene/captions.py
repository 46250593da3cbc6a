"""Captions of truth: many English phrasings of one concrete scene, each proven to mean it.

    captions(scene, seed=7)
    -> ['two red cars parked in a parking lot at night',
        'at night, a pair of crimson automobiles stand in the car park', ...]

Each caption is built from word choices drawn from `seeds.stream(seed, "caption")`:
articles and count words, synonyms and plurals from the vocabulary, a verb that
suits the object and the place, the preposition a place takes, where the place
and time go, relation synonyms, and for two-item scenes the mirrored phrasing
('a house to the right of a car' for 'a car left of a house'). Every candidate
is compiled with the scene language's own compiler and kept only if it gives
back exactly `canonical(scene)`, so a caption never says something the scene
does not. Verbs come from `vocab.VERBS`, which the parser ignores.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import vocab
from .compiler import compile_scene_text
from ...lang.errors import GendslError
from .ir import Blend, Item, Scene, article, canonical
from ...lang.seeds import stream


def _forms(preps: str, articles: str, nouns: str) -> tuple[str, ...]:
    """Every 'prep article noun' from '|'-separated choices: _forms('in|at', 'a|the', 'lot')."""
    return tuple(f"{p} {a} {n}" for p in preps.split("|") for a in articles.split("|") for n in nouns.split("|"))


# How each place is said, preposition and article included.
PLACE_PHRASES: dict[str, tuple[str, ...]] = {
    "parking lot": _forms("in|at", "a|the", "parking lot|car park|parking area"),
    "road": _forms("on|along", "a|the", "road|street|highway"),
    "beach": _forms("on|at", "a|the", "beach|shore") + ("at the seaside", "on the sand"),
    "grass field": _forms("in", "a|the", "grass field|grassy field|field|meadow|park")
    + ("on the grass", "on the lawn", "on a lawn", "across the meadow"),
    "snowy field": _forms("in|across", "a|the", "snowy field|snow field|snowfield|snowy meadow")
    + ("in the snow", "on the snow"),
    "blue sky": ("in the blue sky", "in a blue sky", "in blue skies", "in the sky", "in the air", "across the sky",
                 "up in the sky", "high in the sky", "high up in the blue sky", "in the skies", "across the blue sky"),
    "lake": _forms("on|in", "a|the", "lake|pond|river") + ("on the water", "in the water"),
}

# Only phrases that name the day or the night outright: a day scene always says 'day'.
TIME_PHRASES: dict[str, tuple[str, ...]] = {
    "day": ("by day", "during the day", "in the day", "in the daytime", "during daytime", "in daylight",
            "on a sunny day"),
    "night": ("at night", "by night", "during the night", "in the night", "at nighttime", "at night time"),
}

RELATION_PHRASES: dict[str | None, tuple[str, ...]] = {
    "left of": ("left of", "to the left of", "on the left of"),
    "right of": ("right of", "to the right of", "on the right of"),
    "above": ("above", "on top of", "atop", "higher than"),
    "below": ("below", "under", "underneath", "beneath", "lower than"),
    "next to": ("next to", "beside", "near", "by", "alongside", "close to"),
    None: ("and",),  # two groups with no stated relation
}
# 'A left of B' said from B's side; only two-item scenes can be turned round (see ir.canonical).
_INVERSE = {"left of": "right of", "above": "below"}

POSITION_PHRASES = {v: tuple(p for p, value in vocab.POSITION.phrases.items() if value == v and p != v)
                    for v in vocab.POSITION.values}

COUNT_PHRASES = {
    "two": ("two", "two", "the two", "a pair of", "a couple of", "2"),
    "three": ("three", "three", "the three", "3"),
    "many": ("many", "several", "lots of", "a lot of", "a group of", ""),  # "": a bare plural means many
}
# Collective nouns that suit an object ('a herd of elephants', 'a fleet of trucks').
_COLLECTIVES = {
    "a herd of": {"elephant"},
    "a fleet of": {"school bus", "car", "truck", "boat", "airplane"},
    "a row of": {"school bus", "car", "truck", "house", "tree", "stop sign"},
    "a flock of": {"balloon"},
    "a bunch of": {"balloon", "cloud"},
}

_VEHICLES = frozenset({"school bus", "car", "truck"})
# Present-tense forms of participles, where the vocabulary has both numbers: (singular, plural).
_FINITE = {
    "flying": ("flies", "fly"), "floating": ("floats", "float"), "sitting": ("sits", "sit"),
    "standing": ("stands", "stand"), "driving": ("drives", "drive"), "sailing": ("sails", "sail"),
    "walking": ("walks", "walk"),
}


def participles(obj: str, place: str | None) -> tuple[str, ...]:
    """Verbs ('parked', 'flying' …) that suit an object at a place."""
    if obj in vocab.SKY_OBJECTS or place == "blue sky":
        return {"airplane": ("flying",), "balloon": ("floating", "flying", "drifting", "hovering"),
                "cloud": ("floating", "drifting"), "sun": ("shining",)}.get(obj, ("flying", "floating"))
    if place == "lake":
        return {"boat": ("sailing", "floating", "drifting"), "elephant": ("standing", "walking")}.get(
            obj, ("floating",))
    if obj in _VEHICLES:
        return ("parked", "parked", "stopped", "waiting", "sitting") + (("driving",) if place == "road" else ())
    return {"boat": ("sitting", "resting"), "house": ("standing", "sitting", "located"),
            "tree": ("standing", "growing"), "stop sign": ("standing", "placed"),
            "elephant": ("standing", "walking", "resting") + (("grazing",) if place == "grass field" else ()),
            }.get(obj, ("standing",))


def _phrases(category: vocab.Category, value: str, plural: bool) -> list[str]:
    return [p for p, v in category.phrases.items() if v == value and (p in category.plurals) == plural]


# Surface words per value, the usual one first (vocab lists a value, its synonyms, then its plurals).
_NOUNS = {(v, plural): _phrases(vocab.OBJECT, v, plural) for v in vocab.OBJECT.values for plural in (False, True)}
_ADJECTIVES = {v: _phrases(cat, v, False) for cat in (vocab.COLOR, vocab.SIZE) for v in cat.values}
assert all(words[0] == (vocab.OBJECT.plural[v] if plural else v) for (v, plural), words in _NOUNS.items())


class _Picker:
    """Word choices from one random stream."""

    def __init__(self, rng: np.random.Generator):
        self.rng = rng

    def one(self, options):
        return options[int(self.rng.integers(len(options)))]

    def chance(self, p: float) -> bool:
        return bool(self.rng.random() < p)

    def usual(self, words: list[str], p: float = 0.5) -> str:
        """The first (usual) word with probability p, else any of the others."""
        return words[0] if len(words) == 1 or self.chance(p) else self.one(words[1:])


@dataclass
class _Group:
    det: str  # 'a', 'the two', 'a herd of', or '' for a bare noun
    words: list[str]  # determiner, adjectives, noun
    position: str | None
    plural: bool
    object: str


def _group(item: Item, pick: _Picker) -> _Group:
    plural = item.count != "one"
    adjectives = [pick.usual(_ADJECTIVES[a], 0.6) for a in (item.size, item.color) if a is not None]
    noun = pick.usual(_NOUNS[item.object, plural], 0.6)
    if item.count == "one":
        head = (adjectives + [noun])[0]
        det = pick.one([article(head)] * 8 + ["the"] * 4 + ["one", "a single", ""])
    else:
        options = list(COUNT_PHRASES[item.count])
        if item.count == "many":
            options += [c for c, objects in _COLLECTIVES.items() if item.object in objects] * 2
        det = pick.one(options)
    position = pick.one(POSITION_PHRASES[item.position]) if item.position else None
    return _Group(det, [w for w in [det, *adjectives, noun] if w], position, plural, item.object)


def _check_concrete(scene: Scene) -> None:
    attrs = [scene.place, scene.time] + [a for it in scene.items for a in (it.object, it.color, it.size)]
    if any(isinstance(a, Blend) for a in attrs):
        raise ValueError(f"captions describe concrete scenes; this one holds a blend: {scene}")
    if not 1 <= len(scene.items) <= vocab.MAX_ITEMS:
        raise ValueError(f"a scene to caption holds 1 to {vocab.MAX_ITEMS} items, not {len(scene.items)}")


def _candidate(scene: Scene, pick: _Picker) -> str:
    """One phrasing of a canonical concrete scene (not yet checked)."""
    items, relations = list(scene.items), [it.relation for it in scene.items[:-1]]
    if len(items) == 2 and relations[0] in _INVERSE and pick.chance(0.5):
        items, relations = items[::-1], [_INVERSE[relations[0]]]
    groups = [_group(it, pick) for it in items]

    settings = []
    if scene.place is not None:
        settings.append(pick.one(PLACE_PHRASES[scene.place]))
    if scene.time is not None:
        settings.append(pick.one(TIME_PHRASES[scene.time]))
    if len(settings) == 2 and pick.chance(0.25):
        settings.reverse()
    # Where each setting goes: 0 before everything, 1 after the first group, 2 at the end.
    slots = [pick.one([0, 2, 2, 2] + ([1, 1] if len(groups) > 1 else [])) for _ in settings]
    at = {k: [s for s, slot in zip(settings, slots) if slot == k] for k in (0, 1, 2)}

    first = groups[0]
    follows = bool(len(groups) > 1 or first.position or at[1] or at[2])
    verb_options = participles(first.object, scene.place)
    mode = pick.one(["none", "none", "participle", "participle", "finite", "there"])
    if mode == "there" and (first.det.startswith("the") or not (first.det or first.plural)):
        mode = "none"  # not 'there is the car' nor 'there is car'
    be = "are" if first.plural else "is"
    lead: list[str] = []
    verb: list[str] = []
    if mode == "there":
        collective = first.det in ("a pair of", "a couple of", "a group of", *_COLLECTIVES)
        lead = ["there", "is" if collective else be]  # 'there is a herd of elephants'
        verb = [pick.one(verb_options)] if pick.chance(0.4) else []
    elif mode == "participle":
        verb = [pick.one(verb_options)]
    elif mode == "finite":
        word = pick.one(verb_options)
        forms = [f"{be} {word}"] + ([_FINITE[word][first.plural]] if word in _FINITE else [])
        verb = [pick.one(forms + ([be] if follows else []))]

    words: list[str] = []
    if at[0]:
        words += [", ".join(at[0]) + ","]
    words += lead
    for index, group in enumerate(groups):
        if index:
            words.append(pick.one(RELATION_PHRASES[relations[index - 1]]))
        words += group.words
        if index == 0:
            words += verb
        if group.position:
            words.append(group.position)
        if index == 0:
            words += at[1]
    words += at[2]
    return " ".join(words)


def captions(scene: Scene, seed: int, n: int = 5) -> list[str]:
    """Up to n distinct captions of a concrete scene, each compiling back to `canonical(scene)`.

    Same scene and seed, same list. Raises ValueError for a scene with a blend.
    """
    _check_concrete(scene)
    if n <= 0:
        return []
    target = canonical(scene)
    pick = _Picker(stream(seed, "caption"))
    found: list[str] = []
    for _ in range(4 * n + 4):
        if len(found) >= n:
            break
        text = _candidate(target, pick)
        if text in found:
            continue
        try:
            ok = compile_scene_text(text) == target
        except GendslError:
            ok = False
        if ok:
            found.append(text)
    if not found:  # the canonical text always compiles back to its scene
        found.append(str(target))
    return found
