"""The playground's glue for issue 14, without a server: messages for a person, notes on unused words,
Vary without a trap, examples that change nothing else, grid and morph lines said to be CLI-only."""
import sys
from pathlib import Path

import pytest

from gendsl import GendslError, SketchError, compile_scene
from gendsl import playground as pg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # app.py lives at the repository root
pytestmark = pytest.mark.filterwarnings("ignore::Warning:gradio.queueing")


def test_an_error_block_reads_for_a_person():
    with pytest.raises(SketchError) as caught:
        compile_scene("a yelow car")
    block = pg.error_block(caught.value)
    assert "<scene>" not in block and ":1:3:" not in block
    assert "^^^^^" in block and 'did you mean "yellow"?' in block


def test_a_sketch_error_names_its_line_never_the_server_path():
    sketch = (ROOT / "sketches" / "school_bus.sketch").read_text() + 'scene "bad": a yelow car\n'
    with pytest.raises(SketchError) as caught:
        pg.sketch_info(sketch, ROOT / "sketches" / "school_bus.sketch", ROOT / "sketches")
    block = pg.error_block(caught.value)
    assert str(ROOT) not in block and "school_bus.sketch" not in block and "line 15: unknown word" in block


def test_other_messages_lose_server_paths_but_keep_the_persons_text():
    assert pg.for_person(GendslError("cannot read /srv/gendsl/sketches/x.sketch: gone")) == \
        "cannot read x.sketch: gone"
    with pytest.raises(SketchError) as caught:
        compile_scene("a yelow car /etc/x")
    assert "a yelow car /etc/x" in pg.for_person(caught.value)  # the line under the caret is as typed


def test_words_the_world_cannot_draw_are_noted_as_the_person_types():
    note = pg.scene_notes("A vintage car on a rainy day.")
    assert '"vintage", "rainy"' in note and "^" in note and "<scene>" not in note
    assert pg.scene_notes("a red car on the beach") == ""
    assert pg.scene_notes("a yelow car") == ""  # a mistake is Render's to show, once


def test_a_render_reports_its_unused_words():
    result = pg.render_scene("a vintage red car", pg.Panel("world", 32, 1))
    assert '"vintage"' in result.warnings


def test_the_gallery_caption_is_the_seed():
    assert pg.caption({"seed": 7, "scene_text": "a red car"}) == "seed 7"
    assert pg.caption({"seed": 7, "variation_seed": 3, "strength": 0.3}) == "seed 7 · var 3 @ 0.30"
    assert pg.caption({"seed": 2, "sketch": "…", "scene_name": "sail"}) == "sail: seed 2"


def test_vary_draws_variations_of_the_image_and_says_the_panel_is_unchanged():
    meta = pg.render_scene("a red car on the road", pg.Panel("cgan", 32, 1, seed=5)).records[0]
    result = pg.vary(meta, variation_seed=9, strength=0.3, count=2)
    assert [m["seed"] for m in result.records] == [5, 5]
    assert [m["variation_seed"] for m in result.records] == [9, 10]
    assert "Variations of seed 5" in result.summary and "unchanged" in result.summary
    with pytest.raises(GendslError, match="click an image first"):
        pg.vary(None)


def test_an_example_loads_only_the_sketch():
    import app

    outputs = app.load_example(ROOT / "sketches" / "harbour.sketch")
    assert len(outputs) == 3  # the editor, its path and the ticked scenes: no model, size, seed or count
    note, model, size, seed, count, mode = app.sketch_settings(outputs[0]["value"], outputs[1])
    assert (model, seed, count) == ("world", 42, 4) and not isinstance(note, str)  # the sketch's note stays


def test_grid_and_morph_lines_are_said_to_be_cli_only():
    sketch = (ROOT / "sketches" / "school_bus.sketch").read_text()
    _, info = pg.sketch_info(sketch, ROOT / "sketches" / "school_bus.sketch", ROOT / "sketches")
    assert "2 grid lines and 1 morph line are drawn by the command line only" in info
    plain = 'scene "a": a red car\n'
    assert "command line only" not in pg.sketch_info(plain, None, ROOT / "sketches")[1]
