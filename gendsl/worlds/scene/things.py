"""Buildings, plants, signs and sky things, each in several designs: house, tree, stop sign,
balloon, elephant, sun, cloud.

Every function is `draw(d, box, color, facing_right, rng)` (see shapes.py); its first draw
picks the design, the rest vary proportions and details.
"""
from __future__ import annotations

import math

from .pen import BLACK, DOOR, GLASS, GLASS_LIGHT, POLE, TRUNK, WHITE, Pen, luma, outline_of, shade

ROOFS = ((175, 45, 35), (70, 70, 80), (120, 75, 45))


def house(d, box, color, facing_right, rng):
    design, p = rng.index(3), Pen(d, box, facing_right)
    body, edge = color, outline_of(color)
    reddish = body[0] > 150 and body[1] < 110
    roof = ROOFS[rng.index(3)]
    if reddish and roof[0] > 150 or luma(body) < 60 and roof[0] < 100:  # the roof must stand out from the walls
        roof = ROOFS[1] if reddish else ROOFS[0]
    peak = 0.02 + rng.uniform(0, 0.06)
    if design == 0:  # gable roof and a chimney
        p.rect(0.66, 0.06, 0.76, 0.34, (120, 70, 55), outline_of((120, 70, 55)))
        p.rect(0.1, 0.42, 0.9, 0.99, body, edge)
        p.poly([(0.0, 0.46), (0.5, peak), (1.0, 0.46)], roof, outline_of(roof))
        p.rect(0.2, 0.6, 0.42, 0.99, DOOR, outline_of(DOOR))
        windows = [(0.54, 0.56, 0.8, 0.8)]
    elif design == 1:  # two storeys under a low roof
        p.rect(0.06, 0.24, 0.94, 0.99, body, edge)
        p.poly([(0.0, 0.27), (0.12, peak + 0.06), (0.88, peak + 0.06), (1.0, 0.27)], roof, outline_of(roof))
        p.rect(0.42, 0.68, 0.58, 0.99, DOOR, outline_of(DOOR))
        windows = [(0.14, 0.34, 0.34, 0.54), (0.66, 0.34, 0.86, 0.54), (0.14, 0.68, 0.34, 0.88),
                   (0.66, 0.68, 0.86, 0.88)]
    else:  # cottage: a steep hipped roof, a round window
        p.rect(0.12, 0.5, 0.88, 0.99, body, edge)
        p.poly([(0.02, 0.54), (0.3, peak), (0.7, peak), (0.98, 0.54)], roof, outline_of(roof))
        p.rect(0.58, 0.64, 0.78, 0.99, DOOR, outline_of(DOOR))
        p.circle(0.5, 0.36, 0.06, GLASS_LIGHT, WHITE)
        windows = [(0.2, 0.62, 0.46, 0.84)]
    for u0, v0, u1, v1 in windows:  # windows with a white frame
        p.rect(u0, v0, u1, v1, GLASS_LIGHT, WHITE)
        p.line([((u0 + u1) / 2, v0), ((u0 + u1) / 2, v1)], WHITE, 0.8)
        p.line([(u0, (v0 + v1) / 2), (u1, (v0 + v1) / 2)], WHITE, 0.8)


