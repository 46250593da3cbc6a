"""The judge and the evaluation: masking, slot matching, figures, save/load, report files, the shipped judge."""
from __future__ import annotations

import json

import numpy as np
import pytest

import gendsl
from gendsl.eval import (ATTRIBUTES, Judge, JudgeConfig, Prediction, accuracy, diversity, eval_scenes, evaluate, format_table,
                         frechet_distance, judged_accuracy, match, train_judge)
from gendsl.eval.augment import blur
from gendsl.eval.fit import _loss_fn
from gendsl.eval.judge import DEFAULT, build, to_input
from gendsl.eval.labels import (CENTRES, EMPTY_INDEX, OUTPUTS, SCENE_SLICES, SLOT_HEADS, SLOT_SLICES, SLOT_WIDTH, SLOTS,
                                cell_targets, targets)
from gendsl.worlds.scene.encode import encode_batch
from gendsl.worlds.scene.dataset import build_dataset

from resume_check import resumes_bit_for_bit

TINY = JudgeConfig(widths=(8, 16), convs=(1, 1), features=16, slot_dim=16, rounds=1)


def logits_for(scene, swap: bool = False, wrong: dict | None = None) -> np.ndarray:
    """Logits that say exactly `scene` (slots swapped when asked), with some attributes set wrong."""
    slot_t, scene_t = targets(scene)
    if swap:
        slot_t = slot_t[[1, 0, 2]]
    out = np.zeros(OUTPUTS, np.float32)
    for s in range(SLOTS):
        for k, (name, values) in enumerate(SLOT_HEADS):
            value = (wrong or {}).get((s, name), slot_t[s, k])
            if value >= 0:
                out[s * SLOT_WIDTH + SLOT_SLICES[name].start + value] = 10
    for k, name in enumerate(SCENE_SLICES):
        value = (wrong or {}).get(name, scene_t[k])
        if value >= 0:
            out[SLOTS * SLOT_WIDTH + SCENE_SLICES[name].start + value] = 10
    return out


# ---- labels and masking ----

@pytest.mark.parametrize("text, instances", [("a house on the beach", 1), ("three cars on the road", 3),
                                             ("many small balloons in the blue sky", None)])
def test_cell_targets_count_every_instance_centre_once(text, instances):
    from gendsl.worlds.scene.render import plan_scene
    scene = gendsl.compile_scene(text)
    cells = cell_targets(scene, 5, 8)
    assert cells.shape == (8, 8, len(SLOT_HEADS) + 1)
    assert cells[..., CENTRES].sum() == (instances or len(plan_scene(scene, 5).placements)) > 0


def test_a_slot_tally_sums_centres_where_object_and_colour_agree():
    from gendsl.eval.layers import SlotTally
    car, red, blue = SLOT_SLICES["object"].start, SLOT_SLICES["color"].start, SLOT_SLICES["color"].start + 1
    slots = np.zeros((1, SLOTS, SLOT_WIDTH), np.float32)
    slots[0, 0, [car, red]] = 50  # slot 0: a red car; slot 1: a blue car
    slots[0, 1, [car, blue]] = 50
    cells = np.zeros((1, 8, 8, SLOT_WIDTH), np.float32)
    cells[..., EMPTY_INDEX] = 50
    centres = np.zeros((1, 8, 8, 1), np.float32)
    for column in (1, 3, 5):  # three red cars' centres, and one blue car's
        cells[0, 4, column, [EMPTY_INDEX, car, red]] = (0, 50, 50)
        centres[0, 4, column] = 1
    cells[0, 2, 7, [EMPTY_INDEX, car, blue]] = (0, 50, 50)
    centres[0, 2, 7] = 1
    centres[0, 0, 0] = 0.5  # where nothing stands: counted for no one
    tally = np.asarray(SlotTally(SLOT_SLICES["object"], SLOT_SLICES["color"])([slots, cells, centres]))
    np.testing.assert_allclose(tally[0, :2, 0], [4, 4], atol=1e-4)  # cars of any colour
    np.testing.assert_allclose(tally[0, :2, 1], np.log1p([4, 4]), atol=1e-4)
    np.testing.assert_allclose(tally[0, :2, 2], [3, 1], atol=1e-4)  # cars of the slot's colour
    np.testing.assert_allclose(tally[0, :2, 3], np.log1p([3, 1]), atol=1e-4)


