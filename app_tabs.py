"""The playground's shared event settings and its further tabs (caption, search, classic models).

Split from app.py, which builds the page from these; like app.py, thin glue around gendsl/playground_*.py.
"""
from __future__ import annotations

from typing import Callable

import gradio as gr

from gendsl import GendslError, limits
from gendsl import playground as pg
from gendsl import playground_widgets as w  # number and choice widgets whose values gendsl checks

DRAW_CONCURRENCY = 2  # drawing requests at a time (2 cores); the rest wait in the queue, in order
PRIVATE = {"api_visibility": "private", "queue": False}  # page glue, not for scripts
DRAW = {"concurrency_id": "draw", "concurrency_limit": DRAW_CONCURRENCY}
# On a narrow screen the results lie below the form: go to them once they are drawn.
SCROLL = {"fn": None, "js": "() => { if (window.innerWidth < 900) "
          "document.getElementById('results')?.scrollIntoView({block: 'start'}); }", **PRIVATE}


def fail(error: GendslError, n_outputs: int) -> tuple:
    """Show the located message inline; leave every other output as it was."""
    return (pg.error_block(error),) + (gr.skip(),) * n_outputs


# Tabs for further capabilities (caption an image, search by text …). Each is one function of the shared model
# and size widgets that returns at once when its capability is missing here (module or trained weights), and
# otherwise adds `with gr.Tab("Caption", id="caption"): …` wired like the others (api_name=…, **DRAW), its
# logic a plain function in a gendsl/playground_*.py module. Classic models that ship weights also appear in
# the model picker by themselves.
EXTRA_TABS: list[Callable[[gr.Dropdown, gr.Radio], None]] = []


def classic_tab(model, size):
    """An RBM's Gibbs chain for a digits scene (gendsl/playground_classic.py); absent without the shipped RBM."""
    from gendsl import playground_classic as pc

    def chain(scene, seed, steps):
        try:
            gif, png, line = pc.gibbs_chain(scene, seed, steps)
        except GendslError as error:
            return fail(error, 3)
        return "", str(gif), str(png), line

    if not pc.available():
        return
    with gr.Tab("Classic models", id="classic"):
        with gr.Row():
            with gr.Column(scale=2, min_width=380):
                scene = gr.Textbox("the digit 3 is at the top of the digit 9", label="Digits scene", elem_id="gibbs-scene")
                seed = w.Number(0, precision=0, minimum=0, maximum=limits.MAX_SEED, label="Seed")
                steps = w.Slider(1, pc.MAX_STEPS, value=200, step=1, label="Gibbs sweeps",
                                  info="fewer stay close to the clamped scene; more wander further")
                go = gr.Button("Run the chain", variant="primary", elem_id="gibbs-go")
            with gr.Column(scale=3):
                error = gr.Markdown()
                gif = gr.Image(label="The chain (animated GIF)", type="filepath", interactive=False, height=220)
                last = gr.Image(label="Last sweep | the digits world's drawing", type="filepath", interactive=False)
                line = gr.Markdown()
        if pc.sparse_atoms():
            gr.Image(str(pc.sparse_atoms()), label="Sparse coding: the 144 atoms learned from photo patches "
                     "(gendsl train sparse --data photos)", interactive=False, elem_id="sparse-atoms")
        go.click(chain, [scene, seed, steps], [error, gif, last, line], api_name="gibbs", **DRAW)


EXTRA_TABS.append(classic_tab)


def caption_tab(model, size):
    """Any picture back to words (gendsl/playground_caption.py); absent without the shipped captioner."""
    from gendsl import playground_caption as pcap

    def describe(picture, seed):
        try:
            seed = pg.whole(seed or 0, "the seed")
            best, phrasings, scene = pcap.caption_image(picture, seed)
        except GendslError as error:
            return fail(error, 3)
        others = "\n".join(f"- {p}" for p in phrasings)
        return "", f"### {best}", f"Other phrasings (seeds {seed}+):\n{others}", f"Canonical scene: `{scene}`"

    if not pcap.available():
        return
    with gr.Tab("Caption", id="caption"):
        with gr.Row():
            with gr.Column(scale=2, min_width=320):
                gr.Markdown("Drop a picture (a gendsl render, or your own: it is cropped to a square and read "
                            "at 32 px) and get it back in words the scene language parses.")
                picture = gr.Image(label="Picture", type="filepath", sources=["upload", "clipboard"], height=240,
                                   elem_id="caption-picture")
                seed = w.Number(0, precision=0, minimum=0, maximum=limits.MAX_SEED, label="Seed for phrasings")
                go = gr.Button("Caption it", variant="primary", elem_id="caption-go")
            with gr.Column(scale=3):
                error = gr.Markdown()
                best = gr.Markdown(elem_id="caption-best")
                others = gr.Markdown()
                scene = gr.Markdown()
        go.click(describe, [picture, seed], [error, best, others, scene], api_name="caption", **DRAW)


EXTRA_TABS.append(caption_tab)


def search_tab(model, size):
    """Find rendered images by text (gendsl/playground_search.py); absent without the shipped hashing model."""
    from gendsl import playground_search as ps

    def find(text, top):
        try:
            hits, line = ps.search_rendered(text, pg.whole(top or 8, "the number of images", 1, ps.MAX_TOP))
        except GendslError as error:
            return fail(error, 2)
        return "", hits, line

    if not ps.available():
        return
    with gr.Tab("Search", id="search"):
        gr.Markdown("Every image this page has drawn is coded into 64 bits by the shipped hashing model; type a "
                    "scene and see the nearest first.")
        with gr.Row():
            text = gr.Textbox(label="Look for", placeholder="a red car on the beach", scale=4, elem_id="search-text")
            top = w.Slider(1, ps.MAX_TOP, value=8, step=1, label="Images", scale=2)
            go = gr.Button("Search", variant="primary", scale=1, elem_id="search-go")
        error = gr.Markdown()
        hits = gr.Gallery(label="Nearest first", columns=8, height="auto", format="png", elem_id="search-hits")
        line = gr.Markdown()
        for trigger in (go.click, text.submit):
            trigger(find, [text, top], [error, hits, line], api_name="search" if trigger == go.click else False,
                    **DRAW)


EXTRA_TABS.append(search_tab)
