"""Hostile inputs for tests/test_fuzz.py: sketches, files and folders, PNG metadata, model folders.

Each builder writes what it needs under a folder and returns cases for tests/fuzz_driver.py:
{"name", "argv", "cwd"}. All of them must end with exit code 2 and a message.
"""
from __future__ import annotations

import json
import os
import random
import struct
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SKETCHES = sorted((ROOT / "sketches").glob("*.sketch"))
WORLD = 'use world\nsize 32\nseed 1\nvariations 2\nscene "cars": a {red | blue} car on the beach\n'

# (name, sketch text): each the issue found breaking, or its close kin
HOSTILE_SKETCHES = [
    ("escape N", 'title "\\N"\nscene "a": a car\n'),
    ("escape x", 'scene "\\x4": a car\n'),
    ("escape u", 'scene "\\u12": a car\n'),
    ("nul in name", 'scene "a\x00b": a car\n'),
    ("nul in scene", 'scene "a": a red\x00 car\n'),
    ("long seed", "seed " + "9" * 5000 + '\nscene "a": a car\n'),
    ("long weight", 'scene "a": a {' + "9" * 5000 + ':red | blue} car\n'),
    ("long blend", 'scene "a": a (red:' + "9" * 5000 + ", blue:1) car\n"),
    ("long frames", 'scene "a": a car\nmorph "a" -> "a" in ' + "9" * 5000 + " frames\n"),
    ("long grid value", 'scene "a": a {red|blue} car\ngrid "a" by seed [' + "9" * 5000 + "]\n"),
    ("overflowing blend", 'scene "a": a (red:' + "9" * 15 + ", blue:" + "9" * 15 + ") car\n"),
    ("deep braces", 'scene "a": a ' + "{" * 500 + "red" + "}" * 500 + " car\n"),
    ("long variant line", 'scene "a": a ' + "{red|blue} " * 2000 + "car\n"),
    ("let chain 1200", "".join(f"let v{i} = $v{i + 1}\n" for i in range(1200)) + 'let v1200 = red\nscene "a": a $v0 car\n'),
    ("doubling lets", "".join(f"let v{i} = $v{i + 1} $v{i + 1}\n" for i in range(22)) + 'let v22 = red\nscene "a": a car\n'),
    # a no-break space is a space people type (issue 14): it compiles now; invisible characters do not
    ("zero width space", 'scene "a": a\u200bred car\n'),
    ("line separator", 'scene "a": a red\u2028 car\n'),
    ("next line", 'scene "a": a red\u0085 car\n'),
    ("bom", '\ufeffscene "a": a car\n'),
    ("long name", 'scene "' + "n" * 5000 + '": a car\n'),
    ("long wildcard name", 'scene "a": a __' + "w" * 5000 + "__ car\n"),
    ("long variable name", "let " + "v" * 5000 + ' = red\nscene "a": a car\n'),
]


def mutations(n: int, seed: int) -> list[tuple[str, str]]:
    """Truncations and random edits of the shipped sketches, with the characters that broke things."""
    rng = random.Random(seed)
    pieces = ["{", "}", "|", "$", "__", '"', "\\N", "\\", "\x00", "\u00a0", "\u2028", "\x85", "9" * 30, "(", ")",
              ":", "\n", "let x = ", "scene ", "grid ", "by ", "#", "->", "0:", "é", "\t", "{{{{{{{{"]
    out = []
    for i in range(n):
        path = SKETCHES[i % len(SKETCHES)]
        text = path.read_text()
        kind = rng.choice(["truncate", "insert", "delete", "duplicate"])
        at = rng.randrange(len(text) + 1)
        if kind == "truncate":
            text = text[:at]
        elif kind == "insert":
            text = text[:at] + rng.choice(pieces) + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + rng.randrange(1, 20):]
        else:
            lines = text.splitlines(keepends=True)
            line = rng.choice(lines) if lines else ""
            text = text + line * rng.randrange(2, 40)
        out.append((f"{kind} {path.name} #{i}", text))
    return out


