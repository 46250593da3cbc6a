"""Vehicles, side views, each in several designs: school bus, car, truck, boat, airplane.

Every function is `draw(d, box, color, facing_right, rng)` (see shapes.py). Its first
draw picks the design, so the design is a quantile of one noise value and a variation
switches it somewhere along the way; the rest vary proportions and details.
"""
from __future__ import annotations

from .pen import BLACK, GLASS, GLASS_LIGHT, WHITE, Pen, outline_of, shade

LIGHT = (255, 235, 140)


def school_bus(d, box, color, facing_right, rng):
    design, p = rng.index(3), Pen(d, box, facing_right)
    body, edge = color, outline_of(color)
    n = (6, 7, 4)[design] + rng.integers(0, 2)
    rail = rng.random() < 0.7
    if design == 0:  # conventional: a short hood in front
        p.poly([(0, 0.04), (0.84, 0.04), (0.87, 0.3), (0.99, 0.36), (1, 0.82), (0, 0.82)], body, edge)
        front, top = 0.81, 0.13
    elif design == 1:  # flat front: the windscreen is the whole nose
        p.poly([(0, 0.06), (0.97, 0.06), (1, 0.14), (1, 0.82), (0, 0.82)], body, edge)
        p.rect(0.9, 0.14, 0.99, 0.48, GLASS_LIGHT)
        p.rect(0.82, 0.18, 0.88, 0.74, shade(body, 0.7))  # door
        front, top = 0.78, 0.14
    else:  # short bus: a long hood and a few windows
        p.poly([(0, 0.08), (0.7, 0.08), (0.74, 0.36), (0.98, 0.42), (1, 0.82), (0, 0.82)], body, edge)
        front, top = 0.68, 0.17
    span = front - 0.08
    for k in range(n):  # the row of passenger windows that says "bus"
        u = 0.05 + k * span / n
        p.rect(u, top, u + span / n * 0.72, 0.4, GLASS, shade(body, 0.5))
    if design != 1:
        p.rect(front, top, front + 0.05, 0.4, GLASS_LIGHT)  # windscreen
    if rail:
        p.rect(0, 0.5, 1, 0.56, BLACK)  # black rub rail
    else:
        p.line([(0.01, 0.47), (0.99, 0.47)], BLACK, 0.8)
        p.line([(0.01, 0.6), (0.99, 0.6)], BLACK, 0.8)
    p.rect(0.96, 0.62, 1.0, 0.8, BLACK)  # bumper
    p.rect(0.94, 0.52, 0.99, 0.6, LIGHT)
    r = rng.uniform(0.15, 0.19)
    for u in ((0.17, 0.78), (0.16, 0.8), (0.2, 0.8))[design]:
        p.wheel(u, 0.82, r)


