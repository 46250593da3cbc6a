"""What `gendsl train captioner` and `gendsl train hashing` feed the shared training driver (gendsl/train.py).

The driver asks a dataset for `len`, `batch(indices)` and `preview()`, and a
model for `train_step`, `state_variables`, `save` and `generate(*preview)` (its
sample grid). A captioner or a hashing model draws no pictures, so `Trainee`
stands in for it: it forwards everything to the model, and its `generate`
draws what the model has learned instead:
- captioner: each preview image beside the world's drawing of the greedy
  caption it wrote (at the image's seed; gray where the caption does not
  parse): a picture of what the caption says;
- hashing: each preview image followed by its 3 nearest images by Hamming
  distance among the first POOL training images.
"""
from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from ..lang.errors import GendslError
from . import tokens as tok

POOL = 512
PREVIEW = 16
# the canonical caption: the scene's own text (said), or that plus the position a lone group with none shows,
# by worlds/scene/visible.seen_position's rule: within the jitter of a word's x (seen), or always (nearest);
# shown: nearest, and the place and time the picture shows where the sentence gives none (visible.with_backdrop)
TARGETS = {"said": None, "seen": "jitter", "nearest": "nearest", "shown": "nearest"}
CANONICAL_REPEATS = 5  # the canonical text counts five times beside the five free captions: greedy and beam use it


def _split(data_dir, size: int, split: str):
    from ..worlds.scene.dataset import load_split

    data_dir = Path(data_dir)
    if not (data_dir / "manifest.json").is_file():
        raise GendslError(f"{data_dir} is not a dataset folder (no manifest.json); "
                          f"build one with: gendsl data world --size {size} --out {data_dir}")
    images, cond, records = load_split(data_dir, split)
    if images.shape[1] != size:
        raise GendslError(f"{data_dir} holds {images.shape[1]}-px images; the model reads {size} px")
    return images, cond, records


def _canonical_text(record: dict, targets: str) -> str:
    """An image's canonical caption: what its scene says ("said"), or that plus the position a lone group
    with none was drawn at ("seen", "nearest": worlds/scene/visible.as_seen's rules), and for "shown" the
    place and time drawn where none was said, so that the caption follows the picture."""
    if TARGETS[targets] is None:
        return record["scene"]
    from ..worlds.scene.compiler import compile_scene_text
    from ..worlds.scene.visible import as_seen, with_backdrop

    scene, seed = compile_scene_text(record["scene"]), int(record["seed"])
    scene = as_seen(scene, seed, TARGETS[targets])
    return str(with_backdrop(scene, seed) if targets == "shown" else scene)


def _fitting(captions: list[str], max_len: int) -> list[str]:
    """The captions, each one too long for `max_len` tokens (with <start> and <end>) replaced by the shortest."""
    shortest = min(captions, key=lambda c: len(tok.split(c)), default="")
    return [c if len(tok.split(c)) + 2 <= max_len else shortest for c in captions]


class CaptionData:
    """Every (image, caption) pair of a split: example k is caption k % C of image k // C, where the last
    CANONICAL_REPEATS of an image's C captions are its scene's canonical text, opened with <canon>."""

    def __init__(self, data_dir, size: int, max_len: int, split: str = "train", limit: int | None = None,
                 words: tuple[str, ...] | None = None, features=None, targets: str = "said"):
        if targets not in TARGETS:
            raise GendslError(f'caption targets are "said", "seen", "nearest" or "shown", not {targets!r}')
        self.images, self.cond, records = _split(data_dir, size, split)
        if limit is not None:
            self.images, self.cond, records = self.images[:limit], self.cond[:limit], records[:limit]
        # features(images) -> (grid, pooled) per image, computed once (Captioner.judge_features), or None
        self.features = features(self.images) if features is not None else None
        free = min(len(r["captions"]) for r in records) if records else 0
        self.per_image = free + CANONICAL_REPEATS
        canon = [_canonical_text(r, targets) for r in records]
        said = [_fitting(r["captions"][:free], max_len) for r in records]
        self.replaced = sum(sum(a != b for a, b in zip(r["captions"][:free], f)) for r, f in zip(records, said))
        if self.replaced:  # the world's longest three-item phrasings can run past the decoder's length
            warnings.warn(f"{self.replaced} of {free * len(records)} free captions of {data_dir} are longer than "
                          f"{max_len - 2} words; each was replaced by the shortest caption of its own picture")
        self.tokens = np.stack([np.concatenate([tok.encode_batch(f, max_len, words),
                                                tok.encode_batch([text], max_len, words, canonical=True)
                                                .repeat(CANONICAL_REPEATS, axis=0)])
                                for f, text in zip(said, canon)]) \
            if records else np.zeros((0, 1, max_len), np.int32)
        self.seeds = [int(r["seed"]) for r in records]

    def __len__(self) -> int:
        return len(self.images) * self.per_image

    def batch(self, indices: np.ndarray) -> dict:
        indices = np.sort(indices)  # memmap reads in file order
        rows, which = indices // self.per_image, indices % self.per_image
        if self.features is not None:
            return {"grid": self.features[0][rows].astype(np.float32), "pooled": self.features[1][rows].astype(np.float32),
                    "tokens": self.tokens[rows, which]}
        return {"image": self.images[rows].astype(np.float32) / 127.5 - 1.0, "tokens": self.tokens[rows, which]}

    def preview(self):
        n = min(PREVIEW, len(self.images))
        return np.arange(n), self.seeds[:n]


