"""The world renderer: deterministic, the right shape, and a layout that does what the scene says."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from gendsl.worlds.scene import vocab
from gendsl.worlds.scene.ir import Blend, Item, Scene
from gendsl.worlds.scene.render import SIZES, render_scene
from gendsl.worlds.scene.render import plan_scene
from gendsl.worlds.scene.layout import PALETTE

BUS = Scene((Item("school bus", color="yellow"),), place="parking lot")


def lay(scene, seed=0):
    return plan_scene(scene, seed).placements


def centre(placements, item):
    boxes = np.array([p.box for p in placements if p.item == item])
    return (boxes[:, 0] + boxes[:, 2]).mean() / 2, (boxes[:, 1] + boxes[:, 3]).mean() / 2


def test_same_scene_and_seed_give_the_same_bytes():
    assert render_scene(BUS, 7).tobytes() == render_scene(BUS, 7).tobytes()


def test_different_seeds_give_different_images():
    images = [render_scene(BUS, seed).tobytes() for seed in range(5)]
    assert len(set(images)) == 5


@pytest.mark.parametrize("size", SIZES)
def test_shape_and_dtype(size):
    image = render_scene(BUS, 1, size)
    assert image.shape == (size, size, 3) and image.dtype == np.uint8


@pytest.mark.parametrize("size", [0, 16, 48, 256])
def test_bad_size_raises(size):
    with pytest.raises(ValueError, match="sizes 32, 64, 128"):
        render_scene(BUS, 1, size)


@pytest.mark.parametrize("place", vocab.PLACE.values)
def test_every_object_renders_in_every_place(place):
    for k, obj in enumerate(vocab.OBJECT.values):
        image = render_scene(Scene((Item(obj),), place=place), k, 32)
        assert image.shape == (32, 32, 3)


def test_no_place_is_picked_per_seed_and_no_time_is_day():
    scene = Scene((Item("car"),))
    assert render_scene(scene, 3).tobytes() == render_scene(scene, 3).tobytes()
    assert render_scene(Scene((Item("car"),), place="road"), 3).tobytes() == \
        render_scene(Scene((Item("car"),), place="road", time="day"), 3).tobytes()


@pytest.mark.parametrize("seed", range(5))
def test_left_of_and_right_of(seed):
    left = lay(Scene((Item("car", relation="left of"), Item("tree")), place="road"), seed)
    assert centre(left, 0)[0] + 0.15 < centre(left, 1)[0]
    right = lay(Scene((Item("car", relation="right of"), Item("tree")), place="road"), seed)
    assert centre(right, 0)[0] > centre(right, 1)[0] + 0.15


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("place", ["grass field", "blue sky"])
def test_above_and_below(seed, place):
    above = lay(Scene((Item("balloon", relation="above"), Item("house")), place=place), seed)
    assert centre(above, 0)[1] + 0.15 < centre(above, 1)[1]
    below = lay(Scene((Item("car", relation="below"), Item("elephant")), place=place), seed)
    assert centre(below, 0)[1] > centre(below, 1)[1] + 0.15


@pytest.mark.parametrize("count, n", [("one", 1), ("two", 2), ("three", 3)])
def test_counts(count, n):
    for seed in range(5):
        assert len(lay(Scene((Item("truck", count=count),), place="road"), seed)) == n


def test_a_herd_is_four_to_six_smaller_ones():
    single = lay(Scene((Item("elephant"),), place="grass field"))[0].box
    for seed in range(10):
        herd = lay(Scene((Item("elephant", count="many"),), place="grass field"), seed)
        assert 4 <= len(herd) <= 6
        assert all(p.box[2] - p.box[0] < single[2] - single[0] for p in herd)


def test_size_and_position():
    def width(size):
        p = lay(Scene((Item("car", size=size),), place="road"))[0]
        return p.box[2] - p.box[0]
    assert width("small") < width(None) < width("large")
    for position, x in [("left", 0.2), ("center", 0.5), ("right", 0.8)]:
        placed = lay(Scene((Item("stop sign", position=position),), place="road"))
        assert abs(centre(placed, 0)[0] - x) < 0.06


def test_sky_objects_float_and_ground_objects_stand():
    placed = lay(Scene((Item("sun", relation="next to"), Item("car")), place="grass field"))
    sun, car = (next(p for p in placed if p.object == o) for o in ("sun", "car"))
    assert sun.box[3] < 0.5 < car.box[3] and car.grounded and not sun.grounded
    assert not any(p.grounded for p in lay(Scene((Item("car"),), place="blue sky")))


def test_a_color_blend_lies_between_its_colors():
    scene = Scene((Item("car", color=Blend.of([("red", 0.7), ("blue", 0.3)])),), place="road")
    said = np.array(lay(scene)[0].said_color)
    red, blue = np.array(PALETTE["red"]), np.array(PALETTE["blue"])
    assert np.all(said >= np.minimum(red, blue)) and np.all(said <= np.maximum(red, blue))
    assert np.abs(said - (0.7 * red + 0.3 * blue)).max() <= 1
    shades = np.array([lay(scene, seed)[0].color for seed in range(40)])  # the drawn body: shades of that colour
    assert np.abs(shades - said).max() < 70 and len({tuple(c) for c in shades}) > 20


def test_blends_render():
    scene = Scene((Item(Blend.of([("car", 0.6), ("truck", 0.4)]), size=Blend.of([("small", 0.5), ("large", 0.5)])),),
                  place=Blend.of([("beach", 0.5), ("lake", 0.5)]), time=Blend.of([("day", 0.5), ("night", 0.5)]))
    assert render_scene(scene, 0).shape == (64, 64, 3)


def test_night_is_darker_than_day():
    for place in vocab.PLACE.values:
        day = render_scene(Scene((Item("house"),), place=place, time="day"), 2)
        night = render_scene(Scene((Item("house"),), place=place, time="night"), 2)
        assert night.mean() < day.mean() - 40


def test_unknown_words_raise():
    with pytest.raises(ValueError, match="unknown object 'zebra'"):
        render_scene(Scene((Item("zebra"),)), 0)
    with pytest.raises(ValueError, match="unknown place"):
        render_scene(Scene((Item("car"),), place="moon"), 0)


RELATIONS = st.sampled_from([None, *vocab.RELATION.values])
ITEMS = st.builds(Item, object=st.sampled_from(vocab.OBJECT.values), size=st.sampled_from([None, "small", "large"]),
                  count=st.sampled_from(vocab.COUNT.values), position=st.sampled_from([None, "left", "center", "right"]),
                  relation=RELATIONS)


@settings(max_examples=150, deadline=None)
@given(items=st.lists(ITEMS, min_size=1, max_size=3), place=st.sampled_from(vocab.PLACE.values),
       seed=st.integers(0, 2**32 - 1))
def test_any_layout_stays_on_canvas_and_keeps_its_relations(items, place, seed):
    scene = Scene(tuple(items), place=place)
    placed = lay(scene, seed)
    for p in placed:
        x0, y0, x1, y1 = p.box
        assert -1e-9 <= x0 < x1 <= 1 + 1e-9 and -1e-9 <= y0 < y1 <= 1 + 1e-9
    for i, item in enumerate(items[:-1]):
        (ax, ay), (bx, by) = centre(placed, i), centre(placed, i + 1)
        if item.relation == "left of":
            assert ax < bx
        elif item.relation == "right of":
            assert ax > bx
        elif item.relation == "above":
            assert ay < by
        elif item.relation == "below":
            assert ay > by
