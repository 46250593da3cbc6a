"""Turning a next-word distribution into captions: greedy, beam search, seeded sampling.

Each decoder works on one chunk of images through `logits_at(tokens, t)`: the
(n, V) next-word logits at position t of an (n, L) token buffer, where tokens
past t are padding that a causal decoder never reads. Everything here is numpy
in float64, so the words picked depend only on the network's logits. `first` is
the token every caption opens with (tokens.START_ID or tokens.CANON_ID).

    greedy(logits_at, n, length)                      -> (n, L) token ids
    beam(logits_at, n, length, width=4)               -> (n, width, L) ids and (n, width) scores, best first
    sample(logits_at, rngs, length, temperature=1.0)  -> (n, L) ids, row i drawn from rngs[i] alone
"""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from .tokens import END_ID, PAD_ID, START_ID

LogitsAt = Callable[[np.ndarray, int], np.ndarray]
LENGTH_PENALTY = 0.7  # beam scores are log p / len**alpha (GNMT), so short captions do not win by default


def _log_softmax(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, np.float64)
    x = x - x.max(-1, keepdims=True)
    return x - np.log(np.exp(x).sum(-1, keepdims=True))


def _start(n: int, length: int, first: int) -> np.ndarray:
    tokens = np.full((n, length), PAD_ID, np.int32)
    tokens[:, 0] = first
    return tokens


def greedy(logits_at: LogitsAt, n: int, length: int, first: int = START_ID) -> np.ndarray:
    """The likeliest word at every step (ties: the lowest id)."""
    tokens, done = _start(n, length, first), np.zeros(n, bool)
    for t in range(length - 1):
        word = np.asarray(logits_at(tokens, t)).argmax(-1)
        tokens[:, t + 1] = np.where(done, PAD_ID, word)
        done |= word == END_ID
        if done.all():
            break
    return tokens


def sample(logits_at: LogitsAt, rngs: Sequence[np.random.Generator], length: int,
           temperature: float = 1.0, first: int = START_ID) -> np.ndarray:
    """Each word drawn from softmax(logits / temperature) with row i's own generator (one draw per step)."""
    if not temperature > 0:
        raise ValueError(f"temperature must be above 0, not {temperature}")
    n = len(rngs)
    tokens, done = _start(n, length, first), np.zeros(n, bool)
    for t in range(length - 1):
        p = np.exp(_log_softmax(np.asarray(logits_at(tokens, t), np.float64) / temperature))
        cdf = np.cumsum(p, -1)
        u = np.array([rng.random() for rng in rngs]) * cdf[:, -1]
        word = np.minimum((cdf < u[:, None]).sum(-1), p.shape[1] - 1)
        tokens[:, t + 1] = np.where(done, PAD_ID, word)
        done |= word == END_ID
        if done.all():
            break
    return tokens


def beam(logits_at: LogitsAt, n: int, length: int, width: int = 4,
         first: int = START_ID) -> tuple[np.ndarray, np.ndarray]:
    """The `width` likeliest captions of each image under length-normalised log-probability.

    The token buffer holds n * width rows (image i's beams at rows i*width ...); a finished
    beam only extends itself by padding at no cost.
    """
    if width < 1:
        raise ValueError(f"beam width must be at least 1, not {width}")
    tokens = _start(n * width, length, first)
    scores = np.full((n, width), -np.inf)
    scores[:, 0] = 0.0  # all beams start equal: keep one, so the first step does not pick copies
    done = np.zeros((n, width), bool)
    lengths = np.zeros((n, width))
    for t in range(length - 1):
        logp = _log_softmax(logits_at(tokens, t)).reshape(n, width, -1)
        vocab = logp.shape[-1]
        finished = np.full(vocab, -np.inf)
        finished[PAD_ID] = 0.0
        logp = np.where(done[..., None], finished, logp)
        total = (scores[..., None] + logp).reshape(n, -1)
        # stable top-k: ties go to the lower (beam, word) index
        best = np.argsort(-total, axis=1, kind="stable")[:, :width]
        source, word = best // vocab, best % vocab
        rows = (np.arange(n)[:, None] * width + source).reshape(-1)
        tokens = tokens[rows].copy()
        tokens[:, t + 1] = word.reshape(-1)
        scores = np.take_along_axis(total, best, 1)
        was_done = np.take_along_axis(done, source, 1)
        lengths = np.take_along_axis(lengths, source, 1) + ~was_done
        done = was_done | (word == END_ID)
        if done.all():
            break
    normalised = np.where(np.isfinite(scores), scores / np.maximum(lengths, 1) ** LENGTH_PENALTY, -np.inf)
    order = np.argsort(-normalised, axis=1, kind="stable")
    tokens = tokens.reshape(n, width, length)
    return np.take_along_axis(tokens, order[..., None], 1), np.take_along_axis(normalised, order, 1)
