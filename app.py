"""The gendsl playground: type a scene, watch seeded variations appear.

    python app.py                        # http://127.0.0.1:7860
    python app.py --port 7861 --host 0.0.0.0

Thin on purpose: widgets wired to plain functions in gendsl/playground.py.
Importing this file builds nothing and starts nothing; models load on first use.
Scripts call the named endpoints with gradio_client (see README "Playground").
"""
from __future__ import annotations

import argparse
import secrets
import threading
from pathlib import Path

import gradio as gr

from gendsl import GendslError, limits
from gendsl import playground as pg
from gendsl import playground_widgets as w  # number and choice widgets whose values gendsl checks

from app_tabs import (DRAW, DRAW_CONCURRENCY, EXTRA_TABS, PRIVATE, SCROLL, caption_tab, classic_tab,  # noqa: F401
                      fail, search_tab)

ROOT = Path(__file__).resolve().parent
SKETCHES = ROOT / "sketches"
QUEUE_MAX_SIZE = 64  # requests waiting past this are turned away at once rather than left to time out
CSS = """
#gallery img, #morph img, #restored img, #caption-picture img { image-rendering: pixelated; }  /* enlarged crisp */
#error :is(pre, code), [id$=-warning] :is(pre, code) { white-space: pre-wrap !important; overflow-wrap: anywhere; }
#error pre { color: #b91c1c; }
#morph img, #restored img, #caption-picture img { width: 100%; height: 100%; object-fit: contain; }  /* 32 px */
#details, #vary-note { padding: 4px 12px; }
/* the seed (a search hit's distance) under each thumbnail, never over the picture */
:is(#gallery, #search-hits) .thumbnail-item { display: flex; flex-direction: column; height: auto;
  aspect-ratio: auto; }
:is(#gallery, #search-hits) .thumbnail-item img { aspect-ratio: 1; }
:is(#gallery, #search-hits) .caption-label { position: static !important; max-width: 100%; margin: 0;
  padding: 2px 4px; background: none; border: none; box-shadow: none; text-align: center;
  font-size: var(--text-sm); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
/* the gallery grows with its images: never a small box that scrolls inside itself */
:is(#gallery, #search-hits) .grid-wrap { height: auto !important; max-height: none !important;
  min-height: 0 !important; overflow: visible !important; }
:is(#gallery, #search-hits) { overflow: visible !important; }
:is(#gallery, #search-hits) .grid-container { padding-top: 2.25rem !important; }  /* room for the label */
@media (max-width: 640px) {
  #gallery .grid-container { grid-template-columns: repeat(2, minmax(0, 1fr)) !important; }
  #search-hits .grid-container { grid-template-columns: repeat(3, minmax(0, 1fr)) !important; }
  #model input { font-size: var(--text-sm); }  /* the model's whole name fits a phone's width */
}
/* every tab in sight: those that do not fit wrap to a row below instead of hiding behind "…" */
.tab-wrapper { height: auto !important; flex-wrap: wrap; }
.tab-wrapper .overflow-menu { display: contents !important; }
.tab-wrapper .overflow-menu > button { display: none !important; }
.tab-wrapper .overflow-dropdown { display: flex !important; flex-direction: row !important; flex-wrap: wrap;
  position: static !important; width: auto !important;
  box-shadow: none !important; border: none !important; background: none !important; padding: 0 !important;
  min-width: 0 !important; }
.tab-wrapper .overflow-dropdown button { width: auto !important; padding: var(--size-1) var(--size-4) !important; }
#model input { text-overflow: ellipsis; min-width: 0; }
"""
EXAMPLE_SCENES = ["a yellow school bus parked in a parking lot", "a herd of elephants flying in blue skies",
                  "two small red cars next to a house on the beach at night",
                  "a large green tree left of a purple balloon in a snowy field",
                  "a {red | blue | green} boat on the lake"]
INTRO = ("# gendsl playground\n"
         "Describe a scene in plain words, pick a model and press **Render**: each image is drawn from one **seed**, "
         "so the same scene and seed always give the same picture. Click an image to see how it was made, "
         "**vary** it or **download** its PNG (which remembers everything needed to make it again).")
