"""Scoring captions and rankings: attribute accuracy through the language, BLEU-4, recall and precision.

    compare(compile_scene_text(caption), truth)  # {attribute: True / False / None (the truth leaves it open)}
    attribute_accuracy([compare(...), ...])     # {attribute: share right, over the cases that count}
    corpus_bleu(hypotheses, references)         # BLEU-4 (Papineni et al. 2002), corpus level
    expected_hits(scores, relevant, k)          # hits in the top k, ties broken at random (in expectation)

Attributes follow the judge's rules (eval/score.py): only what the true scene
says counts (a scene with no time is drawn by day, so 'by day' is not wrong
there), items are matched in the order that gets the most right, and 'all'
means every stated attribute right and the same number of items, where what
the world draws alike also passes (a car with no colour is drawn red, so 'a
car' meets 'a red car'; _same), and so does leaving out a size or position that
this picture's layout could not show (compare(unshown=...), measured by
world/visible.py: 'two large buses' shrunk to fit are drawn like 'two buses').
'strict' is 'all' without those allowances, and 'exact' the canonical equality
of the two scenes.
"""
from __future__ import annotations

import math
from collections import Counter
from itertools import permutations
from typing import Sequence

import numpy as np

from ..worlds.scene.ir import Scene, canonical

ITEM_ATTRS = ("object", "color", "size", "count", "position")
ATTRIBUTES = (*ITEM_ATTRS, "relation", "place", "time", "items", "all", "strict", "exact")
ALIKE = 45  # RGB distance under which an object's own colour is drawn like a colour word (jitter is +-6%)


def _own_colours() -> dict[str, str]:
    """Objects whose own colour (drawn when no colour is said) is nearly a colour word: {'car': 'red', ...}."""
    from ..worlds.scene.layout import PALETTE
    from ..worlds.scene.shapes import NATURAL

    out = {}
    for obj, rgb in NATURAL.items():
        name = min(PALETTE, key=lambda c: float(np.linalg.norm(np.subtract(PALETTE[c], rgb))))
        if np.linalg.norm(np.subtract(PALETTE[name], rgb)) < ALIKE:
            out[obj] = name
    return out


OWN_COLOUR = _own_colours()


def scene_or_none(text: str) -> Scene | None:
    """The scene `text` compiles to, or None (a caption that means no scene)."""
    from ..lang.errors import GendslError
    from ..worlds.scene.compiler import compile_scene_text
    try:
        return compile_scene_text(text)
    except GendslError:
        return None


def _same(name: str, truth, pred, obj=None, strict: bool = False, unshown: bool = False) -> bool:
    """Whether a stated attribute is met. Beside equality, what the world draws alike (worlds/scene/layout.py,
    worlds/scene/places.py) counts unless strict: no colour draws an object's own colour (a car is red) and
    no time draws day. No position is not 'center': since world format 2 a group with none stands anywhere it
    fits. A size or position this very drawing does not show (`unshown`, from worlds/scene/visible.py: a large
    group shrunk to fit, a wide group the canvas edge kept near the middle) is met by no word, or by
    'center' for a position."""
    if truth == pred or strict:
        return truth == pred
    if unshown and (pred is None or (name == "position" and pred == "center")):
        return True
    if pred is not None:
        return False
    return (name == "color" and OWN_COLOUR.get(obj) == truth) or (name, truth) == ("time", "day")
_MIRROR = {"left of": "right of", "right of": "left of", "above": "below", "below": "above",
           "next to": "next to", None: None}


def _relations(scene: Scene) -> dict[tuple[int, int], str | None]:
    """How item a stands to item b, both ways round, for neighbouring items."""
    out = {}
    for a in range(len(scene.items) - 1):
        rel = scene.items[a].relation
        out[a, a + 1], out[a + 1, a] = rel, _MIRROR.get(rel, rel)
    return out


