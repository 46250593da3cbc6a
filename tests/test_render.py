"""Rendering sketches with the world model: files, metadata, determinism."""
from pathlib import Path

import numpy as np
import pytest

import gendsl
from gendsl.cli import main
from gendsl.render import as_seeds, plan, read_metadata, render_sketch, sketch_seeds

SKETCH_DIR = Path(__file__).resolve().parents[1] / "sketches"
SKETCHES = sorted(SKETCH_DIR.glob("*.sketch"))
SCHOOL_BUS = SKETCH_DIR / "school_bus.sketch"


def test_at_least_five_example_sketches():
    assert len(SKETCHES) >= 5


@pytest.mark.parametrize("path", SKETCHES, ids=lambda p: p.stem)
def test_every_example_sketch_checks_and_renders(path, tmp_path):
    assert main(["check", str(path)]) == 0
    assert main(["render", str(path), "--out", str(tmp_path), "--variations", "2", "--quiet"]) == 0
    sketch = gendsl.load_sketch(path)
    pngs = list(tmp_path.glob("*-[0-9]*.png"))
    assert len(pngs) == 2 * len(sketch.scenes)
    assert len(list(tmp_path.glob("*-grid.png")) + list(tmp_path.glob("*-by-*.png"))) == len(sketch.grids)
    assert len(list(tmp_path.glob("*.gif"))) == len(sketch.morphs)
    assert not list(tmp_path.glob(".*.tmp"))


def test_same_sketch_seed_and_model_give_the_same_bytes(tmp_path):
    path = SCHOOL_BUS
    for out in ("a", "b"):
        assert main(["render", str(path), "--out", str(tmp_path / out), "--quiet"]) == 0
    files = sorted(str(p.relative_to(tmp_path / "a")) for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert files and files == sorted(str(p.relative_to(tmp_path / "b")) for p in (tmp_path / "b").rglob("*")
                                     if p.is_file())
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_png_metadata_is_enough_to_make_the_image_again(tmp_path):
    sketch = gendsl.load_sketch(Path(__file__).resolve().parents[1] / "sketches" / "school_bus.sketch")
    written = render_sketch(sketch, tmp_path, seeds=[7], scene_names=["mix"])
    meta = read_metadata(written[0])
    assert meta["seed"] == 7 and meta["scene_name"] == "mix" and meta["model"] == "cgan"
    assert meta["sketch"] == sketch.source.text and meta["gendsl_version"] == gendsl.__version__
    again = gendsl.parse_sketch(meta["sketch"])
    job, = plan(again, as_seeds([meta["seed"]]), [meta["scene_name"]])
    assert str(job.scene) == meta["scene"]
    image = gendsl.load(meta["model"], size=meta["size"]).generate(gendsl.encode(job.scene), [meta["seed"]])[0]
    from PIL import Image
    assert np.array_equal(np.asarray(Image.open(written[0]).convert("RGB")), image)


def test_a_batch_of_seeds_equals_the_seeds_one_at_a_time():
    model = gendsl.load("world", size=32)
    cond = gendsl.encode(gendsl.compile_scene("two red cars next to a house on the beach"))
    batch = model.generate(cond, [1, 2, 3])
    for i, seed in enumerate([1, 2, 3]):
        assert np.array_equal(batch[i], model.generate(cond, [seed])[0])
    assert not np.array_equal(batch[0], batch[1])


def test_seed_and_variation_overrides():
    sketch = gendsl.parse_sketch('seed 5\nvariations 3\nscene "a": a car\n')
    assert sketch_seeds(sketch).seeds == (5, 6, 7)
    assert sketch_seeds(sketch, seed=100, variations=2).seeds == (100, 101)
    with pytest.raises(gendsl.GendslError, match="variations"):
        sketch_seeds(sketch, variations=0)


def test_render_one_scene_by_name_and_unknown_scene(tmp_path, capsys):
    path = SCHOOL_BUS
    assert main(["render", str(path), "--scene", "classic", "--seed", "7", "--variations", "1",
                 "--out", str(tmp_path), "--quiet"]) == 0
    assert [p.name for p in tmp_path.iterdir()] == ["classic-0007.png"]
    assert main(["render", str(path), "--scene", "clasic", "--out", str(tmp_path / "x")]) == 2
    assert 'did you mean "classic"?' in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_world_model_saves_and_loads(tmp_path):
    model = gendsl.load("world", size=32)
    model.save(tmp_path / "w")
    again = gendsl.load(str(tmp_path / "w"))
    assert again.size == 32 and again.fingerprint() == model.fingerprint()