def tree(d, box, color, facing_right, rng):
    design, p = rng.index(3), Pen(d, box, facing_right)
    body, edge = color, outline_of(color)
    lean = rng.uniform(-0.04, 0.04)
    if design == 1:  # conifer: stacked triangles on a short trunk
        p.rect(0.43, 0.78, 0.57, 1.0, TRUNK, outline_of(TRUNK))
        for k, (v0, v1, half) in enumerate(((0.0, 0.4, 0.28), (0.18, 0.62, 0.38), (0.36, 0.82, 0.48))):
            p.poly([(0.5 + lean * (2 - k), v0), (0.5 + half, v1), (0.5 - half, v1)], shade(body, 1 - 0.07 * k), edge)
        return
    p.rect(0.4, 0.55, 0.6, 1.0, TRUNK, outline_of(TRUNK))
    if design == 0:  # a round crown of four blobs
        blobs = [(0.5, 0.24, 0.3), (0.26, 0.42, 0.22), (0.74, 0.42, 0.22), (0.5, 0.48, 0.22)]
    else:  # a tall narrow crown
        blobs = [(0.5, 0.16, 0.2), (0.5, 0.32, 0.24), (0.44, 0.48, 0.2), (0.56, 0.48, 0.2)]
    blobs = [(u + lean + rng.uniform(-0.03, 0.03), v, r * rng.uniform(0.92, 1.06)) for u, v, r in blobs]
    # Radii are in box heights; the crown is drawn edge first, then fill, so only its silhouette is outlined.
    for u, v, r in blobs:
        p.circle(u, v, r * 0.62, edge, grow=1.0)
    for u, v, r in blobs:
        p.circle(u, v, r * 0.62, body)
    p.circle(blobs[0][0] - 0.08, blobs[0][1] - 0.04, 0.05, shade(body, 1.25))  # a highlight gives volume


def stop_sign(d, box, color, facing_right, rng):
    p, body = Pen(d, box, facing_right), color
    trim = (70, 70, 75) if luma(body) > 200 else WHITE  # the rim and band contrast with any face colour
    tilt = rng.uniform(-0.05, 0.05)
    face = rng.uniform(0.88, 1.0)
    p.rect(0.42, 0.3, 0.58, 1.0, POLE, outline_of(POLE))
    cx, cy = p.pt(0.5 + tilt, 0.0)
    r = p.w * 0.5 * face
    cy += r
    for radius, fill in ((r, trim), (r * 0.86, body)):  # rim, then the face
        pts = [(cx + radius * math.cos(math.pi / 8 + k * math.pi / 4),
                cy + radius * math.sin(math.pi / 8 + k * math.pi / 4)) for k in range(8)]
        d.polygon(pts, fill=fill, outline=(90, 90, 90) if fill is trim else None, width=p.lw if fill is trim else 0)
    band = r * 0.2
    d.rectangle((cx - r * 0.62, cy - band, cx + r * 0.62, cy + band), fill=trim)  # where STOP is written


def balloon(d, box, color, facing_right, rng):
    design, p = rng.index(3), Pen(d, box, facing_right)
    body = color
    sway = rng.uniform(-0.2, 0.2)
    bottom = (0.74, 0.8, 0.7)[design]
    p.line([(0.5, bottom), (0.5 + sway, 0.87), (0.5 - sway * 0.5, 1.0)], (90, 90, 90), 0.7)  # string
    p.poly([(0.44, bottom + 0.04), (0.56, bottom + 0.04), (0.5, bottom - 0.04)], shade(body, 0.7))  # knot
    if design == 0:  # round
        p.oval(0.02, 0.0, 0.98, bottom, body, outline_of(body))
    elif design == 1:  # long oval
        p.oval(0.14, 0.0, 0.86, bottom, body, outline_of(body))
    else:  # heart
        p.circle(0.3, 0.22, 0.2, body, outline_of(body))
        p.circle(0.7, 0.22, 0.2, body, outline_of(body))
        p.poly([(0.04, 0.3), (0.96, 0.3), (0.5, bottom)], body)
        p.circle(0.3, 0.22, 0.19, body)
        p.circle(0.7, 0.22, 0.19, body)
    p.oval(0.24, 0.1, 0.4, 0.28, shade(body, 1.5))  # shine