def car(d, box, color, facing_right, rng):
    design, p = rng.index(4), Pen(d, box, facing_right)
    body, edge = color, outline_of(color)
    top = 0.06 + rng.uniform(0, 0.06)
    if design == 0:  # saloon: boot, cabin, bonnet
        cabin = [(0.22, 0.42), (0.32, top), (0.66, top), (0.8, 0.42)]
        glass = ([(0.28, 0.4), (0.35, top + 0.08), (0.49, top + 0.08), (0.49, 0.4)],
                 [(0.53, 0.4), (0.53, top + 0.08), (0.64, top + 0.08), (0.74, 0.4)])
    elif design == 1:  # hatchback: the roof runs to the back
        cabin = [(0.02, 0.42), (0.06, top), (0.6, top), (0.78, 0.42)]
        glass = ([(0.1, 0.4), (0.12, top + 0.08), (0.36, top + 0.08), (0.36, 0.4)],
                 [(0.4, 0.4), (0.4, top + 0.08), (0.58, top + 0.08), (0.72, 0.4)])
    elif design == 2:  # coupe: low and long, a sloping roof
        top += 0.12
        cabin = [(0.16, 0.44), (0.36, top), (0.58, top), (0.82, 0.44)]
        glass = ([(0.26, 0.42), (0.38, top + 0.06), (0.5, top + 0.06), (0.5, 0.42)],
                 [(0.54, 0.42), (0.54, top + 0.06), (0.58, top + 0.06), (0.74, 0.42)])
    else:  # van: a tall box of a cabin
        top = max(0.0, top - 0.05)
        cabin = [(0.02, 0.44), (0.02, top), (0.68, top), (0.84, 0.44)]
        glass = ([(0.06, 0.36), (0.06, top + 0.08), (0.34, top + 0.08), (0.34, 0.36)],
                 [(0.4, 0.36), (0.4, top + 0.08), (0.66, top + 0.08), (0.78, 0.36)])
    p.poly(cabin, body, edge)
    for g in glass:
        p.poly(g, GLASS_LIGHT)
    p.poly([(0.0, 0.45), (0.04, 0.38), (0.95, 0.4), (1.0, 0.5), (1.0, 0.8), (0.0, 0.8)], body, edge)  # lower body
    if rng.random() < 0.4:  # a racing stripe
        p.rect(0.03, 0.55, 0.97, 0.6, WHITE if sum(body) < 500 else BLACK)
    p.rect(0.93, 0.48, 0.99, 0.56, LIGHT)  # headlight
    r = rng.uniform(0.17, 0.22)
    for u in (0.2, 0.78):
        p.wheel(u, 0.8, r)


def truck(d, box, color, facing_right, rng):
    design, p = rng.index(3), Pen(d, box, facing_right)
    body, edge = color, outline_of(color)
    box_top = rng.uniform(0.0, 0.08)
    if design == 0:  # box truck: a tall cargo box, no windows
        p.rect(0.0, box_top, 0.66, 0.74, shade(body, 0.88), edge)
        p.line([(0.04, 0.38), (0.62, 0.38)], shade(body, 0.65), 0.7)
    elif design == 1:  # tanker: a long rounded tank on the chassis
        p.rect(0.02, 0.62, 0.66, 0.72, shade(body, 0.5))
        p.oval(0.0, box_top + 0.12, 0.67, 0.68, shade(body, 0.9), edge)
        p.line([(0.06, 0.4), (0.6, 0.4)], shade(body, 1.3), 0.8)
    else:  # flatbed with a load of crates
        p.rect(0.0, 0.58, 0.68, 0.7, shade(body, 0.8), edge)
        crates = (0.5, 0.62, 0.45)[rng.index(3)]
        for k, (u0, u1) in enumerate(((0.02, 0.3), (0.33, 0.64))):
            p.rect(u0, box_top + (0.1 if k else 0.2) + (0.5 - crates), u1, 0.58, (170, 125, 70), (95, 65, 35))
    p.poly([(0.7, 0.2), (0.88, 0.2), (1.0, 0.46), (1.0, 0.78), (0.7, 0.78)], body, edge)  # cab
    p.poly([(0.76, 0.26), (0.87, 0.26), (0.95, 0.45), (0.76, 0.45)], GLASS_LIGHT)
    p.rect(0.62, 0.7, 1.0, 0.78, BLACK)  # chassis
    r = rng.uniform(0.15, 0.18)
    for u in ((0.13, 0.33, 0.84), (0.12, 0.3, 0.84), (0.15, 0.45, 0.84))[design]:
        p.wheel(u, 0.8, r)


