"""The seeds of a run: which seed each image gets, and its variation seed.

One seed names one image. A run's seeds follow its first seed by a mode:
increment (seed, seed+1, …: the default), fixed (every image the same seed:
use it with variation seeds, a strength sweep or combinatorial variants), or
random (fresh seeds from the operating system; every image still records the
seed it actually used, so it can be made again). A variation seed names a
second noise that is mixed into the first by slerp at a strength from 0 (the
image of the seed) to 1 (the image of the variation seed).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import limits
from ..lang import checks
from ..lang.errors import GendslError


@dataclass(frozen=True)
class Seeds:
    """One entry per image: its seed, and its variation seed (None: no variation)."""

    seeds: tuple[int, ...]
    variation_seeds: tuple[int | None, ...]
    strength: float = 0.0
    mode: str = "increment"

    def __len__(self) -> int:
        return len(self.seeds)

    def __iter__(self):
        return iter(zip(self.seeds, self.variation_seeds))

    @property
    def first(self) -> int:
        return self.seeds[0]


def _check_seed(value: int, what: str = "seed") -> int:
    return checks.seed(value, what)


def _increasing(start: int, count: int, what: str) -> list[int]:
    if start + count - 1 > limits.MAX_SEED:
        raise GendslError(f"{what}s {start}..{start + count - 1} run past the largest seed {limits.MAX_SEED}")
    return list(range(start, start + count))


def run_seeds(start: int, count: int, mode: str | None = None, variation_seed: int | None = None,
              strength: float = 0.0, entropy: int | None = None) -> Seeds:
    """The seeds of `count` images from `start`.

    With a variation seed the default mode is fixed (small changes to one image you like),
    and the variation seeds count up from it; otherwise the default is increment.
    `entropy` seeds the random mode (None: the operating system's entropy).
    """
    if isinstance(count, bool) or not isinstance(count, (int, np.integer)) or \
            not 1 <= count <= limits.MAX_VARIATIONS:
        raise GendslError(f"variations must be between 1 and {limits.MAX_VARIATIONS}, not {count!r}")
    strength = checks.fraction(strength)
    mode = mode or ("fixed" if variation_seed is not None else "increment")
    if mode not in limits.SEED_MODES:
        raise GendslError(f'unknown seed mode "{mode}"; seed modes: {", ".join(limits.SEED_MODES)}')
    start = _check_seed(start)
    if mode == "increment":
        seeds = _increasing(start, count, "seed")
    elif mode == "fixed":
        seeds = [start] * count
    else:
        seeds = [int(s) for s in np.random.default_rng(entropy).integers(0, limits.MAX_SEED, count, endpoint=True)]
    if variation_seed is None:
        if strength:
            raise GendslError("a variation strength needs a variation seed (--variation-seed)")
        variations: list[int | None] = [None] * count
    else:
        variations = _increasing(_check_seed(variation_seed, "variation seed"), count, "variation seed")
    return Seeds(tuple(seeds), tuple(variations), float(strength), mode)


def as_seeds(seeds) -> Seeds:
    """Seeds from a Seeds, or a plain sequence of seeds (no variation)."""
    if isinstance(seeds, Seeds):
        return seeds
    seeds = [_check_seed(s) for s in seeds]
    if not 1 <= len(seeds) <= limits.MAX_VARIATIONS:
        raise GendslError(f"between 1 and {limits.MAX_VARIATIONS} seeds, not {len(seeds)}")
    return Seeds(tuple(seeds), (None,) * len(seeds), 0.0, "list")
