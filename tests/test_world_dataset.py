"""The scene sampler and the world dataset builder: shapes, held-out splits, same bytes, atomic writes."""
import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from gendsl.worlds.scene.compiler import compile_scene_text
from gendsl.worlds.scene.encode import DIM, encode
from gendsl.lang.errors import GendslError
from gendsl.worlds.scene.ir import canonical
from gendsl.worlds.scene import dataset
from gendsl.worlds.scene.dataset import build_dataset, load_split
from gendsl.worlds.scene.sample import HELD_OUT, is_held_out, sample_held_out_scene, sample_scene


# ---------------------------------------------------------------- sampler

def test_sampler_is_deterministic_canonical_and_roughly_as_documented():
    scenes = [sample_scene(np.random.default_rng(seed)) for seed in range(2000)]
    assert scenes[:50] == [sample_scene(np.random.default_rng(seed)) for seed in range(50)]
    assert all(canonical(s) == s for s in scenes)
    items = np.bincount([len(s.items) for s in scenes], minlength=4)[1:] / len(scenes)
    assert abs(items[0] - 0.55) < 0.05 and abs(items[1] - 0.35) < 0.05 and abs(items[2] - 0.10) < 0.03
    assert abs(np.mean([s.place is not None for s in scenes]) - 0.9) < 0.03
    assert abs(np.mean([s.time is not None for s in scenes]) - 0.85) < 0.03
    singles = [s.items[0] for s in scenes if len(s.items) == 1]
    assert abs(np.mean([it.position is not None for it in singles]) - 0.3) < 0.05
    assert all(it.position is None for s in scenes if len(s.items) > 1 for it in s.items)
    assert {it.object for s in scenes for it in s.items} == set(dataset.vocab.OBJECT.values)


def test_held_out_pairs():
    assert is_held_out(compile_scene_text("a red stop sign in the blue sky"))
    assert is_held_out(compile_scene_text("a car next to a school bus on the beach at night"))
    assert not is_held_out(compile_scene_text("a school bus on the road"))
    assert not is_held_out(compile_scene_text("a boat"))
    for seed in range(50):
        assert is_held_out(sample_held_out_scene(np.random.default_rng(seed)))


# ---------------------------------------------------------------- dataset

N, SIZE = 40, 32


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("datasets")
    manifest = build_dataset(root / "a", N, SIZE, seed=3, progress=False)
    return root, manifest


def test_dataset_has_the_right_shapes_and_records(built):
    root, manifest = built
    assert json.loads((root / "a" / "manifest.json").read_text()) == manifest
    counts = manifest["n"]
    assert counts["train"] + counts["test"] == N and counts["test"] == 4 and counts["heldout"] >= 4
    assert manifest["size"] == SIZE and manifest["cond_dim"] == DIM
    assert manifest["held_out"] == [list(p) for p in HELD_OUT]
    for split in ("train", "test", "heldout"):
        images, cond, records = load_split(root / "a", split)
        n = counts[split]
        assert images.shape == (n, SIZE, SIZE, 3) and images.dtype == np.uint8
        assert cond.shape == (n, DIM) and cond.dtype == np.float32
        assert [r["index"] for r in records] == list(range(n))
        for record, vector in zip(records, cond):
            scene = compile_scene_text(record["scene"])
            assert np.array_equal(encode(scene), vector)
            assert all(compile_scene_text(c) == scene for c in record["captions"])
            assert is_held_out(scene) == (split == "heldout")
        assert images.std() > 0  # something was drawn


def test_same_arguments_same_bytes_with_any_workers_and_no_leftovers(built, tmp_path):
    root, _ = built
    build_dataset(tmp_path / "b", N, SIZE, seed=3, progress=False, workers=2)
    assert digest(tmp_path / "b") == digest(root / "a")
    build_dataset(tmp_path / "c", N, SIZE, seed=4, progress=False)
    assert digest(tmp_path / "c") != digest(root / "a")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b", "c"]  # no temporary folders left


def test_refuses_to_overwrite_unless_asked(tmp_path):
    out = tmp_path / "d"
    build_dataset(out, 5, SIZE, progress=False)
    before = digest(out)
    with pytest.raises(GendslError, match="already exists"):
        build_dataset(out, 6, SIZE, progress=False)
    assert digest(out) == before
    manifest = build_dataset(out, 6, SIZE, progress=False, overwrite=True)
    assert manifest["n"]["train"] + manifest["n"]["test"] == 6
    assert json.loads((out / "manifest.json").read_text()) == manifest
    assert [p.name for p in tmp_path.iterdir()] == ["d"]


def test_a_failed_build_leaves_nothing_behind(tmp_path, monkeypatch):
    calls = []

    def broken(scene, seed, size):
        calls.append(1)
        if len(calls) > 3:
            raise RuntimeError("killed")
        return np.zeros((size, size, 3), np.uint8)

    monkeypatch.setattr(dataset, "render_scene", broken)
    with pytest.raises(RuntimeError, match="killed"):
        build_dataset(tmp_path / "e", 10, SIZE, progress=False)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("kwargs, message", [
    (dict(n=1_000_001), "1,000,000"), (dict(n=0), "1 to"), (dict(size=48), "size"),
    (dict(test_fraction=1.0), "test_fraction"), (dict(seed=-1), "seed"), (dict(workers=0), "workers"),
])
def test_bad_arguments_get_clear_errors(tmp_path, kwargs, message):
    args = dict(out_dir=tmp_path / "f", n=10, size=SIZE, progress=False) | kwargs
    with pytest.raises(GendslError, match=message):
        build_dataset(**args)
    assert not (tmp_path / "f").exists()


def test_load_split_names_what_is_wrong(built, tmp_path):
    root, _ = built
    with pytest.raises(GendslError, match="splits are"):
        load_split(root / "a", "validation")
    with pytest.raises(GendslError, match="not a built world dataset"):
        load_split(tmp_path, "train")


def test_cli_builds_a_dataset_and_rejects_a_bad_size(tmp_path, capsys):
    from gendsl.cli import main
    assert main(["data", "world", "--n", "20", "--size", "32", "--out", str(tmp_path / "d"), "--quiet"]) == 0
    assert "train 18, test 2" in capsys.readouterr().out
    assert main(["data", "world", "--n", "20", "--size", "7", "--out", str(tmp_path / "e")]) == 2
    assert "size must be one of" in capsys.readouterr().err
