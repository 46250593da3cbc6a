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
import warnings
from pathlib import Path

import numpy as np
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from .. import limits
from .._version import __version__
from ..io import atomic_write_bytes, atomic_write_text
from ..lang import checks
from ..lang.errors import GendslError
from ..lang.textfile import json_object, read_bytes

RESAMPLE = {"nearest": Image.Resampling.NEAREST, "bicubic": Image.Resampling.BICUBIC}
METADATA_KEY = "gendsl"
# Pillow's own guard against decompression bombs, at gendsl's limit (it warns past it, refuses past twice it);
# open_png also checks the size itself before a byte of pixels is decoded.
Image.MAX_IMAGE_PIXELS = limits.MAX_IMAGE_PIXELS


def png_bytes(image: np.ndarray, metadata: dict) -> bytes:
    info = PngInfo()
    info.add_text(METADATA_KEY, json.dumps(metadata, sort_keys=True))
    info.add_text("Software", f"gendsl {__version__}")
    if metadata.get("scene"):
        info.add_text("Title", metadata["scene"])
    buffer = io.BytesIO()
    Image.fromarray(np.asarray(image, np.uint8)).save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


def open_png(path_or_bytes, max_side: int | None = None) -> tuple[Image.Image, str]:
    """(the opened image, its name for messages); its size is checked before any pixel is decoded."""
    if isinstance(path_or_bytes, (str, Path)):
        name, data = str(path_or_bytes), read_bytes(path_or_bytes, "image", limits.MAX_PNG_BYTES)
    elif isinstance(path_or_bytes, (bytes, bytearray)):
        name, data = "the image", bytes(path_or_bytes)
        if len(data) > limits.MAX_PNG_BYTES:
            raise GendslError(f"the image is larger than {limits.MAX_PNG_BYTES:,} bytes")
    else:
        raise GendslError(f"an image is a path or a PNG file's bytes, not {type(path_or_bytes).__name__}")
    try:
        with warnings.catch_warnings():  # past the limit Pillow only warns (it refuses past twice it): refuse
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise GendslError(f"{name} is too large for gendsl to read: {error}") from None
    except (OSError, SyntaxError, ValueError) as error:
        raise GendslError(f"{name} is not an image gendsl can read ({error})") from None
    checks.image_pixels(*image.size, name, max_side)
    return image, name


def read_metadata(path_or_bytes) -> dict:
    """The gendsl metadata of a PNG gendsl wrote (a path, or the file's bytes)."""
    image, name = open_png(path_or_bytes)
    with image:
        # text chunks before the pixels are in `info` without decoding them (gendsl writes its chunk there);
        # `image.text` would decode the whole image to look for chunks after the pixels too
        text = image.info.get(METADATA_KEY)
        if text is None:
            try:
                text = getattr(image, "text", {}).get(METADATA_KEY)
            except (OSError, SyntaxError, ValueError) as error:
                raise GendslError(f"{name} is not an image gendsl can read ({error})") from None
    if not isinstance(text, str):
        text = None
    if text is None:
        raise GendslError(f"{name} holds no gendsl metadata: it was not written by gendsl, or a program "
                          "that re-saved it dropped the PNG text chunks")
    return json_object(text, f"the gendsl metadata of {name}")


def read_pixels(path, max_side: int | None = limits.MAX_DISPLAY_SIDE) -> np.ndarray:
    image, name = open_png(path, max_side)
    try:
        with image:
            return np.asarray(image.convert("RGB"))
    except (OSError, SyntaxError, ValueError) as error:  # a truncated or damaged file shows itself only here
        raise GendslError(f"{name} is not an image gendsl can read ({error})") from None


def check_upscale(factor: int, resample: str, size: int = 0) -> None:
    checks.upscale(factor, resample, size)


def upscale(image: np.ndarray, factor: int, resample: str = "nearest") -> np.ndarray:
    """The image enlarged for display (the model's own size is unchanged): nearest keeps pixels crisp."""
    if factor == 1:
        return np.asarray(image)
    h, w = image.shape[:2]
    return np.asarray(Image.fromarray(np.asarray(image, np.uint8)).resize((w * factor, h * factor),
                                                                           RESAMPLE[resample]))


def write_png(path: Path, image: np.ndarray, metadata: dict, sidecar: bool = False) -> list[Path]:
    """The PNG (and its JSON sidecar when asked), each written atomically.

    The sidecar is written first: a run killed between the two leaves a sidecar without its PNG
    (harmless: the PNG holds the same metadata, and the next run writes both), never a PNG that
    looks finished but lacks the sidecar that was asked for.
    """
    written = []
    if sidecar:
        written.append(atomic_write_text(path.with_suffix(".json"), json.dumps(metadata, indent=2, sort_keys=True)))
    written.insert(0, atomic_write_bytes(path, png_bytes(image, metadata)))
    return written