# ---------------------------------------------------------------- handlers (Gradio glue around playground)

def render_scene(scene, model, size, count, seed, seed_mode, variation_seed, strength, upscale, resample):
    try:
        result = pg.render_scene(scene, pg.Panel(model, size, count, seed, seed_mode, variation_seed, strength,
                                                  upscale, resample))
    except GendslError as error:
        return fail(error, 3)
    return "", result.gallery, result.summary, result.records


def render_sketch(text, scenes, mode, model, size, count, seed, seed_mode, variation_seed, strength, upscale,
                  resample, path=None):
    try:
        panel = pg.Panel(model, size, count, seed, seed_mode, variation_seed, strength, upscale, resample)
        result = pg.render_sketch(text, scenes, mode, panel, path, SKETCHES)
    except GendslError as error:  # shown once, above the results (the note under the editor is cleared)
        return fail(error, 3)
    return "", result.gallery, result.summary, result.records


def select_image(records, evt: gr.SelectData):
    meta = records[evt.index]
    can = pg.can_vary(meta)
    note = "" if can else (f"The {meta.get('model_kind')} model has no noise to vary: its seed only places things. "
                           "Vary works with learned models such as cgan and cvae.")
    return (meta, gr.update(visible=True), pg.details(meta), gr.update(value=meta["path"], visible=True),
            gr.update(interactive=can), note, {k: v for k, v in meta.items() if k != "path"})


def vary_image(meta, variation_seed, strength, count, upscale, resample):
    """Variations of the selected image, drawn without touching the panel: no fixed seed or variation is left
    behind to turn the next scene into near-copies of one seed."""
    try:
        result = pg.vary(meta, variation_seed, strength, count, upscale, resample)
    except GendslError as error:
        return fail(error, 3)
    return "", result.gallery, result.summary, result.records


def size_for(model, size=None) -> dict:
    """The size widget for a model: a choice for models that draw any size, fixed for learned ones."""
    native = pg.native_size(model) if model else None
    if native is None:
        return dict(interactive=True, info=f"{model or 'the model'} draws any of these",
                    **({"value": size} if size else {}))
    return dict(value=native, interactive=False, info=f"{model} draws {native} px only")


def model_changed(model):
    return gr.update(**size_for(model))


def sketch_changed(text, path, ticked):
    try:
        names, info = pg.sketch_info(text, path, SKETCHES)
    except GendslError as error:
        return gr.skip(), pg.error_block(error, "The sketch has a mistake:")
    return gr.update(choices=names, value=[n for n in (ticked or []) if n in names]), info


def load_example(path: Path):
    """Only the sketch: the page's model, size, seed and count stay as the person set them."""
    return gr.update(value=path.read_text(), label=f"Sketch · {path.name}"), str(path), gr.update(value=[])


def sketch_settings(text, path):
    """The settings the sketch's directives ask for, put in the panel when the person asks (one click)."""
    try:
        s = pg.settings_of(pg.sketch_of(text, path, SKETCHES).ir)
    except GendslError as error:
        return (pg.error_block(error, "The sketch has a mistake:"),) + (gr.skip(),) * 5
    return gr.skip(), s["model"], gr.update(**size_for(s["model"], s["size"])), s["seed"], s["count"], s["mode"]


def morph(start, end, frames, seed, end_seed, model, size, frame_ms):
    try:
        gif, summary = pg.morph_gif(start, end, frames, seed, end_seed, model, size, frame_ms)
    except GendslError as error:
        return fail(error, 3)
    return "", str(gif), summary, gr.update(value=str(gif), visible=True)


def restore(path):
    try:
        done = pg.restore_png(path)
    except GendslError as error:  # clear the last file's results: nothing below is about this one
        return pg.error_block(error), None, "", None, gr.update(visible=False)
    return "", str(done.image) if done.image else None, done.report + "\n\n" + pg.details(done.metadata), \
        done.metadata, gr.update(visible=True)


