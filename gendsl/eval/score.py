"""The judge's predictions, matched to what a scene asked for.

Slots are the scene's canonical item order, which a picture does not always
show ('a car next to a house' may be drawn either way round), so a judgement
tries every assignment of predicted slots to the scene's slots and keeps the
one with the most attributes right (ties: the likeliest). The loss in fit.py
makes the same choice by likelihood.

    pred = judge.predict(images)
    j = match(pred, scenes)        # per image, per slot: right or wrong, and whether it counts
    accuracy(j)["all"]             # share of images with every asked-for attribute right
    agreement(pred, scenes)        # how near each scene is to what the judge reads (0: just that)
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..worlds.scene.ir import Item, Scene, canonical
from .labels import (EMPTY_INDEX, PERMUTATIONS, SCENE_HEADS, SCENE_SLICES, SCENE_WIDTH, SLOT_HEADS,
                     SLOT_SLICES, SLOT_WIDTH, SLOTS, targets_batch)

ITEM_ATTRIBUTES = tuple(name for name, _ in SLOT_HEADS)  # object, color, size, count
SCENE_ATTRIBUTES = tuple(name for name, _ in SCENE_HEADS)  # place, time
ATTRIBUTES = (*ITEM_ATTRIBUTES, *SCENE_ATTRIBUTES, "empty", "all")  # the columns of every table


def _log_softmax(x: np.ndarray) -> np.ndarray:
    x = x - x.max(axis=-1, keepdims=True)
    return x - np.log(np.exp(x).sum(axis=-1, keepdims=True))


@dataclass(frozen=True)
class Prediction:
    """Log-probabilities per head: slot heads (N, SLOTS, K), scene heads (N, K)."""

    slot: dict[str, np.ndarray]
    scene: dict[str, np.ndarray]

    @classmethod
    def from_logits(cls, logits: np.ndarray) -> "Prediction":
        logits = np.asarray(logits, np.float64)
        slots = logits[:, :SLOTS * SLOT_WIDTH].reshape(len(logits), SLOTS, SLOT_WIDTH)
        scene = logits[:, SLOTS * SLOT_WIDTH:SLOTS * SLOT_WIDTH + SCENE_WIDTH]
        return cls({name: _log_softmax(slots[..., s]) for name, s in SLOT_SLICES.items()},
                   {name: _log_softmax(scene[..., s]) for name, s in SCENE_SLICES.items()})

    def __len__(self) -> int:
        return len(self.slot["object"])

    def mean_with(self, other: "Prediction") -> "Prediction":
        """The mean of two readings of the same pictures (the judge's reading of their mirror images): per
        image, the other's slots put in the order that agrees best with these (slots have no order of their
        own), then the log-probabilities of every head averaged and renormalised."""
        if len(other) != len(self):
            raise ValueError(f"{len(other)} readings to average with {len(self)}")
        a, b = (np.concatenate([np.exp(p.slot[name]) for name in ITEM_ATTRIBUTES], -1) for p in (self, other))
        disagreement = np.stack([((a - b[:, perm]) ** 2).sum(axis=(1, 2)) for perm in PERMUTATIONS], axis=-1)
        order = PERMUTATIONS[disagreement.argmin(-1)]
        rows = np.arange(len(self))[:, None]
        return Prediction({name: _log_softmax((lp + other.slot[name][rows, order]) / 2) for name, lp in self.slot.items()},
                          {name: _log_softmax((lp + other.scene[name]) / 2) for name, lp in self.scene.items()})

    def argmax(self, name: str) -> np.ndarray:
        """Predicted class indices: (N, SLOTS) for a slot head, (N,) for a scene head."""
        return (self.slot[name] if name in self.slot else self.scene[name]).argmax(-1)

    def scenes(self) -> list[Scene]:
        """What the judge sees, as scenes (item order as predicted; empty slots dropped). Sizes are
        left out: the judge tells small from large, which says nothing where neither was asked for."""
        values = dict(SLOT_HEADS) | dict(SCENE_HEADS)
        picks = {name: self.argmax(name) for name in (*ITEM_ATTRIBUTES, *SCENE_ATTRIBUTES)}
        said = [name for name in ITEM_ATTRIBUTES if name != "size"]
        out = []
        for n in range(len(self)):
            items = tuple(Item(**{name: values[name][picks[name][n, s]] for name in said})
                          for s in range(SLOTS) if picks["object"][n, s] != EMPTY_INDEX)
            out.append(canonical(Scene(items, *(values[name][picks[name][n]] for name in SCENE_ATTRIBUTES))))
        return out


@dataclass(frozen=True)
class Judgement:
    """Right or wrong per image and slot, under the best slot assignment; masks say what counts."""

    slot_right: np.ndarray  # bool (N, SLOTS, 4): object, color, size, count of the scene's slot j
    slot_mask: np.ndarray  # bool (N, SLOTS, 4): the scene asks for it (an empty slot asks only for 'empty')
    scene_right: np.ndarray  # bool (N, 2): place, time
    scene_mask: np.ndarray  # bool (N, 2)
    occupied: np.ndarray  # bool (N, SLOTS): the scene has an item in slot j
    permutation: np.ndarray  # int (N, SLOTS): predicted slot matched to the scene's slot j

    def subset(self, keep) -> "Judgement":
        """The judgement of some of the images (a boolean mask or indices)."""
        return Judgement(*(getattr(self, f)[keep] for f in self.__dataclass_fields__))

    def image_right(self) -> np.ndarray:
        """bool (N,): every asked-for attribute right, and no object where the scene has none."""
        slots = (self.slot_right | ~self.slot_mask).all(axis=(1, 2))
        return slots & (self.scene_right | ~self.scene_mask).all(axis=1)


def _targets(pred: Prediction, scenes) -> tuple[np.ndarray, np.ndarray]:
    """The scenes' slot and scene targets (labels.targets_batch), one scene per prediction."""
    slot_t, scene_t = targets_batch(list(scenes))
    if len(pred) != len(slot_t):
        raise ValueError(f"{len(pred)} predictions for {len(slot_t)} scenes")
    return slot_t, scene_t


