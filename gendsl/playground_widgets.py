"""Input widgets whose values gendsl checks, not Gradio (imported by app.py only).

Gradio refuses an out-of-range number or an unlisted choice itself, with a gr.Error that prints a
traceback in the server log for every hostile request. These widgets are Gradio's own (the same
front-end components, the same bounds in the browser), but pass the value on as sent, so that the
playground's functions refuse it with the same message as the CLI, shown inline. The instance's
preprocess is replaced rather than subclassed: Gradio writes a .pyi stub beside any module that
defines a component class, on import.
"""
from __future__ import annotations

import gradio as gr


def _as_sent(widget):
    widget.preprocess = lambda payload: payload
    return widget


def Number(*args, **kwargs) -> gr.Number:  # noqa: N802 - stands where gr.Number did
    return _as_sent(gr.Number(*args, **kwargs))


def Slider(*args, **kwargs) -> gr.Slider:  # noqa: N802
    return _as_sent(gr.Slider(*args, **kwargs))


def Radio(*args, **kwargs) -> gr.Radio:  # noqa: N802
    return _as_sent(gr.Radio(*args, **kwargs))
