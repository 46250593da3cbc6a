"""What a world drawing leaves unshown (worlds/scene/visible.py), and how the caption scoring uses it."""
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