def test_a_detached_tally_reads_the_same_and_trains_the_centre_map_alone():
    import tensorflow as tf
    from gendsl.eval.layers import SlotTally
    rng = np.random.default_rng(0)
    inputs = [tf.constant(rng.normal(size=shape).astype(np.float32))
              for shape in ((2, SLOTS, SLOT_WIDTH), (2, 8, 8, SLOT_WIDTH), (2, 8, 8, 1))]
    grads = {}
    for detached in (False, True):
        layer = SlotTally(SLOT_SLICES["object"], SLOT_SLICES["color"], detached)
        assert SlotTally.from_config(layer.get_config()).detached == detached
        with tf.GradientTape() as tape:
            tape.watch(inputs)
            out = layer(inputs)
            total = tf.reduce_sum(out)
        grads[detached] = tape.gradient(total, inputs)
        grads[detached, "out"] = np.asarray(out)
    np.testing.assert_array_equal(grads[False, "out"], grads[True, "out"])
    assert all(float(tf.reduce_max(tf.abs(g))) > 0 for g in grads[False])
    assert grads[True][0] is None or float(tf.reduce_max(tf.abs(grads[True][0]))) == 0  # the slots' reading
    assert grads[True][1] is None or float(tf.reduce_max(tf.abs(grads[True][1]))) == 0  # the cells' reading
    np.testing.assert_allclose(np.asarray(grads[True][2]), np.asarray(grads[False][2]))  # the centre map


def test_unspecified_attributes_are_masked():
    slot, scene = targets(gendsl.compile_scene("a car next to two red houses"))
    assert slot[0].tolist() == [1, -1, -1, 0] and slot[1, 1] == 0  # car, no color, no size, one; red
    assert slot[2].tolist() == [EMPTY_INDEX, -1, -1, -1]
    assert scene.tolist() == [-1, -1]


def test_loss_ignores_masked_heads_and_slot_order():
    import tensorflow as tf

    loss = _loss_fn()
    scene = gendsl.compile_scene("a car next to two red houses in the road")
    slot_t, scene_t = (tf.constant(t[None], tf.int32) for t in targets(scene))
    rng = np.random.default_rng(0)
    exact = logits_for(scene)[None]  # slot 0 (the car) has no color, and the scene no time: both free
    free = exact.copy()
    free[0, SLOT_SLICES["color"]] = rng.normal(size=11)
    free[0, SLOTS * SLOT_WIDTH + SCENE_SLICES["time"].start] += 3
    assert float(loss(tf.constant(free), slot_t, scene_t)) == pytest.approx(
        float(loss(tf.constant(exact), slot_t, scene_t)), abs=1e-4)
    swapped = logits_for(scene, swap=True)[None]
    assert float(loss(tf.constant(swapped), slot_t, scene_t)) == pytest.approx(
        float(loss(tf.constant(exact), slot_t, scene_t)), abs=1e-5)
    wrong = logits_for(scene, wrong={(1, "color"): 3})[None]  # the houses' color is asked for: it costs
    assert float(loss(tf.constant(wrong), slot_t, scene_t)) > float(loss(tf.constant(exact), slot_t, scene_t)) + 5


def test_swapped_slots_count_as_right():
    scene = gendsl.compile_scene("a red car next to a blue house in the road at night")
    pred = Prediction.from_logits(np.stack([logits_for(scene, swap=True), logits_for(scene)]))
    j = match(pred, [scene, scene])
    assert j.image_right().all()
    assert j.permutation[0].tolist()[:2] == [1, 0]
    acc = accuracy(j)
    assert acc["all"] == acc["object"] == acc["color"] == acc["place"] == acc["time"] == 1.0
    assert np.isnan(acc["size"])  # nothing asked for a size
    seen = pred.scenes()[0]
    assert sorted(map(str, seen.items)) == ["a blue house", "a red car"] and seen.place == "road"


def test_two_readings_are_averaged_slot_by_slot_whatever_their_order():
    scene = gendsl.compile_scene("a red car next to a blue house in the road at night")
    plain = Prediction.from_logits(logits_for(scene)[None])
    swapped = Prediction.from_logits(logits_for(scene, swap=True)[None])
    mean = plain.mean_with(swapped)
    for name in plain.slot:
        assert np.allclose(mean.slot[name], plain.slot[name])  # the swapped reading's slots were put back
    unsure = logits_for(scene, wrong={(0, "color"): 4})
    unsure[SLOT_SLICES["color"].start + 4] = 9  # car: blue at 9 against red at 10; the other reading says red
    assert match(Prediction.from_logits(unsure[None]).mean_with(swapped), [scene]).image_right().all()
    assert np.exp(mean.scene["time"]).sum() == pytest.approx(1.0)


