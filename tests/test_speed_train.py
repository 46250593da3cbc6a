"""Training that can feed a GPU: the tf.data pipeline gives the Python path's batches byte for byte, and
N replicas (logical CPU devices) train what one device trains on the same global batch."""
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from gendsl.train import WorldTrainData, batch_indices, step_seed

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    from gendsl.world.dataset import build_dataset
    path = tmp_path_factory.mktemp("data") / "world32"
    build_dataset(path, n=40, size=32, seed=3, progress=False)
    return path


@pytest.mark.parametrize("conditioning", ["layout", "flat"])
def test_pipeline_batches_are_the_python_batches(dataset, conditioning):
    data = WorldTrainData(dataset, 32, conditioning)
    batches = data.pipeline(progress=False).dataset(batch_size=16, seed=5, start=1, stop=6)  # wraps epochs
    for step, got in zip(range(1, 6), batches):
        want = data.batch(batch_indices(len(data), 16, step, 5))
        for key in ("image", "cond", "cond_input"):
            assert np.asarray(got[key]).tobytes() == np.asarray(want[key], np.float32).tobytes(), (step, key)
        assert np.asarray(got["seed"]).tolist() == step_seed(5, step).tolist()


def train_run(dataset, out, replicas):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CUDA_VISIBLE_DEVICES": ""}
    command = [sys.executable, "-m", "gendsl.cli", "train", "cvae", "--data", str(dataset), "--size", "32",
               "--width", "8", "--steps", "3", "--batch", "8", "--out", str(out), "--quiet",
               "--replicas", str(replicas)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    with np.load(out / "checkpoint.npz") as saved:
        return {k: saved[k] for k in saved.files}


@pytest.mark.slow
def test_two_replicas_train_what_one_does(dataset, tmp_path):
    one = train_run(dataset, tmp_path / "one", 1)
    two = train_run(dataset, tmp_path / "two", 2)
    assert one.keys() == two.keys()
    for key in one:
        np.testing.assert_allclose(two[key], one[key], rtol=1e-4, atol=1e-5, err_msg=key)
    assert json.loads((tmp_path / "two" / "run.json").read_text())["replicas"] == 2
