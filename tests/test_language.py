"""The scene language: the issue's sentences, equivalent phrasings, blends, limits."""
import pytest

from gendsl import Blend, Item, Scene, SketchError, compile_scene
from gendsl.worlds.scene import vocab

SENTENCES = {
    "yellow school bus in parking lot":
        Scene((Item("school bus", color="yellow"),), place="parking lot"),
    "a yellow school bus parked in a parking lot":
        Scene((Item("school bus", color="yellow"),), place="parking lot"),
    "a stop sign is flying in blue skies":
        Scene((Item("stop sign"),), place="blue sky"),
    "a herd of elephants flying in blue skies":
        Scene((Item("elephant", count="many"),), place="blue sky"),
    "two small red cars next to a house on the beach at night":
        Scene((Item("car", color="red", size="small", count="two", relation="next to"), Item("house")),
              place="beach", time="night"),
    "a large green tree left of a purple balloon in a snowy field":
        Scene((Item("tree", color="green", size="large", relation="left of"), Item("balloon", color="purple")),
              place="snowy field"),
}


@pytest.mark.parametrize("text", SENTENCES)
def test_issue_sentences_compile_to_expected_scene(text):
    assert compile_scene(text) == SENTENCES[text]


@pytest.mark.parametrize("a, b", [
    ("yellow school bus in parking lot", "a yellow school bus parked in a parking lot"),
    ("YELLOW School  Bus in   Parking Lot", "the yellow bus sitting in the car park"),
    ("a stop sign is flying in blue skies", "stop sign in the sky"),
    ("a herd of elephants flying in blue skies", "many elephants in the air"),
    ("a herd of elephants flying in blue skies", "elephants flying in blue skies"),
    ("a house right of a car", "a car left of a house"),
    ("a balloon below a cloud", "a cloud above a balloon"),
    ("a big grey truck at night on the street", "at night, a large gray lorry on a road"),
    ("two small red cars next to a house", "2 little crimson automobiles beside a home"),
    ("a car on the left at day", "a car on the left side during the day"),
])
def test_same_meaning_same_canonical_scene(a, b):
    assert compile_scene(a) == compile_scene(b)


@pytest.mark.parametrize("a, b", [
    ("a car left of a house", "a car right of a house"),
    ("a red car", "a blue car"),
    ("a car at night", "a car by day"),
    ("two cars", "three cars"),
])
def test_different_meaning_different_scene(a, b):
    assert compile_scene(a) != compile_scene(b)


def test_every_vocabulary_phrase_parses_in_its_slot():
    for phrase, value in vocab.OBJECT.phrases.items():
        assert compile_scene(f"the {phrase}").items[0].object == value, phrase
    for phrase, value in vocab.COLOR.phrases.items():
        assert compile_scene(f"a {phrase} car").items[0].color == value, phrase
    for phrase, value in vocab.SIZE.phrases.items():
        assert compile_scene(f"a {phrase} car").items[0].size == value, phrase
    for phrase, value in vocab.COUNT.phrases.items():
        assert compile_scene(f"{phrase} cars").items[0].count == value, phrase
    for phrase, value in vocab.POSITION.phrases.items():
        assert compile_scene(f"a car {phrase}").items[0].position == value, phrase
    for phrase, value in vocab.RELATION.phrases.items():
        scene = compile_scene(f"a car {phrase} a tree")
        assert len(scene.items) == 2, phrase
    for phrase, value in vocab.PLACE.phrases.items():
        assert compile_scene(f"a car in {phrase}").place == value, phrase
    for phrase, value in vocab.TIME.phrases.items():
        text = f"a car in a field {phrase}" if " " in phrase else f"a car in a field at {phrase}"
        assert compile_scene(text).time == value, phrase


def test_vocabulary_meets_the_minimum():
    assert len(vocab.OBJECT.values) >= 12 and len(vocab.COLOR.values) >= 8
    assert len(vocab.SIZE.values) >= 2 and len(vocab.PLACE.values) >= 6
    assert set(vocab.TIME.values) == {"day", "night"}
    assert set(vocab.RELATION.values) >= {"left of", "right of", "above", "below", "next to"}


def test_plural_without_count_is_many_but_article_keeps_one():
    assert compile_scene("cars on the road").items[0].count == "many"
    assert compile_scene("the cars on the road").items[0].count == "one"
    assert compile_scene("three cars").items[0].count == "three"


def test_blend_is_canonical_and_normalised():
    scene = compile_scene("a (yellow:0.6, red:0.4) car on the road")
    assert scene.items[0].color == Blend((("red", pytest.approx(0.4)), ("yellow", pytest.approx(0.6))))
    assert compile_scene("a (red:2 yellow:3) car on the road") == scene
    assert compile_scene("a (red:1) car") == compile_scene("a red car")
    assert isinstance(compile_scene("a (car:1, truck:1)").items[0].object, Blend)
    assert isinstance(compile_scene("a car on (beach:1, road:3)").place, Blend)
    assert isinstance(compile_scene("a car at (day:1, night:1)").time, Blend)


def test_three_items_chain_relations():
    scene = compile_scene("a car left of a tree below a cloud in a field")
    assert [i.relation for i in scene.items] == ["left of", "below", None]


def test_str_of_a_scene_parses_back():
    for text in SENTENCES:
        scene = compile_scene(text)
        assert compile_scene(str(scene)) == scene


def test_variants_in_a_plain_scene_pick_by_seed():
    picks = {compile_scene("a {red | blue} car", seed=s).items[0].color for s in range(40)}
    assert picks == {"red", "blue"}
    assert compile_scene("a {red | blue} car", seed=5) == compile_scene("a {red | blue} car", seed=5)


@pytest.mark.parametrize("text", ["a car above a tree next to a house below a sun", "a car left of a tree left of a house left of a sun"])
def test_at_most_three_items(text):
    with pytest.raises(SketchError, match="at most 3"):
        compile_scene(text)
