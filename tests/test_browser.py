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


@pytest.fixture
def page(browser, url, tmp_path):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url)
    page.locator("#scene textarea").wait_for()  # the app has rendered, not just its loading screen
    yield page
    page.close()
    if os.environ.get("GENDSL_SCREENSHOTS"):  # for a person to look at: GENDSL_SCREENSHOTS=folder
        for shot in tmp_path.glob("*.png"):
            shutil.copy(shot, Path(os.environ["GENDSL_SCREENSHOTS"]) / shot.name)


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
