"""A training run stopped and resumed ends where a straight run does: the check each judge's tests share."""
import json

import numpy as np


def resumes_bit_for_bit(run, tmp_path):
    """run(out, steps=None, resume=False) trains a judge into out and returns it. Trains one straight into a/ and
    one into b/ stopped after 2 steps, then resumed; checks the resumed run went on and has the same weights.
    Returns (straight, resumed)."""
    straight = run(tmp_path / "a")
    run(tmp_path / "b", steps=2)
    resumed = run(tmp_path / "b", resume=True)
    assert json.loads((tmp_path / "b" / "run.json").read_text())["steps"] > 2
    for a, b in zip(straight.net.get_weights(), resumed.net.get_weights()):
        assert np.array_equal(a, b)
    return straight, resumed
