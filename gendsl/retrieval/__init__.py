"""Captions and search: from images back to words, and from words to the images that match.

    from gendsl.retrieval import caption, build_index, Index
    caption(images)                                   # uint8 (N, S, S, 3) -> sentences the language parses
    caption(images, method="sample", seeds=[1, 2])    # other seeds, other phrasings
    index = build_index("out/")                       # binary codes (and captions) of a folder of images
    index.save("my.index")
    search("my.index", "red car on the beach")        # [(Hamming distance, path), ...]

    tokens.py    the captioner's words          decode.py     greedy, beam, seeded sampling
    codes.py     packing, popcount, Hamming ball index.py     the index file and its searches
    folder.py    any folder of pictures         models.py     captioner / hashing models by name
    scoring.py   attribute accuracy, BLEU-4     report.py, hash_report.py   `gendsl eval` for both
    training.py  what `gendsl train captioner|hashing` feeds the training driver

Imports are light: TensorFlow loads when a model does. Loaded models are kept,
so front ends (the playground) can call these functions once per request.
"""
from __future__ import annotations

from .index import Index, build_index

_MODELS: dict = {}


def model(name: str, kind: str):
    """A captioner or hashing model by name or folder, loaded once per process."""
    from .models import load

    if (name, kind) not in _MODELS:
        _MODELS[name, kind] = load(name, kind)
    return _MODELS[name, kind]


def caption(images, method: str = "beam", model_name: str = "captioner", **options) -> list[str]:
    """Sentences describing uint8 images (see retrieval/captioner.py for methods and options)."""
    return model(model_name, "captioner").caption(images, method, **options)


def search(index_path, text: str | None = None, image=None, top: int = 8, radius: int | None = None):
    """Text -> images, or image file -> (images, captions), in an index file written by `gendsl index`."""
    index = Index.load(index_path)
    hasher = model(index.model_ref, "hashing")
    if hasher.fingerprint() != index.fingerprint:
        index.model()  # raises: the index was built by another version of the model
    if image is not None:
        return index.search_image(hasher, image, top, radius)
    return index.search_text(hasher, text or "", top, radius)


__all__ = ["Index", "build_index", "caption", "model", "search"]
