"""The digits world's judge and the evaluation of digits-world models (`gendsl eval rbm`)."""
import json

import numpy as np
import pytest

from gendsl import GendslError
from gendsl.cli import main
from gendsl.eval.digits_judge import (CELLS, CLASSES, DigitsJudge, attribute_accuracy, attribute_hits, candidates,
                                      cell_targets, decode, to_input)
from gendsl.lang.digits import DigitScene
from gendsl.world import digits as world


@pytest.fixture(scope="module")
def judge():
    return DigitsJudge.load()


def test_every_valid_scene_decodes_from_its_own_map():
    scenes, maps = candidates()
    assert len(scenes) == 290 and maps.shape == (290, CELLS)
    log_probs = np.log(np.full((len(scenes), CELLS, CLASSES), 1e-3))
    log_probs[np.arange(len(scenes))[:, None], np.arange(CELLS)[None], maps] = 0.0
    assert decode(log_probs) == scenes


def test_decode_picks_the_best_valid_scene_not_an_impossible_map():
    log_probs = np.log(np.full((1, CELLS, CLASSES), 1e-3))
    log_probs[0, :, 0] = np.log(0.9)  # mostly empty, but ...
    log_probs[0, 0, 4] = np.log(0.6)  # a 3 at the top left
    log_probs[0, 8, 6] = np.log(0.6)  # and a 5 at the bottom right: no caption says both
    (scene,) = decode(log_probs)
    assert len(scene.digits) == 1 and scene.digits[0] in "35"


def test_attribute_hits():
    pair = DigitScene(("3", "9"), None, "above")
    assert attribute_hits(pair, pair) == {"digit1": True, "count": True, "all": True, "digit2": True, "relation": True}
    wrong = attribute_hits(DigitScene(("3", "8"), None, "left of"), pair)
    assert wrong["digit1"] and not wrong["digit2"] and not wrong["relation"] and not wrong["all"]
    single = attribute_hits(DigitScene(("3",), "top"), DigitScene(("3",), "bottom"))
    assert single == {"digit1": True, "count": True, "all": False, "position": False}
    acc = attribute_accuracy([pair, DigitScene(("3",), "top")], [pair, pair])
    assert acc["all"] == {"accuracy": 0.5, "n": 2} and acc["position"] == {"accuracy": None, "n": 0}


def test_shipped_judge_reads_renders_it_never_saw(judge):
    for split in ("test", "heldout"):  # test glyphs; held-out combinations in the second
        data = world.dataset(60, seed=7, split=split)
        acc = attribute_accuracy(judge.scenes(world.to_rgb(data["images"])), data["scenes"])
        assert acc["all"]["accuracy"] >= 0.9, (split, acc)


def test_judge_reads_any_multiple_of_32_and_refuses_bad_images(judge):
    data = world.dataset(4, seed=3, split="test")
    small = world.to_rgb(data["images"])
    big = small.repeat(2, axis=1).repeat(2, axis=2)
    assert judge.scenes(big) == judge.scenes(small)
    with pytest.raises(GendslError, match="uint8"):
        to_input(small.astype(np.float32))
    with pytest.raises(GendslError, match="multiple of 32"):
        to_input(small[:, :30, :30])
    with pytest.raises(GendslError, match="square RGB"):
        to_input(small[..., 0])


def test_training_is_seeded_and_round_trips(tmp_path):
    from gendsl.eval.digits_fit import train_digits_judge

    options = dict(n_train=64, epochs=1, batch_size=64, n_test=8, progress=False)
    a = train_digits_judge(tmp_path / "a", seed=1, **options)
    b = train_digits_judge(None, seed=1, **options)
    assert a.fingerprint() == b.fingerprint()
    assert set(a.card["report"]) == {"test", "heldout"}
    loaded = DigitsJudge.load(tmp_path / "a")
    x = world.to_rgb(world.dataset(8, seed=2, split="test")["images"])
    np.testing.assert_array_equal(loaded.log_probs(x), a.log_probs(x))
    assert "Accuracy" in (tmp_path / "a" / "README.md").read_text()
    with pytest.raises(GendslError, match="n_train"):
        train_digits_judge(None, n_train=10, batch_size=64)


def test_load_refuses_other_folders(tmp_path):
    with pytest.raises(GendslError, match="not a saved digits judge"):
        DigitsJudge.load(tmp_path)
    (tmp_path / "config.json").write_text(json.dumps({"kind": "judge", "format": 1}))
    (tmp_path / "model.weights.h5").write_bytes(b"")
    with pytest.raises(GendslError, match="not a digits judge"):
        DigitsJudge.load(tmp_path)


def test_eval_dispatches_digits_models_to_the_digits_judge(tmp_path, capsys):
    from gendsl.commands.classic_eval import evaluates

    assert evaluates("rbm") and evaluates("digits") and not evaluates("cgan") and not evaluates("world")
    assert main(["eval", "rbm", "--scenes", "2", "--seeds", "2", "--steps", "5", "--out", str(tmp_path)]) == 0
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["noise_seeds"] == [0, 1] and report["model"]["steps"] == 5
    assert report["scenes"]["seen"] == 2 and report["scenes"]["heldout"] == 2
    assert set(report["accuracy"]["all"]) == {"digit1", "digit2", "position", "relation", "count", "all"}
    assert (tmp_path / "samples.png").stat().st_size > 0 and "held" in (tmp_path / "report.md").read_text()
    assert "world renders" in capsys.readouterr().out
    assert main(["eval", "rbm", "--scenes", "2", "--steps", "0", "--out", str(tmp_path)]) == 2


def test_the_world_scores_its_own_ceiling(tmp_path):
    import gendsl
    from gendsl.eval.digits_report import evaluate_digits

    report = evaluate_digits(gendsl.load("digits"), n_scenes=6, seeds=[3, 4], out_dir=None, progress=False)
    # the world model draws with all glyphs, the ceiling with test glyphs: both are read almost always right
    assert report["world_accuracy"]["all"]["all"]["mean"] >= 0.8
    assert report["accuracy"]["all"]["all"]["mean"] >= 0.8
    again = evaluate_digits(gendsl.load("digits"), n_scenes=6, seeds=[3, 4], progress=False)
    assert again["accuracy"] == report["accuracy"]
    with pytest.raises(GendslError, match="2 distinct noise seeds"):
        evaluate_digits(gendsl.load("digits"), n_scenes=6, seeds=[3], progress=False)
