"""The playground's "Search" tab: its plain function over a folder of renders, and its endpoint."""
from pathlib import Path

import pytest

import gendsl
from gendsl import GendslError
from gendsl import playground_search as ps

pytestmark = pytest.mark.filterwarnings("ignore::Warning:gradio.queueing")


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("renders")
    for scene in ("a red car on the beach", "a green tree in a snowy field at night", "a blue boat on the lake"):
        for image in gendsl.generate(scene, [1, 2], model="world", size=32):
            image.save(out / f"{scene.replace(' ', '-')}-{image.seed}.png")
    return out


def test_a_text_finds_the_images_of_its_scene_first(folder):
    hits, line = ps.search_folder(folder, "a blue boat on a lake", top=2)
    assert len(hits) == 2 and all("boat" in Path(path).name for path, _ in hits)
    assert "of 6 images" in line and "distance" in hits[0][1]


def test_bad_queries_get_a_message(folder, tmp_path):
    with pytest.raises(GendslError, match="type what to look for"):
        ps.search_folder(folder, "  ")
    with pytest.raises(GendslError, match='did you mean "boat"'):
        ps.search_folder(folder, "a blue boaat")
    with pytest.raises(GendslError, match="nothing to search yet"):
        ps.search_folder(tmp_path, "a car")


def test_the_tab_answers_gradio_client(app_client):
    import app

    assert ps.available() and app.search_tab in app.EXTRA_TABS
    app_client.predict("a red car on the beach", "world", 32, 2, 5, "increment", 0, 0, 1, "nearest",
                       api_name="/render")
    error, hits, line = app_client.predict("a red car on the beach", 4, api_name="/search")
    assert not error and len(hits) >= 2 and "distance" in hits[0]["caption"]
    error, *_ = app_client.predict("", 4, api_name="/search")
    assert "type what to look for" in error


def test_each_picture_is_found_once_though_the_page_kept_two_copies(tmp_path):
    """The page keeps a copy per request that drew an image (Render, then Vary or Render again)."""
    for request in ("000001", "000002"):
        (tmp_path / request).mkdir()
        for image in gendsl.generate("a blue boat on the lake", [1, 2], model="world", size=32):
            image.save(tmp_path / request / f"boat-{image.seed}.png")
    hits, line = ps.search_folder(tmp_path, "a blue boat on a lake", top=4)
    names = [Path(path).name for path, _ in hits]
    assert sorted(names) == ["boat-1.png", "boat-2.png"] and "of 4 images" in line
