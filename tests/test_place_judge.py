"""The place judge (the digits world's judge), its training through the one driver, and the one evaluation
(`gendsl eval rbm`, `gendsl eval digits`)."""
import json

import numpy as np
import pytest

from gendsl import GendslError, worlds
from gendsl.cli import main
from gendsl.eval.judge import to_input
from gendsl.eval.place_fit import train_place_judge
from gendsl.eval.place_judge import Config, PlaceJudge
from gendsl.eval.protocol import judges_of, load_judge, tally
from gendsl.worlds.digits import canvas as world
from gendsl.worlds.digits.language import DigitScene
from gendsl.worlds.digits.reading import (CELLS, CLASSES, attribute_accuracy, attribute_hits, candidates,
                                          decode)

DIGITS = worlds.get("digits")
TINY = Config(widths=(8, 8, 8), head=8)


@pytest.fixture(scope="module")
def judge():
    return load_judge("judge-digits")


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


def test_the_world_names_its_judge_and_the_shipped_one_loads_unchanged(judge):
    assert isinstance(judge, PlaceJudge) and judge.world is DIGITS
    assert [j.fingerprint() for j in judges_of(DIGITS)] == [judge.fingerprint()]
    assert judge.fingerprint() == json.loads((judge_folder() / "config.json").read_text())["fingerprint"]


def judge_folder():
    from gendsl.eval.protocol import WEIGHTS
    return WEIGHTS / DIGITS.judges[0]


def test_shipped_judge_reads_renders_it_never_saw(judge):
    for split in ("test", "heldout"):  # test glyphs; held-out combinations in the second
        data = world.dataset(60, seed=7, split=split)
        images = world.to_rgb(data["images"])
        assert attribute_accuracy(judge.read(images), data["scenes"])["all"]["accuracy"] >= 0.9, split
        scores = tally(judge.score(images, data["scenes"], data["seeds"]))  # the protocol: the same figures
        assert scores["all"]["accuracy"] == attribute_accuracy(judge.read(images), data["scenes"])["all"]["accuracy"]


def test_judge_reads_any_multiple_of_32_and_refuses_bad_images(judge):
    data = world.dataset(4, seed=3, split="test")
    small = world.to_rgb(data["images"])
    big = small.repeat(2, axis=1).repeat(2, axis=2)
    assert judge.read(big) == judge.read(small)
    with pytest.raises(GendslError, match="uint8"):
        to_input(small.astype(np.float32))
    with pytest.raises(GendslError, match="multiple of 32"):
        to_input(small[:, :30, :30])
    with pytest.raises(GendslError, match="square RGB"):
        to_input(small[..., 0])


def _train(out, steps, resume=False):
    return train_place_judge(DIGITS, out, steps=steps, batch_size=16, examples=64, seed=1, config=TINY,
                             resume=resume, progress=False, report_examples=8, checkpoint_every=2)


def test_training_resumes_bit_for_bit_and_round_trips(tmp_path):
    straight = _train(tmp_path / "a", 4)
    _train(tmp_path / "b", 2)
    resumed = _train(tmp_path / "b", 4, resume=True)
    for a, b in zip(straight.net.get_weights(), resumed.net.get_weights()):
        assert np.array_equal(a, b)
    for produced in ("config.json", "model.weights.h5", "README.md", "checkpoint.npz", "log.csv", "run.json"):
        assert (tmp_path / "a" / produced).is_file(), produced
    loaded = load_judge(tmp_path / "a")
    assert loaded.fingerprint() == straight.fingerprint() and set(loaded.card["report"]) == {"test", "heldout"}
    x = world.to_rgb(world.dataset(8, seed=2, split="test")["images"])
    np.testing.assert_array_equal(loaded.log_probs(x), straight.log_probs(x))
    assert "Accuracy" in (tmp_path / "a" / "README.md").read_text()
    with pytest.raises(GendslError, match="already holds a training run"):
        _train(tmp_path / "a", 4)


def test_cli_trains_a_judge_for_a_world_with_places(tmp_path, capsys):
    out = tmp_path / "j"
    argv = ["train", "judge", "--data", "digits", "--out", str(out), "--steps", "2", "--batch", "16",
            "--examples", "32", "--quiet"]
    assert main(argv) == 0 and (out / "log.csv").is_file()
    assert main([*argv[:-3], "--steps", "3", "--quiet", "--resume"]) == 0
    assert json.loads((out / "run.json").read_text())["steps"] == 3
    assert isinstance(load_judge(out), PlaceJudge)


def test_load_refuses_other_folders(tmp_path):
    with pytest.raises(GendslError, match="not a saved judge"):
        load_judge(tmp_path)
    (tmp_path / "config.json").write_text(json.dumps({"kind": "judge", "format": 1}))
    (tmp_path / "model.weights.h5").write_bytes(b"")
    with pytest.raises(GendslError, match="not a place judge"):
        PlaceJudge.load(tmp_path)


def test_one_evaluation_for_every_world_with_a_judge(tmp_path, capsys):
    assert main(["eval", "rbm", "--scenes", "2", "--seeds", "2", "--steps", "5", "--out", str(tmp_path)]) == 0
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["noise_seeds"] == [0, 1] and report["model"]["steps"] == 5 and report["world"] == "digits"
    assert sum(v for k, v in report["scenes"].items() if k.startswith("seen/")) == 2
    assert set(report["accuracy"]["all"]) == {"digit1", "digit2", "position", "relation", "count", "all"}
    assert (tmp_path / "samples.png").stat().st_size > 0 and "held" in (tmp_path / "report.md").read_text()
    assert "world renders" in capsys.readouterr().out
    assert main(["eval", "rbm", "--scenes", "2", "--steps", "0", "--out", str(tmp_path)]) == 2


def test_the_world_scores_its_own_ceiling():
    import gendsl
    from gendsl.eval import evaluate

    report = evaluate(gendsl.load("digits"), n_scenes=6, seeds=[3, 4], out_dir=None, progress=False)
    # the world model draws with all glyphs, the ceiling with test glyphs: both are read almost always right
    assert report["world_accuracy"]["all"]["all"]["mean"] >= 0.8
    assert report["accuracy"]["all"]["all"]["mean"] >= 0.8
    again = evaluate(gendsl.load("digits"), n_scenes=6, seeds=[3, 4], progress=False)
    assert again["accuracy"] == report["accuracy"]
    with pytest.raises(GendslError, match="2 distinct noise seeds"):
        evaluate(gendsl.load("digits"), n_scenes=6, seeds=[3], progress=False)
