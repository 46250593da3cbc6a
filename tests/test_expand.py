"""Expansion: seeded picks, independent streams, variables bound once per image."""
from collections import Counter

from gendsl import parse_sketch
from gendsl.lang.expand import Expander
from gendsl.worlds import default
from gendsl.lang.seeds import noise_rng, pick_rng

SKETCH = '''
seed 10
let vehicle = {yellow school bus | 2:red car | blue truck}
scene "mix": $vehicle in {parking lot | beach | snowy field} at {day | night}
scene "twice": a $vehicle next to a $vehicle
scene "weighted": a {red | 3:blue} car
'''


def texts(sketch_text, name, seeds=range(200)):
    sketch = parse_sketch(sketch_text)
    expander = Expander.for_sketch(sketch, default())
    return [expander.pick(sketch.scene(name).template, s).compile() for s in seeds]


def test_same_seed_same_scene_and_all_options_reachable():
    first, second = texts(SKETCH, "mix"), texts(SKETCH, "mix")
    assert first == second
    assert {s.place for s in first} == {"parking lot", "beach", "snowy field"}
    assert {s.items[0].object for s in first} == {"school bus", "car", "truck"}


def test_weights_shape_the_picks():
    colors = Counter(s.items[0].color for s in texts(SKETCH, "weighted", range(2000)))
    assert 0.68 < colors["blue"] / 2000 < 0.82


def test_a_variable_is_bound_once_per_image():
    for scene in texts(SKETCH, "twice", range(50)):
        assert scene.items[0].object == scene.items[1].object


def test_picks_do_not_depend_on_other_variants_or_their_order():
    a = texts('scene "s": a {red | blue | green} car in {a field | the snow}\n', "s")
    b = texts('scene "s": a {red | blue | green} car {in | on} {a field | the snow} {by day | }\n', "s")
    c = texts('scene "s": in {a field | the snow}, a {red | blue | green} car\n', "s")
    assert [s.items[0].color for s in a] == [s.items[0].color for s in b] == [s.items[0].color for s in c]
    assert [s.place for s in a] == [s.place for s in b] == [s.place for s in c]


def test_pick_stream_is_independent_of_noise_stream():
    assert noise_rng(5).random() != pick_rng(5).random()
    assert noise_rng(5).random() == noise_rng(5).random()
    assert pick_rng(5, "a").random() != pick_rng(5, "b").random()


def test_every_enumerates_all_combinations():
    sketch = parse_sketch(SKETCH)
    combos = list(Expander.for_sketch(sketch, default()).every(sketch.scene("mix").template))
    assert len(combos) == 3 * 3 * 2
    assert len({c.text for c in combos}) == 18
    assert len(list(Expander.for_sketch(sketch, default()).every(sketch.scene("twice").template))) == 3


def test_wildcards_read_the_file_beside_the_sketch(tmp_path):
    (tmp_path / "wildcards").mkdir()
    (tmp_path / "wildcards" / "colors.txt").write_text("# colors\nred\n\n3: blue\n")
    (tmp_path / "w.sketch").write_text('scene "w": a __colors__ car\n')
    from gendsl import load_sketch
    sketch = load_sketch(tmp_path / "w.sketch")
    expander = Expander.for_sketch(sketch, default())
    colors = Counter(expander.pick(sketch.scenes[0].template, s).compile().items[0].color for s in range(400))
    assert set(colors) == {"red", "blue"} and colors["blue"] > 2 * colors["red"]
