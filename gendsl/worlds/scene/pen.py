"""Drawing in box units: the Pen, the fixed part colours, and shade helpers for the shape files.

Shapes are written in box units (u across, v down, both 0..1) with the front at
u = 1, so facing left is one mirror in `Pen`.
"""
from __future__ import annotations

from PIL import ImageDraw

RGB = tuple[int, int, int]

# Colours of the parts that are not the body: they stay fixed so objects stay readable.
BLACK = (25, 25, 28)
TYRE = (30, 30, 32)
HUB = (150, 150, 155)
GLASS = (70, 110, 150)
GLASS_LIGHT = (150, 200, 235)
WHITE = (245, 245, 245)
POLE = (135, 135, 140)
TRUNK = (110, 70, 35)
DOOR = (110, 65, 30)

def shade(color: RGB, factor: float) -> RGB:
    """Darker (factor < 1) or lighter (factor > 1, towards white) version of a colour."""
    if factor <= 1:
        return tuple(int(c * factor) for c in color)
    return tuple(int(c + (255 - c) * (factor - 1)) for c in color)


def outline_of(color: RGB) -> RGB:
    """An edge colour that stands out from the body: dark for light bodies, light for dark ones."""
    luma = 0.3 * color[0] + 0.59 * color[1] + 0.11 * color[2]
    return shade(color, 0.45) if luma > 70 else shade(color, 1.45)


class Pen:
    """Draws in box units (u, v) on the canvas, mirrored when the object faces left."""

    def __init__(self, d: ImageDraw.ImageDraw, box, facing_right: bool):
        self.d = d
        self.x0, self.y0, x1, y1 = box
        self.w, self.h = x1 - self.x0, y1 - self.y0
        self.flip = not facing_right
        self.lw = max(1, round(self.h * 0.05)) if self.h < 40 else max(2, round(self.h * 0.035))

    def pt(self, u: float, v: float) -> tuple[float, float]:
        return (self.x0 + (1 - u if self.flip else u) * self.w, self.y0 + v * self.h)

    def poly(self, pts, fill, edge=None):
        self.d.polygon([self.pt(u, v) for u, v in pts], fill=fill, outline=edge, width=self.lw if edge else 0)

    def rect(self, u0, v0, u1, v1, fill, edge=None):
        (a, b), (c, e) = self.pt(u0, v0), self.pt(u1, v1)
        self.d.rectangle((min(a, c), b, max(a, c), e), fill=fill, outline=edge, width=self.lw if edge else 0)

    def oval(self, u0, v0, u1, v1, fill, edge=None, grow=0.0):
        (a, b), (c, e) = self.pt(u0, v0), self.pt(u1, v1)
        g = grow * self.lw
        self.d.ellipse((min(a, c) - g, b - g, max(a, c) + g, e + g), fill=fill, outline=edge,
                       width=self.lw if edge else 0)

    def circle(self, u, v, r, fill, edge=None, grow=0.0):
        """A round circle of radius r in units of the box height, whatever the box's aspect."""
        x, y = self.pt(u, v)
        rr = r * self.h + grow * self.lw
        self.d.ellipse((x - rr, y - rr, x + rr, y + rr), fill=fill, outline=edge, width=self.lw if edge else 0)

    def line(self, pts, fill, width=1.0):
        self.d.line([self.pt(u, v) for u, v in pts], fill=fill, width=max(1, round(self.lw * width)))

    def wheel(self, u, v, r):
        self.circle(u, v, r, TYRE)
        self.circle(u, v, r * 0.45, HUB)


def luma(color: RGB) -> float:
    return 0.3 * color[0] + 0.59 * color[1] + 0.11 * color[2]
