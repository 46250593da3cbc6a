"""A search index over a folder of images: packed binary codes, with a caption per image.

    index = build_index("out/", "hashing", captioner="captioner")
    index.save("my.index")
    index = Index.load("my.index")
    hasher = index.model()                                   # refuses a hashing model of another version
    index.search_text(hasher, "red car on the beach", top=8) # [(Hamming distance, path), ...]
    index.search_image(hasher, "out/x.png", top=8)           # (similar images, nearest captions)

File: one .npz written atomically (no pickles), holding a JSON header (format,
the hashing model's name and fingerprint, bits, paths, captions, where each
caption came from, skipped files) and two uint8 arrays: the images' codes and
their captions' codes. Each image's caption is its own scene when gendsl drew
it (PNG metadata), else the captioner's; a caption's code comes from the text
encoder, so image -> text search finds captions across the whole index.
Search runs on faiss's binary indexes (binary_index.py; codes.py is the numpy reference).
"""
from __future__ import annotations

import io
import json
import sys
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from .._version import __version__
from ..io import atomic_write_bytes
from ..lang.errors import GendslError
from .binary_index import flat_index, topk, within  # faiss; codes.py keeps the numpy reference
from .codes import pack

FORMAT = 1
KIND = "gendsl-index"


@dataclass
class Index:
    bits: int
    model_ref: str  # how the hashing model was asked for ("hashing", a folder)
    fingerprint: str  # of the hashing model that made the codes
    paths: list[str]
    captions: list[str | None]
    caption_source: list[str]  # "metadata", "captioner" or "" (no caption)
    codes: np.ndarray = field(repr=False)  # uint8 (N, bits / 8)
    text_codes: np.ndarray = field(repr=False)  # uint8 (N, bits / 8); rows without a caption are zero
    skipped: list[str] = field(default_factory=list)
    captioner: str | None = None  # fingerprint of the captioner that wrote captions, if any

    def __len__(self) -> int:
        return len(self.paths)

    def save(self, path) -> Path:
        header = {k: v for k, v in asdict(self).items() if k not in ("codes", "text_codes")}
        header |= {"kind": KIND, "format": FORMAT, "gendsl_version": __version__}
        buffer = io.BytesIO()
        np.savez_compressed(buffer, header=np.array(json.dumps(header)), codes=self.codes, text_codes=self.text_codes)
        return atomic_write_bytes(path, buffer.getvalue())

    @classmethod
    def load(cls, path) -> "Index":
        path = Path(path)
        if not path.is_file():
            raise GendslError(f"no index file {path}; build one with: gendsl index FOLDER --out {path}")
        try:
            with np.load(path, allow_pickle=False) as saved:
                header = json.loads(str(saved["header"]))
                codes, text_codes = saved["codes"], saved["text_codes"]
        except (OSError, ValueError, KeyError, zipfile.BadZipFile, json.JSONDecodeError):
            raise GendslError(f"{path} is not an index written by `gendsl index` (or it is damaged)") from None
        if header.get("kind") != KIND:
            raise GendslError(f"{path} is not an index written by `gendsl index`")
        if header.get("format") != FORMAT:
            raise GendslError(f"{path} is an index of format {header.get('format')}; this gendsl reads format "
                              f"{FORMAT}; rebuild it with `gendsl index`")
        fields = {k: header[k] for k in cls.__dataclass_fields__ if k in header}
        return cls(codes=codes, text_codes=text_codes, **{k: v for k, v in fields.items()
                                                          if k not in ("codes", "text_codes")})

    def model(self, ref: str | None = None):
        """The hashing model that made this index's codes; another version is refused."""
        from .models import load

        hasher = load(ref or self.model_ref, "hashing")
        if hasher.fingerprint() != self.fingerprint or hasher.config.bits != self.bits:
            raise GendslError(f"this index was built with hashing model {self.fingerprint} ({self.bits} bits), "
                              f"but {ref or self.model_ref} is {hasher.fingerprint()} ({hasher.config.bits} bits): "
                              "codes of different models do not compare; rebuild the index with `gendsl index`")
        return hasher

    def _check(self) -> None:
        if not len(self):
            raise GendslError("the index holds no images; build it from a folder with images in it")

    def _lookup(self, codes: np.ndarray, query: np.ndarray, top: int, radius: int | None) -> tuple:
        index = flat_index(codes)  # faiss copies the codes in: no table to build
        if radius is None:
            ids, dist = topk(codes, query[None], top, index)
            return ids[0], dist[0]
        return within(codes, query, radius, index)

    def search_text(self, hasher, text: str, top: int = 8, radius: int | None = None) -> list[tuple[int, str]]:
        """Images nearest a scene text (any phrasing the language compiles)."""
        self._check()
        query = pack(hasher.text_bits([text]))[0]
        ids, dist = self._lookup(self.codes, query, top, radius)
        return [(int(d), self.paths[i]) for i, d in zip(ids, dist)]

    def search_image(self, hasher, image_path, top: int = 8, radius: int | None = None):
        """(nearest images, nearest captions or None when the index has none) of one image file."""
        from .folder import read_images

        self._check()
        found = read_images([image_path], hasher.config.size, warn=False)
        if not len(found):
            raise GendslError(f"{image_path} is not an image gendsl can read")
        query = pack(hasher.image_bits(found.pixels))[0]
        ids, dist = self._lookup(self.codes, query, top, radius)
        images = [(int(d), self.paths[i]) for i, d in zip(ids, dist)]
        captioned = np.flatnonzero([c is not None for c in self.captions])
        if not len(captioned):
            return images, None
        ids, dist = self._lookup(self.text_codes[captioned], query, top, radius)
        return images, [(int(d), f"{self.captions[captioned[i]]}  [{self.paths[captioned[i]]}]")
                        for i, d in zip(ids, dist)]


def build_index(folder, model: str = "hashing", captioner: str | None = "captioner", progress: bool = True) -> Index:
    """Codes for every readable image under `folder` (unreadable files are skipped, with a warning)."""
    from ..worlds.scene.compiler import compile_scene_text
    from .folder import read_images
    from .models import load

    hasher = load(model, "hashing")
    found = read_images([folder], hasher.config.size)
    if not len(found):
        raise GendslError(f"no readable images in {folder}: nothing to index")
    say = (lambda text: print(text, file=sys.stderr)) if progress else (lambda text: None)
    say(f"coding {len(found)} images with {model} ({hasher.config.bits} bits)")
    codes = pack(hasher.image_bits(found.pixels))
    captions: list[str | None] = []
    for scene in found.scenes:  # a gendsl PNG's own scene is its caption, when this language still reads it
        try:
            captions.append(scene if scene is not None and compile_scene_text(scene) is not None else None)
        except GendslError:
            captions.append(None)
    source = ["metadata" if c is not None else "" for c in captions]
    captioner_fp = None
    missing = [i for i, c in enumerate(captions) if c is None]
    if captioner and missing:
        say(f"captioning {len(missing)} images with {captioner}")
        writer = load(captioner, "captioner")
        captioner_fp = writer.fingerprint()
        for i, text in zip(missing, writer.caption(found.pixels[missing], "beam")):
            try:
                compile_scene_text(text)
            except GendslError:
                continue
            captions[i], source[i] = text, "captioner"
    text_codes = np.zeros_like(codes)
    have = [i for i, c in enumerate(captions) if c is not None]
    if have:
        text_codes[have] = pack(hasher.text_bits([captions[i] for i in have]))
    return Index(hasher.config.bits, model, hasher.fingerprint(), found.paths, captions, source, codes, text_codes,
                 found.skipped, captioner_fp)
