"""How a judge reads a digits canvas: place by place (the world's half of its judge; the network that reads
is eval/place_judge.py, which any world with places uses).

    reading = DigitsWorld().places()
    targets = reading.targets(scenes)      # int32 (N, 9): per place, 0 for empty or 1 + the digit drawn there
    scenes = reading.decode(log_probs)     # (N, 9, 11) per-place log-probabilities -> the best valid scenes
    reading.hits(pred, truth)              # {attribute: right?} for the attributes the true scene has

A digits scene is exactly a map of what stands at each of the nine places of the 3 x 3 grid
(canvas.placements), so a judge's answer is the valid scene (one digit at a place, or two digits above /
left of each other: 290 of them) with the highest summed log-probability over the nine places, an exact
decode that never returns a map no caption could describe.
"""
from __future__ import annotations

from functools import cache

import numpy as np

from .language import CANONICAL_RELATIONS, DIGIT, POSITION, DigitScene, canonical

CELLS, CLASSES = len(POSITION.values), 11  # class 0: no digit at this place; class d + 1: digit d
ATTRIBUTES = ("digit1", "digit2", "position", "relation", "count", "all")


def cell_targets(scenes) -> np.ndarray:
    """int32 (N, 9): per place, 0 for empty or 1 + the digit drawn there."""
    from .canvas import placements

    out = np.zeros((len(scenes), CELLS), np.int32)
    for i, scene in enumerate(scenes):
        for digit, place in placements(scene):
            out[i, POSITION.index(place)] = int(digit) + 1
    return out


@cache
def candidates() -> tuple[list[DigitScene], np.ndarray]:
    """Every valid canonical scene (10 x 9 singles, 10 x 10 x 2 pairs) and its (290, 9) place map."""
    scenes = [DigitScene((d,), p) for d in DIGIT.values for p in POSITION.values]
    scenes += [DigitScene((a, b), None, r) for a in DIGIT.values for b in DIGIT.values for r in CANONICAL_RELATIONS]
    return scenes, cell_targets(scenes)


def decode(log_probs: np.ndarray) -> list[DigitScene]:
    """(N, 9, 11) per-place log-probabilities -> the most probable valid scene of each image."""
    scenes, maps = candidates()
    picked = log_probs[:, np.arange(CELLS)[None, :], maps]  # (N, 290, 9)
    return [scenes[k] for k in picked.sum(axis=2).argmax(axis=1)]


def attribute_hits(pred: DigitScene, truth: DigitScene) -> dict:
    """{attribute: True/False}, only for the attributes the true scene has."""
    pred, truth = canonical(pred), canonical(truth)
    hits = {"digit1": pred.digits[0] == truth.digits[0], "count": len(pred.digits) == len(truth.digits),
            "all": pred == truth}
    if len(truth.digits) == 1:
        hits["position"] = len(pred.digits) == 1 and pred.position == truth.position
    else:
        hits["digit2"] = len(pred.digits) == 2 and pred.digits[1] == truth.digits[1]
        hits["relation"] = len(pred.digits) == 2 and pred.relation == truth.relation
    return hits


def attribute_accuracy(preds, truths) -> dict:
    """{attribute: {"accuracy", "n"}}; accuracy is None where no scene has the attribute."""
    hits = [attribute_hits(p, t) for p, t in zip(preds, truths, strict=True)]
    out = {}
    for name in ATTRIBUTES:
        values = [h[name] for h in hits if name in h]
        out[name] = {"accuracy": float(np.mean(values)) if values else None, "n": len(values)}
    return out


class Places:
    """The digits world's places, as eval/place_judge.py asks for them."""

    cells, classes, attributes = CELLS, CLASSES, ATTRIBUTES
    gray = True  # the canvases are ink on black: a judge reads the channel mean

    targets = staticmethod(cell_targets)
    decode = staticmethod(decode)
    hits = staticmethod(attribute_hits)
