"""Reading any folder of pictures for captioning and indexing.

    found = read_images(["out/", "me.jpg"], size=32)   # Images(pixels, paths, scenes, skipped)

Folders are walked recursively in sorted order (hidden files and folders are
left out). Every file that does not open as an image is skipped, and the
skipped files are listed in one warning on stderr, so one stray file never
stops an index of thousands. Pictures are centre-cropped to a square and
area-resized (PIL's box filter) to the model's size: an image gendsl drew and
upscaled by a whole factor comes back to exactly its pixels. A PNG that gendsl
wrote also gives its scene (from its metadata), which an index keeps as the
image's caption.
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import numpy as np
from PIL import Image

from ..lang.errors import GendslError

MAX_LISTED = 20  # skipped files named in the warning; the rest are counted


@dataclass
class Images:
    pixels: np.ndarray  # uint8 (N, size, size, 3)
    paths: list[str]
    scenes: list[str | None]  # the scene text a gendsl PNG carries, else None
    skipped: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.paths)


def files_in(paths: Iterable[str]) -> list[Path]:
    out: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            out += sorted(p for p in path.rglob("*") if p.is_file()
                          and not any(part.startswith(".") for part in p.relative_to(path).parts))
        elif path.is_file():
            out.append(path)
        else:
            raise GendslError(f"no file or folder {path}")
    return out


def square(image: Image.Image, size: int) -> np.ndarray:
    """Centre-crop to a square, then box-filter (area) resize to size x size RGB."""
    image = image.convert("RGB")
    w, h = image.size
    side = min(w, h)
    left, top = (w - side) // 2, (h - side) // 2
    image = image.crop((left, top, left + side, top + side))
    if side != size:
        image = image.resize((size, size), Image.Resampling.BOX)
    return np.asarray(image, np.uint8)


def _scene(image: Image.Image) -> str | None:
    text = getattr(image, "text", {}).get("gendsl") if hasattr(image, "text") else None
    try:
        scene = json.loads(text).get("scene") if text else None
    except (ValueError, AttributeError):
        return None
    return scene if isinstance(scene, str) and scene else None


def read_images(paths: Iterable[str], size: int, warn: bool = True) -> Images:
    """Every readable image under `paths`, at size x size; the others are skipped (and listed)."""
    pixels, kept, scenes, skipped = [], [], [], []
    for path in files_in(paths):
        try:
            with Image.open(path) as image:
                image.load()
                pixels.append(square(image, size))
                scenes.append(_scene(image))
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
            skipped.append(str(path))
            continue
        kept.append(str(path))
    if warn and skipped:
        warn_skipped(skipped)
    array = np.stack(pixels) if pixels else np.zeros((0, size, size, 3), np.uint8)
    return Images(array, kept, scenes, skipped)


def warn_skipped(skipped: list[str]) -> None:
    listed = ", ".join(skipped[:MAX_LISTED]) + (f" and {len(skipped) - MAX_LISTED} more"
                                                if len(skipped) > MAX_LISTED else "")
    what = "file that is not a readable image" if len(skipped) == 1 else "files that are not readable images"
    print(f"warning: skipped {len(skipped)} {what}: {listed}", file=sys.stderr)
