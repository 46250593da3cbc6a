"""The playground's "Caption" tab: its plain function, and its endpoint driven by gradio_client."""
from pathlib import Path

import pytest
from PIL import Image as PILImage

import gendsl
from gendsl import GendslError
from gendsl import playground_caption as pcap

pytestmark = pytest.mark.filterwarnings("ignore::Warning:gradio.queueing")


@pytest.fixture(scope="module")
def picture(tmp_path_factory):
    image, = gendsl.generate("a yellow school bus in the parking lot by day", [3], model="world", size=64)
    return image.save(tmp_path_factory.mktemp("caption") / "bus.png")


def test_a_world_render_is_captioned_in_words_the_language_parses(picture):
    best, phrasings, scene = pcap.caption_image(picture, seed=2)
    assert "school bus" in scene and "parking lot" in scene
    assert gendsl.compile_scene(best) == gendsl.compile_scene(scene)
    assert len(phrasings) == pcap.PHRASINGS
    assert pcap.caption_image(picture, seed=2)[1] == phrasings  # the same seed, the same words


def test_any_picture_is_cropped_and_read_at_32_px(tmp_path):
    wide = tmp_path / "wide.png"
    PILImage.new("RGB", (90, 40), (200, 30, 30)).save(wide)
    assert pcap.as_input(wide).shape == (1, 32, 32, 3)


@pytest.mark.parametrize("path, seed, message", [(None, 0, "drop a picture"), ("nothing.png", 0, "cannot read"),
                                                  ("x", -1, "the seed goes from 0")])
def test_bad_requests_are_refused_with_a_message(path, seed, message, tmp_path):
    with pytest.raises(GendslError, match=message):
        pcap.caption_image(path and str(tmp_path / path), seed)


def test_the_tab_answers_gradio_client(picture, app_client):
    import app
    from gradio_client import handle_file

    assert pcap.available() and app.caption_tab in app.EXTRA_TABS
    error, best, others, scene = app_client.predict(handle_file(str(picture)), 0, api_name="/caption")
    assert not error and "school bus" in scene and best.startswith("### ")
    error, *_ = app_client.predict(None, 0, api_name="/caption")
    assert "drop a picture" in error
