"""The language reads captions as people write them for photos (issue 14).

COCO-style captions of things this world has compile, with their full stops; each
kind of unknown word is handled by what it is; several mistakes come in one pass.
"""
import warnings

import pytest

from gendsl import GendslError, SketchError, UnusedWords, compile_scene, unused_words
from gendsl.cli import main
from gendsl.lang.errors import SketchErrors

# Captions as written for real photos of things this world has, each with what it must mean.
REAL_CAPTIONS = [
    ("A yellow school bus parked in a parking lot.", "a yellow school bus in the parking lot"),
    ("A red car parked on the side of the road.", "a red car on the road"),
    ("A blue truck driving down the road.", "a blue truck on the road"),
    ("A passenger jet flying through a blue sky.", "an airplane in the blue sky"),
    ("A commercial plane flying in the sky.", "an airplane in the blue sky"),
    ("A white house with a tree.", "a white house and a tree"),
    ("An elephant walking across a dry grass field.", "an elephant in the grass field"),
    ("A very large elephant standing in a grassy field.", "a large elephant in the grass field"),
    ("Two elephants walking across a grassy field.", "two elephants in the grass field"),
    ("A boat on the beach.", "a boat on the beach"),
    ("A small boat sailing on a lake.", "a small boat on the lake"),
    ("A stop sign on the side of the road.", "a stop sign on the road"),
    ("Several cars parked in a parking lot at night.", "many cars in the parking lot at night"),
    ("A large white airplane flying over the beach!", "a large white airplane on the beach"),
    ("A hot air balloon flying in a blue sky.", "a balloon in the blue sky"),
    ("A herd of elephants standing in a field.", "many elephants in the grass field"),
    ("A vintage car parked on a street.", "a car on the road"),
    ("A pickup truck parked in front of a house.", "a truck next to a house"),
    ("A sailboat in the water on a sunny day.", "a boat on the lake by day"),
    ("Cars driving on a highway at night.", "many cars on the road at night"),
    ("A white boat floating on a river.", "a white boat on the lake"),
    ("A school bus driving down the street on a rainy day.", "a school bus on the road by day"),
    ("A green tree in a grassy field, on a sunny day.", "a green tree in the grass field by day"),
    ("Two  large   elephants\u00a0walking next to a lake.", "two large elephants on the lake"),
    ("There is a red stop sign next to the road.", "a red stop sign on the road"),
    ("A picture of two elephants standing next to each other.", "two elephants"),
    ("A big airplane parked on the runway side of the road", "a large airplane on the road"),
]


@pytest.mark.parametrize("caption, meaning", REAL_CAPTIONS, ids=[c for c, _ in REAL_CAPTIONS])
def test_real_captions_compile_with_their_punctuation(caption, meaning):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnusedWords)
        scene = compile_scene(caption)
    assert str(scene) == meaning
    assert compile_scene(str(scene)) == scene  # the canonical text reads back


def test_case_tabs_and_spaces_people_type():
    plain = compile_scene("a red car on the beach")
    for typed in ("A RED Car on the Beach.", "a red car,  on the beach!", "a\tred car on the beach",
                  "a red\u00a0car on the\u202fbeach", " a red car on the beach . "):
        assert compile_scene(typed) == plain, typed


@pytest.mark.parametrize("text", ["a red\u2028car", "a red\x85car", "a red\x00car", "a red\u200bcar"])
def test_line_separators_and_control_characters_stay_refused_with_a_place(text):
    with pytest.raises(SketchError) as caught:
        compile_scene(text)
    assert "unexpected character U+" in str(caught.value) and caught.value.column == 6


def test_canonical_text_reads_as_english():
    assert str(compile_scene("a boat in the beach")) == "a boat on the beach"
    assert str(compile_scene("a car in a road")) == "a car on the road"
    assert str(compile_scene("a bus on a parking lot")) == "a school bus in the parking lot"
    assert compile_scene("a boat on the beach").legacy_text() == "a boat in the beach"  # restore's old images


@pytest.mark.parametrize("text, word", [
    ("a vintage car parked on a street", "vintage"),
    ("a commercial plane", "commercial"),
    ("an elephant walking across a dry grass field", "dry"),
    ("a bus on a rainy day", "rainy"),
])
def test_a_modifier_the_world_cannot_draw_is_left_out_with_a_warning(text, word):
    with unused_words() as report:
        scene = compile_scene(text)
    assert len(report.found) == 1 and f'"{word}"' in str(report.found[0])
    assert "cannot draw" in str(report.found[0]) and "^" * len(word) in str(report.found[0])
    with pytest.warns(UnusedWords, match=word):  # without a collector: Python's warnings
        assert compile_scene(text) == scene
    with pytest.raises(SketchError, match=f'cannot draw "{word}"'):
        compile_scene(text, strict=True)


