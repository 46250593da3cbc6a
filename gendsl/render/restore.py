"""`gendsl restore`: make an image again from the metadata in its PNG.

The PNG names its scene (as expanded), its seeds, the model as it was asked
for and that model's fingerprint. Restore loads the model, refuses (with the
reason) when it is missing or draws differently, draws the image, and writes
it with the same metadata: the same bytes as the original.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..lang.compiler import compile_scene_text
from ..lang.encode import encode
from ..lang.errors import GendslError
from ..models import load
from .draw import model_fields
from .files import png_bytes, read_metadata, upscale
from .noise import draw


@dataclass(frozen=True)
class Restored:
    image: np.ndarray  # as written (upscaled for display when the original was)
    metadata: dict
    png: bytes


def remake(metadata: dict, model=None, force: bool = False) -> Restored:
    """The image a gendsl PNG's metadata describes; `model` overrides the model it names."""
    kind = metadata.get("kind", "image")
    if kind != "image":
        raise GendslError(f"this file is a {kind}, not one image: restore remakes single images; "
                          "render its sketch again (the metadata holds its source)")
    try:
        ref, want = metadata["model"], metadata["model_fingerprint"]
        text, seed = metadata["scene_text"], metadata["seed"]
    except KeyError as missing:
        raise GendslError(f"the image's gendsl metadata lacks {missing}; it was made by an older gendsl") from None
    if model is None or isinstance(model, str):
        asked = model or ref
        try:
            model = load(asked, size=metadata.get("size"))
        except GendslError as error:
            raise GendslError(f'the image was drawn by model "{ref}" ({metadata.get("model_kind")}, fingerprint '
                              f"{want}), which cannot be loaded here: {error}. Pass --model with a copy of it") from None
    fields = model_fields(model)
    if fields["model_fingerprint"] != want and not force:
        raise GendslError(f'model "{fields["model"]}" here has fingerprint {fields["model_fingerprint"]}, but the '
                          f"image was drawn by fingerprint {want}: it would draw a different image. Pass --model "
                          "with the model that made it, or --force to redraw it with this one")
    if metadata.get("world", "scene") == "digits":
        from ..lang.digits import compile_digits_text
        scene = compile_digits_text(text)
    else:
        scene = compile_scene_text(text)
    if str(scene) != metadata.get("scene", str(scene)):
        raise GendslError(f'"{text}" now means {scene}, not {metadata["scene"]}: the scene language has changed '
                          "since this image was made")
    strength = float(metadata.get("strength") or 0.0)
    image = draw(model, encode(scene), [seed], [metadata.get("variation_seed")], [strength])[0]
    image = upscale(image, int(metadata.get("upscale", 1)), metadata.get("resample", "nearest"))
    out_meta = metadata if fields["model_fingerprint"] == want else {**metadata, **fields}
    return Restored(image, out_meta, png_bytes(image, out_meta))


def restore_file(path: str | Path, model=None, force: bool = False) -> Restored:
    return remake(read_metadata(path), model, force)
