"""One drawing function per object: side views with silhouettes a person knows.

Every function has the signature `draw(d, box, color, facing_right, rng)`:
`d` is an ImageDraw on the supersampled canvas, `box` is (x0, y0, x1, y1) in
canvas pixels, `color` the body RGB. Shapes are written in box units (u across,
v down, both 0..1) with the front at u = 1, so facing left is one mirror in `Pen`.

The rng only varies small things (shade, proportions). Each shape draws a fixed
number of values whatever the box size, so one seed lays out the same picture
at every image size.
"""
from __future__ import annotations

import math

import numpy as np
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

# Natural body colours, used when a scene names no colour.
NATURAL: dict[str, RGB] = {
    "school bus": (250, 190, 15),
    "car": (200, 35, 35),
    "truck": (45, 95, 185),
    "boat": (240, 240, 240),
    "airplane": (225, 228, 235),
    "house": (225, 195, 145),
    "tree": (45, 145, 45),
    "stop sign": (205, 25, 30),
    "balloon": (220, 40, 50),
    "elephant": (135, 135, 140),
    "sun": (255, 210, 30),
    "cloud": (250, 250, 252),
}


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


def _jitter(color: RGB, rng: np.random.Generator, amount: float = 0.06) -> RGB:
    """A slightly lighter or darker body, so no two instances are quite the same."""
    f = 1 + rng.uniform(-amount, amount)
    return tuple(int(min(255, max(0, c * f))) for c in color)


def school_bus(d, box, color, facing_right, rng):
    p, body = Pen(d, box, facing_right), _jitter(color, rng)
    edge, n = outline_of(body), 6 + int(rng.integers(0, 2))
    p.poly([(0, 0.04), (0.84, 0.04), (0.87, 0.3), (0.99, 0.36), (1, 0.82), (0, 0.82)], body, edge)  # body + short hood
    for k in range(n):  # the row of passenger windows that says "bus"
        u = 0.05 + k * 0.74 / n
        p.rect(u, 0.13, u + 0.74 / n * 0.72, 0.4, GLASS, shade(body, 0.5))
    p.rect(0.81, 0.13, 0.86, 0.4, GLASS_LIGHT)  # windscreen
    p.rect(0, 0.5, 1, 0.56, BLACK)  # black rub rail
    p.rect(0.96, 0.62, 1.0, 0.8, BLACK)  # bumper
    for u in (0.17, 0.78):
        p.wheel(u, 0.82, 0.17)


def car(d, box, color, facing_right, rng):
    p, body = Pen(d, box, facing_right), _jitter(color, rng)
    edge, top = outline_of(body), 0.06 + rng.uniform(0, 0.06)
    p.poly([(0.22, 0.42), (0.32, top), (0.66, top), (0.8, 0.42)], body, edge)  # cabin
    p.poly([(0.28, 0.4), (0.35, top + 0.08), (0.49, top + 0.08), (0.49, 0.4)], GLASS_LIGHT)
    p.poly([(0.53, 0.4), (0.53, top + 0.08), (0.64, top + 0.08), (0.74, 0.4)], GLASS_LIGHT)
    p.poly([(0.0, 0.45), (0.04, 0.38), (0.95, 0.4), (1.0, 0.5), (1.0, 0.8), (0.0, 0.8)], body, edge)  # lower body
    p.rect(0.93, 0.48, 0.99, 0.56, (255, 235, 140))  # headlight
    for u in (0.2, 0.78):
        p.wheel(u, 0.8, 0.2)


def truck(d, box, color, facing_right, rng):
    p, body = Pen(d, box, facing_right), _jitter(color, rng)
    edge = outline_of(body)
    box_top = rng.uniform(0.0, 0.06)
    p.rect(0.0, box_top, 0.66, 0.74, shade(body, 0.88), edge)  # tall cargo box, no windows
    p.line([(0.04, 0.38), (0.62, 0.38)], shade(body, 0.65), 0.7)
    p.poly([(0.7, 0.2), (0.88, 0.2), (1.0, 0.46), (1.0, 0.78), (0.7, 0.78)], body, edge)  # cab
    p.poly([(0.76, 0.26), (0.87, 0.26), (0.95, 0.45), (0.76, 0.45)], GLASS_LIGHT)
    p.rect(0.62, 0.7, 1.0, 0.78, BLACK)  # chassis
    for u in (0.13, 0.33, 0.84):
        p.wheel(u, 0.8, 0.17)


