"""Training on a folder of the user's own images with a captions file."""
import numpy as np
import pytest
from PIL import Image

from gendsl import SketchError
from gendsl.cli import main
from gendsl.data.folder import FolderTrainData


def make_folder(path, captions: str, count: int = 4):
    path.mkdir()
    rng = np.random.default_rng(0)
    for i in range(count):
        Image.fromarray(rng.integers(0, 255, (40, 50, 3), dtype=np.uint8)).save(path / f"img{i}.png")
    (path / "captions.txt").write_text(captions)
    return path


def test_folder_loads_crops_and_encodes(tmp_path):
    folder = make_folder(tmp_path / "mine", "".join(f"img{i}.png\ta red car on the road\n" for i in range(4)))
    data = FolderTrainData(folder, 32, "flat")
    batch = data.batch(np.array([0, 2]))
    assert batch["image"].shape == (2, 32, 32, 3) and batch["cond"].shape == (2, 120)
    assert -1.0 <= batch["image"].min() and batch["image"].max() <= 1.0


def test_caption_typo_points_at_its_line(tmp_path):
    folder = make_folder(tmp_path / "mine", "img0.png\ta red car\nimg1.png\ta yelow car\n")
    with pytest.raises(SketchError) as caught:
        FolderTrainData(folder, 32, "flat")
    assert caught.value.line == 2 and 'did you mean "yellow"?' in str(caught.value)


def test_missing_image_or_captions(tmp_path, capsys):
    folder = make_folder(tmp_path / "mine", "nope.png\ta red car\n")
    with pytest.raises(SketchError, match="no image file"):
        FolderTrainData(folder, 32, "flat")
    (folder / "captions.txt").unlink()
    assert main(["train", "cgan", "--data", str(folder), "--out", str(tmp_path / "r")]) == 2
    assert "no manifest.json" in capsys.readouterr().err


def test_cli_trains_a_tiny_model_on_a_folder(tmp_path):
    folder = make_folder(tmp_path / "mine", "".join(f"img{i}.png\ta blue boat on the lake\n" for i in range(4)))
    assert main(["train", "cvae", "--data", str(folder), "--out", str(tmp_path / "run"), "--steps", "2",
                 "--batch", "2", "--width", "8", "--conditioning", "flat", "--quiet"]) == 0
    assert (tmp_path / "run" / "generator.weights.h5").is_file()
