"""Start a conditional model's generator from an earlier saved one (`gendsl train cgan --init-from FOLDER`).

Layers are matched by name. Where the earlier network read the format-1 layout maps (28
channels, with a facing channel that format 2 no longer has) the weights of that channel
are dropped; the weights of new latent channels start at zero; where its latent was longer
the first rows of the projection are kept. Every other layer must have the same shape, or
nothing is copied and the error says which.
The discriminator and the encoder start fresh: the saved folder holds only the sampler.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ..lang.errors import GendslError
from .blocks import build_generator
from .conditional import load_weights
from ..world.layout_maps import CHANNELS, OLD_FACING_CHANNEL


def _fit(name: str, old: np.ndarray, new_shape: tuple, dropped: int) -> np.ndarray:
    """old's weights in new_shape: the format-1 facing channel of the maps dropped (`dropped` of them), new
    latent channels appended at the end of a concatenation given zero weights (so the copy starts out drawing
    what the old network drew), a longer latent's projection cut to its first rows."""
    if old.shape == new_shape:
        return old
    if old.ndim == 4 and old.shape[:2] == new_shape[:2] and old.shape[3] == new_shape[3]:
        if dropped:
            at = old.shape[2] - (CHANNELS + 1) + OLD_FACING_CHANNEL  # the maps come last in format 1's concatenation
            old = np.delete(old, at, axis=2)
        extra = new_shape[2] - old.shape[2]
        if extra >= 0:
            return np.concatenate([old, np.zeros((*old.shape[:2], extra, old.shape[3]), old.dtype)], axis=2)
    if old.ndim == 2 and name.startswith("project") and old.shape[0] >= new_shape[0] and old.shape[1] == new_shape[1]:
        return old[:new_shape[0]]
    raise GendslError(f"cannot start from that model: layer {name} has shape {old.shape}, this one {new_shape}")


def init_generator(model, path) -> None:
    """Copy the saved sampler's weights into model.sampler (and the generator it trains, when it has one)."""
    path = Path(path)
    try:
        saved = json.loads((path / "config.json").read_text())
        config = saved["config"]
        dropped = int(saved.get("world", {}).get("world_version") == "1")
        old = build_generator(config["size"], config["z_dim"], config["width"], config.get("conditioning", "layout"),
                              channels=CHANNELS + dropped, z_everywhere=bool(config.get("z_everywhere", False)))
    except (OSError, KeyError, TypeError, ValueError) as error:
        raise GendslError(f"cannot start from {path}: {error}") from None
    load_weights(old, path / "generator.weights.h5")
    targets = [model.sampler] + ([model.generator] if hasattr(model, "generator") else [])
    for target in targets:
        for layer in target.layers:
            if not layer.weights:
                continue
            try:
                source = old.get_layer(layer.name)
            except ValueError:
                raise GendslError(f"cannot start from {path}: it has no layer {layer.name}") from None
            layer.set_weights([_fit(layer.name, w, tuple(v.shape), dropped)
                               for w, v in zip(source.get_weights(), layer.weights)])
