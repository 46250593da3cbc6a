"""Start a conditional model's generator from an earlier saved one (`gendsl train cgan --init-from FOLDER`).

Layers are matched by name. A convolution that reads the maps reads [features | maps | tiled latent]:
where the earlier network read the format-1 layout maps (28 channels, with a facing channel that format
2 no longer has) the weights of that channel are dropped; the weights of new map channels (each
instance's noise, conditioning "instances"; the backdrop's details, "details") and of new latent channels
start at zero, so the copy starts out drawing what the old network drew; where its latent was longer the
first rows of the projection are kept. Every other layer must have the same shape, or nothing is copied and the error says which.
The discriminator and the encoder start fresh: the saved folder holds only the sampler.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ..lang.errors import GendslError
from .blocks import build_generator
from .conditional import load_weights, networks_shape
from ..worlds.scene.layout_maps import OLD_FACING_CHANNEL


def _fit(name: str, old: np.ndarray, new_shape: tuple, old_reads: tuple, new_reads: tuple, dropped: int) -> np.ndarray:
    """old's weights in new_shape. `*_reads` = (map channels, tiled latent channels) each network's
    map-reading convolutions take after their features."""
    if old.shape == new_shape:
        return old
    (old_maps, old_z), (new_maps, new_z) = old_reads, new_reads
    features = old.shape[2] - old_maps - old_z if old.ndim == 4 else -1
    if old.ndim == 4 and old.shape[:2] == new_shape[:2] and old.shape[3] == new_shape[3] and features >= 0 \
            and new_shape[2] == features + new_maps + new_z:
        maps = old[:, :, features:features + old_maps]
        if dropped:
            maps = np.delete(maps, OLD_FACING_CHANNEL, axis=2)
        latent = old[:, :, features + old_maps:]
        if maps.shape[2] <= new_maps and latent.shape[2] <= new_z:
            def zeros(k):
                return np.zeros((*old.shape[:2], k, old.shape[3]), old.dtype)
            return np.concatenate([old[:, :, :features], maps, zeros(new_maps - maps.shape[2]),
                                   latent, zeros(new_z - latent.shape[2])], axis=2)
    if old.ndim == 2 and name.startswith("project") and old.shape[0] >= new_shape[0] and old.shape[1] == new_shape[1]:
        return old[:new_shape[0]]
    raise GendslError(f"cannot start from that model: layer {name} has shape {old.shape}, this one {new_shape}")


def _reads(config: dict, channels: int) -> tuple[int, int]:
    return channels, (config["z_dim"] if config.get("z_everywhere") else 0)


def init_generator(model, path) -> None:
    """Copy the saved sampler's weights into model.sampler (and the generator it trains, when it has one)."""
    path = Path(path)
    try:
        saved = json.loads((path / "config.json").read_text())
        config = saved["config"]
        dropped = int(saved.get("world", {}).get("world_version") == "1")
        conditioning = config.get("conditioning", "layout")
        if conditioning == "flat":
            raise ValueError("it reads no layout maps")
        widths = [model.world.map_width(conditioning) + dropped]
        if conditioning == "details":  # the first details runs had no star channel (issue 12)
            widths.append(widths[0] - 1)
    except (OSError, KeyError, TypeError, ValueError) as error:
        raise GendslError(f"cannot start from {path}: {error}") from None
    for k, channels in enumerate(widths):
        old = build_generator(config["size"], config["z_dim"], config["width"], conditioning,
                              channels=channels, z_everywhere=bool(config.get("z_everywhere", False)))
        try:
            load_weights(old, path / "generator.weights.h5")
            break
        except GendslError:
            if k == len(widths) - 1:
                raise
    old_reads = _reads(config, channels)
    new_reads = _reads({"z_dim": model.config.z_dim, "z_everywhere": model.config.z_everywhere},
                       networks_shape(model)["channels"] if model.config.conditioning != "flat" else 0)
    targets = [model.sampler] + ([model.generator] if hasattr(model, "generator") else [])
    for target in targets:
        for layer in target.layers:
            if not layer.weights:
                continue
            try:
                source = old.get_layer(layer.name)
            except ValueError:
                raise GendslError(f"cannot start from {path}: it has no layer {layer.name}") from None
            layer.set_weights([_fit(layer.name, w, tuple(v.shape), old_reads, new_reads, dropped)
                               for w, v in zip(source.get_weights(), layer.weights)])