def fill_editor(meta):
    """The restored image's sketch (or scene), seeds and model, put back in the Generate tab."""
    if not meta:
        return (gr.skip(),) * 15
    f = pg.editor_fields(meta)
    sketch = gr.skip() if not f["sketch"] else f["sketch"]
    path = gr.skip() if not f["sketch"] else None  # read as an untitled sketch in SKETCHES, never the image's path
    scenes = gr.update(choices=f["scenes"], value=f["scenes"]) if f["sketch"] else gr.skip()
    vseed = f["variation_seed"] if f["variation_seed"] is not None else 0  # the box shows a number, never empty
    size = gr.update(**size_for(f["model"], f["size"]))
    return (f["scene"] or gr.skip(), sketch, path, scenes, f["mode"], f["model"], size, f["seed"], f["seed_mode"], f["count"], vseed,
            f["strength"], f["upscale"], f["resample"], gr.update(selected="sketch" if f["sketch"] else "scene"))


# ---------------------------------------------------------------- layout

def generate_tab(model, size):
    default = SKETCHES / "school_bus.sketch"
    names, info = pg.sketch_info(default.read_text(), default) if default.is_file() else ([], "")
    with gr.Row():
        with gr.Column(scale=2, min_width=380):
            with gr.Tabs() as source:
                with gr.Tab("Scene", id="scene"):
                    scene = gr.Textbox(EXAMPLE_SCENES[0], label="Scene", elem_id="scene", max_lines=3,
                                       placeholder="two small red cars next to a house on the beach at night")
                    scene_note = gr.Markdown(elem_id="scene-warning")  # words the world could not draw
                    go = gr.Button("Render", variant="primary", elem_id="render")
                    gr.Examples([[s] for s in EXAMPLE_SCENES], inputs=scene, label="Try one")
                    with gr.Accordion("Words the language knows", open=False):
                        gr.Markdown(pg.vocabulary())
                with gr.Tab("Sketch", id="sketch"):
                    gr.Markdown("A sketch is a small program: variables, `{a | b}` variants, many named scenes. "
                                "Open an example:")
                    with gr.Row():
                        buttons = [(gr.Button(title, size="sm"), path) for title, path in pg.examples(SKETCHES)]
                    path = gr.State(str(default) if default.is_file() else None)
                    editor = gr.Code(default.read_text() if default.is_file() else "", language=None, lines=12,
                                     label=f"Sketch · {default.name}", elem_id="sketch", interactive=True)
                    status = gr.Markdown(info, elem_id="sketch-info")
                    apply = gr.Button("Use the sketch's settings", size="sm", elem_id="apply-sketch")
                    # a dropdown, not checkboxes: a script may send any sketch, whose scene names the page never saw
                    scenes = gr.Dropdown(names, value=[], multiselect=True, allow_custom_value=True,
                                         label="Scenes to render (empty: all)")
                    mode = w.Radio(list(limits.MODES), value="random", label="Variants",
                                    info="random: each image's seed picks; combinatorial: every combination; "
                                         "cyclic: one option after another")
                    go_sketch = gr.Button("Render sketch", variant="primary", elem_id="render-sketch")
            count = w.Slider(1, pg.MAX_REQUEST_IMAGES, value=limits.DEFAULT_VARIATIONS, step=1,
                              label="Images (per scene)", elem_id="count")
            with gr.Row(equal_height=True):
                seed = w.Number(0, precision=0, minimum=0, maximum=limits.MAX_SEED, label="Seed", scale=4,
                                 elem_id="seed")
                dice = gr.Button("Random seed", scale=1, min_width=90, size="sm")
            seed_mode = w.Radio(list(limits.SEED_MODES), value="increment", label="Seeds of the images",
                                 info="increment: seed, seed+1, … · fixed: all the same (to vary one) · "
                                      "random: new each time")
            with gr.Accordion("Variation and upscaling", open=False):
                vseed = w.Number(0, precision=0, minimum=0, maximum=limits.MAX_SEED, label="Variation seed",
                                  info="a second noise, mixed into each image's own (learned models only)")
                strength = w.Slider(0, 1, value=0, step=0.01, label="Variation strength",
                                     info="0: no variation, the seed's own image … 1: the variation seed's")
                upscale = w.Radio([1, 2, 4, 8], value=1, label="Enlarge the PNG files ×")
                resample = w.Radio(["nearest", "bicubic"], value="nearest", label="Enlarge with")
        with gr.Column(scale=3, elem_id="results"):
            error = gr.Markdown(elem_id="error")
            gallery = gr.Gallery(label="Images (click one)", columns=4, height="auto", format="png",
                                 object_fit="contain", elem_id="gallery", interactive=False,
                                 buttons=["download", "fullscreen"])
            summary = gr.Markdown(elem_id="summary")
            with gr.Group(visible=False) as panel:
                about = gr.Markdown(elem_id="details")
                download = gr.DownloadButton("⬇ Download PNG (with its metadata)", visible=False, elem_id="download")
                with gr.Row(equal_height=True):
                    vary_seed = w.Number(1, precision=0, minimum=0, maximum=limits.MAX_SEED, label="Variation seed",
                                          info="a second noise to mix in")
                    vary_strength = w.Slider(0.01, 1, value=0.3, step=0.01, label="Strength",
                                              info="how much of it")
                    vary = gr.Button("Vary this image", variant="secondary", elem_id="vary", scale=0, min_width=150)
                vary_note = gr.Markdown(elem_id="vary-note")
                use = gr.Button("Put its settings in the panel", size="sm", elem_id="use-settings")
                with gr.Accordion("All metadata", open=False):
                    meta_json = gr.JSON()
    records, selected = gr.State([]), gr.State(None)

    settings = [model, size, count, seed, seed_mode, vseed, strength, upscale, resample]
    shown = [error, gallery, summary, records]
    go.click(render_scene, [scene, *settings], shown, api_name="render", **DRAW).then(**SCROLL)
    scene.submit(render_scene, [scene, *settings], shown, api_visibility="private", **DRAW).then(**SCROLL)  # Enter
    go_sketch.click(render_sketch, [editor, scenes, mode, *settings, path], shown, api_name="render_sketch",
                    **DRAW).then(**SCROLL)
    # words the world cannot draw, said as the person types (the endpoints' outputs stay as scripts know them)
    scene.change(pg.scene_notes, scene, scene_note, trigger_mode="always_last", **PRIVATE)
    go_sketch.click(lambda: "", None, status, **PRIVATE)  # a mistake is shown once, above the images
    gallery.select(select_image, records, [selected, panel, about, download, vary, vary_note, meta_json], **PRIVATE)
    gallery.change(lambda: gr.update(visible=False), None, panel, **PRIVATE)  # new images: the old selection is gone
    vary.click(vary_image, [selected, vary_seed, vary_strength, count, upscale, resample], shown,
               api_visibility="private", **DRAW).then(**SCROLL)
    dice.click(lambda: secrets.randbelow(limits.MAX_SEED + 1), None, seed, **PRIVATE)
    editor.change(sketch_changed, [editor, path, scenes], [scenes, status], trigger_mode="always_last", **PRIVATE)
    for button, file in buttons:  # the sketch only: nothing else on the page changes behind the person's back
        button.click(lambda f=file: load_example(f), None, [editor, path, scenes], **PRIVATE)
    apply.click(sketch_settings, [editor, path], [status, model, size, seed, count, mode], **PRIVATE)
    # what Restore fills, in the order fill_editor returns; the selected image's settings, on request, too
    fields = [scene, editor, path, scenes, mode, model, size, seed, seed_mode, count, vseed, strength, upscale,
              resample, source]
    use.click(fill_editor, selected, fields, **PRIVATE)
    return fields


