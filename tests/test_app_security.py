"""The playground opened to other people: the four findings of the hardening review (issue 13).

1. No request and no PNG's metadata names a server path: wildcards come from the server's sketches folder.
2. Restore enforces every limit (upscaling, seeds, image size) before anything is drawn.
3. A sketch whose variables double with each line is refused at once, used or not.
4. Only the models the server lists load; anything else gets one and the same message.
"""
import json
import socket
import sys
import time
from pathlib import Path

import pytest

import fuzz_cases as fc
import gendsl
from gendsl import GendslError
from gendsl import playground as pg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # app.py lives at the repository root
SETTINGS = ("world", 32, 1, 5, "increment", None, 0.0, 1, "nearest")  # model, size, count, seed, … resample
DOUBLING = "".join(f"let v{i} = $v{i + 1} $v{i + 1}\n" for i in range(22)) + 'let v22 = red\nscene "a": a car\n'
pytestmark = pytest.mark.filterwarnings("ignore::Warning:gradio.queueing")


@pytest.fixture(scope="module")
def client():
    gradio_client = pytest.importorskip("gradio_client")
    import app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    demo = app.serve("127.0.0.1", port, prevent_thread_lock=True, quiet=True)
    try:
        yield gradio_client.Client(demo.local_url, verbose=False)
    finally:
        demo.close()


@pytest.fixture
def secret_folder(tmp_path):
    """A server folder a caller must not reach: a wildcard file and a loadable model folder."""
    (tmp_path / "wildcards").mkdir()
    (tmp_path / "wildcards" / "secret.txt").write_text("TOPSECRET line\n")
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "config.json").write_text(json.dumps({"kind": "world", "size": 32}))
    return tmp_path


# ---------------------------------------------------------------- 1. no path from a request or an image

def test_a_sketch_is_read_in_the_servers_folder_whatever_path_is_sent(secret_folder):
    import app

    sketch = 'scene "a": a __secret__ car\n'
    for path in (str(secret_folder / "evil.sketch"), str(secret_folder), "../../etc/x.sketch", "school_bus.sketch"):
        assert pg.sketch_of(sketch, path, app.SKETCHES).ir.source.path.parent == app.SKETCHES
        error, *_ = app.render_sketch(sketch, [], "random", *SETTINGS, path=path)
        # the wildcard is named, never the server's path to it (issue 14)
        assert "TOPSECRET" not in error and "secret.txt" in error and str(app.SKETCHES) not in error


def test_an_images_sketch_path_does_not_reach_the_page(secret_folder):
    import app

    meta = {"sketch": 'scene "a": a __secret__ car\n', "sketch_path": str(secret_folder / "evil.sketch"),
            "scene_name": "a", "scene_text": "a red car", "model": str(secret_folder / "model"), "size": 32,
            "seed": 2 ** 40, "upscale": 250}
    fields = app.fill_editor(meta)
    assert fields[2] is None  # the path state: an untitled sketch in the server's folder
    assert fields[5] == "cgan" and fields[7] == 0  # an unlisted model and a bad seed fall back to defaults
    assert pg.editor_fields(meta)["upscale"] == 1


def test_served_sketch_render_cannot_read_outside_the_sketches_folder(client, secret_folder):
    error, *_ = client.predict('scene "a": a __secret__ car\n', [], "random", *SETTINGS, api_name="/render_sketch")
    assert "no wildcard file" in error and "TOPSECRET" not in error and "wildcards" in error
    assert str(secret_folder) not in error and "/" not in error.split("```text")[1].split("\n")[1]  # no path


# ---------------------------------------------------------------- 2. restore enforces every limit

@pytest.mark.parametrize("edit, message", [
    ({"upscale": 250}, "upscaling goes from 1 to 8"), ({"upscale": "x"}, "upscaling goes from 1 to 8"),
    ({"seed": 2 ** 40}, "out of range"), ({"seed": "7"}, "whole number"), ({"seed": True}, "whole number"),
    ({"strength": 5, "variation_seed": 1}, "from 0 to 1"), ({"size": 100000}, "size must be one of"),
])
def test_served_restore_refuses_edited_metadata_before_drawing(client, tmp_path, edit, message):
    from gradio_client import handle_file

    meta = gendsl.read_metadata(fc.world_png(tmp_path))
    png = fc.png_with_text(tmp_path / "edited.png", 32, 32, json.dumps({**meta, **edit}))
    started = time.perf_counter()
    error, image, report, _ = client.predict(handle_file(str(png)), api_name="/restore")
    assert image is None and message in report and "Traceback" not in report
    assert time.perf_counter() - started < 30


def test_served_restore_refuses_a_decompression_bomb(client, tmp_path):
    from gradio_client import handle_file

    meta = gendsl.read_metadata(fc.world_png(tmp_path))
    bomb = fc.png_with_text(tmp_path / "bomb.png", 20_000, 20_000, json.dumps(meta))
    error, image, *_ = client.predict(handle_file(str(bomb)), api_name="/restore")
    assert "too large" in error and image is None


# ---------------------------------------------------------------- 3. the doubling let chain

def test_served_doubling_variables_are_refused_fast(client):
    started = time.perf_counter()
    error, *_ = client.predict(DOUBLING, [], "random", *SETTINGS, api_name="/render_sketch")
    assert "can expand to more than" in error
    assert time.perf_counter() - started < 10  # it took minutes before (time doubled with each line)


# ---------------------------------------------------------------- 4. only listed models

def test_only_listed_models_load_with_one_message_for_the_rest(secret_folder):
    refusals = set()
    for name in (str(secret_folder / "model"), str(secret_folder / "nowhere"), "/etc", "/dev/zero", ["world"]):
        with pytest.raises(GendslError) as caught:
            pg.load_model(name, 32)
        refusals.add(str(caught.value))
    assert len(refusals) == 1 and "draws with the models it lists" in refusals.pop()
    assert pg.native_size(str(secret_folder / "model")) is None  # not even its config is read
    assert pg.load_model("world", 32).size == 32


def test_served_render_refuses_a_model_folder(client, secret_folder):
    answers = {client.predict("a red car", str(path), *SETTINGS[1:], api_name="/render")[0]
               for path in (secret_folder / "model", secret_folder / "nowhere")}
    assert len(answers) == 1 and "draws with the models it lists" in answers.pop()


def test_served_restore_loads_only_listed_models(client, secret_folder, tmp_path):
    from gradio_client import handle_file

    meta = gendsl.read_metadata(fc.world_png(tmp_path))
    png = fc.png_with_text(tmp_path / "elsewhere.png", 32, 32,
                           json.dumps({**meta, "model": str(secret_folder / "model")}))
    error, image, report, _ = client.predict(handle_file(str(png)), api_name="/restore")
    assert image is None and "draws with the models it lists" in report


def test_out_of_range_widget_values_get_the_message_not_a_gradio_error(client):
    """Gradio would refuse these itself, with a traceback in the server log; gendsl says what is wanted."""
    error, *_ = client.predict("a red car", "world", 32, 1, -5, "increment", None, 0.0, 1, "nearest",
                               api_name="/render")
    assert "the seed goes from 0" in error
    error, *_ = client.predict("a red car", "world", 32, 1, 5, "sideways", None, 0.0, 9, "nearest",
                               api_name="/render")
    assert 'unknown seed mode "sideways"' in error
    error, *_ = client.predict("a red car", "world", 32, 1, 5, "increment", None, 0.0, 9, "lanczos",
                               api_name="/render")
    assert "upscaling goes from 1 to 8" in error or "resampling" in error
