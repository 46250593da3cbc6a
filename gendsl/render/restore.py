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

from .. import limits, worlds
from ..lang import checks
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


def checked_fields(metadata) -> dict:
    """The fields restore reads from a PNG's metadata, each checked against the limits every other path
    obeys: anyone can edit a PNG's text, so none is trusted (a seed of 2**40, an upscale of 250 …)."""
    if not isinstance(metadata, dict):
        raise GendslError(f"the image's gendsl metadata is a {type(metadata).__name__}, not an object")
    kind = metadata.get("kind", "image")
    if kind != "image":
        shown = kind if isinstance(kind, str) and len(kind) <= 40 else "file of another kind"
        raise GendslError(f"this file is a {shown}, not one image: restore remakes single images; render its sketch again "
                          "(the metadata holds its source)")
    missing = [k for k in ("model", "model_fingerprint", "scene_text", "seed") if k not in metadata]
    if missing:
        raise GendslError(f"the image's gendsl metadata lacks '{missing[0]}'; it was made by an older gendsl")
    try:
        vseed = metadata.get("variation_seed")
        fields = {
            "model": checks.text(metadata["model"], "its model", 1000),
            "model_fingerprint": checks.text(metadata["model_fingerprint"], "its model fingerprint", 100),
            "scene_text": checks.text(metadata["scene_text"], "its scene text", limits.MAX_SCENE_CHARS),
            "seed": checks.seed(metadata["seed"], "its seed"),
            "variation_seed": None if vseed is None else checks.seed(vseed, "its variation seed"),
            "strength": checks.fraction(metadata.get("strength") or 0.0, "its strength"),
            "upscale": checks.upscale(metadata.get("upscale", 1), metadata.get("resample", "nearest")),
            "resample": metadata.get("resample", "nearest"),
            "size": None if metadata.get("size") is None else checks.size(metadata["size"], "its size"),
            "world": checks.text(metadata.get("world", worlds.DEFAULT), "its world", 40),
            "scene": checks.text(metadata.get("scene", ""), "its canonical scene", limits.MAX_SCENE_CHARS),
        }
    except GendslError as error:
        raise GendslError(f"the image's gendsl metadata is not valid: {error}") from None
    return fields


def remake(metadata: dict, model=None, force: bool = False) -> Restored:
    """The image a gendsl PNG's metadata describes; `model` overrides the model it names."""
    f = checked_fields(metadata)
    ref, want, text, seed = f["model"], f["model_fingerprint"], f["scene_text"], f["seed"]
    if model is None or isinstance(model, str):
        asked = model or ref
        try:
            model = load(asked, size=f["size"])
        except GendslError as error:
            raise GendslError(f'the image was drawn by model "{ref}" ({str(metadata.get("model_kind"))[:40]}, '
                              f"fingerprint {want}), which cannot be loaded here: {error}. Pass --model with a copy of it") from None
    fields = model_fields(model)
    if fields["model_fingerprint"] != want and not force:
        raise GendslError(f'model "{fields["model"]}" here has fingerprint {fields["model_fingerprint"]}, but the '
                          f"image was drawn by fingerprint {want}: it would draw a different image. Pass --model "
                          "with the model that made it, or --force to redraw it with this one")
    checks.upscale(f["upscale"], f["resample"], model.size)  # before drawing: 250x would be 16000 px
    world = getattr(model, "world", None) or worlds.get(f["world"])  # the model's words, else the world it names
    if world.name != f["world"]:
        raise GendslError(f'the image is a scene of the {f["world"]} world; model "{fields["model"]}" draws the '
                          f"{world.name} world")
    scene = world.compile(text)
    # images made before canonical text said 'on the beach' store 'in the beach': the same scene
    legacy = scene.legacy_text() if hasattr(scene, "legacy_text") else str(scene)
    if (f["scene"] or str(scene)) not in (str(scene), legacy):
        raise GendslError(f'"{text}" now means {scene}, not {metadata["scene"]}: the scene language has changed '
                          "since this image was made")
    image = draw(model, world.encode(scene), [seed], [f["variation_seed"]], [f["strength"]])[0]
    image = upscale(image, f["upscale"], f["resample"])
    out_meta = metadata if fields["model_fingerprint"] == want else {**metadata, **fields}
    return Restored(image, out_meta, png_bytes(image, out_meta))


def restore_file(path: str | Path, model=None, force: bool = False) -> Restored:
    return remake(read_metadata(path), model, force)
