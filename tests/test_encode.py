"""Scene <-> conditioning vector: the round trip over the whole vocabulary."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gendsl import DIM, Blend, Item, Scene, canonical, compile_scene, decode, encode
from gendsl.worlds.scene import vocab
from gendsl.worlds.scene.encode import blocks


def blend_or_value(category: vocab.Category, optional: bool = True):
    value = st.sampled_from(category.values)
    blend = st.lists(st.tuples(value, st.integers(1, 9)), min_size=2, max_size=3).map(Blend.of)
    options = st.one_of(value, blend)
    return st.one_of(st.none(), options) if optional else options


items = st.builds(
    Item,
    object=blend_or_value(vocab.OBJECT, optional=False),
    color=blend_or_value(vocab.COLOR),
    size=blend_or_value(vocab.SIZE),
    count=st.sampled_from(vocab.COUNT.values),
    position=st.one_of(st.none(), st.sampled_from(vocab.POSITION.values)),
    relation=st.one_of(st.none(), st.sampled_from(vocab.RELATION.values)),
)
scenes = st.builds(Scene, items=st.lists(items, min_size=1, max_size=vocab.MAX_ITEMS).map(tuple),
                   place=blend_or_value(vocab.PLACE), time=blend_or_value(vocab.TIME))


@settings(max_examples=400, deadline=None)
@given(scenes)
def test_decode_encode_is_canonical(scene):
    vector = encode(scene)
    assert vector.dtype == np.float32 and vector.shape == (DIM,)
    assert decode(vector) == canonical(scene)


@settings(max_examples=200, deadline=None)
@given(scenes)
def test_canonical_text_round_trips_through_the_language(scene):
    scene = canonical(scene)
    assert compile_scene(str(scene)) == scene


def test_every_value_of_every_category_round_trips():
    for value in vocab.OBJECT.values:
        for color in (None, *vocab.COLOR.values):
            scene = Scene((Item(value, color=color),))
            assert decode(encode(scene)) == scene
    for place in vocab.PLACE.values:
        for time in vocab.TIME.values:
            for count in vocab.COUNT.values:
                scene = Scene((Item("car", count=count, size="small", position="right"),), place, time)
                assert decode(encode(scene)) == scene


def test_layout_is_documented_and_fixed():
    rows = blocks()
    assert rows[0] == ("item1.object", 0, 12)
    assert rows[-1] == ("time", DIM - 2, DIM)
    assert sum(stop - start for _, start, stop in rows) == DIM == 120


def test_blend_is_the_weighted_mix_of_vectors():
    mixed = encode(compile_scene("a (yellow:0.6, red:0.4) car on the road"))
    yellow = encode(compile_scene("a yellow car on the road"))
    red = encode(compile_scene("a red car on the road"))
    np.testing.assert_allclose(mixed, 0.6 * yellow + 0.4 * red, atol=1e-6)


def test_interpolated_vectors_decode_to_blends():
    a = encode(compile_scene("a red car on the beach by day"))
    b = encode(compile_scene("a blue car on the beach at night"))
    middle = decode(0.5 * a + 0.5 * b)
    assert middle.items[0].color == Blend((("blue", 0.5), ("red", 0.5)))
    assert middle.time == Blend((("day", 0.5), ("night", 0.5)))


def test_decode_rejects_wrong_shape():
    with pytest.raises(ValueError, match="shape"):
        decode(np.zeros(7))
