"""Helmholtz machine: a stochastic binary generative network with a recognition network, in numpy.

    hm = Helmholtz(HelmholtzConfig(layers=(64, 200, 100))).fit(x, seed=0)
    hm.log_likelihood(x_test, samples=1000)    # importance-sampled, recognition network as proposal
    hm.generate(None, seeds=[1, 2])            # ancestral samples

Layers run from the data up: layers[0] is the visible layer, layers[-1] the
top, whose units are independent Bernoulli under the prior. The generative
network p(h_top) p(h_{l-1} | h_l) ... p(v | h_1) and the recognition network
q(h_1 | v) ... q(h_top | h_{top-1}) are sigmoid belief nets.

- wake-sleep (Hinton, Dayan, Frey & Neal 1995): the wake phase fits p to
  paths q samples from data; the sleep phase fits q to the paths p dreams.
- reweighted wake-sleep (Bornschein & Bengio 2015): `samples` paths per data
  point from q, weighted by their normalized importance weights p(v,h)/q(h|v);
  p and q both learn from the weighted wake paths, and q also from dreams.
log p(v) is estimated as log mean_k p(v, h_k) / q(h_k | v), h_k ~ q: a lower
bound in expectation that tightens as the number of samples grows.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..lang.errors import GendslError
from ..lang.seeds import stream
from . import classic
from .classic import sigmoid, softplus


@dataclass(frozen=True)
class HelmholtzConfig:
    layers: tuple[int, ...] = (64, 200, 100)  # visible first, top last
    side: int = 8
    method: str = "rws"  # ws (wake-sleep) or rws (reweighted wake-sleep)
    samples: int = 5  # importance samples per data point for rws
    lr: float = 1e-3  # Adam
    epochs: int = 100
    batch: int = 20
    data: str = "digits"


def _bernoulli_log(x: np.ndarray, logits: np.ndarray) -> np.ndarray:
    """sum_i log Bernoulli(x_i | sigmoid(logit_i)), row by row, stable for large logits."""
    return (x * logits - softplus(logits)).sum(axis=1)


class Helmholtz(classic.ParamsModel):
    kind = "helmholtz"
    untrained = "this Helmholtz machine is not trained yet; fit it or load a trained one"

    def __init__(self, config: HelmholtzConfig = HelmholtzConfig()):
        c = config
        if c.method not in ("ws", "rws"):
            raise GendslError(f'a Helmholtz machine trains with "ws" or "rws", not "{c.method}"')
        if len(c.layers) < 2 or min(c.layers) < 1:
            raise GendslError(f"layers are the visible size and at least one hidden size, not {c.layers}")
        if c.layers[0] != c.side * c.side:
            raise GendslError(f"{c.layers[0]} visible units are not a {c.side} x {c.side} image")
        if min(c.samples, c.epochs, c.batch) < 1:
            raise GendslError("samples, epochs and batch must be at least 1")
        self.config = c
        self.params: dict[str, np.ndarray] | None = None

    @property
    def size(self) -> int:
        return self.config.side

    # ---- the two networks; layer l links layers[l] (below) and layers[l+1] (above)
    def _gen_logits(self, above: np.ndarray, l: int) -> np.ndarray:
        return above @ self.params[f"G{l}"] + self.params[f"g{l}"]

    def _rec_logits(self, below: np.ndarray, l: int) -> np.ndarray:
        return below @ self.params[f"R{l}"] + self.params[f"r{l}"]

    def _top_logits(self, n: int) -> np.ndarray:
        return np.broadcast_to(self.params["top"], (n, len(self.params["top"])))

    def _recognize(self, v, rng) -> list[np.ndarray]:
        path = [v]
        for l in range(len(self.config.layers) - 1):
            logits = self._rec_logits(path[-1], l)
            path.append((rng.random(logits.shape, np.float32) < sigmoid(logits)).astype(np.float32))
        return path

    def _dream(self, n: int, rng) -> list[np.ndarray]:
        path = [(rng.random((n, self.config.layers[-1]), np.float32) < sigmoid(self._top_logits(n))).astype(np.float32)]
        for l in reversed(range(len(self.config.layers) - 1)):
            logits = self._gen_logits(path[0], l)
            path.insert(0, (rng.random(logits.shape, np.float32) < sigmoid(logits)).astype(np.float32))
        return path

    def log_joint_and_q(self, path) -> tuple[np.ndarray, np.ndarray]:
        """log p(v, h) and log q(h | v) of sampled paths [v, h1, ..., h_top]."""
        log_p = _bernoulli_log(path[-1], self._top_logits(len(path[0])))
        log_q = np.zeros(len(path[0]))
        for l in range(len(path) - 1):
            log_p += _bernoulli_log(path[l], self._gen_logits(path[l + 1], l))
            log_q += _bernoulli_log(path[l + 1], self._rec_logits(path[l], l))
        return log_p, log_q

    # ---- learning
    def fit(self, x, seed: int = 0, on_epoch=None) -> "Helmholtz":
        c = self.config
        x = self._data(x)
        rng = stream(seed, "helmholtz-train")
        mean = np.clip(x.mean(axis=0), 1e-3, 1 - 1e-3)
        self.params = {"top": np.zeros(c.layers[-1], np.float32)}
        for l, (below, above) in enumerate(zip(c.layers[:-1], c.layers[1:])):
            scale = 1.0 / np.sqrt(max(below, above))
            self.params[f"G{l}"] = (scale * rng.standard_normal((above, below))).astype(np.float32)
            self.params[f"g{l}"] = (np.log(mean / (1 - mean)) if l == 0 else np.zeros(below)).astype(np.float32)
            self.params[f"R{l}"] = (scale * rng.standard_normal((below, above))).astype(np.float32)
            self.params[f"r{l}"] = np.zeros(above, np.float32)
        adam = classic.Adam(self.params, c.lr)
        for epoch in range(c.epochs):
            good = {k: v.copy() for k, v in self.params.items()}
            order = stream(seed, "helmholtz-order", str(epoch)).permutation(len(x))
            for begin in range(0, len(x), c.batch):
                v = x[order[begin:begin + c.batch]]
                grads = self._wake(v, rng) if c.method == "ws" else self._reweighted_wake(v, rng)
                for k, g in self._sleep(len(v), rng).items():
                    grads[k] = grads.get(k, 0) + g
                adam.ascend(self.params, grads)
            if not all(np.isfinite(p).all() for p in self.params.values()):
                self.params = good
                classic.check_finite(self, {"G": np.array([np.nan])}, epoch + 1)
            if on_epoch:
                on_epoch(epoch + 1, self)
        return self

    def _generative_grads(self, path, weights) -> dict:
        """Gradient of sum_n weight_n log p(path_n) for the generative network."""
        grads = {"top": (weights[:, None] * (path[-1] - sigmoid(self._top_logits(len(weights))))).sum(0)}
        for l in range(len(path) - 1):
            delta = weights[:, None] * (path[l] - sigmoid(self._gen_logits(path[l + 1], l)))
            grads[f"G{l}"], grads[f"g{l}"] = path[l + 1].T @ delta, delta.sum(0)
        return grads

    def _recognition_grads(self, path, weights) -> dict:
        """Gradient of sum_n weight_n log q(path_n[1:] | path_n[0]) for the recognition network."""
        grads = {}
        for l in range(len(path) - 1):
            delta = weights[:, None] * (path[l + 1] - sigmoid(self._rec_logits(path[l], l)))
            grads[f"R{l}"], grads[f"r{l}"] = path[l].T @ delta, delta.sum(0)
        return grads

    def _wake(self, v, rng) -> dict:
        return self._generative_grads(self._recognize(v, rng), np.full(len(v), 1.0 / len(v), np.float32))

    def _reweighted_wake(self, v, rng) -> dict:
        k = self.config.samples
        path = self._recognize(np.repeat(v, k, axis=0), rng)
        log_p, log_q = self.log_joint_and_q(path)
        log_w = (log_p - log_q).reshape(len(v), k)
        w = np.exp(log_w - log_w.max(axis=1, keepdims=True))
        w = (w / w.sum(axis=1, keepdims=True)).reshape(-1).astype(np.float32) / len(v)
        return {**self._generative_grads(path, w), **self._recognition_grads(path, w)}

    def _sleep(self, n: int, rng) -> dict:
        return self._recognition_grads(self._dream(n, rng), np.full(n, 1.0 / n, np.float32))

    # ---- measuring
    def log_likelihood(self, x, samples: int = 1000, seed: int = 0) -> float:
        """Mean importance-sampled log p(v) over the rows of x, `samples` paths from q each."""
        self._fitted()
        x = self._data(x)
        rng = stream(seed, "helmholtz-ll")
        per_row = max(1, 200_000 // (samples * max(self.config.layers)))
        out = []
        for begin in range(0, len(x), per_row):
            v = x[begin:begin + per_row]
            log_p, log_q = self.log_joint_and_q(self._recognize(np.repeat(v, samples, axis=0), rng))
            log_w = (log_p - log_q).reshape(len(v), samples)
            top = log_w.max(axis=1)
            out.append(top + np.log(np.exp(log_w - top[:, None]).mean(axis=1)))
        return float(np.concatenate(out).mean())

    # ---- the model protocol
    def generate(self, cond, seeds: Sequence[int]) -> np.ndarray:
        """Ancestral samples, one per seed; the image is p(v | h_1)'s means. cond is ignored."""
        self._fitted()
        rngs_all = classic.seed_streams(seeds, "helmholtz-sample")

        def run(rows: slice) -> np.ndarray:
            rngs = rngs_all[rows]
            h = (classic.uniforms(rngs, self.config.layers[-1]) < sigmoid(self._top_logits(classic.CHUNK)))
            h = h.astype(np.float32)
            for l in reversed(range(1, len(self.config.layers) - 1)):
                h = (classic.uniforms(rngs, self.config.layers[l]) < sigmoid(self._gen_logits(h, l))).astype(np.float32)
            return sigmoid(self._gen_logits(h, 0))[:len(rngs)]
        means = classic.chunked(len(seeds), run) if len(seeds) else np.zeros((0, self.config.layers[0]))
        return classic.gray_images(means, self.config.side)

    def _data(self, x) -> np.ndarray:
        x = classic.check_binary(x, "Helmholtz machine training data")
        if x.shape[1] != self.config.layers[0]:
            raise GendslError(f"this machine has {self.config.layers[0]} visible units; the data has {x.shape[1]} columns")
        return x

    def save(self, path, card: str | None = None):
        return classic.save_folder(self, path, card)

    @classmethod
    def load(cls, path) -> "Helmholtz":
        config, arrays = classic.read_folder(path, cls.kind, HelmholtzConfig)
        model = cls(config)
        model.params = {k[:-1]: v for k, v in arrays.items()}
        return model
