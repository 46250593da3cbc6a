"""The box judge: crops of planned boxes, training on world renders, saving, and judging items."""
from __future__ import annotations

import numpy as np
import pytest

import gendsl
from gendsl.eval.box_fit import train_box_judge, write_card
from gendsl.eval.box_judge import CROP, BoxConfig, BoxJudge, crop, instances
from gendsl.worlds.scene.dataset import build_dataset

from resume_check import resumes_bit_for_bit

TINY = BoxConfig(widths=(8, 16))


def test_a_crop_of_the_whole_canvas_is_the_picture_resampled():
    rng = np.random.default_rng(0)
    images = rng.random((2, 32, 32, 3)).astype(np.float32)
    out = crop(images, np.array([1]), np.array([[0.0, 0.0, 1.0, 1.0]]))
    assert out.shape == (1, CROP, CROP, 3)
    assert abs(out.mean() - images[1].mean()) < 0.02
    flat = np.full((1, 32, 32, 3), 0.25, np.float32)
    assert np.allclose(crop(flat, np.array([0]), np.array([[0.3, 0.2, 0.6, 0.5]])), 0.25)


def test_instances_follow_the_plan():
    scene = gendsl.compile_scene("two red cars left of a house in the grass field")
    image, item, box, obj, color = instances([scene], [5])
    assert list(item) == sorted(item) or set(item) == {0, 1}
    assert (item == 0).sum() == 2 and (item == 1).sum() == 1
    assert set(color[item == 0]) == {gendsl.worlds.scene.vocab.COLOR.index("red")} and set(color[item == 1]) == {-1}
    assert np.all(box[:, 2] > box[:, 0]) and np.all(box[:, 3] > box[:, 1])


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("boxes")
    build_dataset(root / "data", n=64, size=32, seed=0, progress=False, heldout=8)
    judge = train_box_judge(root / "data", root / "box", epochs=1, batch_size=32, config=TINY, progress=False)
    return root, judge


def test_train_save_load_and_judge(trained):
    root, judge = trained
    scores = write_card(judge, root / "box", root / "data")
    assert "test, 1 item" in scores and (root / "box" / "README.md").is_file()
    loaded = BoxJudge.load(root / "box")
    scenes = [gendsl.compile_scene(t) for t in ("a red car on the road", "a tree next to a blue boat on the lake")]
    images = gendsl.load("world", size=32).generate(np.stack([gendsl.encode(s) for s in scenes]), [3, 4])
    a, b = judge.judge_items(images, scenes, [3, 4]), loaded.judge_items(images, scenes, [3, 4])
    assert all(np.array_equal(a[k], b[k]) for k in ("object", "color", "all"))
    assert a["all"].dtype == bool and a["all"].shape == (2,)


def test_box_judge_training_resumes_bit_for_bit(trained, tmp_path):
    root, _ = trained

    def run(out, steps=None, resume=False):
        return train_box_judge(root / "data", out, epochs=1, batch_size=16, config=TINY, progress=False,
                               steps=steps, resume=resume, checkpoint_every=2)

    straight, _ = resumes_bit_for_bit(run, tmp_path)
    assert BoxJudge.load(tmp_path / "b").fingerprint() == straight.fingerprint()


def test_a_damaged_box_judge_is_refused(trained, tmp_path):
    with pytest.raises(gendsl.GendslError, match="not a saved box judge"):
        BoxJudge.load(tmp_path)


def test_crowded_renders_and_swapped_box_sizes():
    """`crowded`: three-item world renders from the run's own stream (never the evaluation's scenes), alternately
    seen and held-out; `box_swap`: a crop keeps its centre and takes another box's size, the others stay."""
    from gendsl.eval.box_fit import _swap_sizes, crowded_renders
    from gendsl.worlds import get
    from gendsl.worlds.scene.render import render_scene
    from gendsl.worlds.scene.sample import is_held_out

    images, scenes, seeds = crowded_renders(6, 32, seed=0)
    assert images.shape == (6, 32, 32, 3) and all(len(s.items) == 3 for s in scenes)
    assert [is_held_out(s) for s in scenes] == [False, True] * 3
    assert np.array_equal(images[2], render_scene(scenes[2], seeds[2], 32))
    evaluated = {str(s) for group in get("scene").evaluation_scenes(200, False, 0).values() for s in group}
    assert not evaluated & {str(s) for s in scenes}
    boxes = np.array([[0.1, 0.1, 0.3, 0.5], [0.5, 0.5, 0.6, 0.6]])
    other = np.array([[0.0, 0.0, 0.6, 0.2]])
    swapped = _swap_sizes(boxes, np.array([True, False]), other, np.random.default_rng(0))
    assert np.allclose(swapped[0], [-0.1, 0.2, 0.5, 0.4]) and np.array_equal(swapped[1], boxes[1])
