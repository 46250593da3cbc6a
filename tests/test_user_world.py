"""A user's own world: a folder of pictures, captions.txt and world.toml (examples/shapes) trains a cGAN and a
cVAE from the CLI; a sketch in its words renders with them; a typo gets a did-you-mean from its words, and a
word of another world is an error naming it. Tiny networks, two steps: the plumbing, not the pictures."""
import json
import shutil
from pathlib import Path

import pytest

from gendsl import worlds
from gendsl.cli import main
from gendsl.data.folder import FolderTrainData
from gendsl.lang.errors import GendslError, SketchError

SHAPES = Path(__file__).resolve().parents[1] / "examples" / "shapes"
TINY = ["--steps", "2", "--batch", "8", "--width", "8", "--quiet"]
TINY_CGAN = [*TINY, "--set", "disc_width=8", "--set", "encoder_width=8", "--set", "z_dim=4"]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("mine")
    assert main(["train", "cgan", "--data", str(SHAPES), "--out", str(root / "my-cgan"), *TINY_CGAN]) == 0
    assert main(["train", "cvae", "--data", str(SHAPES), "--out", str(root / "my-cvae"), *TINY, "--set", "z_dim=4"]) == 0
    return root  # sketches name the models relative to it: `use my-cgan`


def test_the_example_folder_is_small_and_its_captions_speak_its_words():
    assert sum(p.stat().st_size for p in SHAPES.iterdir()) < 300_000
    world = worlds.from_folder(SHAPES)
    data = FolderTrainData(SHAPES, 32, "flat")
    assert data.world.name == "shapes" and data.cond.shape == (96, world.dim) == (96, 8)
    assert str(world.compile("the little crimson ring")) == "a small red circle"


def test_a_saved_model_carries_its_words(trained):
    for kind in ("cgan", "cvae"):
        config = json.loads((trained / f"my-{kind}" / "config.json").read_text())
        assert config["world"]["world"] == "shapes"
        assert config["world"]["words"]["object"]["circle"] == ["ring", "disc"]
        assert config["config"]["conditioning"] == "flat"  # a words world has no layout


def test_sketches_in_the_models_words_render_and_restore(trained, monkeypatch, capsys):
    monkeypatch.chdir(trained)
    for kind in ("cgan", "cvae"):
        sketch = trained / f"{kind}.sketch"
        sketch.write_text(f'use my-{kind}\nseed 3\nvariations 2\nscene "a": a {{red | blue}} ring\n'
                          'scene "b": the little box is green\n')
        assert main(["check", str(sketch)]) == 0
        assert main(["render", str(sketch), "--out", f"out-{kind}", "--quiet"]) == 0
        assert sorted(p.name for p in Path(f"out-{kind}").glob("*.png")) == [
            "a-0003.png", "a-0004.png", "b-0003.png", "b-0004.png"]
        capsys.readouterr()
        assert main(["restore", f"out-{kind}/b-0003.png", "--out", f"again-{kind}"]) == 0
        assert "identical" in capsys.readouterr().out


def test_a_typo_gets_a_did_you_mean_from_the_worlds_words(trained, monkeypatch, capsys):
    monkeypatch.chdir(trained)
    sketch = trained / "typo.sketch"
    sketch.write_text('use my-cgan\nscene "a": a red cirle\n')
    assert main(["check", str(sketch)]) == 2
    err = capsys.readouterr().err
    assert "typo.sketch:2:18" in err and 'did you mean "circle"?' in err and "^^^^^" in err
    assert "Traceback" not in err


def test_a_word_the_models_world_cannot_say_is_an_error_naming_it(trained, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(trained)
    sketch = trained / "car.sketch"
    sketch.write_text('use my-cgan\nscene "a": a red car\n')
    assert main(["render", str(sketch), "--out", str(tmp_path / "o")]) == 2
    assert 'unknown word "car" in the shapes world' in capsys.readouterr().err
    assert not (tmp_path / "o").exists() or not list((tmp_path / "o").glob("*.png"))


def test_a_caption_typo_points_at_its_line_with_the_folders_words(tmp_path):
    folder = tmp_path / "shapes"
    shutil.copytree(SHAPES, folder)
    lines = (folder / "captions.txt").read_text().splitlines()
    lines[2] = lines[2].split("\t")[0] + "\ta big trinagle"
    (folder / "captions.txt").write_text("\n".join(lines) + "\n")
    with pytest.raises(SketchError) as caught:
        FolderTrainData(folder, 32, "flat")
    assert caught.value.line == 3 and 'did you mean "triangle"?' in str(caught.value)


@pytest.mark.parametrize("toml, message", [
    ('name = "x"\n', "names no kinds"),
    ('name = "x"\n[object]\ncircle = ["ring"]\n[shape]\nring = []\n', '"ring" means two things'),
    ('name = "X Y"\n[object]\ncircle = []\n', "name the world"),
    ('name = "x"\n[object]\ncircle = "ring"\n', "should list its synonyms"),
    ('name = "x"\n[object\n', "world.toml"),
])
def test_a_bad_world_toml_is_a_clear_error(tmp_path, toml, message):
    (tmp_path / "world.toml").write_text(toml)
    with pytest.raises(GendslError, match=message):
        worlds.from_folder(tmp_path)


def test_gendsl_worlds_lists_the_worlds_and_their_words(capsys):
    assert main(["worlds"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("scene (") and "\ndigits (" in out and "school bus" in out and "top left" in out
    assert main(["worlds", str(SHAPES)]) == 0
    assert "object: circle (disc, ring), square (box), triangle" in capsys.readouterr().out
