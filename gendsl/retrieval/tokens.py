"""The captioner's words: a fixed, word-level vocabulary read from the scene language's own tables.

    words = vocabulary()                      # ('<pad>', '<start>', '<end>', ',', '2', 'a', ...)
    ids = encode_text("at night, a red car")  # [1, ..., 2]: <start> words <end>
    encode_text("a red car at night", canonical=True)  # [3, 4, ..., 2]: <canon> <items:1> words <end>
    decode_ids(ids) == "at night, a red car"

Every word the language or the world's captions can say is in it, so the
vocabulary is a pure function of the language (no dataset is scanned) and a
captioner records the words it was trained with (config.json) and speaks
those, even after the language learns new ones. Commas are words
of their own; decoding glues them back to the word before.

Canonical text is opened by a plan token after <canon>: how many items the
scene has (<items:2> for 'a car next to a house'). Without it the first word
decides too much: 'a' begins both 'a bus next to a bus' and every one-item
scene, so a model that saw two buses side by side often said 'a' (measured:
a third of 'two X' test images began 'a', at 2,000 steps) where it meant 'two
buses'. With the plan, the number of items is decided first and alone; then
'a' can only mean one bus. Plan tokens are never printed, and a vocabulary
without them (older captioners) encodes canonical text without the plan.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..worlds.scene import vocab
from ..lang.errors import GendslError
from ..worlds.scene.ir import article

PAD, START, END, CANON = "<pad>", "<start>", "<end>", "<canon>"
# <start> opens a caption in any phrasing; <canon> opens the language's canonical text of the scene.
SPECIAL = (PAD, START, END, CANON)
PLAN = tuple(f"<items:{n}>" for n in range(1, vocab.MAX_ITEMS + 1))  # see the module docstring
# Words the captions join phrases with, beside those of vocab's tables and captions.py's phrase lists.
CONNECTORS = ("and", ",", "of", "than", "to", "there", "one", "single")


def _caption_tables() -> list[str]:
    from ..worlds.scene import captions as c  # phrase lists the world's captions draw from

    phrases = [p for table in (c.PLACE_PHRASES, c.TIME_PHRASES, c.RELATION_PHRASES, c.POSITION_PHRASES,
                               c.COUNT_PHRASES) for options in table.values() for p in options]
    phrases += list(c._COLLECTIVES) + [form for pair in c._FINITE.values() for form in pair]
    return phrases


@lru_cache(maxsize=1)
def vocabulary() -> tuple[str, ...]:
    """Special tokens, then every known word in sorted order."""
    words: set[str] = set(CONNECTORS)
    for phrase in [*vocab.all_phrases(), *_caption_tables()]:
        words.update(split(phrase))
    return SPECIAL + PLAN + tuple(sorted(words - set(SPECIAL)))


@lru_cache(maxsize=8)
def _index(words: tuple[str, ...]) -> dict[str, int]:
    return {w: i for i, w in enumerate(words)}


def _items(text: str) -> int:
    from ..worlds.scene.compiler import compile_scene_text

    return len(compile_scene_text(text).items)


def split(text: str) -> list[str]:
    """Lower-case words, commas as words of their own."""
    return text.lower().replace(",", " , ").split()


def encode_text(text: str, max_len: int | None = None, words: tuple[str, ...] | None = None,
                canonical: bool = False) -> list[int]:
    """<start> (or <canon>) word ids <end> in `words` (default: the language's vocabulary); unknown words
    are an error."""
    index = _index(words or vocabulary())
    said = split(text)
    unknown = sorted({w for w in said if w not in index})
    if unknown:
        raise GendslError(f"words outside the captioner's vocabulary: {', '.join(unknown)}")
    plan = [index[f"<items:{_items(text)}>"]] if canonical and PLAN[0] in index else []
    ids = [index[CANON if canonical else START], *plan, *(index[w] for w in said), index[END]]
    if max_len is not None and len(ids) > max_len:
        raise GendslError(f"caption of {len(ids)} tokens is longer than the captioner's {max_len}: {text!r}")
    return ids


def encode_batch(texts: list[str], max_len: int, words: tuple[str, ...] | None = None,
                 canonical: bool = False) -> np.ndarray:
    """int32 (N, max_len) of token ids, padded with <pad> (0)."""
    out = np.zeros((len(texts), max_len), np.int32)
    for row, text in enumerate(texts):
        ids = encode_text(text, max_len, words, canonical)
        out[row, :len(ids)] = ids
    return out


def decode_ids(ids, words: tuple[str, ...] | None = None) -> str:
    """Text of token ids, stopping at <end>; <start> and <pad> are dropped."""
    words = words or vocabulary()
    out: list[str] = []
    for i in ids:
        word = words[int(i)]
        if word == END:
            break
        if word in SPECIAL or word in PLAN:
            continue
        if word == "," and out:
            out[-1] += ","
        else:
            if out and out[-1] in ("a", "an"):  # a model may have learnt 'a orange' from older captions
                out[-1] = article(word)
            out.append(word)
    return " ".join(out)


PAD_ID, START_ID, END_ID, CANON_ID = 0, 1, 2, 3
assert vocabulary()[:len(SPECIAL)] == SPECIAL and vocabulary()[CANON_ID] == CANON