def test_a_judge_reads_each_picture_and_its_mirror_image(tiny):
    _, judge = tiny
    images = gendsl.load("world", size=32).generate(gendsl.encode(gendsl.compile_scene("a car on the left")), [1, 2])
    plain, mirrored = (Prediction.from_logits(judge.logits(x)) for x in (images, images[:, :, ::-1]))
    both = judge.predict(images)
    assert np.allclose(both.scene["place"], plain.mean_with(mirrored).scene["place"])
    assert np.allclose(judge.predict(images[:, :, ::-1]).scene["place"], both.scene["place"], atol=1e-5)


def test_wrong_attributes_and_extra_objects_are_counted():
    scene = gendsl.compile_scene("a red car in the road")
    blue = 4
    cases = [logits_for(scene), logits_for(scene, wrong={(0, "color"): blue}),
             logits_for(scene, wrong={(1, "object"): 3}), logits_for(scene, wrong={"place": 0})]
    acc = accuracy(match(Prediction.from_logits(np.stack(cases)), [scene] * 4))
    assert acc["color"] == 0.75 and acc["object"] == 1.0 and acc["place"] == 0.75
    assert acc["empty"] == 7 / 8 and acc["all"] == 0.25


# ---- figures ----

def test_frechet_distance():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(500, 8))
    assert frechet_distance(a, a) == pytest.approx(0, abs=1e-6)
    assert frechet_distance(a, a + 2) == pytest.approx(4 * 8, rel=1e-6)  # a shift of the mean only
    assert frechet_distance(a, rng.normal(size=(500, 8))) < 0.5


def test_diversity():
    f = np.zeros((3, 2, 4))
    f[:, 1, 0] = 2.0
    assert diversity(f) == pytest.approx(2.0)
    assert diversity(np.ones((3, 4, 5))) == 0


def test_blur_and_downsampling():
    rng = np.random.default_rng(0)
    x = rng.random((2, 32, 32, 3)).astype(np.float32)
    assert np.array_equal(blur(x, [0.0, 0.0]), x)
    flat = np.full((1, 32, 32, 3), 0.4, np.float32)
    assert np.allclose(blur(flat, [1.0]), 0.4)  # renormalised at the border: no dark frame
    big = rng.integers(0, 256, (1, 64, 64, 3), dtype=np.uint8)
    small = to_input(big)
    assert small.shape == (1, 32, 32, 3)
    assert small[0, 3, 5, 1] == pytest.approx(big[0, 6:8, 10:12, 1].mean() / 255, abs=1e-6)
    with pytest.raises(gendsl.GendslError):
        to_input(big[:, :48, :48])


def test_eval_scenes_are_deterministic_and_of_their_kind():
    from gendsl.worlds.scene.sample import is_held_out

    seen = eval_scenes(6, held_out=False, items=2, seed=3)
    assert seen == eval_scenes(6, held_out=False, items=2, seed=3)
    assert all(len(s.items) == 2 and not is_held_out(s) for s in seen)
    assert all(len(s.items) == 1 and is_held_out(s) for s in eval_scenes(6, held_out=True, items=1))


class ConstantJudge:
    """Says 'one red car, in the road by day' of every picture; features: the mean colour. It follows the judge
    protocol (eval/protocol.py) as the scene world's judge does."""

    kind, attributes = "constant", ATTRIBUTES
    score, read = Judge.score, Judge.read

    def features(self, images):
        return self.predict_and_features(images)[1]

    def __init__(self):
        self.answer = logits_for(gendsl.compile_scene("a red car in the road by day"))

    def predict_and_features(self, images):
        images = np.asarray(images)
        return (Prediction.from_logits(np.tile(self.answer, (len(images), 1))),
                images.reshape(len(images), -1, 3).mean(1).astype(np.float32) + np.arange(len(images))[:, None] % 7)

    def predict(self, images):
        return self.predict_and_features(images)[0]

    def fingerprint(self):
        return "constant"


