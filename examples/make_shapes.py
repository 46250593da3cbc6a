"""Writes examples/shapes/: 96 small pictures of shapes, their captions, and the world.toml of their words.

    python examples/make_shapes.py      # the same bytes every time (seeded)

A stand-in for a folder of your own photos: `gendsl train cgan --data examples/shapes --out runs/mine`,
then a sketch that says `use runs/mine` speaks these words (circle, ring, red, small ...).
"""
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

OUT = Path(__file__).parent / "shapes"
SIZE = 32
COLORS = {"red": (220, 40, 40), "green": (40, 170, 60), "blue": (40, 80, 220)}
WORLD = '''name = "shapes"
# kinds -> words -> synonyms: the only words a sketch of a model trained here may use
[object]
circle = ["ring", "disc"]
square = ["box"]
triangle = []
[color]
red = ["crimson"]
green = []
blue = []
[size]
small = ["little"]
large = ["big"]
'''
SAY = {"circle": ["circle", "ring", "disc"], "square": ["square", "box"], "triangle": ["triangle"],
       "red": ["red", "crimson"], "green": ["green"], "blue": ["blue"], "small": ["small", "little"],
       "large": ["large", "big"]}


def draw(shape: str, color: str, size: str, rng: np.random.Generator) -> Image.Image:
    image = Image.new("RGB", (SIZE, SIZE), (235, 230, 215))
    half = (5 if size == "small" else 11) + int(rng.integers(0, 2))
    cx, cy = (int(rng.integers(half + 1, SIZE - half - 1)) for _ in range(2))
    box = (cx - half, cy - half, cx + half, cy + half)
    pen = ImageDraw.Draw(image)
    if shape == "circle":
        pen.ellipse(box, fill=COLORS[color])
    elif shape == "square":
        pen.rectangle(box, fill=COLORS[color])
    else:
        pen.polygon([(cx, cy - half), (cx - half, cy + half), (cx + half, cy + half)], fill=COLORS[color])
    return image


def main() -> None:
    rng = np.random.default_rng(0)
    OUT.mkdir(exist_ok=True)
    (OUT / "world.toml").write_text(WORLD)
    lines = []
    for k in range(96):
        shape, color, size = (str(rng.choice(v)) for v in (["circle", "square", "triangle"], list(COLORS),
                                                           ["small", "large"]))
        name = f"{k:03d}.png"
        draw(shape, color, size, rng).save(OUT / name, optimize=True)
        words = [str(rng.choice(SAY[w])) for w in (size, color, shape)]
        lines.append(f"{name}\t{'a' if rng.random() < 0.7 else 'the'} {' '.join(words)}")
    (OUT / "captions.txt").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