def compare(pred: Scene | None, truth: Scene, strict: bool = False,
            unshown: dict[int, frozenset[str]] | None = None) -> dict[str, bool | None]:
    """Right (True), wrong (False) or not asked (None) per attribute; pred None: a caption that did not parse.
    'all' lets what the world draws alike pass (see _same); 'strict' and the per-attribute figures under
    strict=True do not. unshown: {truth item index (canonical order): attributes its picture does not
    show}, from world.visible.unshown(truth, image seed) where the picture follows the world's layout."""
    unshown = unshown or {}
    truth = canonical(truth)
    if pred is None:  # wrong on everything the truth asks for
        return {name: None if asked is None else False for name, asked in compare(truth, truth).items()}
    result: dict[str, bool | None] = {}
    pred = canonical(pred)
    n = len(truth.items)

    def met(j: int, k: int, a: str) -> bool:  # truth item j's attribute a, said by pred item k
        return k < len(pred.items) and _same(a, getattr(truth.items[j], a), getattr(pred.items[k], a),
                                             truth.items[j].object, strict, a in unshown.get(j, ()))
    best, best_perm = -1, None
    for perm in permutations(range(max(n, len(pred.items))), n):  # truth item j <-> pred item perm[j]
        score = sum(getattr(truth.items[j], a) is not None and met(j, perm[j], a) for j in range(n) for a in ITEM_ATTRS)
        if score > best:
            best, best_perm = score, perm
    for a in ITEM_ATTRS:
        asked = [j for j in range(n) if getattr(truth.items[j], a) is not None]
        result[a] = None if not asked else all(met(j, best_perm[j], a) for j in asked)
    if n > 1:
        said = _relations(pred)
        result["relation"] = all(said.get((best_perm[a], best_perm[a + 1]), "missing") == truth.items[a].relation
                                 for a in range(n - 1))
    else:
        result["relation"] = None
    for a in ("place", "time"):
        result[a] = None if getattr(truth, a) is None else _same(a, getattr(truth, a), getattr(pred, a), None, strict)
    result["items"] = len(pred.items) == n
    result["all"] = all(v is not False for k, v in result.items())
    result["strict"] = result["all"] if strict else compare(pred, truth, strict=True)["all"]
    result["exact"] = pred == truth
    return result


def attribute_accuracy(results: Sequence[dict]) -> dict[str, dict]:
    """{attribute: {"accuracy": share right or None, "n": cases that count}}."""
    out = {}
    for name in ATTRIBUTES:
        counted = [r[name] for r in results if r[name] is not None]
        out[name] = {"accuracy": float(np.mean(counted)) if counted else None, "n": len(counted)}
    return out


def _ngrams(words: list[str], n: int) -> Counter:
    return Counter(tuple(words[i:i + n]) for i in range(len(words) - n + 1))


def corpus_bleu(hypotheses: Sequence[str], references: Sequence[Sequence[str]], max_n: int = 4) -> float:
    """Corpus BLEU-4: clipped n-gram precisions (n = 1..4) pooled over the corpus, geometric mean,
    brevity penalty against the reference closest in length (ties: the shorter). Commas are words."""
    from .tokens import split

    matched, total = [0] * max_n, [0] * max_n
    hyp_len = ref_len = 0
    for hyp, refs in zip(hypotheses, references):
        h = split(hyp)
        rs = [split(r) for r in refs]
        hyp_len += len(h)
        ref_len += min((abs(len(r) - len(h)), len(r)) for r in rs)[1]
        for n in range(1, max_n + 1):
            counts = _ngrams(h, n)
            most = Counter()
            for r in rs:
                most |= _ngrams(r, n)
            matched[n - 1] += sum(min(c, most[g]) for g, c in counts.items())
            total[n - 1] += max(len(h) - n + 1, 0)
    if hyp_len == 0 or min(matched) == 0:
        return 0.0
    log_precision = sum(math.log(m / t) for m, t in zip(matched, total)) / max_n
    brevity = 1.0 if hyp_len > ref_len else math.exp(1 - ref_len / hyp_len)
    return brevity * math.exp(log_precision)


def expected_hits(scores: np.ndarray, relevant: np.ndarray, k: int) -> float:
    """Relevant items among the top k by score (higher is nearer), averaging over every order of tied scores.

    Hamming distances tie often; counting ties by id would make a method lucky or unlucky by index."""
    scores = np.asarray(scores, np.float64)
    k = min(k, len(scores))
    if k == 0:
        return 0.0
    kth = np.partition(scores, len(scores) - k)[len(scores) - k] if k < len(scores) else scores.min()
    above, tied = scores > kth, scores == kth
    room = k - int(above.sum())
    return float(relevant[above].sum() + room * relevant[tied].sum() / max(int(tied.sum()), 1))