def test_world_model_figures_by_hand(tmp_path):
    """The world drawn at 6+6 scenes, judged by a judge that always answers the same: figures by hand."""
    world = gendsl.load("world", size=32)
    report = evaluate(world, ConstantJudge(), n_scenes=4, seeds=[5, 6], out_dir=tmp_path, progress=False)
    seen = eval_scenes(2, False, 1) + eval_scenes(2, False, 2) + eval_scenes(2, False, 3)
    items = [it for s in seen for it in s.items]
    expect_object = np.mean([it.object == "car" for it in items])
    colored = [it for it in items if it.color]
    got = report["accuracy"]["seen"]
    assert got["object"]["mean"] == pytest.approx(expect_object)
    assert got["object"]["std"] == 0  # the answer does not depend on the picture
    if colored:
        assert got["color"]["mean"] == pytest.approx(np.mean([it.color == "red" for it in colored]))
    one = eval_scenes(2, False, 1)
    assert report["accuracy"]["seen/one"]["all"]["mean"] == pytest.approx(np.mean(
        [s.items[0].object == "car" and s.items[0].color in (None, "red") and s.items[0].size is None
         and s.items[0].count == "one" and s.place in (None, "road") and s.time in (None, "day") for s in one]))
    assert report["accuracy"]["seen/two"]["all"]["mean"] == 0  # it never sees a second object
    assert report["world_accuracy"] == report["accuracy"]  # the world is the model: same pictures, same answers
    assert report["fid"]["model"] == pytest.approx(report["fid"]["world"])
    assert (tmp_path / "report.json").is_file() and (tmp_path / "samples.png").is_file()


# ---- a tiny trained judge ----

@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    root = tmp_path_factory.mktemp("judge")
    build_dataset(root / "data", n=96, size=32, seed=0, progress=False, heldout=16)
    judge = train_judge(root / "data", root / "judge", epochs=1, batch_size=32, seed=1, progress=False, config=TINY)
    return root, judge


def test_a_counting_judge_sums_instance_centres_and_saves_what_it_reads(tiny, tmp_path):
    from dataclasses import replace
    root, _ = tiny
    counting = train_judge(root / "data", tmp_path / "c", epochs=1, batch_size=16, seed=1, progress=False,
                           config=replace(TINY, count_map=True), max_images=48, report=False)
    assert "centres" in counting.net.output and len(counting.net.weights) > len(build(TINY).weights)
    images = gendsl.load("world", size=32).generate(gendsl.encode(gendsl.compile_scene("three cars on the road")), [1, 2])
    again = Judge.load(tmp_path / "c")
    assert again.config.count_map and np.array_equal(again.logits(images), counting.logits(images))


def test_a_judge_trains_on_from_a_saved_one_of_the_same_shape(tiny, tmp_path):
    from dataclasses import replace
    root, judge = tiny
    still = train_judge(root / "data", tmp_path / "still", epochs=1, batch_size=16, seed=2, progress=False,
                        config=replace(TINY, learning_rate=0.0), max_images=32, report=False, init_from=root / "judge")
    for a, b in zip(still.net.trainable_weights, judge.net.trainable_weights):  # no step moved them (the batch
        assert np.array_equal(a.numpy(), b.numpy())  # norms' running statistics did): it is the saved judge
    card = json.loads((tmp_path / "still" / "config.json").read_text())["card"]
    assert card["init_from"]["fingerprint"] == judge.fingerprint()
    readme = (tmp_path / "still" / "README.md").read_text()
    assert f"started from the judge `{root / 'judge'}` ({judge.fingerprint()})" in readme
    with pytest.raises(gendsl.GendslError, match="another network shape"):
        train_judge(root / "data", tmp_path / "other", epochs=1, batch_size=16, seed=2, progress=False,
                    config=replace(TINY, count_map=True), max_images=32, report=False, init_from=root / "judge")
    with pytest.raises(gendsl.GendslError, match="not a whole-picture judge"):
        train_judge(root / "data", tmp_path / "box", epochs=1, batch_size=16, progress=False, config=TINY,
                    max_images=32, report=False, init_from="box-judge-world-32")


