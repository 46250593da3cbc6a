"""The playground in a real browser: Playwright's Python package driving Debian's /usr/bin/chromium.

`.ci/run` installs chromium with apt-get, so in CI (CI=true) a missing browser fails this file;
on a developer's machine without it, the tests skip and say how to get it.
Screenshots are saved under each test's tmp_path (pytest prints where on failure).
"""
import os
import re
import shutil
import socket
import sys
from pathlib import Path

import pytest

import gendsl

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
TIMEOUT_MS = 60_000  # the first render on a busy 2-core machine
pytestmark = pytest.mark.filterwarnings("ignore::Warning:gradio.queueing")  # gradio's own use of pandas


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return 'the playwright package is missing: pip install -e ".[test]"'
    if not Path(CHROMIUM).exists():
        return f"no browser at {CHROMIUM}: apt-get install -y chromium"
    return None


@pytest.fixture(scope="module")
def url():
    missing = _missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"the browser test must run in CI, but {missing}")
        pytest.skip(missing)
    sys.path.insert(0, str(ROOT))
    import app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    demo = app.serve("127.0.0.1", port, prevent_thread_lock=True, quiet=True)
    try:
        yield demo.local_url
    finally:
        demo.close()


@pytest.fixture(scope="module")
def browser(url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield browser
        browser.close()


def _open(browser, url, tmp_path, width: int, height: int):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url)
    page.locator("#scene textarea").wait_for()  # the app has rendered, not just its loading screen
    yield page
    page.close()
    if os.environ.get("GENDSL_SCREENSHOTS"):  # for a person to look at: GENDSL_SCREENSHOTS=folder
        for shot in tmp_path.glob("*.png"):
            shutil.copy(shot, Path(os.environ["GENDSL_SCREENSHOTS"]) / shot.name)


@pytest.fixture
def page(browser, url, tmp_path):
    yield from _open(browser, url, tmp_path, 1400, 1000)


@pytest.fixture
def phone(browser, url, tmp_path):
    yield from _open(browser, url, tmp_path, 390, 844)


def choose_world_32(page):
    page.locator("#model input").click()
    page.get_by_role("option", name=re.compile(r"^world")).click()
    page.locator("#size").get_by_text("32", exact=True).click()


def test_type_a_scene_render_and_see_the_images(page, tmp_path):
    choose_world_32(page)
    page.locator("#scene textarea").fill("a herd of elephants flying in blue skies")
    page.locator("#render").click()
    images = page.locator("#gallery img")
    images.nth(3).wait_for()  # the default is four images
    assert images.count() == 4
    page.locator("#summary").get_by_text("4 images").wait_for()
    page.screenshot(path=tmp_path / "rendered.png", full_page=True)
    # each image says the seed it was drawn from
    assert "seed 0" in page.locator("#gallery").inner_text() and "seed 3" in page.locator("#gallery").inner_text()

    images.first.click()  # select: its parameters, and the real PNG to download
    page.locator("#details").get_by_text("canonical scene").wait_for()
    assert "many elephants in the blue sky" in page.locator("#details").inner_text()
    with page.expect_download() as download:
        page.locator("#download").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.suffix == ".png" and gendsl.read_metadata(saved)["seed"] == 0
    page.screenshot(path=tmp_path / "selected.png", full_page=True)


def test_a_mistake_is_shown_inline_with_its_caret(page, tmp_path):
    choose_world_32(page)
    page.locator("#scene textarea").fill("a yelow school bus")
    page.locator("#render").click()
    error = page.locator("#error")
    error.get_by_text("did you mean", exact=False).wait_for()
    assert "^^^^^" in error.inner_text() and "Traceback" not in page.content()
    page.screenshot(path=tmp_path / "error.png", full_page=True)


def test_an_example_sketch_is_one_click_away(page, tmp_path):
    page.get_by_role("tab", name="Sketch").click()
    page.get_by_role("button", name="Harbour").click()
    page.locator("#sketch").get_by_text('title "Harbour"').wait_for()
    choose_world_32(page)
    page.locator("#count input[type=number]").fill("1")
    page.locator("#render-sketch").click()
    page.locator("#gallery img").nth(2).wait_for()  # the harbour's three scenes, one image each
    assert "sail:" in page.locator("#gallery").inner_text()
    page.screenshot(path=tmp_path / "sketch.png", full_page=True)


def test_dropping_a_png_puts_its_settings_back_in_the_editor(page, tmp_path):
    image, = gendsl.generate("a {red | blue} boat on the lake", seeds=[42], model="world", size=32)
    dropped = image.save(tmp_path / "dropped.png")
    page.get_by_role("tab", name="Restore").click()
    page.locator("#restore-drop input[type=file]").set_input_files(dropped)
    page.get_by_text("the same pixels").wait_for()
    page.screenshot(path=tmp_path / "restore.png", full_page=True)
    page.get_by_role("button", name="Open in the Generate tab").click()
    assert page.locator("#scene textarea").input_value() == image.metadata["scene_text"]
    assert page.locator("#seed input").input_value() == "42"
    assert page.locator("#model input").input_value().startswith("world")