def _readings(pred: Prediction, slot_t: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Under every slot assignment, (N, P, SLOTS, 4) each: the log-probability of scene slot j's attribute k
    as predicted slot PERMUTATIONS[p, j] reads it, the largest log-probability of that head there, and
    whether its likeliest class is the target (masked targets read as class 0)."""
    n, mask = len(slot_t), slot_t >= 0
    shape = (n, len(PERMUTATIONS), SLOTS, len(SLOT_HEADS))
    logp, top, right = np.zeros(shape), np.zeros(shape), np.zeros(shape, bool)
    rows = np.arange(n)[:, None]
    for p, perm in enumerate(PERMUTATIONS):
        for k, name in enumerate(ITEM_ATTRIBUTES):
            lp = pred.slot[name][:, perm]  # (N, SLOTS, K), reordered to the scene's slots
            t = np.where(mask[..., k], slot_t[..., k], 0)
            right[:, p, :, k] = lp.argmax(-1) == t
            logp[:, p, :, k] = lp[rows, np.arange(SLOTS)[None], t]
            top[:, p, :, k] = lp.max(-1)
    return logp, top, right


def match(pred: Prediction, scenes) -> Judgement:
    """Judge each image against its scene, choosing the slot assignment per image."""
    slot_t, scene_t = _targets(pred, scenes)
    n, mask = len(slot_t), slot_t >= 0
    logp, _, right = _readings(pred, slot_t)
    right &= mask[:, None]
    score = right.sum(axis=(2, 3)).astype(np.float64)
    likelihood = (logp * mask[:, None]).sum(axis=(2, 3))
    # the assignment with the most attributes right, and the likeliest of those (lexsort's last key leads)
    best = np.lexsort((-likelihood, -score), axis=-1)[:, 0] if n else np.zeros(0, np.int64)
    scene_mask = scene_t >= 0
    scene_right = np.stack([pred.argmax(name) == scene_t[:, k] for k, name in enumerate(SCENE_ATTRIBUTES)],
                           axis=1) & scene_mask if n else np.zeros((0, len(SCENE_ATTRIBUTES)), bool)
    return Judgement(right[np.arange(n), best], mask, scene_right, scene_mask, slot_t[..., 0] != EMPTY_INDEX,
                     PERMUTATIONS[best])


def agreement(pred: Prediction, scenes) -> np.ndarray:
    """float (N,), at most 0: over what each scene states (an empty slot states 'no object'), the sum of
    log p(what it states) - log p(the judge's likeliest reading), under the slot assignment that agrees best.
    0 where the judge reads just that; it ranks other sentences for the same picture (captioner "judged")."""
    slot_t, scene_t = _targets(pred, scenes)
    n, mask = len(slot_t), slot_t >= 0
    logp, top, _ = _readings(pred, slot_t)
    best = ((logp - top) * mask[:, None]).sum(axis=(2, 3)).max(axis=1) if n else np.zeros(0)
    for k, name in enumerate(SCENE_ATTRIBUTES):
        lp, said = pred.scene[name], scene_t[:, k] >= 0
        best += (lp[np.arange(n), np.where(said, scene_t[:, k], 0)] - lp.max(-1)) * said
    return best


def verdicts(j: Judgement) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """{attribute: (right, counted)} as the judge protocol gives them (protocol.tally makes `accuracy` of them):
    per image and slot for an item's attributes and 'empty', per image for the place, time and 'all'."""
    out = {name: (j.slot_right[..., k], j.slot_mask[..., k] & j.occupied) for k, name in enumerate(ITEM_ATTRIBUTES)}
    out |= {name: (j.scene_right[:, k:k + 1], j.scene_mask[:, k:k + 1]) for k, name in enumerate(SCENE_ATTRIBUTES)}
    out["empty"] = (j.slot_right[..., 0], ~j.occupied)
    out["all"] = (j.image_right()[:, None], np.ones((len(j.occupied), 1), bool))
    return out


def accuracy(j: Judgement) -> dict[str, float]:
    """Share right per attribute, over the cases that count ('object' over the scene's items only,
    'empty' over its empty slots); NaN where nothing counts."""
    out: dict[str, float] = {}
    for k, name in enumerate(ITEM_ATTRIBUTES):
        out[name] = _share(j.slot_right[..., k], j.slot_mask[..., k] & j.occupied)
    for k, name in enumerate(SCENE_ATTRIBUTES):
        out[name] = _share(j.scene_right[:, k], j.scene_mask[:, k])
    out["empty"] = _share(j.slot_right[..., 0], ~j.occupied)
    out["all"] = _share(j.image_right(), np.ones(len(j.occupied), bool))
    return out


def counts(j: Judgement) -> dict[str, int]:
    """How many cases each figure of `accuracy` is over."""
    out = {name: int((j.slot_mask[..., k] & j.occupied).sum()) for k, name in enumerate(ITEM_ATTRIBUTES)}
    out |= {name: int(j.scene_mask[:, k].sum()) for k, name in enumerate(SCENE_ATTRIBUTES)}
    out["empty"] = int((~j.occupied).sum())
    out["all"] = len(j.occupied)
    return out


def _share(right: np.ndarray, counted: np.ndarray) -> float:
    total = int(counted.sum())
    return float((right & counted).sum() / total) if total else float("nan")
