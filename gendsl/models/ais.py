"""The RBM's partition function: annealed importance sampling, and exact enumeration for small models.

    log_z, spread = log_partition(rbm, runs=100, betas=10000, seed=0)
    rbm.log_likelihood(x_test, log_z)

AIS (Neal 2001; Salakhutdinov & Murray 2008) anneals from a base RBM with no
weights, whose visible biases are the data's base rates (so log Z_A is known
in closed form), to the trained RBM through p_beta(v) proportional to
exp((1-beta) b_A.v + beta b.v) prod_j (1 + exp(beta (c_j + v W_j))),
with one Gibbs transition at each beta. The mean importance weight estimates
Z_B / Z_A without bias; its log (what we report) is a slight underestimate
in expectation, so log-likelihoods come out slightly optimistic: the spread
over runs says how much to trust it. Exact enumeration over the smaller
layer (up to 2^20 states) is the check the tests use.
"""
from __future__ import annotations

import numpy as np

from ..lang.errors import GendslError
from ..lang.seeds import stream
from .classic import sigmoid, softplus

MAX_EXACT_UNITS = 20


def schedule(n: int) -> np.ndarray:
    """Salakhutdinov & Murray's spacing: sparse to 0.5, denser to 0.9, densest to 1 (1:8:20 of the steps)."""
    a, b = max(1, n * 1 // 29), max(1, n * 8 // 29)
    return np.concatenate([np.linspace(0, 0.5, a, endpoint=False), np.linspace(0.5, 0.9, b, endpoint=False),
                           np.linspace(0.9, 1.0, max(2, n - a - b))])


def _biases(rbm, labels):
    """Visible and hidden biases with the clamped labels folded in (one label vector for the whole estimate)."""
    p = rbm.params
    b, c = p["b"].astype(np.float64), p["c"].astype(np.float64)
    if rbm.config.labels:
        if labels is None:
            raise GendslError("this RBM is class-conditional: its partition function needs one label vector")
        labels = np.asarray(labels, np.float64).reshape(-1)
        b, c = b + labels @ p["A"], c + labels @ p["U"]
    return b, c, p["W"].astype(np.float64)


def log_partition(rbm, runs: int = 100, betas: int = 10000, seed: int = 0, base_rate=None,
                  labels=None) -> tuple[float, float]:
    """(log Z estimate, its spread: the standard deviation of the log weights over runs)."""
    rbm._fitted()
    b, c, w = _biases(rbm, labels)
    if base_rate is None:
        base = np.zeros_like(b)
    else:
        rate = np.clip(np.asarray(base_rate, np.float64), 1e-3, 1 - 1e-3)
        base = np.log(rate / (1 - rate))
    rng = stream(seed, "ais")
    hidden = len(c)
    log_za = softplus(base).sum() + hidden * np.log(2.0)
    v = (rng.random((runs, len(b))) < sigmoid(base)).astype(np.float64)
    log_w = np.zeros(runs)
    steps = schedule(betas)

    def log_p(v, beta):  # unnormalized log p_beta(v), hidden units summed out
        return (1 - beta) * v @ base + beta * v @ b + softplus(beta * (v @ w + c)).sum(axis=1)

    for previous, beta in zip(steps[:-1], steps[1:]):
        log_w += log_p(v, beta) - log_p(v, previous)
        h = (rng.random((runs, hidden)) < sigmoid(beta * (v @ w + c))).astype(np.float64)
        v = (rng.random(v.shape) < sigmoid((1 - beta) * base + beta * (h @ w.T + b))).astype(np.float64)
    top = log_w.max()
    log_mean = top + np.log(np.mean(np.exp(log_w - top)))
    return float(log_za + log_mean), float(log_w.std())


def exact_log_partition(rbm, labels=None) -> float:
    """log Z by summing over every state of the smaller layer (at most 2^20 of them)."""
    rbm._fitted()
    b, c, w = _biases(rbm, labels)
    small = min(len(b), len(c))
    if small > MAX_EXACT_UNITS:
        raise GendslError(f"exact log Z enumerates 2^{small} states; use AIS above {MAX_EXACT_UNITS} units")
    states = ((np.arange(2 ** small)[:, None] >> np.arange(small)) & 1).astype(np.float64)
    if len(c) == small:  # sum over hidden states, visible units summed out
        terms = states @ c + softplus(states @ w.T + b).sum(axis=1)
    else:
        terms = states @ b + softplus(states @ w + c).sum(axis=1)
    top = terms.max()
    return float(top + np.log(np.exp(terms - top).sum()))
