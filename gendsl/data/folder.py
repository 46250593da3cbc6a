"""A folder of the user's own images with a captions file, as training data.

    my_images/
        captions.txt     one line per image: `filename<TAB>scene text`, e.g.
                         bus1.png	a yellow school bus in a parking lot
        bus1.png ...

With a world.toml beside them (worlds/words.py), the captions speak the folder's
own words, and a model trained on it carries them; without one, the scene
language. Every caption is compiled before any training starts, so a typo is
reported with its line, column and a did-you-mean from the folder's words. Images are
centre-cropped to a square and area-resized to the model's size once, up
front. User photos have no world layout, so models trained on them should use
flat conditioning (`--conditioning flat`); with layout conditioning the layout
is the world planner's guess, seeded by the image's index.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from .. import worlds
from ..lang.errors import GendslError, Location, SketchError
from ..lang.ir import Source

MAX_IMAGES = 200_000
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".bmp"}


def world_of(folder) -> worlds.World:
    """The folder's own world (its world.toml), or the scene world when it has none."""
    return worlds.from_folder(folder) if (Path(folder) / worlds.TOML).is_file() else worlds.default()


def read_captions(folder: Path, world: worlds.World | None = None) -> list[tuple[Path, object]]:
    path = folder / "captions.txt"
    if not path.is_file():
        raise GendslError(f"{folder} has no captions.txt; write one line per image: filename<TAB>scene text")
    text = path.read_text(encoding="utf-8")
    source = Source(text, path)
    pairs, offset = [], 0
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        body = line.rstrip("\r\n")
        if body.strip() and not body.lstrip().startswith("#"):
            name, tab, caption = body.partition("\t")
            if not tab:
                raise SketchError("expected filename, a tab, then the scene text", Location(source, offset, len(body)))
            image = folder / name.strip()
            if image.suffix.lower() not in IMAGE_SUFFIXES or not image.is_file():
                raise SketchError(f"no image file {image}", Location(source, offset, len(name)))
            pairs.append((image, caption, offset + len(name) + 1))
        offset += len(line)
    if not pairs:
        raise GendslError(f"{path} lists no images")
    if len(pairs) > MAX_IMAGES:
        raise GendslError(f"{path} lists {len(pairs)} images; at most {MAX_IMAGES} are read")
    world = world or world_of(folder)
    scenes = []
    for image, caption, start in pairs:
        at = start
        scenes.append((image, world.compile(caption, lambda o, n, at=at: Location(source, at + o, n))))
    return scenes


def load_image(path: Path, size: int) -> np.ndarray:
    with Image.open(path) as image:
        image = image.convert("RGB")
        side = min(image.size)
        left, top = (image.width - side) // 2, (image.height - side) // 2
        image = image.crop((left, top, left + side, top + side)).resize((size, size), Image.Resampling.BOX)
        return np.asarray(image, np.uint8)


class FolderTrainData:
    """The same interface as train.WorldTrainData, over a user's folder."""

    def __init__(self, folder, size: int, conditioning: str, world: worlds.World | None = None):
        folder = Path(folder)
        self.world = world or world_of(folder)
        pairs = read_captions(folder, self.world)
        self.images = np.stack([load_image(path, size) for path, _ in pairs])
        self.cond = self.world.encode_batch([scene for _, scene in pairs])
        self.seeds = np.arange(len(pairs), dtype=np.int64)
        self.size, self.conditioning = size, conditioning

    def __len__(self) -> int:
        return len(self.images)

    def batch(self, indices: np.ndarray) -> dict:
        cond = self.cond[indices]
        return {"image": self.images[indices].astype(np.float32) / 127.5 - 1.0, "cond": cond,
                "cond_input": self.world.condition(cond, self.seeds[indices], self.size, self.conditioning)}

    def preview(self, n: int = 16) -> tuple[np.ndarray, list[int]]:
        return self.cond[:n], [int(s) for s in self.seeds[:n]]