class PairData:
    """Images as the judge reads them (features computed once, up front) with their scene vectors."""

    def __init__(self, data_dir, size: int, judge, split: str = "train", limit: int | None = None,
                 progress: bool = False):
        from .hashing import image_features

        images, self.cond, records = _split(data_dir, size, split)
        if limit is not None:
            images, self.cond, records = images[:limit], self.cond[:limit], records[:limit]
        self.images = images
        parts = []
        for start in range(0, len(images), 2048):
            parts.append(image_features(judge, np.asarray(images[start:start + 2048])))
            if progress:
                print(f"judge features {min(start + 2048, len(images))}/{len(images)}", end="\r", flush=True)
        self.features = np.concatenate(parts) if parts else np.zeros((0, 1), np.float32)
        self.seeds = [int(r["seed"]) for r in records]

    def __len__(self) -> int:
        return len(self.features)

    def batch(self, indices: np.ndarray) -> dict:
        indices = np.sort(indices)
        return {"features": self.features[indices], "cond": self.cond[indices]}

    def preview(self):
        n = min(PREVIEW, len(self.images))
        return np.arange(n), self.seeds[:n]


class Trainee:
    """A captioner or hashing model as the training driver sees it (see the module docstring)."""

    def __init__(self, model, data):
        self.model, self.data = model, data
        self.kind, self.config, self.metrics = model.kind, model.config, model.metrics

    def train_step(self, batch):
        return self.model.train_step(batch)

    def state_variables(self):
        return self.model.state_variables()

    def save(self, path, card=None):
        return self.model.save(path, card)

    def generate(self, rows, seeds) -> np.ndarray:
        images = np.asarray(self.data.images[np.asarray(rows)])
        return _caption_sheet(self.model, images, seeds) if self.kind == "captioner" else \
            _neighbour_sheet(self.model, self.data, np.asarray(rows))


def _caption_sheet(model, images, seeds) -> np.ndarray:
    from ..worlds.scene.compiler import compile_scene_text
    from ..worlds.scene.render import render_scene

    words = model.config.vocabulary
    texts = [tok.decode_ids(ids, words) for ids in model.token_ids(images, "greedy")]  # as said, no fallback
    tiles = []
    for image, text, seed in zip(images, texts, seeds):
        try:
            redrawn = render_scene(compile_scene_text(text), seed, image.shape[0])
        except GendslError:
            redrawn = np.full_like(image, 128)
        tiles += [image, redrawn]
    return np.stack(tiles)


def _neighbour_sheet(model, data, rows) -> np.ndarray:
    from .codes import pack, topk

    pool = min(POOL, len(data))
    codes = pack(model.feature_logits(data.features[:pool]) > 0)
    queries = rows[:PREVIEW // 2]
    found, _ = topk(codes, pack(model.feature_logits(data.features[queries]) > 0), 4)
    tiles = []
    for q, hits in zip(queries, found):
        hits = [h for h in hits if h != q][:3]
        tiles += [data.images[q], *(data.images[h] for h in hits)]
    return np.stack([np.asarray(t) for t in tiles])