def test_judge_training_resumes_bit_for_bit(tiny, tmp_path):
    root, _ = tiny

    def run(out, steps=None, resume=False):
        return train_judge(root / "data", out, epochs=1, batch_size=16, seed=1, progress=False, config=TINY,
                           report=False, steps=steps, resume=resume, checkpoint_every=2)

    straight, _ = resumes_bit_for_bit(run, tmp_path)
    assert (tmp_path / "a" / "log.csv").is_file() and Judge.load(tmp_path / "b").fingerprint() == straight.fingerprint()
    with pytest.raises(gendsl.GendslError, match="already holds a training run"):
        run(tmp_path / "a")


def test_save_load_gives_identical_predictions(tiny):
    root, judge = tiny
    for name in ("config.json", "model.weights.h5", "README.md"):
        assert (root / "judge" / name).is_file()
    loaded = Judge.load(root / "judge")
    images = gendsl.load("world", size=64).generate(gendsl.encode(gendsl.compile_scene("a boat on the lake")),
                                                    [1, 2, 3])
    assert np.array_equal(judge.logits(images), loaded.logits(images))
    assert np.array_equal(judge.features(images), loaded.features(images))
    assert loaded.fingerprint() == judge.fingerprint()
    card = json.loads((root / "judge" / "config.json").read_text())["card"]
    assert "train_judge(" in card["call"] and "test" in card["report"]


def test_same_seed_same_judge(tiny):
    root, judge = tiny
    again, twice = (train_judge(root / "data", None, epochs=1, batch_size=32, seed=1, progress=False, config=TINY,
                                max_images=40, report=False) for _ in range(2))
    for a, b in zip(again.net.get_weights(), twice.net.get_weights()):
        assert np.array_equal(a, b)


def test_damaged_judge_folders_are_refused(tiny, tmp_path):
    root, judge = tiny
    with pytest.raises(gendsl.GendslError, match="not a saved judge"):
        Judge.load(tmp_path)
    folder = judge.save(tmp_path / "j")
    data = json.loads((folder / "config.json").read_text())
    data["labels"]["scene"]["place"].append("moon")
    (folder / "config.json").write_text(json.dumps(data))
    with pytest.raises(gendsl.GendslError, match="another vocabulary"):
        Judge.load(folder)
    judge.save(folder)
    (folder / "model.weights.h5").write_bytes(b"not h5")
    with pytest.raises(gendsl.GendslError, match="cannot read"):
        Judge.load(folder)


def test_report_files(tiny, tmp_path):
    _, judge = tiny
    report = evaluate(gendsl.load("world", size=32), judge, n_scenes=4, seeds=2, out_dir=tmp_path, progress=False,
                      diversity_scenes=6)
    saved = json.loads((tmp_path / "report.json").read_text())
    assert saved["scenes"] == {"seen/one": 2, "seen/two": 2, "seen/three": 2, "heldout/one": 2, "heldout/two": 2,
                               "heldout/three": 2}
    assert set(saved["accuracy"]) == {"seen/one", "seen/two", "seen/three", "heldout/one", "heldout/two",
                                      "heldout/three", "seen", "heldout", "all"}
    ssim = saved["ssim"]
    assert 0 < ssim["intra"]["model"] < 0.6 and ssim["between"]["model"] < ssim["intra"]["model"]
    curve = ssim["variation"]["model"]
    assert curve["0.1"] > curve["0.5"] > curve["1.0"] and curve["1.0"] == pytest.approx(curve["two seeds"])
    table = format_table(report)
    assert "seen/one" in table and "Fréchet" in table and "among seeds of a scene" in table
    assert "samples.png" in (tmp_path / "report.md").read_text()
    from PIL import Image

    with Image.open(tmp_path / "samples.png") as sheet:
        assert sheet.size[1] > 8 * 64  # 8 rows of scenes, tiles upscaled to 64 px


# ---- the shipped judge ----

@pytest.mark.slow
def test_shipped_judge_recognises_fresh_world_renders():
    if not (DEFAULT / "config.json").is_file():
        pytest.fail(f"the shipped judge is missing from {DEFAULT}")
    judge = Judge.load(DEFAULT)
    # one-object scenes, seen and held-out: the scenes the shipped models' bar is set on
    scenes = eval_scenes(32, False, 1, seed=99) + eval_scenes(32, True, 1, seed=99)
    images = gendsl.load("world", size=32).generate(encode_batch(scenes), range(1000, 1064))
    acc = judged_accuracy(judge, images, scenes)["accuracy"]
    assert acc["object"] >= 0.95, acc
