"""What a world drawing leaves unshown (worlds/scene/visible.py), and how the caption scoring uses it."""
import pytest

from gendsl import compile_scene
from gendsl.retrieval.scoring import compare
from gendsl.worlds.scene.visible import unshown


def test_a_large_group_shrunk_to_fit_does_not_show_its_size():
    for seed in range(5):
        assert unshown(compile_scene("two large school buses"), seed) == {0: frozenset({"size"})}
        assert unshown(compile_scene("a large school bus"), seed) == {}  # it fits: drawn 1.4x wide
        assert unshown(compile_scene("a small car"), seed) == {}
        assert unshown(compile_scene("two small school buses"), seed) == {}


def test_a_wide_group_kept_near_the_middle_does_not_show_its_position():
    assert all(unshown(compile_scene("two trucks on the right"), s) == {0: frozenset({"position"})} for s in range(5))
    assert all(unshown(compile_scene("a small car on the left"), s) == {} for s in range(5))
    assert all(unshown(compile_scene("a car in the center"), s) == {} for s in range(5))


def test_items_beside_each_other_are_left_alone():
    # the large car is 1.4x the house's scale whatever the canvas does
    assert all(unshown(compile_scene("a large car next to a house"), s) == {} for s in range(5))


def test_scoring_lets_an_unshown_word_be_left_out_but_not_contradicted():
    truth, hidden = compile_scene("two large school buses"), {0: frozenset({"size"})}
    assert compare(compile_scene("two school buses"), truth, unshown=hidden)["all"]
    assert not compare(compile_scene("two school buses"), truth, unshown=hidden)["strict"]
    assert not compare(compile_scene("two school buses"), truth)["all"]  # no layout given: asked as usual
    assert not compare(compile_scene("two small school buses"), truth, unshown=hidden)["all"]
    assert compare(compile_scene("two large school buses"), truth, unshown=hidden)["all"]
    right = compile_scene("two trucks on the right")
    for said in ("two trucks", "two trucks in the center", "two trucks on the right"):
        assert compare(compile_scene(said), right, unshown={0: frozenset({"position"})})["position"]
    assert not compare(compile_scene("two trucks on the left"), right, unshown={0: frozenset({"position"})})["all"]


def test_a_lone_group_with_no_position_is_captioned_where_it_was_drawn():
    from dataclasses import replace

    from gendsl.worlds.scene.layout import POSITION_X
    from gendsl.worlds.scene.render import plan_scene
    from gendsl.worlds.scene.visible import as_seen, seen_position

    car, seen = compile_scene("a red car on the road"), {}
    for seed in range(200):
        word = seen_position(car, seed)
        seen[word] = seen.get(word, 0) + 1
        if word is None:
            assert as_seen(car, seed) == car
        else:  # the picture shows the word: the car's centre is where the word puts one
            box = plan_scene(car, seed).placements[0].box
            assert abs((box[0] + box[2]) / 2 - POSITION_X[word]) <= 0.05 + 1e-9
            assert as_seen(car, seed) == replace(car, items=(replace(car.items[0], position=word),))
    assert seen.get(None, 0) > 100 and seen.get("center", 0) > 10  # most stand between the words
    assert seen_position(compile_scene("a car on the left"), 0) is None  # stated: left as said
    assert as_seen(compile_scene("a car next to a house"), 0) == compile_scene("a car next to a house")


def test_the_nearest_rule_says_a_position_wherever_a_lone_group_stands():
    from gendsl.worlds.scene.layout import POSITION_X
    from gendsl.worlds.scene.render import plan_scene
    from gendsl.worlds.scene.visible import seen_position

    car, said = compile_scene("a red car on the road"), set()
    for seed in range(100):
        word = seen_position(car, seed, "nearest")
        box = plan_scene(car, seed).placements[0].box
        centre = (box[0] + box[2]) / 2
        assert all(abs(centre - POSITION_X[word]) <= abs(centre - x) for x in POSITION_X.values())
        jitter = seen_position(car, seed)
        assert jitter in (None, word)  # within the jitter of a word's x, that word is also the nearest
        said.add(word)
    assert said == set(POSITION_X)
    assert seen_position(compile_scene("a car on the left"), 0, "nearest") is None
    assert seen_position(compile_scene("a car next to a house"), 0, "nearest") is None
    with pytest.raises(ValueError, match="jitter or nearest"):
        seen_position(car, 0, "closest")


def test_a_caption_shown_states_the_place_and_time_drawn_where_the_sentence_gives_none():
    from gendsl.worlds.scene.render import plan_scene
    from gendsl.worlds.scene.visible import with_backdrop

    car = compile_scene("a red car")
    places = set()
    for seed in range(40):
        shown = with_backdrop(car, seed)
        assert shown.place == plan_scene(car, seed).scene.place and shown.time == "day"
        assert shown.items == car.items
        places.add(shown.place)
    assert len(places) > 3  # the place is the seed's pick, not one default
    said = compile_scene("two cars next to a house on the beach at night")
    assert with_backdrop(said, 3) == said  # what a sentence says stays as said
