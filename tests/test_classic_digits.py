"""The digits world: its language, renderer, held-out split, sketches that say `world digits`, and the CLI."""
import numpy as np
import pytest

import gendsl
from gendsl import GendslError
from gendsl.cli import main
from gendsl.lang import parse_sketch
from gendsl.worlds.digits.language import DIM, POSITION, DigitScene, compile_digits_text, decode, encode
from gendsl.lang.errors import SketchError
from gendsl.worlds.digits import canvas as world

GOLDEN = {
    "the digit 3 is at the top of the digit 9": DigitScene(("3", "9"), None, "above"),
    "the digit 9 is below the digit 3": DigitScene(("3", "9"), None, "above"),
    "the digit 7 is at the bottom right of the image": DigitScene(("7",), "bottom right"),
    "a 5 to the left of a two": DigitScene(("5", "2"), None, "left of"),
    "the number 1 is to the right of the digit 0": DigitScene(("0", "1"), None, "left of"),
    "seven in the middle": DigitScene(("7",), "center"),
    "the digit four is on the left of the image": DigitScene(("4",), "left"),
    "digit 8": DigitScene(("8",), "center"),
}


@pytest.mark.parametrize("text,scene", GOLDEN.items())
def test_golden_phrases(text, scene):
    assert compile_digits_text(text) == scene
    assert compile_digits_text(str(scene)) == scene


def test_every_scene_encodes_and_decodes():
    scenes = [DigitScene((d,), p) for d in "0123456789" for p in POSITION.values]
    scenes += [DigitScene((a, b), None, r) for a in "0123456789" for b in "0123456789" for r in ("above", "left of")]
    vectors = np.stack([gendsl.worlds.get("digits").encode(s) for s in scenes])  # each world encodes its own
    assert np.array_equal(vectors, np.stack([encode(s) for s in scenes]))
    assert vectors.shape == (len(scenes), DIM)
    assert len({v.tobytes() for v in vectors}) == len(scenes)
    assert all(decode(v) == s for v, s in zip(vectors, scenes))


@pytest.mark.parametrize("text,message,hint", [
    ("the digit 3 is at the tpo of the digit 9", 'unknown words "at the tpo"', 'did you mean "at the top"?'),
    ("the digti 3", 'unknown word "digti"', 'did you mean "digit"?'),
    ("the digit 12", 'unknown word "12"', None),
    ("the digit 3 is at the top of", "ends too early", None),
    ("the digit 3 at the top left 4", '"4" (a digit) cannot stand here', None),
])
def test_errors_are_located(text, message, hint):
    with pytest.raises(SketchError) as caught:
        compile_digits_text(text)
    error = caught.value
    assert message in str(error) and error.line == 1 and "^" in str(error)
    assert error.hint == hint


def test_sketches_say_which_world():
    from gendsl.render.jobs import sketch_model, sketch_world

    sketch = parse_sketch('world digits\nscene "a": the digit {3 | 4} is at the top left\n')
    assert sketch.world == "digits" and sketch_model(sketch) == "digits"  # the world's default model
    plain = parse_sketch('scene "a": a red car')
    assert plain.world is None and sketch_world(plain).name == "scene" and sketch_model(plain) == "cgan"
    with pytest.raises(SketchError, match='unknown world "digts"') as caught:  # the registry's worlds, located
        sketch_world(parse_sketch('world digts\nscene "a": the digit 3\n'))
    assert caught.value.hint == 'did you mean "digits"?' and caught.value.line == 1
    with pytest.raises(SketchError, match="unknown word") as caught:
        parse_sketch('world digits\nscene "a": a red car\n').scenes  # compiled when expanded:
        from gendsl.lang.expand import Expander
        from gendsl.render.jobs import sketch_world
        sketch = parse_sketch('world digits\nscene "a": a red car\n')
        Expander.for_sketch(sketch, sketch_world(sketch)).pick(sketch.scenes[0].template, 0).compile()
    assert caught.value.line == 2


def test_captions_compile_back_and_held_out_stays_out():
    train = world.dataset(300, seed=0, split="train")
    assert all(compile_digits_text(c) == s for c, s in zip(train["captions"], train["scenes"]))
    assert not any(world.is_held_out(s) for s in train["scenes"])
    held = world.dataset(40, seed=0, split="heldout")
    assert all(world.is_held_out(s) for s in held["scenes"])
    for digit, place in world.HELD_OUT_SINGLES:  # each held-out piece is seen elsewhere (here: in a pair)
        assert any(place in world.RELATION_CELLS[r] for r in world.RELATION_CELLS), (digit, place)