def sketch_cases(folder: Path, sketches: list[tuple[str, str]], command: str = "check") -> list[dict]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "wildcards").mkdir(exist_ok=True)
    cases = []
    for i, (name, text) in enumerate(sketches):
        path = folder / f"s{i:04d}.sketch"
        path.write_text(text, encoding="utf-8")
        argv = [command, str(path)] + (["--out", str(folder / "out"), "--quiet"] if command == "render" else [])
        cases.append({"name": name, "argv": argv})
    return cases


def file_cases(folder: Path) -> list[dict]:
    """Sketch paths and wildcard files that are not small regular UTF-8 files."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a folder.sketch").mkdir()
    (folder / "loop.sketch").symlink_to("loop.sketch")
    os.mkfifo(folder / "fifo.sketch")
    (folder / "latin1.sketch").write_bytes('scene "a": a caf\xe9 car\n'.encode("latin-1"))
    with open(folder / "huge.sketch", "wb") as f:  # 2 GB, sparse: costs no disk
        f.truncate(2 * 1024 ** 3)
    paths = ["", "a folder.sketch", "loop.sketch", "fifo.sketch", "latin1.sketch", "huge.sketch", "missing.sketch"]
    paths += [p for p in ("/dev/zero", "/dev/urandom") if os.path.exists(p)]
    cases = [{"name": f"sketch path {p!r}", "argv": ["check", p]} for p in paths]
    wild = folder / "wild"
    (wild / "wildcards").mkdir(parents=True)
    (wild / "wildcards" / "folder.txt").mkdir()
    os.mkfifo(wild / "wildcards" / "fifo.txt")
    (wild / "wildcards" / "loop.txt").symlink_to("loop.txt")
    (wild / "wildcards" / "latin1.txt").write_bytes("caf\xe9\n".encode("latin-1"))
    (wild / "wildcards" / "nbsp.txt").write_text("red\u200bcar\n")  # invisible; a no-break space is a space
    (wild / "wildcards" / "self.txt").write_text("__self__ __self__\n")
    with open(wild / "wildcards" / "huge.txt", "wb") as f:
        f.truncate(2 * 1024 ** 3)
    for name in ("folder", "fifo", "loop", "latin1", "nbsp", "self", "huge", "missing"):
        (wild / f"{name}.sketch").write_text(f'scene "a": a __{name}__ car\n')
        cases.append({"name": f"wildcard {name}", "argv": ["check", str(wild / f"{name}.sketch")]})
    return cases


def world_png(folder: Path) -> Path:
    """A real PNG gendsl wrote (the world model at 32 px: fast, and no TensorFlow)."""
    import gendsl
    image, = gendsl.generate("a red car on the beach", seeds=[3], model="world", size=32)
    return image.save(folder / "real.png")


def png_with_text(path: Path, width: int, height: int, text: str, pixels: bytes | None = None) -> Path:
    """A PNG written chunk by chunk, so its header can claim any size (a decompression bomb costs a few bytes)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    body = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    body += chunk(b"tEXt", b"gendsl\x00" + text.encode("latin-1", "replace"))
    body += chunk(b"IDAT", zlib.compress(pixels if pixels is not None else b"\x00" * 16))
    path.write_bytes(body + chunk(b"IEND", b""))
    return path


def restore_cases(folder: Path) -> list[dict]:
    """PNGs whose metadata was edited by hand, and a decompression bomb."""
    import gendsl
    folder.mkdir(parents=True, exist_ok=True)
    real = world_png(folder)
    meta = gendsl.read_metadata(real)
    edits = {"a list": [1, 2], "a string": "x", "null": None}
    for key, values in {"seed": ["7", -1, 2 ** 40, 1.5, True, None], "upscale": [0, -1, "x", 250, 400, 1.5],
                        "variation_seed": [-3, "x"], "strength": [2, "x", float("inf")], "size": [7, "x"],
                        "scene_text": [5, "a\u200bcar", "x" * 100_000], "model": [["world"], "/etc", ""],
                        "resample": ["lanczos"], "world": [["scene"]], "kind": [["image"], "sheet"]}.items():
        for value in values:
            edits[f"{key}={value!r:.30}"] = {**meta, key: value}
    cases = []
    for i, (name, edited) in enumerate(edits.items()):
        path = png_with_text(folder / f"edited{i:03d}.png", 32, 32, json.dumps(edited))
        cases.append({"name": f"restore {name}", "argv": ["restore", str(path), "--out", str(folder / "out")]})
    bomb = png_with_text(folder / "bomb.png", 20_000, 20_000, json.dumps(meta))
    cases.append({"name": "restore a 20000x20000 png", "argv": ["restore", str(bomb), "--out", str(folder / "out")]})
    (folder / "not.png").write_bytes(b"not a png at all")
    cases.append({"name": "restore a non-png", "argv": ["restore", str(folder / "not.png"), "--out",
                                                         str(folder / "out")]})
    return cases