def morph_tab(model, size):
    with gr.Row():
        with gr.Column(scale=2, min_width=380):
            start = gr.Textbox(EXAMPLE_SCENES[0], label="From scene", elem_id="morph-start")
            end = gr.Textbox("a red car on the beach at night", label="To scene", elem_id="morph-end")
            frames = w.Slider(2, limits.MAX_FRAMES, value=limits.DEFAULT_MORPH_FRAMES, step=1, label="Frames")
            with gr.Row():
                seed = w.Number(0, precision=0, minimum=0, maximum=limits.MAX_SEED, label="Start seed")
                end_seed = w.Number(0, precision=0, minimum=0, maximum=limits.MAX_SEED, label="End seed")
            frame_ms = w.Slider(20, 500, value=pg.MORPH_FRAME_MS, step=10, label="Milliseconds per frame")
            go = gr.Button("Morph", variant="primary", elem_id="morph-go")
        with gr.Column(scale=3):
            error = gr.Markdown()
            gif = gr.Image(label="Morph (animated GIF)", type="filepath", interactive=False, elem_id="morph",
                           height=360)
            summary = gr.Markdown()
            download = gr.DownloadButton("⬇ Download GIF", visible=False)
    go.click(morph, [start, end, frames, seed, end_seed, model, size, frame_ms], [error, gif, summary, download],
             api_name="morph", **DRAW)