# ---------------------------------------------------------------- issue 14: a page that fits people

def render(page, scene: str, count: int | None = None):
    if count is not None:
        page.locator("#count input[type=number]").fill(str(count))
    page.locator("#scene textarea").fill(scene)
    page.locator("#render").click()


def test_the_seed_is_shown_under_each_thumbnail_never_over_it(page, tmp_path):
    choose_world_32(page)
    render(page, "A yellow school bus parked in a parking lot.")
    page.locator("#gallery img").nth(3).wait_for()
    page.locator("#summary").get_by_text("4 images").wait_for()
    page.screenshot(path=tmp_path / "desk-badges.png")
    for i in range(4):
        item = page.locator("#gallery .thumbnail-item").nth(i)
        image, label = item.locator("img").bounding_box(), item.locator(".caption-label").bounding_box()
        assert label["y"] >= image["y"] + image["height"] - 1, "the seed label covers the picture"
        assert item.locator(".caption-label").inner_text() == f"seed {i}"


def test_vary_leaves_no_trap_for_the_next_scene(page, tmp_path):
    render(page, "a red car on the road", count=2)  # the default model, cgan: it has noise to vary
    page.locator("#gallery img").nth(1).wait_for()
    page.locator("#gallery img").first.click()
    page.locator("#vary").click()
    page.locator("#summary").get_by_text("Variations of seed 0").wait_for()
    assert "var 1 @ 0.30" in page.locator("#gallery").inner_text()
    # the panel is as the person left it: increment, no variation
    assert page.locator("#seed input").input_value() == "0"
    assert page.get_by_role("radio", name="increment").is_checked()
    render(page, "a blue boat on the lake")
    page.locator("#summary").get_by_text("seeds 0–1 (increment)").wait_for()
    shown = page.locator("#gallery").inner_text()
    assert "seed 0" in shown and "seed 1" in shown and "var" not in shown
    page.screenshot(path=tmp_path / "desk-after-vary.png")


def test_an_example_sketch_does_not_change_the_pages_settings(page, tmp_path):
    choose_world_32(page)
    page.locator("#seed input").fill("7")
    page.locator("#count input[type=number]").fill("1")
    page.get_by_role("tab", name="Sketch").click()
    page.get_by_role("button", name="Harbour").click()
    page.locator("#sketch").get_by_text('title "Harbour"').wait_for()
    page.wait_for_timeout(500)  # any change the click would make has landed
    assert page.locator("#model input").input_value().startswith("world")
    assert page.locator("#seed input").input_value() == "7"
    assert page.locator("#count input[type=number]").input_value() == "1"
    page.get_by_role("button", name="Use the sketch's settings").click()  # one click, when asked
    page.wait_for_function("document.querySelector('#seed input').value === '42'")  # the harbour's seed
    assert "drawn by the command line only" in page.locator("#sketch-info").inner_text()  # its morph line
    assert page.locator("#count input[type=number]").input_value() == "4"
    page.screenshot(path=tmp_path / "desk-example.png")


def test_a_sketch_error_reads_for_a_person_once_without_a_server_path(page, tmp_path):
    page.get_by_role("tab", name="Sketch").click()
    page.locator("#sketch .cm-content").click()
    page.keyboard.press("Control+End")
    page.keyboard.type('\nscene "bad": a yelow car')
    page.locator("#render-sketch").click()
    error = page.locator("#error")
    error.get_by_text("did you mean").wait_for()
    text = error.inner_text()
    assert "^^^^^" in text and 'did you mean "yellow"' in text and "line 15:" in text
    assert str(ROOT) not in page.content() and "school_bus.sketch:" not in text and "<scene>" not in text
    assert page.get_by_text('did you mean "yellow"').count() == 1  # shown once, not also under the editor
    page.screenshot(path=tmp_path / "desk-sketch-error.png", full_page=True)


def test_a_phone_sees_its_results_two_columns_every_tab_and_the_model(phone, tmp_path):
    page = phone
    tabs = page.locator(".tab-wrapper").first.locator("[role=tablist] button, .overflow-dropdown button")
    for name in ("Generate", "Morph", "Restore", "Caption", "Search"):  # none behind "…"
        tab = tabs.filter(has_text=re.compile(f"^{name}$"))
        box = tab.bounding_box()
        assert tab.is_visible() and box["width"] > 20 and box["x"] + box["width"] <= 390, name
    model = page.locator("#model input")
    assert model.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), "the model's name is cut off"
    page.screenshot(path=tmp_path / "phone-top.png")
    choose_world_32(page)
    assert model.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), "the world's name is cut off"
    render(page, "a herd of elephants in a grassy field")
    page.locator("#gallery img").nth(3).wait_for()
    page.wait_for_function("window.scrollY > 300")  # the page went to the results
    box = page.locator("#gallery").bounding_box()
    assert 0 <= box["y"] < 844, box
    first, second, third = (page.locator("#gallery .thumbnail-item").nth(i).bounding_box() for i in range(3))
    assert first["y"] == second["y"] < third["y"] and second["x"] + second["width"] <= 390  # two columns
    page.screenshot(path=tmp_path / "phone-rendered.png")
