"""Backgrounds: one painter per place, plus the sky for day and night.

Texture (sky gradient, ground colour, grain, stars) is painted with numpy at the
output resolution, where one noise value is one final pixel, then scaled up to
the supersampled canvas; lines and shapes (parking bays, road markings, hills,
the moon) are drawn on the canvas so they come out anti-aliased.

`night` is a number in 0..1, not a flag, so a day/night blend fades smoothly.
"""
from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from . import vocab
from .ir import Attr, Blend

PLACES = vocab.PLACE.values

# Where the ground meets the sky, in 0..1 canvas heights (None: no ground at all).
HORIZON = {"parking lot": 0.44, "road": 0.46, "beach": 0.48, "grass field": 0.5, "snowy field": 0.5,
           "blue sky": None, "lake": 0.44}
# Where ground objects stand (the bottom of a tall pile; standing_band says how far back they may stand).
GROUND_Y = {"parking lot": 0.88, "road": 0.87, "beach": 0.9, "grass field": 0.9, "snowy field": 0.9,
            "blue sky": None, "lake": 0.94}
# How far the noise moves the horizon (up, down), and the band from far to near where things stand.
HORIZON_SHIFT = (-0.07, 0.05)
GROUND_BAND = {"parking lot": (0.64, 0.9), "road": (0.74, 0.9), "beach": (0.7, 0.93), "grass field": (0.66, 0.93),
               "snowy field": (0.66, 0.93), "lake": (0.9, 0.97)}
WATER_BAND = {"beach": (0.5, 0.6), "lake": (0.56, 0.8)}
SKY_WARM = np.array([250, 185, 140.0])  # a low sun warms the horizon

SKY_DAY = (np.array([70, 135, 225.0]), np.array([175, 210, 245.0]))  # top, horizon
SKY_NIGHT = (np.array([6, 10, 30.0]), np.array([28, 38, 78.0]))
MOON = (240, 238, 210)


def place_parts(place: Attr, rng: np.random.Generator) -> tuple[tuple[str, float], ...]:
    """(place, weight) pairs to paint; a missing place is picked from the noise stream."""
    if place is None:
        return ((PLACES[int(rng.integers(len(PLACES)))], 1.0),)
    parts = place.parts if isinstance(place, Blend) else ((place, 1.0),)
    for name, _ in parts:
        if name not in HORIZON:
            raise ValueError(f"unknown place {name!r}; places are: {', '.join(PLACES)}")
    return parts


def horizon(place: str | None, shift: float) -> float | None:
    """Where the ground meets the sky in this picture (None: an open sky)."""
    base = HORIZON.get(place, 0.5) if place else 0.5
    return None if base is None else base + shift


def standing_band(place: str | None, shift: float, afloat: bool) -> tuple[float, float]:
    """(far, near) heights where a grounded thing's base may stand; boats float on the water."""
    if afloat and place in WATER_BAND:
        far, near = WATER_BAND[place]
    else:
        far, near = GROUND_BAND.get(place, (0.7, 0.9))
    h = horizon(place, shift)
    return (max(far, h + 0.06) if h is not None else far), near


def night_amount(time: Attr) -> float:
    """0 for day (or no time given), 1 for night, the night weight for a blend."""
    if isinstance(time, Blend):
        return float(dict(time.parts).get("night", 0.0))
    return 1.0 if time == "night" else 0.0


def _mix(a, b, t):
    return a + (b - a) * t


def _sky_colors(night: float, warm: float, haze: float):
    """Zenith and horizon colours: day to night, a warmer horizon for a low sun, a paler zenith for haze."""
    top = _mix(_mix(SKY_DAY[0], SKY_DAY[1], haze), SKY_NIGHT[0], night)
    low = _mix(_mix(SKY_DAY[1], SKY_WARM, warm), SKY_NIGHT[1], night)
    return top, low


def _sky(size: int, horizon: float, top, low) -> np.ndarray:
    """A vertical gradient from the zenith to the horizon."""
    rows = np.clip(np.arange(size) / (size * max(horizon, 0.3)), 0, 1)[:, None]
    col = top + (low - top) * rows
    return np.broadcast_to(col[:, None, :], (size, size, 3)).copy()


def _grain(rng, shape, sigma):
    return rng.normal(0, sigma, shape)[..., None]


def _ground(arr, rng, top: float, colour, sigma, far=0.8):
    """Fill rows from `top` down with a colour that is darker far away, plus grain."""
    n = arr.shape[0]
    r0 = int(round(top * n))
    depth = np.linspace(far, 1.0, n - r0)[:, None, None]
    arr[r0:] = np.asarray(colour, float) * depth + _grain(rng, (n - r0, n), sigma)
    return r0