def boat(d, box, color, facing_right, rng):
    p, body = Pen(d, box, facing_right), _jitter(color, rng)
    edge, sail = outline_of(body), (250, 250, 245)
    sail_edge = (120, 120, 130)
    tip = 0.82 + rng.uniform(-0.04, 0.04)
    p.line([(0.5, 0.02), (0.5, 0.6)], (90, 60, 40), 1.2)  # mast
    p.poly([(0.53, 0.03), (0.53, 0.54), (tip, 0.54)], sail, sail_edge)  # main sail
    p.poly([(0.47, 0.12), (0.47, 0.54), (0.16, 0.54)], sail, sail_edge)  # jib
    p.poly([(0.0, 0.57), (1.0, 0.57), (0.84, 0.97), (0.14, 0.97)], body, edge)  # hull
    p.rect(0.06, 0.67, 0.92, 0.73, shade(body, 0.6))  # stripe along the hull


def airplane(d, box, color, facing_right, rng):
    p, body = Pen(d, box, facing_right), _jitter(color, rng)
    edge, dark = outline_of(body), shade(body, 0.78)
    p.poly([(0.0, 0.02), (0.1, 0.02), (0.22, 0.42), (0.04, 0.46)], body, edge)  # tail fin
    p.poly([(0.36, 0.52), (0.58, 0.52), (0.44, 0.98), (0.34, 0.98)], dark, edge)  # far wing, swept back
    p.poly([(0.02, 0.4), (0.86, 0.38), (0.96, 0.42), (1.0, 0.5), (0.96, 0.6), (0.86, 0.66), (0.08, 0.64)],
           body, edge)  # fuselage with a round nose
    p.poly([(0.02, 0.5), (0.14, 0.5), (0.06, 0.62)], dark)  # tail plane
    for k in range(8):  # cabin windows
        p.circle(0.3 + k * 0.065, 0.47, 0.045, GLASS)
    p.poly([(0.9, 0.44), (0.96, 0.45), (0.97, 0.5), (0.9, 0.5)], GLASS)  # cockpit
    p.poly([(0.46, 0.58), (0.62, 0.58), (0.5, 0.96), (0.42, 0.96)], body, edge)  # near wing


def house(d, box, color, facing_right, rng):
    p, body = Pen(d, box, facing_right), _jitter(color, rng)
    edge = outline_of(body)
    luma = 0.3 * body[0] + 0.59 * body[1] + 0.11 * body[2]
    reddish = body[0] > 150 and body[1] < 110
    roof = (70, 70, 80) if reddish or luma < 60 else (175, 45, 35)
    peak = 0.02 + rng.uniform(0, 0.06)
    p.rect(0.66, 0.06, 0.76, 0.34, (120, 70, 55), outline_of((120, 70, 55)))  # chimney
    p.rect(0.1, 0.42, 0.9, 0.99, body, edge)  # walls
    p.poly([(0.0, 0.46), (0.5, peak), (1.0, 0.46)], roof, outline_of(roof))  # roof
    p.rect(0.2, 0.6, 0.42, 0.99, DOOR, outline_of(DOOR))  # door
    p.rect(0.54, 0.56, 0.8, 0.8, GLASS_LIGHT, WHITE)  # window with a white frame
    p.line([(0.67, 0.56), (0.67, 0.8)], WHITE, 0.8)
    p.line([(0.54, 0.68), (0.8, 0.68)], WHITE, 0.8)


def tree(d, box, color, facing_right, rng):
    p, body = Pen(d, box, facing_right), _jitter(color, rng)
    edge = outline_of(body)
    p.rect(0.4, 0.55, 0.6, 1.0, TRUNK, outline_of(TRUNK))
    blobs = [(0.5, 0.24, 0.3), (0.26, 0.42, 0.22), (0.74, 0.42, 0.22), (0.5, 0.48, 0.22)]
    blobs = [(u + rng.uniform(-0.03, 0.03), v, r * rng.uniform(0.92, 1.06)) for u, v, r in blobs]
    # Radii are in box heights; the crown is drawn edge first, then fill, so only its silhouette is outlined.
    for u, v, r in blobs:
        p.circle(u, v, r * 0.62, edge, grow=1.0)
    for u, v, r in blobs:
        p.circle(u, v, r * 0.62, body)
    p.circle(blobs[0][0] - 0.08, 0.2, 0.05, shade(body, 1.25))  # a highlight gives the crown volume


def stop_sign(d, box, color, facing_right, rng):
    p, body = Pen(d, box, facing_right), _jitter(color, rng, 0.04)
    light = 0.3 * body[0] + 0.59 * body[1] + 0.11 * body[2] > 200
    trim = (70, 70, 75) if light else WHITE  # the rim and band contrast with any face colour
    tilt = rng.uniform(-0.02, 0.02)
    p.rect(0.4, 0.3, 0.6, 1.0, POLE, outline_of(POLE))
    cx, cy = p.pt(0.5 + tilt, 0.0)
    r = p.w * 0.5
    cy += r
    for radius, fill in ((r, trim), (r * 0.86, body)):  # rim, then the face
        pts = [(cx + radius * math.cos(math.pi / 8 + k * math.pi / 4),
                cy + radius * math.sin(math.pi / 8 + k * math.pi / 4)) for k in range(8)]
        d.polygon(pts, fill=fill, outline=(90, 90, 90) if fill is trim else None, width=p.lw if fill is trim else 0)
    band = r * 0.2
    d.rectangle((cx - r * 0.62, cy - band, cx + r * 0.62, cy + band), fill=trim)  # where STOP is written


