"""Bernoulli-Bernoulli restricted Boltzmann machine, optionally class-conditional, in numpy.

    rbm = RBM(RBMConfig(visible=64, hidden=256, method="pcd")).fit(x, seed=0)
    rbm.transform(x)                           # hidden probabilities: features for a classifier
    rbm.generate(cond, seeds=[1, 2])           # Gibbs chains, one per seed; `steps` is the knob
    rbm.chain(cond, seed=1, steps=500, every=10)   # the frames of one chain, for an animation
    log_z = ais.log_partition(rbm, seed=0)     # annealed importance sampling (ais.py)

Energy E(v, h | l) = -v W h - b v - c h - l U h - l A v. The label units l
are clamped: they are the condition (a digit class, or a world's label units
for its scenes: the digits world's digit-in-cell layout, another world's
vector), so they only shift the visible and hidden biases, and
training maximizes log p(v | l). U lets the hidden units specialize per
condition; A gives each condition its own mean image directly, which is what
makes a clamped position show up on the canvas after a few Gibbs steps.

Training is CD-k (the negative chain starts at the data) or persistent CD
(Tieleman 2008: chains carry over between updates; a conditional model
re-clamps them to each batch's labels, so the negative phase estimates the
model's statistics under the conditions the positive phase saw), with momentum and L2 weight decay as in
Hinton's practical guide.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..lang.errors import GendslError
from ..lang.seeds import check_seed, stream
from . import classic
from .classic import sigmoid, softplus

PARAMS = ("W", "b", "c", "U", "A")


@dataclass(frozen=True)
class RBMConfig:
    visible: int = 64
    hidden: int = 256
    labels: int = 0  # clamped label units; 0 is an unconditional RBM
    side: int = 8  # a visible vector is a side x side image
    conditioning: str = "none"  # none | digit (a class) | world (the label units of the world `data` names; saved
    # as "digits-world" before other worlds could drive one)
    method: str = "pcd"  # cd or pcd
    k: int = 1  # Gibbs steps per update
    lr: float = 0.01  # with momentum 0.9; measured on digits: 0.05 saturated the features (87% vs 94%)
    momentum: float = 0.9  # after the first `warmup` epochs, 0.5 before (Hinton's guide)
    warmup: int = 2
    weight_decay: float = 1e-4
    epochs: int = 20
    batch: int = 20
    gibbs_steps: int = 1000  # default chain length for sampling
    data: str = "digits"  # sklearn's digits, or the world whose pictures it learnt (a world's name)


CONDITIONINGS = ("none", "digit", "world", "digits-world")


def _check_config(c: RBMConfig) -> None:
    if c.method not in ("cd", "pcd"):
        raise GendslError(f'an RBM trains with "cd" or "pcd", not "{c.method}"')
    if c.visible != c.side * c.side:
        raise GendslError(f"{c.visible} visible units are not a {c.side} x {c.side} image")
    if min(c.hidden, c.k, c.epochs, c.batch) < 1 or c.labels < 0:
        raise GendslError("hidden units, k, epochs and batch must be at least 1")
    if c.conditioning not in CONDITIONINGS:
        raise GendslError(f"an RBM is conditioned on none, digit or world, not {c.conditioning!r}")
    if (c.labels > 0) != (c.conditioning != "none"):
        raise GendslError(f"conditioning {c.conditioning!r} does not match {c.labels} label units")


class RBM(classic.ParamsModel):
    kind = "rbm"
    untrained = "this RBM is not trained yet; fit it or load a trained one"

    def __init__(self, config: RBMConfig = RBMConfig()):
        _check_config(config)
        self.config = config
        self.params: dict[str, np.ndarray] | None = None

    @property
    def world(self):
        """The world whose scenes drive it (its labels are clamped from their vectors), or None."""
        from .. import worlds
        signature = world_of(self.config)
        return None if signature is None else worlds.from_signature(signature, "this RBM")

    @property
    def size(self) -> int:
        return self.config.side

    # ---- conditionals
    def hidden_input(self, v, labels=None):
        p = self.params
        out = v @ p["W"] + p["c"]
        return out + labels @ p["U"] if labels is not None and self.config.labels else out

    def visible_input(self, h, labels=None):
        p = self.params
        out = h @ p["W"].T + p["b"]
        return out + labels @ p["A"] if labels is not None and self.config.labels else out

    def free_energy(self, v, labels=None) -> np.ndarray:
        """F(v | l) = -v.(b + l A) - sum_j softplus(c_j + l U_j + v W_j)."""
        bias = self.params["b"] + (labels @ self.params["A"] if labels is not None and self.config.labels else 0)
        return -(v * bias).sum(axis=1) - softplus(self.hidden_input(v, labels)).sum(axis=1)

    def transform(self, x, labels=None) -> np.ndarray:
        """Hidden unit probabilities: the learned features."""
        self._fitted()
        return sigmoid(self.hidden_input(self._data(x), self._labels(labels, len(x))))

    # ---- learning
    def fit(self, x, labels=None, seed: int = 0, on_epoch=None) -> "RBM":
        """Fit to binary rows x (and their label vectors); on_epoch(epoch, self) may save a checkpoint."""
        c = self.config
        x = self._data(x)
        labels = self._labels(labels, len(x))
        rng = stream(seed, "rbm-train")
        mean = np.clip(x.mean(axis=0), 1e-3, 1 - 1e-3)
        self.params = {"W": (0.01 * rng.standard_normal((c.visible, c.hidden))).astype(np.float32),
                       "b": np.log(mean / (1 - mean)).astype(np.float32), "c": np.zeros(c.hidden, np.float32),
                       "U": np.zeros((c.labels, c.hidden), np.float32), "A": np.zeros((c.labels, c.visible), np.float32)}
        velocity = {k: np.zeros_like(v) for k, v in self.params.items()}
        start = rng.choice(len(x), min(c.batch, len(x)), replace=False)
        chains = x[start].copy()
        for epoch in range(c.epochs):
            good = {k: v.copy() for k, v in self.params.items()}
            momentum = 0.5 if epoch < c.warmup else c.momentum
            order = stream(seed, "rbm-order", str(epoch)).permutation(len(x))
            for begin in range(0, len(x), c.batch):
                rows = order[begin:begin + c.batch]
                v, l = x[rows], (labels[rows] if labels is not None else None)
                if c.method == "cd":
                    negative, neg_labels = self._gibbs(v, l, c.k, rng), l
                else:  # the chains keep their state; a conditional model re-clamps them to this batch's labels
                    chains[:len(v)] = self._gibbs(chains[:len(v)], l, c.k, rng)
                    negative, neg_labels = chains[:len(v)], l
                grads = self._gradients(v, l, negative, neg_labels)
                for k in PARAMS:
                    velocity[k] = momentum * velocity[k] + c.lr * grads[k]
                    self.params[k] += velocity[k]
            if not all(np.isfinite(v).all() for v in self.params.values()):
                self.params = good
                classic.check_finite(self, {"W": np.array([np.nan])}, epoch + 1)
            if on_epoch:
                on_epoch(epoch + 1, self)
        return self

    def _gibbs(self, v, labels, steps: int, rng) -> np.ndarray:
        """`steps` full Gibbs sweeps from v; returns sampled visible states."""
        for _ in range(steps):
            h = (rng.random((len(v), self.config.hidden), np.float32) < sigmoid(self.hidden_input(v, labels)))
            v = (rng.random(v.shape, np.float32) < sigmoid(self.visible_input(h.astype(np.float32), labels)))
            v = v.astype(np.float32)
        return v

    def _gradients(self, v, l, negative, neg_labels) -> dict:
        c, n = self.config, len(v)
        pos_h = sigmoid(self.hidden_input(v, l))
        neg_h = sigmoid(self.hidden_input(negative, neg_labels))
        grads = {"W": (v.T @ pos_h - negative.T @ neg_h) / n - c.weight_decay * self.params["W"],
                 "b": (v - negative).mean(axis=0), "c": (pos_h - neg_h).mean(axis=0),
                 "U": np.zeros_like(self.params["U"]), "A": np.zeros_like(self.params["A"])}
        if c.labels:
            grads["U"] = (l.T @ pos_h - neg_labels.T @ neg_h) / n - c.weight_decay * self.params["U"]
            grads["A"] = (l.T @ v - neg_labels.T @ negative) / n - c.weight_decay * self.params["A"]
        return {k: g.astype(np.float32) for k, g in grads.items()}

    # ---- measuring
    def pseudo_likelihood(self, x, labels=None, seed: int = 0) -> float:
        """Mean pseudo-log-likelihood, as scikit-learn's BernoulliRBM.score_samples defines it:
        visible units times log sigmoid(F(v with one random bit flipped) - F(v))."""
        self._fitted()
        x = self._data(x)
        labels = self._labels(labels, len(x))
        flip = stream(seed, "rbm-pl").integers(0, x.shape[1], len(x))
        flipped = x.copy()
        flipped[np.arange(len(x)), flip] = 1 - flipped[np.arange(len(x)), flip]
        gap = self.free_energy(flipped, labels) - self.free_energy(x, labels)
        return float(np.mean(x.shape[1] * -softplus(-gap)))

    def log_likelihood(self, x, log_z: float, labels=None) -> float:
        """Mean log p(v) given an estimate of log Z (from ais.log_partition)."""
        x = self._data(x)
        return float(np.mean(-self.free_energy(x, self._labels(labels, len(x))) - log_z))

    # ---- sampling (the model protocol)
    def labels_of(self, cond, n: int):
        """The clamped label vectors for a batch of conditioning vectors (None for an unconditional RBM)."""
        c = self.config
        if c.conditioning == "none":
            return None
        world = self.world
        dim = world.dim
        cond = np.asarray(cond, np.float32)
        if cond.shape == (dim,):
            cond = np.broadcast_to(cond, (n, dim))
        if cond.shape != (n, dim):
            raise GendslError(f"this RBM is conditioned on a {world.name} scene: conditioning must have shape ({dim},) "
                              f"or ({n}, {dim}), not {cond.shape}; write the sketch with `world {world.name}`")
        return cond[:, :10].copy() if c.conditioning == "digit" else world.label_units(cond)

    def generate(self, cond, seeds: Sequence[int], steps: int | None = None) -> np.ndarray:
        """One Gibbs chain per seed, `steps` sweeps long; the image is the last sweep's visible means."""
        frames = self._chains(cond, seeds, steps or self.config.gibbs_steps, every=0)
        return self._images(frames[-1])

    def chain(self, cond, seed: int, steps: int | None = None, every: int = 10) -> np.ndarray:
        """uint8 frames (F, size, size, 3) of one seeded chain: its start, then every `every` sweeps."""
        frames = self._chains(cond, [check_seed(seed)], steps or self.config.gibbs_steps, every=max(1, every))
        return np.concatenate([self._images(f) for f in frames])

    def _chains(self, cond, seeds, steps: int, every: int) -> list[np.ndarray]:
        self._fitted()
        seeds = [check_seed(s) for s in seeds]
        labels = self.labels_of(cond, len(seeds))
        if not seeds:
            return [np.zeros((0, self.config.visible), np.float32)]
        pieces = [self._chunk_chains(seeds[i:i + classic.CHUNK],
                                     None if labels is None else labels[i:i + classic.CHUNK], steps, every)
                  for i in range(0, len(seeds), classic.CHUNK)]
        return [np.concatenate([p[f] for p in pieces]) for f in range(len(pieces[0]))]

    def _chunk_chains(self, seeds, labels, steps: int, every: int) -> list[np.ndarray]:
        c, n = self.config, len(seeds)
        rngs = classic.seed_streams(seeds, "gibbs")
        l = None if labels is None else classic.pad(np.asarray(labels, np.float32))
        v = (classic.uniforms(rngs, c.visible) < sigmoid(self.visible_input(np.zeros((classic.CHUNK, c.hidden),
                                                                                     np.float32), l)))
        v = v.astype(np.float32)
        frames = [v[:n]] if every else []
        for step in range(1, steps + 1):
            h = (classic.uniforms(rngs, c.hidden) < sigmoid(self.hidden_input(v, l))).astype(np.float32)
            mean = sigmoid(self.visible_input(h, l))
            if step == steps or (every and step % every == 0):
                frames.append(mean[:n])
            v = (classic.uniforms(rngs, c.visible) < mean).astype(np.float32)
        return frames

    def _images(self, means: np.ndarray) -> np.ndarray:
        images = classic.gray_images(means, self.config.side)
        return classic.upscale(images, self.size)

    def filters_image(self, n: int = 100, zoom: int = 3) -> np.ndarray:
        """The first n hidden units' weights as a grid of side x side tiles."""
        self._fitted()
        s = self.config.side
        w = classic.normalize_each(self.params["W"].T[:n])
        tiles = np.rint(w * 255).astype(np.uint8).reshape(-1, s, s)
        return classic.tile(tiles.repeat(zoom, axis=1).repeat(zoom, axis=2))

    # ---- checks and the saved folder
    def _data(self, x) -> np.ndarray:
        x = classic.check_binary(x, "RBM training data")
        if x.shape[1] != self.config.visible:
            raise GendslError(f"this RBM has {self.config.visible} visible units; the data has {x.shape[1]} columns")
        return x

    def _labels(self, labels, n: int):
        if not self.config.labels:
            return None
        if labels is None:
            raise GendslError(f"this RBM is class-conditional: pass {self.config.labels} label units per example")
        labels = np.asarray(labels, np.float32)
        if labels.shape != (n, self.config.labels):
            raise GendslError(f"labels must have shape ({n}, {self.config.labels}), not {labels.shape}")
        return labels

    def save(self, path, card: str | None = None):
        return classic.save_folder(self, path, card, world=world_of(self.config))

    @classmethod
    def load(cls, path) -> "RBM":
        config, arrays = classic.read_folder(path, cls.kind, RBMConfig, world_of)
        model = cls(config)
        model.params = {k: arrays[f"{k}_"] for k in PARAMS}
        return model


def world_of(config) -> dict | None:
    """The conditioning signature of the world whose scenes drive it (a digit class is the digits world's)."""
    conditioning = getattr(config, "conditioning", "none")
    if conditioning == "none":
        return None
    from .. import worlds
    if conditioning == "digit":
        return worlds.get("digits").signature()
    return worlds.get(config.data).signature()
