"""Figures for the classic models, shared by `gendsl train` (model cards) and benchmarks/bench_classic.py.

Every figure is measured on held-out data (the digits test split, patches
drawn with another seed), never on what the model was fitted to.
"""
from __future__ import annotations

import json
import warnings

import numpy as np

from ..hardware import hardware


def probe_accuracy(train_x, train_y, test_x, test_y, c: float = 100.0) -> float:
    """Test accuracy of a logistic regression on the given features (scikit-learn's RBM example uses C=100
    for its RBM features; the same C is used for raw pixels so only the features differ)."""
    from sklearn.linear_model import LogisticRegression

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf = LogisticRegression(C=c, max_iter=3000).fit(train_x, train_y)
    return float(clf.score(test_x, test_y))


def rbm_figures(rbm, train, test, ais_runs: int = 100, ais_betas: int = 10000, seed: int = 0) -> dict:
    """Pseudo-likelihood, AIS log-likelihood and (with class labels) probe accuracy, on the test split.

    train/test are dicts with x (binary rows), optional labels (clamped units) and optional y (classes)."""
    from ..models import ais

    out = {"pseudo_likelihood_test": round(rbm.pseudo_likelihood(test["x"], test.get("labels"), seed), 3)}
    if not rbm.config.labels:
        log_z, spread = ais.log_partition(rbm, ais_runs, ais_betas, seed, base_rate=train["x"].mean(axis=0))
        out.update(ais_log_z=round(log_z, 3), ais_log_weight_std=round(spread, 3),
                   ais_log_likelihood_test=round(rbm.log_likelihood(test["x"], log_z), 3))
    if "y" in train and not rbm.config.labels:
        out["probe_accuracy_hidden"] = round(probe_accuracy(rbm.transform(train["x"]), train["y"],
                                                            rbm.transform(test["x"]), test["y"]), 4)
    return out


def card(kind: str, command: str, seconds: float, config: dict, figures: dict, notes: str = "",
         files: tuple[str, ...] = ()) -> str:
    """A model card: how it was trained and what it scored (markdown)."""
    lines = [f"# {kind}", "", "## How it was trained",
             f"- command: `{command}`" if command else "- command: (called from Python)",
             f"- time: {seconds:.1f} s", f"- hardware: {hardware()}", f"- config: `{json.dumps(config)}`", "",
             "## Figures (held-out data)", "", "| figure | value |", "|---|---|",
             *[f"| {k} | {v} |" for k, v in figures.items()], ""]
    if files:
        lines += ["## Pictures", "", *[f"- `{f}`" for f in files], ""]
    if notes:
        lines += [notes.strip(), ""]
    return "\n".join(lines)