def balloon(d, box, color, facing_right, rng):
    p, body = Pen(d, box, facing_right), _jitter(color, rng)
    sway = rng.uniform(-0.15, 0.15)
    p.line([(0.5, 0.74), (0.5 + sway, 0.87), (0.5 - sway * 0.5, 1.0)], (90, 90, 90), 0.7)  # string
    p.poly([(0.44, 0.78), (0.56, 0.78), (0.5, 0.7)], shade(body, 0.7))  # knot
    p.oval(0.02, 0.0, 0.98, 0.74, body, outline_of(body))
    p.oval(0.22, 0.1, 0.4, 0.3, shade(body, 1.5))  # shine


def elephant(d, box, color, facing_right, rng):
    p, body = Pen(d, box, facing_right), _jitter(color, rng)
    edge, dark = outline_of(body), shade(body, 0.8)
    leg = rng.uniform(-0.02, 0.02)
    for u in (0.16, 0.52):  # far legs, darker
        p.rect(u + leg, 0.55, u + 0.1 + leg, 0.97, dark, edge)
    p.line([(0.06, 0.3), (0.01, 0.6)], edge, 1.0)  # tail
    p.poly([(0.8, 0.25), (0.95, 0.3), (1.0, 0.62), (0.98, 0.96), (0.91, 0.96), (0.9, 0.62), (0.8, 0.5)],
           body, edge)  # trunk hanging down
    p.oval(0.04, 0.16, 0.8, 0.72, body, edge)  # body
    p.oval(0.66, 0.08, 0.95, 0.5, body, edge)  # head
    p.rect(0.26, 0.55, 0.38, 0.99, body, edge)  # near legs
    p.rect(0.62, 0.55, 0.74, 0.99, body, edge)
    p.oval(0.57, 0.1, 0.79, 0.6, dark, edge)  # the big ear
    p.poly([(0.88, 0.46), (0.95, 0.5), (0.84, 0.58)], WHITE)  # tusk
    p.circle(0.86, 0.26, 0.03, BLACK)  # eye


def sun(d, box, color, facing_right, rng):
    p, body = Pen(d, box, facing_right), _jitter(color, rng, 0.03)
    rays = shade(body, 0.9)
    cx, cy = p.pt(0.5, 0.5)
    r = min(p.w, p.h) / 2
    turn = rng.uniform(0, math.pi / 6)
    for k in range(12):  # triangular rays around the disc
        a = turn + k * math.pi / 6
        pts = [(cx + r * math.cos(a), cy + r * math.sin(a)),
               (cx + r * 0.6 * math.cos(a + 0.22), cy + r * 0.6 * math.sin(a + 0.22)),
               (cx + r * 0.6 * math.cos(a - 0.22), cy + r * 0.6 * math.sin(a - 0.22))]
        d.polygon(pts, fill=rays)
    d.ellipse((cx - r * 0.66, cy - r * 0.66, cx + r * 0.66, cy + r * 0.66), fill=body, outline=outline_of(body),
              width=p.lw)


def cloud(d, box, color, facing_right, rng):
    p, body = Pen(d, box, facing_right), _jitter(color, rng, 0.03)
    edge, under = outline_of(body), shade(body, 0.88)
    puffs = [(0.18, 0.62, 0.34), (0.4, 0.4, 0.4), (0.64, 0.45, 0.38), (0.84, 0.64, 0.3)]
    puffs = [(u + rng.uniform(-0.02, 0.02), v + rng.uniform(-0.04, 0.04), r) for u, v, r in puffs]
    for u, v, r in puffs:
        p.circle(u, v, r, edge, grow=1.0)
    p.rect(0.16, 0.62, 0.86, 0.94, edge)
    p.rect(0.17, 0.64, 0.85, 0.92, under)  # flat, shaded underside
    for u, v, r in puffs:
        p.circle(u, v, r, body)


DRAW = {
    "school bus": school_bus,
    "car": car,
    "truck": truck,
    "boat": boat,
    "airplane": airplane,
    "house": house,
    "tree": tree,
    "stop sign": stop_sign,
    "balloon": balloon,
    "elephant": elephant,
    "sun": sun,
    "cloud": cloud,
}
