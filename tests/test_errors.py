"""Bad input is the common case: every mistake gets a located, helpful message."""
import subprocess
import sys

import pytest

from gendsl import SketchError, compile_scene, parse_sketch
from gendsl.cli import main
from gendsl.lang.expand import Expander
from gendsl.worlds import default


def sketch_error(text: str) -> SketchError:
    with pytest.raises(SketchError) as caught:
        sketch = parse_sketch(text, "bad.sketch")
        expander = Expander.for_sketch(sketch, default())
        for decl in sketch.scenes:
            for expansion in expander.every(decl.template):
                expansion.compile()
    return caught.value


def test_mistyped_word_shows_line_column_caret_and_suggestion():
    error = sketch_error('size 64\nscene "a": a yelow school bus in a parking lot\n')
    text = str(error)
    assert (error.line, error.column) == (2, 14)
    assert text.startswith("bad.sketch:2:14: error: unknown word \"yelow\"")
    assert "   2 | scene \"a\": a yelow school bus" in text
    assert "\n     |              ^^^^^\n" in text
    assert 'did you mean "yellow"?' in text
    assert "expected" in text and "a color" in text


def test_multi_word_suggestion():
    error = sketch_error('scene "a": a car in a parkng lot\n')
    assert 'did you mean "parking lot"?' in str(error)
    assert "^" * len("parkng lot") in str(error)


def test_error_inside_a_variant_points_into_the_sketch():
    error = sketch_error('let v = {red car | blu truck}\nscene "a": a $v on the road\n')
    assert (error.line, error.column) == (1, 20)
    assert 'did you mean "blue"?' in str(error)


def test_error_in_a_wildcard_file_points_into_that_file(tmp_path):
    (tmp_path / "wildcards").mkdir()
    (tmp_path / "wildcards" / "colors.txt").write_text("red\nblu\n")
    sketch = parse_sketch('scene "a": a __colors__ car\n', tmp_path / "x.sketch")
    with pytest.raises(SketchError) as caught:
        for expansion in Expander.for_sketch(sketch, default()).every(sketch.scenes[0].template):
            expansion.compile()
    assert str(caught.value).startswith(f"{tmp_path / 'wildcards' / 'colors.txt'}:2:1:")


@pytest.mark.parametrize("text, message", [
    ("", "the sketch is empty"),
    ("   \n# only a comment\n", "has no scene"),
    ('size 64\n', "has no scene"),
    ('colour 3\nscene "a": a car\n', 'unknown word "colour"'),
    ('scene "a": a car\nmorph "a" ->\n', "ends too early"),
    ('scene "a": a car\nmorph "a" -> "b"\n', 'no scene is named "b"'),
    ('scene "a": a car\ngrid "b" rows 2\n', 'no scene is named "b"'),
    ('let a = {$b | red car}\nlet b = $a\nscene "s": $a\n', "refers to itself"),
    ('let a = $a\nscene "s": $a\n', "refers to itself"),
    ('scene "s": a $colr car\n', "variable $colr is not defined"),
    ('variations 100000\nscene "a": a car\n', "variations must be between 1 and 1000"),
    ('size 7\nscene "a": a car\n', "size must be one of 32, 64, 128"),
    ('seed 99999999999\nscene "a": a car\n', "seed must be between"),
    ('scene "a": a car\nscene "a": a tree\n', 'two scenes are named "a"'),
    ('size 32\nsize 64\nscene "a": a car\n', 'is set twice'),
    ('scene "": a car\n', "a name cannot be empty"),
    ('scene "a": a {red | 0:blue} car\n', "weight must be more than zero"),
    ('scene "a": a {red | blue car\n', 'expected'),
    ('scene "a": a red blue car\n', "two colors for one object"),
    ('scene "a": a (red:0.5, car:0.5) truck\n', "a blend mixes values of one kind"),
    ('scene "a": a (red:0, blue:0) car\n', "must add up to more than zero"),
    ('scene "a": a car in a beach on a road\n', "two places in one scene"),
    ('scene "a": a car red\n', '"red" (a color) cannot stand here'),
    ('scene "a": a red\n', "ends too early"),
    ('scene "a": a car __nowhere__\n', "no wildcard file"),
    ('morph "a" -> "b" in 1 frames\nscene "a": a car\nscene "b": a car\n', "frames must be between 2 and 240"),
])
def test_each_mistake_gets_a_message(text, message):
    error = sketch_error(text)
    assert message in str(error)
    assert "Traceback" not in str(error)


def test_unknown_directive_suggests_the_directive():
    assert 'did you mean "variations"?' in str(sketch_error('variatons 3\nscene "a": a car\n'))


def test_empty_scene_text():
    with pytest.raises(SketchError, match="the scene is empty"):
        compile_scene("   ")


def test_scene_text_too_long():
    with pytest.raises(SketchError, match="at most 2000 characters"):
        compile_scene("a car " * 500)


def test_cli_exits_2_without_traceback_and_writes_nothing(tmp_path, capsys):
    sketch = tmp_path / "typo.sketch"
    sketch.write_text('scene "a": a yelow car in a parkng lot\n')
    out = tmp_path / "out"
    assert main(["render", str(sketch), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "typo.sketch:1:14" in err and "^^^^^" in err and 'did you mean "yellow"?' in err
    assert "Traceback" not in err
    assert not out.exists()
    assert main(["check", str(sketch)]) == 2


def test_cli_unknown_model_and_missing_file(tmp_path, capsys):
    sketch = tmp_path / "m.sketch"
    sketch.write_text('use wrld\nscene "a": a car\n')
    assert main(["check", str(sketch)]) == 2
    assert 'did you mean "world"?' in capsys.readouterr().err
    assert main(["check", str(tmp_path / "missing.sketch")]) == 2
    assert "no sketch file" in capsys.readouterr().err


def test_cli_as_a_process_prints_no_traceback(tmp_path):
    sketch = tmp_path / "bad.sketch"
    sketch.write_text('scene "a": a car\nmorph "a" ->\n')
    done = subprocess.run([sys.executable, "-m", "gendsl.cli", "check", str(sketch)], capture_output=True, text=True)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "bad.sketch:2:" in done.stderr
