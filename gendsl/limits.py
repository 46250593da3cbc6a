"""Limits and defaults shared by the language, the CLI and the playground.

Each limit exists so that a typo ("variations 100000") gets a message instead
of filling a disk or a queue. They live in a leaf module that any layer may import.
"""
from __future__ import annotations

SIZES = (32, 64, 128)  # image sizes the models and the world draw natively
DEFAULT_SIZE = 64
DEFAULT_MODEL = "cgan"  # the shipped cGAN (gendsl/weights/cgan-world-32)
DEFAULT_VARIATIONS = 4
DEFAULT_MORPH_FRAMES = 12
MODES = ("random", "combinatorial", "cyclic")  # how a scene's variants are chosen per image
SEED_MODES = ("increment", "fixed", "random")  # how a run's seeds follow its first seed

MAX_SEED = 2**32 - 1
MAX_VARIATIONS = 1000  # images per scene in one run
MAX_IMAGES_PER_RUN = 10_000
MAX_GRID_SIDE = 32  # rows or columns of a contact sheet
MAX_COMBINATIONS = 1_000  # variant combinations of one scene in combinatorial mode
MAX_UPSCALE = 8  # display upscaling factor
MAX_DISPLAY_SIDE = 2_048  # pixels on a side of any image written for display
MAX_FRAMES = 240  # frames of a morph
MAX_SKETCH_BYTES = 256_000
MAX_SCENE_CHARS = 2_000
MAX_EXPANSIONS_CHECKED = 1_000  # combinations `gendsl check` tries per scene
MAX_WILDCARD_DEPTH = 8
