"""The scene judge: every attribute of a scene read back from a picture at its seed (the shipped judges)."""
from __future__ import annotations

import json

import numpy as np
import pytest

import gendsl
from gendsl.eval.protocol import load_judge
from gendsl.eval.composite_judge import ATTRIBUTES, CompositeJudge


@pytest.fixture(scope="module")
def judge():
    return load_judge("scene-judge-world-32")


def _pictures(texts, seeds):
    scenes = [gendsl.compile_scene(t) for t in texts]
    world = gendsl.load("world", size=32)
    return scenes, world.generate(np.stack([gendsl.encode(s) for s in scenes]), seeds)


def test_the_worlds_pictures_read_right_and_each_wrong_attribute_is_caught(judge):
    texts = ["a red car on the road by day", "a tree next to a blue boat on the lake at night",
             "a yellow school bus in the parking lot by day", "a large white house in the grass field by day"]
    seeds = [3, 4, 5, 6]
    scenes, images = _pictures(texts, seeds)
    right = judge.score(images, scenes, seeds)
    assert set(right) == set(ATTRIBUTES) and all(r.shape == (4, 1) for r, _ in right.values())
    assert right["all"][0].all()
    wrong = [("a red elephant on the road by day", "object"), ("a tree next to a green boat on the lake at night", "color"),
             ("a yellow school bus on the beach by day", "place"), ("a large white house in the grass field at night",
                                                                     "time")]
    asked = [gendsl.compile_scene(t) for t, _ in wrong]
    read = judge.score(images, asked, seeds)
    for k, (_, attribute) in enumerate(wrong):
        assert not read[attribute][0][k, 0] and not read["all"][0][k, 0], wrong[k]


def test_a_thing_drawn_where_the_scene_asks_for_none_is_caught(judge):
    seeds = list(range(10))
    asked = [gendsl.compile_scene("a car on the road by day")] * len(seeds)
    _, alone = _pictures(["a car on the road by day"] * len(seeds), seeds)
    _, crowded = _pictures(["a car next to a large house on the road by day"] * len(seeds), seeds)
    assert judge.score(alone, asked, seeds)["nothing else"][0].sum() >= 9
    assert judge.score(crowded, asked, seeds)["nothing else"][0].sum() <= 3


def test_a_scene_judge_reads_with_shipped_judges_only_and_as_they_were(judge, tmp_path):
    judge.save(tmp_path / "same")
    assert CompositeJudge.load(tmp_path / "same").fingerprint() == judge.fingerprint()
    config = json.loads((tmp_path / "same" / "config.json").read_text())
    for role, name in (("whole", "../judge-world-32"), ("boxes", "/etc")):
        bad = json.loads(json.dumps(config))
        bad["parts"][role]["judge"] = name
        (tmp_path / "bad").mkdir(exist_ok=True)
        (tmp_path / "bad" / "config.json").write_text(json.dumps(bad))
        with pytest.raises(gendsl.GendslError, match="not a judge shipped with gendsl"):
            CompositeJudge.load(tmp_path / "bad")
    config["parts"]["whole"]["fingerprint"] = "0" * 12
    (tmp_path / "bad" / "config.json").write_text(json.dumps(config))
    with pytest.raises(gendsl.GendslError, match="not the judge it was made with"):
        CompositeJudge.load(tmp_path / "bad")
    (tmp_path / "bad" / "config.json").write_text("{")
    with pytest.raises(gendsl.GendslError, match="not a scene judge"):
        CompositeJudge.load(tmp_path / "bad")


def test_a_thing_is_read_for_what_it_is_not_for_the_shape_of_its_box(judge):
    """A car drawn where a boat's plan puts a taller box is still a car (the first box judge read it as a boat)."""
    seeds = list(range(3, 13))
    _, cars = _pictures(["a red car on the road by day"] * len(seeds), seeds)
    boats = [gendsl.compile_scene("a red boat on the road by day")] * len(seeds)
    assert judge.score(cars, boats, seeds)["object"][0].sum() <= 2
