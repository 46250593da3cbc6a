"""Image files: PNGs that carry what made them, display upscaling, JSON sidecars.

Every PNG gendsl writes holds, in a text chunk named "gendsl", JSON with
everything needed to make it again: the sketch source, the scene as expanded
and in canonical form, every seed, the model (as asked for, its kind and its
fingerprint), the display upscaling and the gendsl version. The JSON is
written with sorted keys, so the same image always gives the same bytes.
"""
from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from .. import limits
from .._version import __version__
from ..io import atomic_write_bytes, atomic_write_text
from ..lang.errors import GendslError

RESAMPLE = {"nearest": Image.Resampling.NEAREST, "bicubic": Image.Resampling.BICUBIC}
METADATA_KEY = "gendsl"


def png_bytes(image: np.ndarray, metadata: dict) -> bytes:
    info = PngInfo()
    info.add_text(METADATA_KEY, json.dumps(metadata, sort_keys=True))
    info.add_text("Software", f"gendsl {__version__}")
    if metadata.get("scene"):
        info.add_text("Title", metadata["scene"])
    buffer = io.BytesIO()
    Image.fromarray(np.asarray(image, np.uint8)).save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


def read_metadata(path_or_bytes) -> dict:
    """The gendsl metadata of a PNG gendsl wrote (a path, or the file's bytes)."""
    name = path_or_bytes if isinstance(path_or_bytes, (str, Path)) else "the image"
    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, (bytes, bytearray)) else path_or_bytes
    try:
        with Image.open(source) as image:
            text = getattr(image, "text", {}).get(METADATA_KEY)
    except FileNotFoundError:
        raise GendslError(f"no file {name}") from None
    except (OSError, SyntaxError) as error:
        raise GendslError(f"{name} is not an image gendsl can read ({error})") from None
    if text is None:
        raise GendslError(f"{name} holds no gendsl metadata: it was not written by gendsl, or a program "
                          "that re-saved it dropped the PNG text chunks")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise GendslError(f"{name} has damaged gendsl metadata: {error}") from None


def read_pixels(path) -> np.ndarray:
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"))


def check_upscale(factor: int, resample: str, size: int = 0) -> None:
    if resample not in RESAMPLE:
        raise GendslError(f'unknown resampling "{resample}"; choose {" or ".join(RESAMPLE)}')
    if not 1 <= factor <= limits.MAX_UPSCALE:
        raise GendslError(f"upscaling goes from 1 to {limits.MAX_UPSCALE} times, not {factor}")
    if size * factor > limits.MAX_DISPLAY_SIDE:
        raise GendslError(f"{size} px upscaled {factor} times is larger than {limits.MAX_DISPLAY_SIDE} px")


def upscale(image: np.ndarray, factor: int, resample: str = "nearest") -> np.ndarray:
    """The image enlarged for display (the model's own size is unchanged): nearest keeps pixels crisp."""
    if factor == 1:
        return np.asarray(image)
    h, w = image.shape[:2]
    return np.asarray(Image.fromarray(np.asarray(image, np.uint8)).resize((w * factor, h * factor),
                                                                           RESAMPLE[resample]))


def write_png(path: Path, image: np.ndarray, metadata: dict, sidecar: bool = False) -> list[Path]:
    """The PNG (and its JSON sidecar when asked), each written atomically."""
    written = [atomic_write_bytes(path, png_bytes(image, metadata))]
    if sidecar:
        written.append(atomic_write_text(path.with_suffix(".json"), json.dumps(metadata, indent=2, sort_keys=True)))
    return written
