"""The playground: its glue functions, and the launched app driven by gradio_client as a script would.

The app runs once per module on a free loopback port; the world model at 32 px keeps every request fast.
"""
import json
import socket
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PIL import Image as PILImage

import gendsl
from gendsl import GendslError, limits
from gendsl import playground as pg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # app.py lives at the repository root
# panel settings after the scene: model, size, count, seed, seed mode, variation seed, strength, upscale, resample
WORLD32 = ("world", 32)
pytestmark = pytest.mark.filterwarnings("ignore::Warning:gradio.queueing")  # gradio's own use of pandas


def settings(count=3, seed=5, seed_mode="increment", variation_seed=None, strength=0.0):
    return (*WORLD32, count, seed, seed_mode, variation_seed, strength, 1, "nearest")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def client():
    gradio_client = pytest.importorskip("gradio_client")
    import app

    demo = app.serve("127.0.0.1", free_port(), prevent_thread_lock=True, quiet=True)
    try:
        yield gradio_client.Client(demo.local_url, verbose=False)
    finally:
        demo.close()


def gallery_meta(gallery) -> list[dict]:
    return [gendsl.read_metadata(item["image"]) for item in gallery]


# ---------------------------------------------------------------- the glue, without a server

def test_importing_app_starts_nothing():
    code = ("import sys, threading; sys.path.insert(0, %r); import app; "
            "assert 'tensorflow' not in sys.modules, 'a model was loaded'; "
            "assert threading.active_count() == 1, threading.enumerate()" % str(ROOT))
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_render_scene_writes_pngs_with_metadata():
    result = pg.render_scene("a red car on the beach", pg.Panel(*settings(count=2, seed=7)))
    assert [m["seed"] for m in result.records] == [7, 8]
    assert [Path(p).suffix for p, _ in result.gallery] == [".png", ".png"]
    assert gendsl.read_metadata(result.files[1])["seed"] == 8
    assert result.gallery[0][1] == "seed 7"  # under the thumbnail: the scene is in the image's details
    assert "seeds 7–8 (increment)" in result.summary


@pytest.mark.parametrize("args, message", [
    (dict(count=pg.MAX_REQUEST_IMAGES + 1), f"from 1 to {pg.MAX_REQUEST_IMAGES}"),
    (dict(seed=-1), "the seed goes from 0"),
    (dict(seed=1.5), "whole number"),
    (dict(seed=None), "the seed is empty"),
    (dict(seed_mode="fixed"), "a fixed seed draws the same image 3 times"),
    (dict(seed_mode="sideways"), 'unknown seed mode "sideways"'),
])
def test_bad_settings_are_refused_with_a_message(args, message):
    with pytest.raises(GendslError, match=message):
        pg.render_scene("a red car", pg.Panel(*settings(**args)))


def test_an_unknown_model_gets_a_suggestion():
    with pytest.raises(GendslError, match='did you mean "world"'):
        pg.render_scene("a red car", pg.Panel("wrld", 32, 1, 0, "increment"))


def test_sketch_info_and_located_errors():
    names, info = pg.sketch_info('title "T"\nscene "a": a red car\nscene "b": a blue boat on the lake\n')
    assert names == ["a", "b"] and "2 scenes" in info and "**T**" in info
    with pytest.raises(GendslError) as error:
        pg.sketch_info('scene "a": a yelow car\n')
    assert ":1:" in str(error.value) and "^^^^^" in str(error.value) and 'did you mean "yellow"' in str(error.value)


def test_sketch_render_reads_wildcards_beside_the_examples():
    text = (ROOT / "sketches" / "traffic.sketch").read_text()  # uses __colors__ from sketches/wildcards
    result = pg.render_sketch(text, ["cars"], "random", pg.Panel(*settings(count=2)), sketches=ROOT / "sketches")
    assert [m["scene_name"] for m in result.records] == ["cars", "cars"]
    assert result.gallery[0][1] == "cars: seed 5"


def test_sketch_render_is_capped_before_drawing():
    text = 'scene "a": a {red | blue | green | pink} car on {the road | the beach}\n'
    with pytest.raises(GendslError, match="would draw 80 images"):
        pg.render_sketch(text, None, "combinatorial", pg.Panel(*settings(count=10)))


def test_models_listed_without_aliases_or_untrained_ones():
    names = [name for _, name in pg.model_choices()]
    assert limits.DEFAULT_MODEL in names and "world" in names
    assert "cgan-world-32" not in names  # an alias of cgan
    assert pg.native_size("world") is None and pg.native_size("cgan") == 32


def test_examples_and_their_settings():
    found = dict(pg.examples(ROOT / "sketches"))
    assert "School buses" in found
    settings_ = pg.settings_of(gendsl.Sketch.from_file(found["School buses"]).ir)
    assert settings_["seed"] == 2026 and settings_["count"] == 8