def restore_tab(tabs, fields):
    with gr.Row():
        with gr.Column(scale=2, min_width=380):
            gr.Markdown("Drop a PNG that gendsl made: its sketch, seeds and model go back into the **Generate** tab, "
                        "and the image is made again from them to check.")
            drop = gr.File(label="A gendsl PNG", file_types=[".png"], type="filepath", elem_id="restore-drop")
            error = gr.Markdown()
            report = gr.Markdown()
            to_editor = gr.Button("Open in the Generate tab", visible=False, variant="primary")
        with gr.Column(scale=3):
            image = gr.Image(label="Made again", type="filepath", interactive=False, elem_id="restored", height=320)
            meta = gr.JSON(label="Its metadata")
    drop.upload(restore, drop, [error, image, report, meta, to_editor], api_name="restore", **DRAW).then(
        fill_editor, meta, fields, **PRIVATE)
    to_editor.click(lambda: gr.update(selected="generate"), None, tabs, **PRIVATE)


def build() -> gr.Blocks:
    # delete_cache: Gradio keeps a copy of every file it served; hourly, drop those older than a day
    with gr.Blocks(title="gendsl playground", analytics_enabled=False, delete_cache=(3600, 86400)) as demo:
        gr.Markdown(INTRO)
        with gr.Row(equal_height=True):
            # custom values reach the handler, which refuses anything unlisted with one message (no path probing)
            model = gr.Dropdown(pg.model_choices(), value=limits.DEFAULT_MODEL, label="Model", allow_custom_value=True,
                                info="what draws the scene", scale=3, min_width=300, elem_id="model")
            size = w.Radio(list(limits.SIZES), label="Size (pixels)", scale=2, min_width=220, elem_id="size",
                            **size_for(limits.DEFAULT_MODEL, limits.DEFAULT_SIZE))
        with gr.Tabs() as tabs:
            with gr.Tab("Generate", id="generate"):
                parts = generate_tab(model, size)
            with gr.Tab("Morph", id="morph"):
                morph_tab(model, size)
            with gr.Tab("Restore", id="restore"):
                restore_tab(tabs, parts)
            for extra in EXTRA_TABS:
                extra(model, size)
        model.change(model_changed, model, size, **PRIVATE)
    demo.queue(max_size=QUEUE_MAX_SIZE, default_concurrency_limit=DRAW_CONCURRENCY)
    return demo


def serve(host: str = "127.0.0.1", port: int = 7860, **launch) -> gr.Blocks:
    """Build and launch; with prevent_thread_lock=True it returns at once (tests call demo.close())."""
    demo = build()
    theme = gr.themes.Soft(font=["system-ui", "sans-serif"], font_mono=["ui-monospace", "monospace"])  # no web fonts
    demo.launch(server_name=host, server_port=port, css=CSS, theme=theme, show_error=True, max_file_size="20mb",
                **launch)
    return demo


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="The gendsl playground (a Gradio app).")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine)")
    parser.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    args = parser.parse_args(argv)
    # Load the default model while the page opens, as A1111 loads its checkpoint: the first render is then quick.
    threading.Thread(target=pg.load_model, args=(limits.DEFAULT_MODEL, limits.DEFAULT_SIZE), daemon=True).start()
    serve(args.host, args.port)


if __name__ == "__main__":
    main()
