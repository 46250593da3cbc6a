"""Subcommands that capabilities beyond the core loop add to `gendsl …`.

Each module in MODULES has `register(sub, train) -> dict[str, handler]`: it adds
its own subparsers to `sub`, its own options to the shared `train` parser, and
returns the `gendsl train KIND` handlers it owns. Modules must import lightly
(no TensorFlow at import time): `gendsl check` stays fast.
"""
from __future__ import annotations

import importlib

MODULES: list[str] = ["gendsl.commands.retrieval", "gendsl.commands.classic", "gendsl.commands.scale",
                      "gendsl.commands.worlds", "gendsl.commands.average"]


def extend(sub, train) -> dict:
    trainers: dict = {}
    for name in MODULES:
        trainers.update(importlib.import_module(name).register(sub, train) or {})
    return trainers