def test_render_is_deterministic_and_puts_ink_where_the_caption_says():
    scene = compile_digits_text("the digit 7 is at the bottom right")
    a, b = world.render(scene, 5), world.render(scene, 5)
    assert np.array_equal(a, b) and not np.array_equal(a, world.render(scene, 6))
    assert a[16:, 16:].sum() > 5 * a[:12, :12].sum()
    stack = world.render(compile_digits_text("the digit 3 is at the top of the digit 9"), 0)
    assert stack[:14].sum() > 10 and stack[18:].sum() > 10
    labels = world.cell_labels(encode(scene)[None])[0].reshape(9, 10)
    assert labels[POSITION.index("bottom right"), 7] == 1 and labels.sum() == 1


def test_a_variation_switches_each_digit_to_the_variation_seeds_on_the_way():
    """Strength 0 is the seed's canvas and 1 the variation seed's; between, each digit switches at its own
    point, so the canvases along the way are each the one or the other digit by digit."""
    from gendsl.lang.noise import Noise

    scene = compile_digits_text("the digit 3 is at the top of the digit 9")
    start, end = world.render(scene, 4), world.render(scene, 77)
    assert world.render(scene, Noise(4, 77, 0.0)).tobytes() == start.tobytes()
    assert world.render(scene, Noise(4, 77, 1.0)).tobytes() == end.tobytes()
    path = [world.render(scene, Noise(4, 77, t)) for t in np.linspace(0, 1, 21)]
    changed = [float(np.abs(a - start).sum()) for a in path]
    assert changed[0] == 0 and changed[-1] > 0 and len(set(changed)) >= 3  # start, one digit switched, both
    assert gendsl.models.load("digits").takes_noise


@pytest.fixture(scope="module")
def tiny_rbm(tmp_path_factory):
    from gendsl.models.rbm import RBM, RBMConfig
    data = world.dataset(400, seed=0)
    x = (data["images"] >= 0.5).reshape(400, -1).astype(np.float32)
    rbm = RBM(RBMConfig(visible=1024, side=32, hidden=16, labels=world.LABELS, conditioning="digits-world",
                        epochs=1, gibbs_steps=5)).fit(x, world.cell_labels(data["cond"]), seed=0)
    return rbm.save(tmp_path_factory.mktemp("m") / "rbm-digits")


def test_a_digits_sketch_renders_with_a_conditional_rbm(tiny_rbm, tmp_path):
    sketch = tmp_path / "d.sketch"
    sketch.write_text('world digits\nvariations 2\nscene "s": the digit 3 is at the top of the digit 9\n'
                      'scene "c": the digit {7 | 1} is at the bottom right\nmorph "s" -> "c" in 3 frames\n')
    assert main(["render", str(sketch), "--model", str(tiny_rbm), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    pngs = sorted(p.name for p in (tmp_path / "out").glob("*.png"))
    assert len(pngs) == 4 and (tmp_path / "out" / "s-to-c.gif").exists()
    assert main(["render", str(sketch), "--out", str(tmp_path / "truth"), "--quiet"]) == 0  # default: the world


def test_rbm_refuses_another_worlds_conditioning(tiny_rbm):
    model = gendsl.load(str(tiny_rbm))
    with pytest.raises(GendslError, match="world digits"):
        model.generate(gendsl.encode(gendsl.compile_scene("a red car")), [1])


def test_cli_trains_denoises_and_samples(tmp_path, tiny_rbm, capsys):
    sparse = tmp_path / "sparse"
    assert main(["train", "sparse", "--data", "photos", "--patch", "6", "--atoms", "16", "--patches", "1500",
                 "--epochs", "1", "--out", str(sparse), "--quiet"]) == 0
    for produced in ("atoms.png", "samples.png", "README.md", "config.json", "weights.npz"):
        assert (sparse / produced).is_file(), produced
    assert "relative_error_test" in (sparse / "README.md").read_text()
    assert main(["denoise", str(sparse), "--stride", "4", "--out", str(tmp_path / "d.png")]) == 0
    assert "PSNR" in capsys.readouterr().out
    assert main(["train", "helmholtz", "--layers", "16", "--epochs", "2", "--out", str(tmp_path / "hm"),
                 "--quiet"]) == 0
    assert (tmp_path / "hm" / "samples.png").is_file()
    assert main(["gibbs", str(tiny_rbm), "--scene", "the digit 3 is at the top left", "--steps", "20",
                 "--out", str(tmp_path / "c.gif")]) == 0
    assert (tmp_path / "c.gif").is_file()


@pytest.mark.parametrize("argv,message", [
    (["train", "rbm", "--data", "pictures"], "or a world that draws its own pictures (scene, digits)"),
    (["train", "sparse", "--data", "photos", "--atoms", "50", "--patches", "20"], "needs at least as many patches"),
    (["train", "helmholtz", "--layers", "two"], "--layers is a list"),
    (["gibbs", "runs/none-here"], "no model named"),
])
def test_cli_errors_exit_2(argv, message, tmp_path, capsys):
    assert main([*argv, "--out", str(tmp_path / "x")] if argv[0] == "train" else argv) == 2
    assert message in capsys.readouterr().err
