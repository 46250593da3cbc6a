"""The playground's "Classic models" tab: its plain function, and its endpoint driven by gradio_client."""
from pathlib import Path

import numpy as np
import pytest
from PIL import Image as PILImage

from gendsl import GendslError
from gendsl import playground_classic as pc

pytestmark = pytest.mark.filterwarnings("ignore::Warning:gradio.queueing")
SCENE = "the digit 3 is at the top of the digit 9"


def test_gibbs_chain_is_seeded_and_animated():
    gif, png, line = pc.gibbs_chain(SCENE, seed=4, steps=20)
    again, png_again, _ = pc.gibbs_chain(SCENE, seed=4, steps=20)
    with PILImage.open(gif) as image:
        assert image.n_frames == 21 and image.size == (192, 192)  # the start, then every sweep (20 // 40 -> 1)
    assert np.array_equal(np.asarray(PILImage.open(png)), np.asarray(PILImage.open(png_again)))
    other, _, _ = pc.gibbs_chain(SCENE, seed=5, steps=20)
    assert Path(other).read_bytes() != Path(gif).read_bytes()
    assert "20 sweeps" in line and "the digit 3 is at the top of the digit 9" in line


@pytest.mark.parametrize("scene, seed, steps, message", [
    (SCENE, 0, pc.MAX_STEPS + 1, "Gibbs sweeps goes from 1"),
    (SCENE, -1, 10, "the seed goes from 0"),
    ("the digit 3 is at the tpo", 0, 10, "unknown word"),
    ("", 0, 10, "empty"),
])
def test_bad_requests_are_refused_with_a_message(scene, seed, steps, message):
    with pytest.raises(GendslError, match=message):
        pc.gibbs_chain(scene, seed, steps)


def test_sparse_atoms_ship_with_their_card():
    path = pc.sparse_atoms()
    assert path is not None and (path.parent / "README.md").is_file()
    with PILImage.open(path) as image:
        assert image.size[0] > 144 and image.mode in ("L", "RGB")


def test_the_tab_answers_gradio_client(app_client):
    import app

    assert pc.available() and app.classic_tab in app.EXTRA_TABS
    error, gif, png, line = app_client.predict(SCENE, 2, 10, api_name="/gibbs")
    assert error == "" and Path(gif).suffix == ".gif" and "10 sweeps" in line
    with PILImage.open(png) as image:
        assert image.size == (192 * 2 + 8, 192)
    error, *_ = app_client.predict("the digit 3 is at the tpo", 2, 10, api_name="/gibbs")
    assert "unknown word" in error
