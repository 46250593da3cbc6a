"""An image's noise: named Gaussian draws, variation seeds along the spherical path, and a world that varies."""
from __future__ import annotations

import numpy as np
import pytest

import gendsl
from gendsl.eval.similarity import intra_scene_ssim, ssim, ssim_batch
from gendsl.lang.noise import Noise
from gendsl.worlds.scene.render import render_scene
from gendsl.worlds.scene.render import plan_scene

BUS = gendsl.compile_scene("a yellow school bus in a parking lot")


def test_named_draws_are_independent_and_repeatable():
    a = Noise(7)
    assert np.array_equal(a.normal("x", 5), Noise(7).normal("x", 5))
    assert not np.array_equal(a.normal("x", 5), a.normal("y", 5))
    assert not np.array_equal(a.normal("x", 5), Noise(8).normal("x", 5))
    assert np.all((a.uniform("u", 1000) >= 0) & (a.uniform("u", 1000) < 1))


def test_a_variation_runs_from_the_seed_to_the_variation_seed():
    assert np.array_equal(Noise(7, 99, 0.0).normal("x", 8), Noise(7).normal("x", 8))
    assert np.array_equal(Noise(7, 99, 1.0).normal("x", 8), Noise(99).normal("x", 8))
    mixed = np.stack([Noise(s, s + 1, 0.5).normal("x", 1)[0] for s in range(4000)])
    assert abs(mixed.std() - 1.0) < 0.05  # every point of the path is still N(0, 1)
    with pytest.raises(ValueError):
        Noise(7, 99, 1.5)


def test_the_world_moves_continuously_with_the_strength():
    base = render_scene(BUS, 7, 32)
    assert np.array_equal(render_scene(BUS, Noise(7, 99, 1.0), 32), render_scene(BUS, 99, 32))
    curve = [ssim(base, render_scene(BUS, Noise(7, 99, t), 32)) for t in (0.05, 0.3, 0.6)]
    assert curve[0] > curve[1] > curve[2]
    boxes = [plan_scene(BUS, Noise(7, 99, t)).placements[0].box for t in np.linspace(0, 1, 11)]
    steps = np.abs(np.diff(np.array(boxes), axis=0)).max(axis=1)
    assert steps.max() < 0.15  # the bus glides: no jump across the lot between neighbouring strengths


def test_the_world_varies_wherever_the_sentence_is_silent():
    scenes = [gendsl.compile_scene(t) for t in ("a yellow school bus in a parking lot", "a red car on the road",
                                                  "a house in the grass field", "an airplane in the blue sky")]
    images = np.stack([np.stack([render_scene(s, seed, 32) for seed in range(8)]) for s in scenes])
    assert intra_scene_ssim(images) < 0.5  # format 1's world: 0.70 on these (eight near-copies)
    facings = {p.facing for seed in range(16) for p in plan_scene(BUS, seed).placements}
    assert facings == {"left", "right"}
    shades = {plan_scene(BUS, seed).placements[0].color for seed in range(16)}
    assert len(shades) > 8


def test_what_the_sentence_says_stays_exact():
    scene = gendsl.compile_scene("a small red car on the left")
    for seed in range(20):
        (p,) = plan_scene(scene, seed).placements
        assert p.said_color == (215, 30, 35) and (p.box[0] + p.box[2]) / 2 < 0.35
        assert p.box[2] - p.box[0] < 0.5 * 0.72  # small stays small at every depth


def test_ssim():
    rng = np.random.default_rng(0)
    a = rng.integers(0, 256, (16, 16, 3), dtype=np.uint8)
    assert ssim(a, a) == pytest.approx(1.0)
    b = np.clip(a.astype(int) + rng.integers(-40, 40, a.shape), 0, 255).astype(np.uint8)
    c = rng.integers(0, 256, (16, 16, 3), dtype=np.uint8)
    assert 1.0 > ssim(a, b) > ssim(a, c)
    assert ssim_batch(np.stack([a, a]), np.stack([a, c])).shape == (2,)
