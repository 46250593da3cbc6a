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

# Bounds on what a hostile or mistaken input can make gendsl do: each keeps work, memory and
# file access small and gets a message (checked in gendsl/lang/checks.py, the one place).
MAX_NUMBER_CHARS = 16  # characters of any number written in a sketch (Python itself refuses past 4,300 digits)
MAX_NAME_CHARS = 100  # a scene, variable or wildcard name
MAX_NESTING = 16  # variants, variables and wildcards inside one another (`{a | {b | {c …}}}`, `$a` using `$b` …)
MAX_EXPANSION_CHARS = 10_000  # the longest text any template can expand to, known before anything is drawn
MAX_EXPANSION_STEPS = 100_000  # pieces walked to expand one image (wildcard files included)
MAX_WEIGHT = 1e6  # an option's or a blend part's weight
MAX_PNG_BYTES = 20_000_000  # a PNG read back (restore; the playground's upload limit too)
MAX_IMAGE_PIXELS = 6_000 * 6_000  # any image decoded, labelled grids included (a decompression bomb is refused)
MAX_CONFIG_BYTES = 1_000_000  # a saved model's config.json
MAX_MODEL_INT = 100_000  # any whole number in a saved model's config (training steps included)
MAX_AVERAGED = 16  # models whose weights `gendsl average` takes the mean of
# tighter where a network is built from the number before any weight is read (memory grows with it)
MODEL_FIELD_MAX = {"width": 512, "disc_width": 512, "widths": 1024, "z_dim": 4_096, "code": 4_096, "dim": 4_096,
                   "features": 4_096, "slot_dim": 4_096, "head": 4_096, "mlp": 16_384, "hidden": 16_384,
                   "visible": 16_384, "atoms": 16_384, "bits": 4_096, "layers": 16_384, "heads": 64, "size": 128}
