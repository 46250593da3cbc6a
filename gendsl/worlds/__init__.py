"""Every world gendsl knows, found in one registry.

    gendsl.worlds.get("digits")                  # a built-in world, by name
    gendsl.worlds.from_folder("my_photos")       # a user's world: my_photos/world.toml
    gendsl.worlds.from_signature(config["world"])  # the world a saved model was trained on

Built-in worlds are built once, lazily (`gendsl check` never pays for a renderer it does not use).
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

from .. import limits
from ..lang.errors import GendslError, suggestion_hint
from .base import World

BUILT_IN = {"scene": "gendsl.worlds.scene.world:SceneWorld", "digits": "gendsl.worlds.digits:DigitsWorld"}
DEFAULT = "scene"  # the world of a sketch, a model or an image that names none
TOML = "world.toml"


OLD_NAMES = {"digits-world": "digits"}  # `--data digits-world`: what runs called the digits world before it had one


def names() -> list[str]:
    return list(BUILT_IN)


def built_in(name: str) -> str | None:
    """The registered name `name` stands for (itself, or an old name of it), or None."""
    name = OLD_NAMES.get(name, name)
    return name if name in BUILT_IN else None


def get(name: str) -> World:
    name = OLD_NAMES.get(name, name)
    if name not in BUILT_IN:
        hint = suggestion_hint(name, names(), cutoff=0.5) or f"worlds: {', '.join(names())}"
        raise GendslError(f'no world named "{name}"; {hint} (or a folder with a {TOML})')
    return _build(name)


@cache
def _build(name: str) -> World:
    import importlib

    module, _, attr = BUILT_IN[name].partition(":")
    return getattr(importlib.import_module(module), attr)()


def default() -> World:
    """The world spoken where none is named (sketches without a `world` line, models saved before worlds had names)."""
    return get(DEFAULT)


def from_folder(path) -> World:
    """The world of a data folder: its world.toml (its own words)."""
    from ..lang.textfile import read_text
    from .words import WordsWorld

    file = Path(path) / TOML
    return WordsWorld.from_toml(read_text(file, "world file", limits.MAX_SKETCH_BYTES), str(file))


def from_signature(signature, where="a saved model") -> World:
    """The world a saved model's config.json names, rebuilt from its words; refuses one that differs from the
    built-in world of that name (another vocabulary or renderer version)."""
    from .words import WordsWorld, check_table

    if not isinstance(signature, dict):
        raise GendslError(f"{where} names no world it was trained on")
    name = signature.get("world", DEFAULT)  # the scene world's signature predates world names
    if name in BUILT_IN:
        if signature != get(name).signature():
            raise GendslError(f"{where} was trained on another world (another version of the {name} world: other "
                              "words or renderer version); retrain it with `gendsl train`")
        return get(name)
    words = signature.get("words")
    if not isinstance(name, str) or not isinstance(words, dict):
        raise GendslError(f"{where} names a world without words")
    world = WordsWorld(name, check_table(words, str(where)), str(signature.get("world_version", "1")))
    if signature.get("dim") != world.dim:
        raise GendslError(f"{where}: its world's words make {world.dim} numbers, not {signature.get('dim')}")
    return world
