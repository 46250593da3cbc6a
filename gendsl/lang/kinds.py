"""A kind of word (object, colour, place …) as every world's language holds it: its values, in the order of
their one-hot block, and the phrases that mean each. A world names its kinds; the language reads them."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Category:
    """One kind of word: its terminal name, its values, and their phrases."""

    name: str
    terminal: str
    values: tuple[str, ...]
    phrases: dict[str, str]  # surface phrase (lower case) -> canonical value
    plurals: frozenset[str] = field(default_factory=frozenset)  # phrases that are plural
    plural: dict[str, str] = field(default_factory=dict)  # value -> its usual plural phrase
    # phrases the language reads but the world's captions never say ("a passenger jet"), so that reading
    # more of how people write changes neither the world's captions nor the captioner's words
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def heard(self) -> dict[str, str]:
        """Every phrase the language reads: the said ones and the extra ones."""
        return {**self.phrases, **self.extra}

    def value_of(self, phrase: str) -> str:
        return self.heard[normalize_phrase(phrase)]

    def index(self, value: str) -> int:
        return self.values.index(value)


def normalize_phrase(text: str) -> str:
    """Lower-case and collapse inner whitespace: 'Parking   Lot' -> 'parking lot'."""
    return " ".join(text.lower().split())
