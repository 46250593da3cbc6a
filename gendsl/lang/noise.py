"""An image's noise: every random choice of one image, as named Gaussian draws from its seed.

    noise = Noise(7)                           # the image of seed 7
    noise = Noise(7, variation_seed=99, strength=0.25)   # a quarter of the way to seed 99's

Everything random about an image (where the world puts things, which design an object
has, its shade, the sky, a learned model's latent) is drawn from here by name:
`noise.normal("item0/x", 1)`. With a variation seed, each named draw is the mix
cos(a) * draw(seed) + sin(a) * draw(variation seed), a = strength * pi / 2: the spherical
path between two independent Gaussian vectors, which keeps every value exactly N(0, 1),
so every point of the path is a proper image, strength 0 is the seed's image and 1 the
variation seed's, and everything (composition included) moves continuously between them.

Continuous choices are functions of a normal draw (`uniform` is its quantile), discrete
ones are quantiles of one (`index`), so positions glide and designs switch somewhere
along the way. `Stream` gives the np.random.Generator-like calls drawing code uses,
each call its own named draw.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr

from .seeds import check_seed, stream

NOISE = "noise"


@dataclass(frozen=True)
class Noise:
    """The noise of one image: its seed, and optionally a variation seed mixed in at a strength."""

    seed: int
    variation_seed: int | None = None
    strength: float = 0.0

    def __post_init__(self):
        check_seed(self.seed)
        if self.variation_seed is not None:
            check_seed(self.variation_seed)
        if not 0.0 <= float(self.strength) <= 1.0:
            raise ValueError(f"a variation strength goes from 0 to 1, not {self.strength}")

    @property
    def plain(self) -> bool:
        return self.variation_seed is None or self.strength == 0.0

    def normal(self, name: str, n: int) -> np.ndarray:
        """n standard normal values named `name` (float64)."""
        a = stream(self.seed, NOISE, name).standard_normal(n)
        if self.plain:
            return a
        b = stream(self.variation_seed, NOISE, name).standard_normal(n)
        if self.strength == 1.0:
            return b
        angle = float(self.strength) * math.pi / 2
        return math.cos(angle) * a + math.sin(angle) * b

    def uniform(self, name: str, n: int) -> np.ndarray:
        """n values uniform in [0, 1): the normal quantiles, so they glide with the strength."""
        return np.minimum(ndtr(self.normal(name, n)), np.nextafter(1.0, 0.0))

    def stream(self, prefix: str) -> "Stream":
        return Stream(self, prefix)


def as_noise(seed) -> Noise:
    """A Noise from a Noise or a plain integer seed."""
    return seed if isinstance(seed, Noise) else Noise(check_seed(seed))


class Stream:
    """np.random.Generator-like draws from a Noise; the k-th call under a prefix is draw 'prefix#k'.

    Code that draws a fixed sequence of values for a fixed scene gets the same names at every
    seed, so a variation moves each value along its own path. Give each independent part of a
    picture its own prefix (`child`), so that a part drawing more values never shifts another's.
    """

    def __init__(self, noise: Noise, prefix: str):
        self.noise, self.prefix, self.calls = noise, prefix, 0

    def _u(self, size) -> np.ndarray:
        n = 1 if size is None else int(np.prod(size))
        name = f"{self.prefix}#{self.calls}"
        self.calls += 1
        u = self.noise.uniform(name, n)
        return u if size is None else u.reshape(size)

    def child(self, name: str) -> "Stream":
        return Stream(self.noise, f"{self.prefix}/{name}")

    def spawn(self, n: int) -> list["Stream"]:
        return [self.child(str(k)) for k in range(n)]

    def standard_normal(self, size=None):
        n = 1 if size is None else int(np.prod(size))
        name = f"{self.prefix}#{self.calls}"
        self.calls += 1
        z = self.noise.normal(name, n)
        return float(z[0]) if size is None else z.reshape(size)

    def normal(self, loc=0.0, scale=1.0, size=None):
        return loc + scale * self.standard_normal(size)

    def random(self, size=None):
        u = self._u(size)
        return float(u[0]) if size is None else u

    def uniform(self, low=0.0, high=1.0, size=None):
        u = self._u(size)
        out = low + (high - low) * u
        return float(out[0]) if size is None else out

    def integers(self, low, high=None, size=None):
        if high is None:
            low, high = 0, low
        u = self._u(size)
        out = np.minimum(low + np.floor(u * (high - low)).astype(np.int64), high - 1)
        return int(out[0]) if size is None else out

    def index(self, n: int) -> int:
        """One of n choices, a quantile of one normal draw."""
        return self.integers(n)