def elephant(d, box, color, facing_right, rng):
    design, p = rng.index(2), Pen(d, box, facing_right)
    body, edge, dark = color, outline_of(color), shade(color, 0.8)
    leg = rng.uniform(-0.03, 0.03)
    for u in (0.16, 0.52):  # far legs, darker
        p.rect(u + leg, 0.55, u + 0.1 + leg, 0.97, dark, edge)
    p.line([(0.06, 0.3), (0.01, 0.6)], edge, 1.0)  # tail
    if design == 0:  # trunk hanging down
        p.poly([(0.8, 0.25), (0.95, 0.3), (1.0, 0.62), (0.98, 0.96), (0.91, 0.96), (0.9, 0.62), (0.8, 0.5)],
               body, edge)
    else:  # trunk raised
        p.poly([(0.82, 0.3), (0.94, 0.34), (0.99, 0.14), (0.95, 0.0), (0.89, 0.04), (0.92, 0.16), (0.84, 0.46)],
               body, edge)
    p.oval(0.04, 0.16, 0.8, 0.72, body, edge)  # body
    p.oval(0.66, 0.08, 0.95, 0.5, body, edge)  # head
    p.rect(0.26, 0.55, 0.38, 0.99, body, edge)  # near legs
    p.rect(0.62, 0.55, 0.74, 0.99, body, edge)
    ear = rng.uniform(0.0, 0.08)
    p.oval(0.57 - ear, 0.1 - ear / 2, 0.79, 0.6 + ear / 2, dark, edge)  # the big ear
    p.poly([(0.88, 0.46), (0.95, 0.5), (0.84, 0.58)], WHITE)  # tusk
    p.circle(0.86, 0.26, 0.03, BLACK)  # eye


def sun(d, box, color, facing_right, rng):
    design, p = rng.index(3), Pen(d, box, facing_right)
    body = color
    rays = shade(body, 0.9)
    cx, cy = p.pt(0.5, 0.5)
    r = min(p.w, p.h) / 2
    turn = rng.uniform(0, math.pi / 6)
    if design == 0:  # triangular rays
        for k in range(12):
            a = turn + k * math.pi / 6
            pts = [(cx + r * math.cos(a), cy + r * math.sin(a)),
                   (cx + r * 0.6 * math.cos(a + 0.22), cy + r * 0.6 * math.sin(a + 0.22)),
                   (cx + r * 0.6 * math.cos(a - 0.22), cy + r * 0.6 * math.sin(a - 0.22))]
            d.polygon(pts, fill=rays)
    elif design == 1:  # thin straight rays
        for k in range(8):
            a = turn + k * math.pi / 4
            d.line((cx + r * 0.55 * math.cos(a), cy + r * 0.55 * math.sin(a), cx + r * math.cos(a),
                    cy + r * math.sin(a)), fill=rays, width=max(1, round(p.lw * 1.6)))
    else:  # a glowing halo
        d.ellipse((cx - r * 0.95, cy - r * 0.95, cx + r * 0.95, cy + r * 0.95), fill=shade(body, 1.35))
    disc = 0.66 if design != 2 else 0.72
    d.ellipse((cx - r * disc, cy - r * disc, cx + r * disc, cy + r * disc), fill=body, outline=outline_of(body),
              width=p.lw)


def cloud(d, box, color, facing_right, rng):
    design, p = rng.index(3), Pen(d, box, facing_right)
    body = color
    edge, under = outline_of(body), shade(body, 0.88)
    puffs = ([(0.18, 0.62, 0.34), (0.4, 0.4, 0.4), (0.64, 0.45, 0.38), (0.84, 0.64, 0.3)],
             [(0.24, 0.6, 0.36), (0.5, 0.36, 0.5), (0.78, 0.6, 0.34)],
             [(0.12, 0.68, 0.26), (0.3, 0.52, 0.32), (0.5, 0.46, 0.34), (0.7, 0.52, 0.32), (0.88, 0.68, 0.26)])[design]
    puffs = [(u + rng.uniform(-0.02, 0.02), v + rng.uniform(-0.04, 0.04), r) for u, v, r in puffs]
    for u, v, r in puffs:
        p.circle(u, v, r, edge, grow=1.0)
    p.rect(0.1, 0.62, 0.9, 0.94, edge)
    p.rect(0.11, 0.64, 0.89, 0.92, under)  # flat, shaded underside
    for u, v, r in puffs:
        p.circle(u, v, r, body)
