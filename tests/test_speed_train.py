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
    from gendsl.worlds.scene.dataset import build_dataset
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


def train_run(dataset, out, replicas, kind="cvae"):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CUDA_VISIBLE_DEVICES": ""}
    command = [sys.executable, "-m", "gendsl.cli", "train", kind, "--data", str(dataset), "--size", "32",
               "--width", "8", "--steps", "3", "--batch", "8", "--out", str(out), "--quiet",
               "--replicas", str(replicas), "--sample-every", "3"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    with np.load(out / "checkpoint.npz") as saved:
        return {k: saved[k] for k in saved.files}


@pytest.mark.slow
def test_two_replicas_train_what_one_does(dataset, tmp_path):
    one = train_run(dataset, tmp_path / "one", 1)
    two = train_run(dataset, tmp_path / "two", 2)
    assert one.keys() == two.keys()
    for key in one:  # batch norm's synchronized statistics round differently: float tolerance, not bytes
        a, b = two[key].astype(np.float64), one[key].astype(np.float64)
        assert np.linalg.norm(a - b) <= 1e-3 * np.linalg.norm(b) + 1e-6, key
    assert json.loads((tmp_path / "two" / "run.json").read_text())["replicas"] == 2


@pytest.mark.slow
def test_the_cgan_trains_on_two_replicas(dataset, tmp_path):
    """Each replica halves its own shard (BicycleGAN's two halves), so it is not one device's run to the
    bit; it trains, checkpoints and samples."""
    saved = train_run(dataset, tmp_path / "two", 2, "cgan")
    assert all(np.all(np.isfinite(v)) for v in saved.values())
    assert (tmp_path / "two" / "samples" / "step-000003.png").is_file()


@pytest.mark.parametrize("flag", [["--replicas", "2"], ["--mixed-precision"], ["--xla"]])
def test_scale_switches_are_refused_where_they_would_be_ignored(flag, tmp_path, capsys):
    from gendsl.cli import main
    assert main(["train", "judge", "--out", str(tmp_path / "j"), *flag]) == 2
    assert "only for gendsl train cgan or cvae" in capsys.readouterr().err
    assert not (tmp_path / "j").exists()


@pytest.mark.parametrize("argv, message", [(["judge", "--steps", "0"], "--steps must be between 1 and"),
                                           (["box-judge", "--steps", "5"], "the box judge trains whole --epochs")])
def test_steps_that_would_be_ignored_or_mean_nothing_are_refused(argv, message, tmp_path, capsys):
    from gendsl.cli import main
    assert main(["train", argv[0], "--out", str(tmp_path / "j"), *argv[1:]]) == 2
    assert message in capsys.readouterr().err and not (tmp_path / "j").exists()


def test_a_judge_stops_after_the_steps_given_and_resumes_on_its_epochs_schedule(tmp_path):
    import json
    from gendsl.cli import main
    from gendsl.worlds.scene.dataset import build_dataset
    build_dataset(tmp_path / "data", n=48, size=32, seed=3, progress=False, heldout=8)
    tiny = ["--set", "widths=[8,16]", "--set", "convs=[1,1]", "--set", "features=16", "--set", "slot_dim=16",
            "--set", "rounds=1", "--batch", "8", "--epochs", "2", "--checkpoint-every", "2", "--quiet"]
    run = ["train", "judge", "--data", str(tmp_path / "data"), "--out", str(tmp_path / "j"), *tiny]
    assert main([*run, "--steps", "3"]) == 0
    assert json.loads((tmp_path / "j" / "run.json").read_text())["steps"] == 3
    assert main([*run, "--resume"]) == 0
    assert json.loads((tmp_path / "j" / "run.json").read_text())["steps"] > 3
    from gendsl.eval.judge import Judge
    on = ["train", "judge", "--data", str(tmp_path / "data"), "--init-from", str(tmp_path / "j"), "--set",
          "learning_rate=0.0005", "--batch", "8", "--epochs", "1", "--quiet", "--out"]
    assert main([*on, str(tmp_path / "k")]) == 0  # the saved judge's shape, with what --set changes
    config = Judge.load(tmp_path / "k").config
    assert config.widths == (8, 16) and config.rounds == 1 and config.learning_rate == 0.0005
    assert main([*on[:5], "box-judge-world-32", *on[6:], str(tmp_path / "box")]) == 2
    assert not (tmp_path / "box").exists()