def _tone(rng, colour, spread=0.1, tint=10.0):
    """A place's colour, lighter or darker and a little warmer or cooler than its usual one."""
    f, t = 1 + rng.uniform(-spread, spread), rng.uniform(-1, 1) * tint
    return np.asarray(colour, float) * f + np.array([t, t * 0.3, -t])


def _paint(place: str, size: int, h: float, rng) -> tuple[np.ndarray, int]:
    """Ground texture at output resolution; returns the array and the first ground row."""
    arr = np.zeros((size, size, 3))
    if place == "blue sky":
        return arr, size
    if place == "parking lot":
        r0 = _ground(arr, rng, h, _tone(rng, (105, 105, 110), 0.14, 6), 6)
    elif place == "road":
        r0 = _ground(arr, rng, h, _tone(rng, (85, 150, 60), 0.12, 14), 8)
        a, b = int(round(0.62 * size)), int(round(0.97 * size))
        arr[a:b] = _tone(rng, (72, 72, 78), 0.15, 5) + _grain(rng, (b - a, size), 5)
    elif place == "beach":
        r0 = _ground(arr, rng, h, _tone(rng, (40, 105, 175), 0.12, 10), 5, far=0.75)  # the sea
        s = int(round(0.6 * size))
        arr[s:] = _tone(rng, (232, 208, 152.0), 0.06, 10) * np.linspace(0.92, 1.0, size - s)[:, None, None] \
            + _grain(rng, (size - s, size), 7)
    elif place == "grass field":
        r0 = _ground(arr, rng, h, _tone(rng, (85, 165, 60), 0.12, 16), 4, far=0.75)
        blades = rng.random((size - r0, size)) < rng.uniform(0.06, 0.18)  # short dark blades: the grass texture
        blades[1:] |= blades[:-1] & (rng.random((size - r0 - 1, size)) < 0.6)
        arr[r0:][blades] *= 0.84
    elif place == "snowy field":
        r0 = _ground(arr, rng, h, _tone(rng, (236, 241, 252), 0.04, 4), 3, far=0.86)
        arr[r0:, :, :2] -= np.abs(rng.normal(0, 6, (size - r0, size)))[..., None]  # blue shadows in the snow
    elif place == "lake":
        r0 = _ground(arr, rng, h, _tone(rng, (45, 110, 170), 0.12, 10), 5, far=0.7)
        s = int(round(0.84 * size))
        arr[s:] = _tone(rng, (95, 155, 70), 0.12, 14) + _grain(rng, (size - s, size), 8)  # the near shore
    else:
        raise ValueError(f"unknown place {place!r}; places are: {', '.join(PLACES)}")
    return arr, r0