def boat(d, box, color, facing_right, rng):
    design, p = rng.index(3), Pen(d, box, facing_right)
    body, edge = color, outline_of(color)
    sail, sail_edge = (250, 250, 245), (120, 120, 130)
    deck = 0.57 + rng.uniform(-0.04, 0.04)
    if design == 0:  # sloop: main sail and jib
        tip = 0.82 + rng.uniform(-0.04, 0.04)
        p.line([(0.5, 0.02), (0.5, deck + 0.03)], (90, 60, 40), 1.2)
        p.poly([(0.53, 0.03), (0.53, deck - 0.03), (tip, deck - 0.03)], sail, sail_edge)
        p.poly([(0.47, 0.12), (0.47, deck - 0.03), (0.16, deck - 0.03)], sail, sail_edge)
    elif design == 1:  # motorboat: a cabin with a windscreen
        p.poly([(0.2, deck), (0.26, deck - 0.22), (0.62, deck - 0.22), (0.74, deck)], WHITE, (120, 120, 130))
        p.poly([(0.64, deck - 0.2), (0.72, deck - 0.02), (0.62, deck - 0.02)], GLASS_LIGHT)
        for u in (0.3, 0.44):
            p.rect(u, deck - 0.16, u + 0.1, deck - 0.07, GLASS)
    else:  # one big sail and a pennant
        p.line([(0.44, 0.0), (0.44, deck + 0.03)], (90, 60, 40), 1.2)
        p.poly([(0.47, 0.04), (0.47, deck - 0.03), (0.9, deck - 0.03)], sail, sail_edge)
        p.poly([(0.44, 0.0), (0.3, 0.04), (0.44, 0.08)], shade(body, 0.8))
    p.poly([(0.0, deck), (1.0, deck), (0.84, 0.97), (0.14, 0.97)], body, edge)  # hull
    if rng.random() < 0.7:
        p.rect(0.06, deck + 0.1, 0.92, deck + 0.16, shade(body, 0.6))  # stripe along the hull


def airplane(d, box, color, facing_right, rng):
    design, p = rng.index(3), Pen(d, box, facing_right)
    body, edge, dark = color, outline_of(color), shade(color, 0.78)
    if design == 1:  # propeller plane: straight high wing, short body
        p.poly([(0.04, 0.08), (0.14, 0.08), (0.24, 0.42), (0.06, 0.46)], body, edge)
        p.poly([(0.06, 0.42), (0.8, 0.36), (0.9, 0.42), (0.92, 0.6), (0.8, 0.66), (0.1, 0.6)], body, edge)
        p.rect(0.36, 0.3, 0.66, 0.38, dark, edge)  # the wing, seen edge-on
        p.rect(0.92, 0.34, 0.95, 0.7, (60, 60, 60))  # propeller
        for k in range(4):
            p.rect(0.54 + k * 0.07, 0.42, 0.58 + k * 0.07, 0.5, GLASS)
        p.poly([(0.3, 0.6), (0.44, 0.6), (0.36, 0.9), (0.3, 0.9)], dark)  # strut and wheel leg
        return
    p.poly([(0.0, 0.02), (0.1, 0.02), (0.22, 0.42), (0.04, 0.46)], body, edge)  # tail fin
    if design == 2:  # T-tail with engines by the tail
        p.poly([(0.0, 0.02), (0.16, 0.02), (0.12, 0.08)], dark, edge)
        p.oval(0.16, 0.3, 0.36, 0.42, dark, edge)
    p.poly([(0.36, 0.52), (0.58, 0.52), (0.44, 0.98), (0.34, 0.98)], dark, edge)  # far wing, swept back
    p.poly([(0.02, 0.4), (0.86, 0.38), (0.96, 0.42), (1.0, 0.5), (0.96, 0.6), (0.86, 0.66), (0.08, 0.64)],
           body, edge)  # fuselage with a round nose
    p.poly([(0.02, 0.5), (0.14, 0.5), (0.06, 0.62)], dark)  # tail plane
    windows = 8 if design == 0 else 6
    for k in range(windows):  # cabin windows
        p.circle(0.3 + k * 0.065, 0.47, 0.045, GLASS)
    p.poly([(0.9, 0.44), (0.96, 0.45), (0.97, 0.5), (0.9, 0.5)], GLASS)  # cockpit
    p.poly([(0.46, 0.58), (0.62, 0.58), (0.5, 0.96), (0.42, 0.96)], body, edge)  # near wing
    if design == 0:
        p.oval(0.44, 0.7, 0.6, 0.8, dark, edge)  # engine under the wing
    if rng.random() < 0.5:  # a cheat line along the windows
        p.line([(0.12, 0.55), (0.88, 0.55)], shade(body, 0.55), 0.8)