HOSTILE_CONFIGS = {
    "kind list": {"kind": ["world"]}, "config null": {"kind": "cgan", "format": 1, "config": None},
    "z_dim text": {"kind": "cgan", "format": 1, "config": {"z_dim": "abc"}},
    "z_dim negative": {"kind": "cgan", "format": 1, "config": {"z_dim": -5}},
    "width huge": {"kind": "cgan", "format": 1, "config": {"width": 100_000}},
    "size text": {"kind": "world", "size": "x"}, "a list": [1, 2], "kind os": {"kind": "os:system"},
    "pickle kind": {"kind": "pickle"}, "deep": json.loads("[" * 50 + "]" * 50),
}


def model_cases(folder: Path) -> list[dict]:
    """Model folders with damaged or hostile config.json files."""
    folder.mkdir(parents=True, exist_ok=True)
    sketch = folder / "world.sketch"
    sketch.write_text(WORLD)
    cases = []
    for i, (name, config) in enumerate({**HOSTILE_CONFIGS, "not utf-8": None}.items()):
        model = folder / f"model{i}"
        model.mkdir()
        if config is None:
            (model / "config.json").write_bytes(b"\xff\xfe{}")
        else:
            (model / "config.json").write_text(json.dumps(config))
        (model / "generator.weights.h5").write_bytes(b"")
        cases.append({"name": f"model {name}", "argv": ["render", str(sketch), "--model", str(model), "--out",
                                                        str(folder / "out"), "--quiet"]})
    return cases


def option_cases(folder: Path) -> list[dict]:
    """Hostile command-line values for a valid sketch."""
    folder.mkdir(parents=True, exist_ok=True)
    sketch = folder / "world.sketch"
    sketch.write_text(WORLD)
    (folder / "taken.png").mkdir()
    out = str(folder / "out")
    render = ["render", str(sketch), "--quiet"]
    options = {"upscale 0": ["--upscale", "0"], "upscale 9": ["--upscale", "9"], "upscale 200": ["--upscale", "200"],
               "strength without a variation seed": ["--strength", "0.5"],
               "seed -1": ["--seed", "-1"], "seed 2**40": ["--seed", str(2 ** 40)],
               "variations 0": ["--variations", "0"], "strength nan": ["--variation-seed", "1", "--strength", "nan"],
               "grid nosuch": ["--grid", "nosuch by seed"], "grid cars by": ["--grid", "cars by"],
               "grid strength 2": ["--grid", "cars by strength [2]"], "grid long": ["--grid", "cars by " + "x" * 5000],
               "missing model folder": ["--model", str(folder / "nowhere")]}
    cases = [{"name": name, "argv": [*render, "--out", out, *extra]} for name, extra in options.items()]
    cases.append({"name": "out empty", "argv": [*render, "--out", ""]})
    cases.append({"name": "out is a file", "argv": [*render, "--out", str(sketch)]})
    taken = folder / "taken.sketch"
    taken.write_text('use world\nsize 32\nscene "taken": a car\n')
    cases.append({"name": "output name is a folder", "argv": ["render", str(taken), "--out", str(folder), "--seed",
                                                              "0", "--variations", "1", "--quiet"]})
    (folder / "taken-0000.png").mkdir()
    for text in ("a {red|blue} car", "a (red:1e308) car", "a\u2028car", "x" * 100_000):
        cases.append({"name": f"scene {text[:20]!r}", "argv": ["scene", text, "--seed", "-1"]})
    return cases
