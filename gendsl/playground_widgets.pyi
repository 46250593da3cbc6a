"""Input widgets whose values gendsl checks, not Gradio (imported by app.py only).

Gradio refuses an out-of-range number or an unlisted choice itself, with a gr.Error that prints a
traceback in the server log for every hostile request. These widgets look and behave the same in
the page (same front-end components, the same bounds in the browser), but pass the value on as
sent, so that the playground's functions refuse it with the same message as the CLI, shown inline.
"""
from __future__ import annotations

import gradio as gr

from gradio.events import Dependency

class Number(gr.Number):
    is_template = True  # drawn by Gradio's own Number component

    def preprocess(self, payload):
        return payload
    from typing import Callable, Literal, Sequence, Any, TYPE_CHECKING
    from gradio.blocks import Block
    if TYPE_CHECKING:
        from gradio.components import Timer
        from gradio.components.base import Component


class Slider(gr.Slider):
    is_template = True

    def preprocess(self, payload):
        return payload
    from typing import Callable, Literal, Sequence, Any, TYPE_CHECKING
    from gradio.blocks import Block
    if TYPE_CHECKING:
        from gradio.components import Timer
        from gradio.components.base import Component


class Radio(gr.Radio):
    is_template = True

    def preprocess(self, payload):
        return payload
    from typing import Callable, Literal, Sequence, Any, TYPE_CHECKING
    from gradio.blocks import Block
    if TYPE_CHECKING:
        from gradio.components import Timer
        from gradio.components.base import Component