def _details(d: ImageDraw.ImageDraw, place: str, S: int, h: float, rng, dim: float):
    """Lines and shapes on the supersampled canvas; `dim` darkens them at night."""
    def c(rgb):
        return tuple(int(v * dim) for v in rgb)

    if place == "parking lot":
        behind = ((60, 110, 55), (150, 150, 145), (120, 90, 70))[rng.index(3)]  # hedge, wall or fence
        d.rectangle((0, (h - rng.uniform(0.02, 0.06)) * S, S, h * S), fill=c(behind))
        d.rectangle((0, h * S, S, (h + 0.015) * S), fill=c((175, 175, 170)))  # kerb
        paint = c((235, 235, 235) if rng.random() < 0.7 else (235, 205, 60))
        top, w = h + rng.uniform(0.05, 0.12), S * 0.012
        d.line((0, top * S, S, top * S), fill=paint, width=round(w))
        bay, fan = rng.uniform(0.16, 0.28), rng.uniform(1.2, 1.9)
        phase = rng.uniform(0, bay)
        for k in range(-4, 10):  # bay lines fan out towards the viewer
            x_top = (phase + k * bay) * S
            x_bot = S / 2 + (x_top - S / 2) * fan
            d.polygon([(x_top - w / 2, top * S), (x_top + w / 2, top * S), (x_bot + w, S), (x_bot - w, S)],
                      fill=paint)
    elif place == "road":
        w = S * 0.014
        for y in (0.64, 0.95):
            d.rectangle((0, y * S - w / 2, S, y * S + w / 2), fill=c((230, 230, 230)))
        dash, phase = rng.uniform(0.08, 0.2), rng.uniform(0, 0.3)
        solid = rng.random() < 0.25
        for k in range(-2, 8):  # the centre line: dashed, or solid
            x = (phase + k * 0.3) * S
            d.rectangle((x, 0.785 * S - w / 2, x + (0.31 if solid else dash) * S, 0.785 * S + w / 2),
                        fill=c((245, 215, 60)))
        for _ in range(int(rng.integers(0, 4))):  # bushes along the far verge
            x, r = rng.uniform(0, 1) * S, rng.uniform(0.02, 0.05) * S
            d.ellipse((x - r, (h + 0.04) * S - r, x + r, (h + 0.04) * S + r), fill=c((50, 110, 40)))
    elif place == "beach":
        foam = c((245, 248, 250))
        y, wave = 0.6 * S, rng.uniform(10, 26)
        pts = [(x, y + np.sin(x / S * wave + rng.uniform(0, 0.3)) * S * 0.008) for x in np.linspace(0, S, 24)]
        d.line(pts, fill=foam, width=max(2, round(S * 0.012)))
        for _ in range(int(rng.integers(2, 8))):  # wave crests on the sea
            x, yy = rng.uniform(0, S), rng.uniform(h + 0.02, 0.57) * S
            d.line((x, yy, x + S * 0.08, yy), fill=c((150, 190, 225)), width=max(1, round(S * 0.006)))
    elif place == "grass field":
        hill = c(_tone(rng, (70, 140, 50), 0.12, 12))
        for _ in range(int(rng.integers(1, 5))):  # soft hills on the horizon
            x, t = rng.uniform(-0.2, 1.0) * S, rng.uniform(0.03, 0.1)
            d.ellipse((x, (h - t) * S, x + rng.uniform(0.4, 0.8) * S, (h + t) * S), fill=hill)
        if rng.random() < 0.5:  # flowers
            for _ in range(12):
                x, y = rng.uniform(0, 1) * S, rng.uniform(h + 0.08, 1.0) * S
                d.ellipse((x, y, x + 0.012 * S, y + 0.012 * S), fill=c((250, 240, 120)))
    elif place == "snowy field":
        n = int(rng.integers(3, 6))
        peaks = [(-0.1, h)] + [(-0.1 + (k + rng.uniform(0.3, 0.9)) * 1.2 / n, h - rng.uniform(0.02, 0.18))
                               for k in range(n)] + [(1.1, h)]
        d.polygon([(x * S, y * S) for x, y in peaks] + [(1.2 * S, h * S), (-0.2 * S, h * S)],
                  fill=c(_tone(rng, (165, 180, 210), 0.08, 8)))  # blue-grey mountains behind the snow
    elif place == "lake":
        d.rectangle((0, (h - rng.uniform(0.015, 0.05)) * S, S, (h + 0.01) * S), fill=c((45, 95, 50)))  # far shore
        for _ in range(int(rng.integers(6, 18))):  # ripples
            x, y = rng.uniform(-0.05, 1.0) * S, rng.uniform(h + 0.04, 0.8) * S
            d.line((x, y, x + S * rng.uniform(0.04, 0.1), y), fill=c((120, 175, 220)),
                   width=max(1, round(S * 0.007)))
        d.rectangle((0, 0.84 * S - S * 0.01, S, 0.84 * S + S * 0.005), fill=c((200, 185, 140)))  # sandy edge


def _sky_details(d, S: int, horizon: float, rng, night: float, sky_at):
    """Faint wisps of cloud by day, the moon (full or a crescent) by night; both fade with `night`."""
    for _ in range(int(rng.integers(0, 4))):
        x, y = rng.uniform(-0.1, 0.9) * S, rng.uniform(0.04, max(0.06, horizon - 0.08)) * S
        col = tuple(int(v) for v in _mix(sky_at(y / S), np.array((255, 255, 255.0)), 0.22 * (1 - night)))
        d.ellipse((x, y, x + rng.uniform(0.2, 0.45) * S, y + rng.uniform(0.03, 0.06) * S), fill=col)
    mx, my = rng.uniform(0.1, 0.9) * S, rng.uniform(0.06, 0.2) * S
    r, phase = rng.uniform(0.045, 0.075) * S, rng.uniform(-1, 1)
    if night > 0:
        col = tuple(int(v) for v in _mix(sky_at(my / S), np.array(MOON, float), night))
        d.ellipse((mx - r, my - r, mx + r, my + r), fill=col)
        if abs(phase) > 0.4:  # a crescent: the sky covers part of the disc
            dx = r * 1.3 * (1.2 - abs(phase)) * np.sign(phase)
            back = tuple(int(v) for v in sky_at(my / S))
            if isinstance(d, MaskDraw):
                d.erase((mx - r + dx, my - r, mx + r + dx, my + r))
            else:
                d.ellipse((mx - r + dx, my - r, mx + r + dx, my + r), fill=back)


