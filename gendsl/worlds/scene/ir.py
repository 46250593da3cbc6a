"""The scene world's concrete scene: items, a place and a time of day, as a model draws them.

`Blend`, `Attr` and `dominant` are the language's (lang/ir.py); they are re-exported here so a scene's
parts come from one place.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ...lang.ir import Attr, Blend, dominant
from . import vocab

__all__ = ["Attr", "Blend", "Item", "Scene", "article", "canonical", "dominant"]


@dataclass(frozen=True)
class Item:
    """One object group in a scene: 'two small red cars on the left'."""

    object: str | Blend
    color: Attr = None
    size: Attr = None
    count: str = "one"  # one | two | three | many
    position: str | None = None  # left | center | right
    relation: str | None = None  # how this item stands to the next one: left of, above, next to ...

    def __str__(self) -> str:
        """Canonical text that the language parses back to this item."""
        plural = self.count != "one"
        words = [_attr_text(a) for a in (self.size, self.color) if a is not None]
        if isinstance(self.object, Blend):
            words.append(_attr_text(self.object))
        else:
            words.append(vocab.OBJECT.plural[self.object] if plural else self.object)
        words.insert(0, article(words[0]) if not plural else _COUNT_WORDS[self.count])
        if self.position:
            words.append(_POSITION_WORDS[self.position])
        return " ".join(words)


_COUNT_WORDS = {"two": "two", "three": "three", "many": "many"}


def article(next_word: str) -> str:
    """'an' before a vowel ('an orange car', 'an elephant'), else 'a'; the language reads both alike."""
    return "an" if next_word[:1] in "aeiou" else "a"
_POSITION_WORDS = {"left": "on the left", "center": "in the center", "right": "on the right"}
_TIME_WORDS = {"day": "by day", "night": "at night"}


def _attr_text(attr: "str | Blend") -> str:
    if isinstance(attr, Blend):
        # float32 weights print in their shortest form, which parses back to the same float32
        return "(" + ", ".join(f"{v}:{np.format_float_positional(np.float32(w), trim='-')}"
                               for v, w in attr.parts) + ")"
    return attr


@dataclass(frozen=True)
class Scene:
    """A concrete scene: up to vocab.MAX_ITEMS items, a place and a time of day."""

    items: tuple[Item, ...]
    place: Attr = None
    time: Attr = None

    def __str__(self) -> str:
        """Canonical text: compile_scene(str(scene)) == canonical(scene). It reads as English:
        'a boat on the beach', 'a bus in the parking lot' (vocab.PLACE_PREPOSITIONS)."""
        return self._text(legacy=False)

    def legacy_text(self) -> str:
        """The canonical text before gendsl 0.x said 'on the beach': every place 'in the …'. Images made
        then store it; restore accepts it as the same scene."""
        return self._text(legacy=True)

    def _text(self, legacy: bool) -> str:
        parts = []
        for index, item in enumerate(self.items):
            parts.append(str(item))
            if index < len(self.items) - 1:
                parts.append(item.relation or "and")
        if self.place is not None:
            prep = "in" if legacy else vocab.PLACE_PREPOSITIONS[dominant(self.place)]
            parts.append(f"{prep} the {_attr_text(self.place)}")
        if self.time is not None:
            parts.append(f"at {_attr_text(self.time)}" if isinstance(self.time, Blend) else _TIME_WORDS[self.time])
        return " ".join(parts)


def canonical(scene: Scene) -> Scene:
    """The one form of a scene that every phrasing of it compiles to.

    Two-item scenes are written with mirrored relations turned round:
    'A right of B' becomes 'B left of A', 'A below B' becomes 'B above A'.
    The last item never carries a relation.
    """
    items = list(scene.items)
    if items:
        items[-1] = replace(items[-1], relation=None)
    if len(items) == 2 and items[0].relation in vocab.MIRRORED_RELATIONS:
        first, second = items
        items = [replace(second, relation=vocab.MIRRORED_RELATIONS[first.relation]), replace(first, relation=None)]
    return replace(scene, items=tuple(items))
