"""Semantic hashing on a tiny config: training, save/load, the index on a folder, search, the report, CLI errors."""
import json

import numpy as np
import pytest
from PIL import Image

from gendsl import GendslError
from gendsl.cli import main
from gendsl.retrieval.hashing import Hashing, HashingConfig
from gendsl.retrieval.codes import pack
from gendsl.retrieval.hash_report import evaluate_hashing, precision_at, recall_at
from gendsl.retrieval.index import Index, build_index
from gendsl.retrieval.models import load
from gendsl.retrieval.training import PairData, Trainee
from gendsl.train import TrainConfig, train

TINY = dict(bits=32, hidden=16)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    from gendsl.worlds.scene.dataset import build_dataset
    path = tmp_path_factory.mktemp("data") / "world32"
    build_dataset(path, n=40, size=32, seed=3, progress=False, heldout=2)
    return path


@pytest.fixture(scope="module")
def judge():
    from gendsl.eval.judge import load_default
    return load_default()


def tiny(judge, seed=0):
    import keras
    keras.utils.set_random_seed(seed)
    return Hashing(HashingConfig(judge=judge.fingerprint(), **TINY), seed=seed)


@pytest.fixture(scope="module")
def trained(dataset, judge, tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "hashing"
    model = tiny(judge)
    data = PairData(dataset, 32, judge)
    model.adapt(data.features)
    train(Trainee(model, data), data, out, TrainConfig(steps=4, batch_size=16, checkpoint_every=2, sample_every=4),
          progress=False)
    return model, out, data


@pytest.fixture(scope="module")
def folder(dataset, tmp_path_factory):
    """PNGs from gendsl (with their scene), plain PNGs and JPEGs of other sizes, and files that are no images."""
    from gendsl.render import png_bytes
    from gendsl.worlds.scene.dataset import load_split
    images, _, records = load_split(dataset, "train")
    root = tmp_path_factory.mktemp("pictures")
    for i in range(6):
        (root / f"drawn-{i}.png").write_bytes(png_bytes(np.repeat(np.repeat(images[i], 2, 0), 2, 1),
                                                        {"scene": records[i]["scene"]}))
    (root / "sub").mkdir()
    for i in range(6, 9):
        Image.fromarray(np.asarray(images[i])).resize((48, 40)).save(root / "sub" / f"mine-{i}.jpg")
    (root / "notes.txt").write_text("not a picture")
    (root / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n truncated")
    (root / ".hidden.png").write_bytes(b"skipped silently")
    return root


def test_training_and_save_load_give_identical_codes(trained):
    model, out, data = trained
    assert (out / "samples" / "step-000004.png").is_file() and (out / "log.csv").is_file()
    again = load(str(out), "hashing")
    texts = ["a red car on the beach", "two elephants in the snow at night"]
    assert np.array_equal(again.text_bits(texts), model.text_bits(texts))
    images = np.asarray(data.images[:5])
    assert np.array_equal(again.image_bits(images), model.image_bits(images))
    assert model.image_bits(images).shape == (5, 32) and again.fingerprint() == model.fingerprint()
    # one phrasing or another of a scene: the same code
    assert np.array_equal(model.text_bits(["a red car in a car park"]), model.text_bits(["red automobile in a parking lot"]))
    singles = np.concatenate([model.image_bits(images[i:i + 1]) for i in range(5)])
    assert np.array_equal(singles, model.image_bits(images))


def test_judge_of_another_version_is_refused(trained, tmp_path):
    model, out, _ = trained
    config = json.loads((out / "config.json").read_text())
    config["config"]["judge"] = "000000000000"
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "config.json").write_text(json.dumps(config))
    (tmp_path / "m" / "generator.weights.h5").write_bytes((out / "generator.weights.h5").read_bytes())
    with pytest.raises(GendslError, match="reads the features of judge 000000000000"):
        load(str(tmp_path / "m"), "hashing").image_bits(np.zeros((1, 32, 32, 3), np.uint8))


def test_index_a_folder_search_and_round_trip(trained, folder, tmp_path, capsys):
    _, out, _ = trained
    index = build_index(folder, str(out), captioner=None, progress=False)
    warning = capsys.readouterr().err
    assert "skipped 2 files" in warning and "notes.txt" in warning and "broken.png" in warning
    assert len(index) == 9 and sorted(index.skipped) == sorted([str(folder / "broken.png"), str(folder / "notes.txt")])
    assert index.caption_source.count("metadata") == 6 and index.captions[-1] is None
    index.save(tmp_path / "my.index")
    again = Index.load(tmp_path / "my.index")
    hasher = again.model()
    query = "a car"
    assert again.search_text(hasher, query, 5) == index.search_text(hasher, query, 5)
    hits = again.search_text(hasher, query, 9)
    assert [d for d, _ in hits] == sorted(d for d, _ in hits) and len(hits) == 9
    ball = again.search_text(hasher, query, radius=2)
    assert all(d <= 2 for d, _ in ball) and ball == [h for h in hits if h[0] <= 2]
    images, captions = again.search_image(hasher, folder / "drawn-0.png", 3)
    assert images[0] == (0, str(folder / "drawn-0.png")) or images[0][0] == 0
    assert captions and all(isinstance(d, int) for d, _ in captions)


def test_index_of_another_model_version_is_refused(trained, judge, folder, tmp_path):
    _, out, _ = trained
    index = build_index(folder, str(out), captioner=None, progress=False)
    tiny(judge, seed=1).save(tmp_path / "other")
    with pytest.raises(GendslError, match="codes of different models do not compare"):
        index.model(str(tmp_path / "other"))


def test_cli_search_and_its_errors(trained, folder, tmp_path, capsys):
    _, out, _ = trained
    assert main(["index", str(folder), "--out", str(tmp_path / "x.index"), "--model", str(out),
                 "--no-captions", "--quiet"]) == 0
    assert main(["search", str(tmp_path / "x.index"), "a red car", "--top", "3"]) == 0
    assert len([line for line in capsys.readouterr().out.splitlines() if line.startswith("  ")]) == 3
    assert main(["search", str(tmp_path / "x.index"), "--image", str(folder / "drawn-1.png"), "--top", "2"]) == 0
    assert "images like" in capsys.readouterr().out
    (tmp_path / "empty").mkdir()
    cases = [
        (["search", str(tmp_path / "x.index")], "give a text query"),
        (["search", str(tmp_path / "x.index"), "  "], "the query is empty"),
        (["search", str(tmp_path / "x.index"), "a zebra on the beach"], "zebra"),
        (["search", str(tmp_path / "missing.index"), "a car"], "no index file"),
        (["search", str(tmp_path / "x.index"), "--image", str(folder / "notes.txt")], "not an image"),
        (["index", str(tmp_path / "empty"), "--out", str(tmp_path / "e.index"), "--model", str(out)],
         "no readable images"),
        (["index", str(tmp_path / "nowhere"), "--out", str(tmp_path / "e.index"), "--model", str(out)], "no file or folder"),
        (["caption", str(folder / "notes.txt"), "--model", str(out)], "not a captioner"),
        (["search", str(tmp_path / "x.index"), "a car", "--model", "hashng"], 'did you mean "hashing"'),
    ]
    for argv, message in cases:
        assert main(argv) == 2, argv
        assert message in capsys.readouterr().err, argv


def test_ranking_metrics_and_report_on_a_tiny_model(trained, dataset, tmp_path):
    perfect = np.eye(4) * 2.0 - 1.0
    assert recall_at(perfect) == {"R@1": 1.0, "R@5": 1.0, "R@10": 1.0}
    assert recall_at(-perfect)["R@1"] == 0.0
    relevant = np.array([[1, 1, 0, 0], [1, 1, 0, 0], [0, 0, 1, 1], [0, 0, 1, 1]], bool)
    assert precision_at(relevant.astype(float), relevant, 1) == 1.0
    model, _, _ = trained
    report = evaluate_hashing(model, tmp_path, gallery=4, data=dataset, progress=False)
    rows = report["methods"]
    assert set(rows) >= {"semantic hashing (Hamming)", "float cosine of the joint embedding"}
    assert all(0.0 <= v <= 1.0 for row in rows.values() for k, v in row.items() if k != "seconds")
    assert (tmp_path / "report.json").is_file() and "t2i_R@1" in (tmp_path / "report.md").read_text()
    assert pack(np.ones((1, 32), bool)).tobytes() == b"\xff" * 4