class MaskDraw:
    """Draws what the place's detail painters draw, as coverage rather than colour: the same calls, in the
    same order, so the noise streams give the same lines and shapes (detail_masks)."""

    def __init__(self, S: int):
        self.image = Image.new("L", (S, S), 0)
        self._d = ImageDraw.Draw(self.image)

    def line(self, xy, fill=None, width=1):
        self._d.line(xy, fill=255, width=width)

    def rectangle(self, xy, fill=None):
        self._d.rectangle(xy, fill=255)

    def ellipse(self, xy, fill=None):
        self._d.ellipse(xy, fill=255)

    def polygon(self, xy, fill=None):
        self._d.polygon(xy, fill=255)

    def erase(self, xy):  # the sky drawn over part of the moon
        self._d.ellipse(xy, fill=0)


def detail_masks(parts, night: float, size: int, ss: int, rng, shift: float = 0.0) -> np.ndarray:
    """(size, size, 3) float32 in [0, 1]: where background() draws the place's lines and shapes (markings,
    hedges, hills, mountains, waves, ripples), its sky's (clouds, the moon), and how bright each star shines
    where nothing covers it (its brightness times the night), each place part at its weight. `rng` is the stream background() is
    given: the same draws, so the same shapes and stars at the same seed."""
    S = size * ss
    out = np.zeros((size, size, 3), np.float32)
    for place, weight in parts:
        stream = rng.child(place)
        h = horizon(place, shift)
        ground, sky = MaskDraw(S), MaskDraw(S)
        _sky_details(sky, S, h if h is not None else 1.0, stream.child("sky"), night, lambda y: np.zeros(3))
        if h is not None:
            _details(ground, place, S, h, stream.child("details"), 1.0)
        covered = [np.asarray(mask.image.reduce(ss), np.float32) / 255.0 for mask in (ground, sky)]
        for k, mask in enumerate(covered):
            out[..., k] += mask * np.float32(weight)
        out[..., 2] += _stars(place, night, size, stream, h) * (1 - covered[1]) * np.float32(weight)  # clouds and
        # the moon are drawn over the stars
    return out


def _stars(place: str, night: float, size: int, rng, h) -> np.ndarray:
    """(size, size) float32: each star's brightness times the night, where paint_place draws them (it draws
    the sky's colours and the ground's texture from the same stream first; they are drawn and dropped here)."""
    rng.uniform(0, 1), rng.uniform(0, 0.5)  # the sky's warmth and haze
    _, r0 = _paint(place, size, h, rng)
    stars = rng.random((size, size)) < rng.uniform(0.006, 0.02)
    stars[max(r0 - 1, 0):] = False
    out = np.zeros((size, size), np.float32)
    out[stars] = (night * rng.uniform(0.5, 1.0, (int(stars.sum()), 1)))[:, 0]
    return out


def paint_place(place: str, night: float, size: int, ss: int, rng, shift: float = 0.0) -> Image.Image:
    """One place at one time of day, on a canvas of size*ss pixels; `rng` is a lang.noise.Stream."""
    h = horizon(place, shift)
    S = size * ss
    horizon_y = h if h is not None else 1.0
    top, low = _sky_colors(night, rng.uniform(0, 1) ** 2, rng.uniform(0, 0.5))
    sky = _sky(size, horizon_y, top, low)
    ground, r0 = _paint(place, size, h, rng)
    ground[r0:] *= _mix(1.0, 0.38, night)
    ground[r0:, :, 2] += 18 * night  # moonlight is bluish
    sky[r0:] = ground[r0:]
    stars = rng.random((size, size)) < rng.uniform(0.006, 0.02)
    stars[max(r0 - 1, 0):] = False
    sky[stars] = _mix(sky[stars], np.array((255, 255, 235.0)), night * rng.uniform(0.5, 1.0, (int(stars.sum()), 1)))
    img = Image.fromarray(np.clip(sky, 0, 255).astype(np.uint8)).resize((S, S), Image.NEAREST)
    d = ImageDraw.Draw(img)

    def sky_at(y):
        t = min(y / max(horizon_y, 0.3), 1.0)
        return _mix(top, low, t)

    _sky_details(d, S, horizon_y, rng.child("sky"), night, sky_at)
    if h is not None:
        _details(d, place, S, h, rng.child("details"), _mix(1.0, 0.4, night))
    return img


def background(parts, night: float, size: int, ss: int, rng, shift: float = 0.0) -> Image.Image:
    """The scene's backdrop: a blend of places is the weighted mix of their pictures."""
    if len(parts) == 1:
        return paint_place(parts[0][0], night, size, ss, rng.child(parts[0][0]), shift)
    acc = None
    for place, weight in parts:
        layer = np.asarray(paint_place(place, night, size, ss, rng.child(place), shift), dtype=np.float32) * weight
        acc = layer if acc is None else acc + layer
    return Image.fromarray(np.clip(acc + 0.5, 0, 255).astype(np.uint8))