def test_the_warning_lists_every_word_left_out():
    with unused_words() as report:
        compile_scene("a vintage commercial car on a busy street")
    assert '"vintage", "commercial", "busy"' in str(report.found[0])


@pytest.mark.parametrize("text, suggestion", [
    ("a yelow car", "yellow"), ("a car on the beech", "beach"), ("an elefant", "elephant"),
    ("a red trck", "truck"), ("a scool bus", "school"), ("a car in a parkng lot", "parking lot"),
    ("a blu car", "blue"), ("a red cra", "car"), ("a tere on the beach", "tree"), ("a rde car", "red"),
])
def test_a_near_typo_is_an_error_with_a_suggestion_of_the_kind_expected(text, suggestion):
    with pytest.raises(SketchError) as caught:
        compile_scene(text)
    assert f'did you mean "{suggestion}"?' in str(caught.value)


@pytest.mark.parametrize("text", ["a cat", "a car cat", "a dog on the road"])
def test_no_suggestion_that_is_not_close_or_not_of_the_kind(text):
    with pytest.raises(SketchError) as caught:
        compile_scene(text)
    assert 'did you mean "at"' not in str(caught.value) and 'did you mean "car"' not in str(caught.value)


def test_side_is_no_longer_seaside():
    assert compile_scene("a car on the side of the road") == compile_scene("a car on the road")
    with pytest.raises(SketchError) as caught:
        compile_scene("a car on the side")
    assert "seaside" not in str(caught.value)


def test_an_unknown_thing_where_an_object_stands_names_the_objects():
    with pytest.raises(SketchError) as caught:
        compile_scene("a cat on a sofa")
    text = str(caught.value)
    assert 'unknown object "cat"' in text and "school bus, car, truck" in text
    assert 'unknown place "sofa"' in text and "parking lot, road, beach" in text  # both, in one pass


def test_several_mistakes_in_one_pass():
    with pytest.raises(SketchErrors) as caught:
        compile_scene("a yelow scool bus @ in a parkng lot")
    errors = caught.value.errors
    assert [e.column for e in errors] == [3, 9, 19, 26]  # two typos, a stray sign, a place
    assert caught.value.column == 3  # it reads as its first mistake for code that asks
    assert str(caught.value).count("error:") == 4


def test_the_recovered_parse_does_not_report_one_mistake_twice():
    with pytest.raises(SketchError) as caught:
        compile_scene("a car @ the beach")
    assert str(caught.value).count("error:") == 1


def test_known_words_of_another_kind_still_say_so():
    with pytest.raises(SketchError, match=r'"the" \(an article\) cannot stand here'):
        compile_scene("a the car")
    with pytest.raises(SketchError, match=r'"red" \(a color\) cannot stand here'):
        compile_scene("a car red")


def test_for_a_person_the_message_has_no_source_name_and_keeps_caret_and_hint():
    with pytest.raises(SketchError) as caught:
        compile_scene("a yelow car")
    shown = caught.value.for_person()
    assert "<scene>" not in shown and ":1:" not in shown
    assert "^^^^^" in shown and 'did you mean "yellow"?' in shown


def test_cli_warns_on_stderr_and_strict_refuses(capsys):
    assert main(["scene", "A vintage car on the road."]) == 0
    captured = capsys.readouterr()
    assert "a car on the road" in captured.out and 'cannot draw "vintage"' in captured.err
    assert main(["scene", "--strict", "A vintage car on the road."]) == 2
    assert 'error: the world cannot draw "vintage"' in capsys.readouterr().err


def test_cli_check_strict_on_a_sketch(tmp_path, capsys):
    sketch = tmp_path / "v.sketch"
    sketch.write_text('scene "a": a vintage {red | blue} car on the road.\n')
    assert main(["check", str(sketch)]) == 0
    assert capsys.readouterr().err.count('cannot draw "vintage"') == 1  # once, not once per combination
    assert main(["check", "--strict", str(sketch)]) == 2
    assert "v.sketch:1:14" in capsys.readouterr().err


def test_restore_takes_images_made_when_canonical_text_said_in_the_beach(tmp_path):
    import numpy as np

    import gendsl
    from gendsl.render.files import png_bytes

    image, = gendsl.generate("a boat on the beach", [3], model="world", size=32)
    assert image.metadata["scene"] == "a boat on the beach"
    old = tmp_path / "old.png"
    old.write_bytes(png_bytes(image.pixels, {**image.metadata, "scene": "a boat in the beach"}))
    assert np.array_equal(gendsl.restore(old).pixels, image.pixels)
    changed = tmp_path / "changed.png"
    changed.write_bytes(png_bytes(image.pixels, {**image.metadata, "scene": "a boat on the lake"}))
    with pytest.raises(GendslError, match="the scene language has changed"):
        gendsl.restore(changed)