def test_editor_fields_draw_the_same_image_again():
    image, = pg.render_scene("a {red | blue} boat on the lake", pg.Panel(*settings(count=1, seed=11))).images
    f = pg.editor_fields(image.metadata)
    again, = pg.render_scene(f["scene"], pg.Panel(f["model"], f["size"], f["count"], f["seed"], f["seed_mode"])).images
    assert again.png() == image.png()


def test_outputs_keep_a_bounded_number_of_folders(tmp_path):
    outputs = pg.Outputs(tmp_path)
    outputs.KEEP = 3
    for _ in range(5):
        outputs.folder()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["000002", "000003", "000004"]


# ---------------------------------------------------------------- the launched app, through gradio_client

def test_render_endpoint_returns_pngs_with_seeds_and_metadata(client):
    error, gallery, summary = client.predict("a yellow school bus parked in a parking lot", *settings(),
                                             api_name="/render")
    assert error == "" and len(gallery) == 3
    assert [item["caption"].split(" · ")[0] for item in gallery] == ["seed 5", "seed 6", "seed 7"]
    for item, seed in zip(gallery, (5, 6, 7)):
        data = Path(item["image"]).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"  # served as written, not re-encoded to WebP
        meta = gendsl.read_metadata(data)
        assert meta["seed"] == seed and meta["model"] == "world" and meta["size"] == 32
        assert meta["scene"] == "a yellow school bus in the parking lot"
    assert "3 images" in summary and "seeds 5–7" in summary


def test_bad_scene_returns_the_located_message(client):
    error, *_ = client.predict("a yelow school bus", *settings(), api_name="/render")
    assert 'unknown word "yelow"' in error and 'did you mean "yellow"' in error and "^^^^^" in error
    assert "<scene>:1:3" not in error  # a message for a person (issue 14)
    assert "Traceback" not in error


def test_random_seeds_are_reported_per_image(client):
    _, gallery, _ = client.predict("a red car", *settings(count=3, seed_mode="random"), api_name="/render")
    seeds = [m["seed"] for m in gallery_meta(gallery)]
    assert [item["caption"].split(" · ")[0] for item in gallery] == [f"seed {s}" for s in seeds]


def test_render_sketch_endpoint(client):
    sketch = 'scene "cars": a {red | blue} car on the road\nscene "boat": a boat on the lake at night\n'
    error, gallery, _ = client.predict(sketch, ["boat"], "random", *settings(count=2), api_name="/render_sketch")
    assert error == "" and [m["scene_name"] for m in gallery_meta(gallery)] == ["boat", "boat"]
    assert gallery_meta(gallery)[0]["sketch"] == sketch


def test_morph_endpoint_returns_an_animated_gif(client):
    error, gif, summary, _ = client.predict("a red car on the road", "a blue boat on the lake", 4, 1, 2, *WORLD32,
                                            80, api_name="/morph")
    assert error == "" and "4 frames" in summary
    with PILImage.open(gif) as image:
        assert image.format == "GIF" and image.n_frames == 4


def test_restore_endpoint_makes_the_image_again(client):
    from gradio_client import handle_file

    _, gallery, _ = client.predict("two small red cars next to a house", *settings(count=1, seed=9),
                                   api_name="/render")
    error, image, report, meta = client.predict(handle_file(gallery[0]["image"]), api_name="/restore")
    assert error == "" and "the same pixels" in report
    assert meta["seed"] == 9 and meta["scene_text"] == "two small red cars next to a house"
    assert Path(image).read_bytes() == Path(gallery[0]["image"]).read_bytes()


def test_restore_refuses_a_png_without_metadata(client, tmp_path):
    from gradio_client import handle_file

    PILImage.new("RGB", (8, 8)).save(tmp_path / "plain.png")
    error, *_ = client.predict(handle_file(str(tmp_path / "plain.png")), api_name="/restore")
    assert "holds no gendsl metadata" in error


def test_twenty_concurrent_requests_all_complete(client):
    jobs = [client.submit("a boat on the lake", *settings(count=1, seed=100 + i), api_name="/render")
            for i in range(20)]
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda job: job.result(timeout=120), jobs))
    assert [r[0] for r in results] == [""] * 20
    assert sorted(gallery_meta(r[1])[0]["seed"] for r in results) == list(range(100, 120))


def test_queue_and_concurrency_are_explicit():
    import app

    demo = app.build()
    assert demo._queue.max_size == app.QUEUE_MAX_SIZE
    drawing = {fn.api_name: (fn.concurrency_id, fn.concurrency_limit) for fn in demo.fns.values()
               if fn.api_name in ("render", "render_sketch", "morph", "restore")}
    assert drawing == dict.fromkeys(drawing, ("draw", app.DRAW_CONCURRENCY)) and len(drawing) == 4


def test_api_lists_the_named_endpoints(client):
    info = client.view_api(print_info=False, return_format="dict")
    assert {"/render", "/render_sketch", "/morph", "/restore"} <= set(info["named_endpoints"])
    assert json.dumps(info).count("/select_image") == 0  # page glue stays private
