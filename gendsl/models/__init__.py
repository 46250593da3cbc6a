"""Every generative model behind one small protocol, found by name.

The registry maps a model name to "module:Class" and imports lazily, so that
`import gendsl` and `gendsl check` never pay for TensorFlow. Learned models
load their shipped weights (gendsl/weights/) by name; any model also loads
from a folder written by `model.save(path)` (config.json names its kind).
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

from ..lang.errors import GendslError, suggestion_hint
from .protocol import GenerativeModel

@dataclass(frozen=True)
class Kind:
    """One kind of model gendsl loads: its class, where it is shipped, and how it loads."""

    cls: str  # "module:Class", imported when first needed
    shipped: tuple[str, ...] = ()  # its folders in gendsl/weights/; the kind's own name loads the first
    draws: bool = True  # a generative model (protocol.py); the captioner and hashing read pictures instead
    numpy: bool = False  # loads without TensorFlow
    any_size: bool = False  # draws at the size asked (a renderer); a learned model draws at its native size


# The one table of loadable models; the views below are read from it.
KINDS = {
    "world": Kind("gendsl.models.world:WorldModel", numpy=True, any_size=True),
    "digits": Kind("gendsl.models.world:DigitsWorldModel", numpy=True, any_size=True),
    "cgan": Kind("gendsl.models.cgan:CGAN", ("cgan-world-32", "cgan-digits")),
    "cvae": Kind("gendsl.models.cvae:CVAE", ("cvae-world-32",)),
    "sparse": Kind("gendsl.models.sparse:SparseCoding", ("sparse-photos",), numpy=True),
    "rbm": Kind("gendsl.models.rbm:RBM", ("rbm-digits",), numpy=True),
    "helmholtz": Kind("gendsl.models.helmholtz:Helmholtz", numpy=True),
    "ae": Kind("gendsl.models.autoencoder:Autoencoder"),
    "captioner": Kind("gendsl.retrieval.captioner:Captioner", ("captioner-world-32",), draws=False),
    "hashing": Kind("gendsl.retrieval.hashing:Hashing", ("hashing-world-32",), draws=False),
}
WEIGHTS = Path(__file__).resolve().parents[1] / "weights"


def shipped(draws: bool = True) -> dict[str, str]:
    """name -> the shipped folder it loads: each kind by its own name (its first folder), each folder by its own."""
    out = {}
    for name, kind in KINDS.items():
        if kind.draws == draws and kind.shipped:
            out.update({name: kind.shipped[0], **{folder: folder for folder in kind.shipped}})
    return out


REGISTRY = {name: kind.cls for name, kind in KINDS.items() if kind.draws}  # the generative models, by kind
SHIPPED = shipped()
NUMPY_KINDS = {name for name, kind in KINDS.items() if kind.numpy}  # no TensorFlow needed to load these
DRAWS_ANY_SIZE = {name for name, kind in KINDS.items() if kind.any_size}


def names() -> list[str]:
    return sorted({*REGISTRY, *SHIPPED})


def class_of(kind: str):
    """The class of a kind in KINDS, imported now (TensorFlow first, quietly, for a Keras one)."""
    module, _, attr = KINDS[kind].cls.partition(":")
    if not KINDS[kind].numpy:  # every other model is Keras: import TensorFlow without its terminal noise
        from .._tf import import_tensorflow_quietly
        import_tensorflow_quietly()
    return getattr(importlib.import_module(module), attr)


def check_name(name: str) -> None:
    """Raise a helpful error unless `name` is a known model or a saved model folder."""
    if name in REGISTRY or name in SHIPPED or (Path(name) / "config.json").is_file():
        return
    hint = suggestion_hint(name, names(), cutoff=0.5) or f"known models: {', '.join(names())}"
    raise GendslError(f'no model named "{name}" (and no saved model folder at {name}); {hint}')


def load_folder(path: str | Path) -> GenerativeModel:
    from .folder import read_config_json
    path = Path(path)
    kind = read_config_json(path).get("kind")  # bounded, and every number in it checked
    if kind not in REGISTRY:
        raise GendslError(f"{path}/config.json names an unknown model kind {kind!r}")
    return class_of(kind).load(path)


def world_of(name_or_path: str):
    """The world a model speaks (by name or folder): a renderer's own, else the one its config.json names, so a
    saved model carries its language; None for a model conditioned on no world (the sparse code)."""
    from .. import worlds
    from .folder import read_config_json

    name = str(name_or_path)
    check_name(name)
    if name in REGISTRY and name not in SHIPPED:
        return worlds.get(class_of(name).world_name) if hasattr(class_of(name), "world_name") else None
    saved = read_config_json(WEIGHTS / SHIPPED[name] if name in SHIPPED else Path(name))
    return worlds.from_signature(saved["world"], name) if saved.get("world") is not None else None


def load(name_or_path: str, size: int | None = None) -> GenerativeModel:
    """A model by name (learned ones with their shipped weights) or from a saved folder.

    `size` matters only for models that draw any size (the world). The model remembers
    how it was asked for (`model.ref`), which images record so that restore can find it again.
    """
    model = _load(str(name_or_path), size)
    model.ref = str(name_or_path)
    return model


def _load(name_or_path: str, size: int | None) -> GenerativeModel:
    check_name(name_or_path)
    if name_or_path in SHIPPED:
        folder = WEIGHTS / SHIPPED[name_or_path]
        if not (folder / "config.json").is_file():
            raise GendslError(f'no trained "{name_or_path}" is shipped in this copy of gendsl ({folder} is missing); '
                              f"train one with: gendsl train {name_or_path.split('-')[0]} --out runs/mine, "
                              "then use --model runs/mine")
        return load_folder(folder)
    if name_or_path in DRAWS_ANY_SIZE:
        return class_of(name_or_path)(size=size) if size else class_of(name_or_path)()
    if name_or_path in REGISTRY:
        raise GendslError(f'"{name_or_path}" has no shipped weights; train one with gendsl train')
    return load_folder(name_or_path)
