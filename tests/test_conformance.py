"""One conformance test over every world, and one over every model (scikit-learn's check_estimator is the model).

Every world: compile(str(s)) == canonical(s), decode(encode(s)) == canonical(s), captions compile back,
deterministic renders, its signature rebuilds it, held-out scenes stay out of the sampler, and bad text is a
located error with a did-you-mean. Every registered model kind, classic ones included: the protocol's
shapes and types, same seeds same bytes, a batch equals its seeds one at a time, save -> load draws the same.
"""
from pathlib import Path

import numpy as np
import pytest

from gendsl import worlds
from gendsl.lang.errors import GendslError, SketchError
from gendsl.lang.seeds import stream
from gendsl.models import REGISTRY, load
from gendsl.models.protocol import GenerativeModel

SHAPES = Path(__file__).resolve().parents[1] / "examples" / "shapes"
WORLDS = {**{name: (lambda name=name: worlds.get(name)) for name in worlds.names()},
          "shapes (world.toml)": lambda: worlds.from_folder(SHAPES)}
TYPOS = {"scene": ("a red carr on the beach", "car"), "digits": ("the digit 3 is abuve the digit 9", "above"),
         "shapes": ("a red cirle", "circle")}


def scenes(world, n=60, held_out=False):
    rng = stream(0, "conformance", world.name, str(held_out))
    return [world.sample_scene(rng, held_out=held_out) for _ in range(n)]


@pytest.fixture(params=list(WORLDS), scope="module")
def world(request):
    return WORLDS[request.param]()


def test_canonical_text_compiles_back(world):
    for scene in scenes(world):
        assert world.compile(str(world.canonical(scene))) == world.canonical(scene)
        assert world.compile(world.text(scene)) == world.canonical(scene)


def test_the_vector_layout_follows_from_the_words(world):
    blocks = world.blocks()
    assert blocks[0][1] == 0 and blocks[-1][2] == world.dim
    assert all(a[2] == b[1] for a, b in zip(blocks, blocks[1:]))  # contiguous, in order
    for scene in scenes(world):
        vector = world.encode(scene)
        assert vector.shape == (world.dim,) and vector.dtype == np.float32
        assert world.decode(vector) == world.canonical(scene)
    assert world.encode_batch([]).shape == (0, world.dim)


def test_captions_compile_back(world):
    rng = stream(1, "conformance-captions")
    for scene in scenes(world, 40):
        assert world.compile(world.caption(scene, rng)) == world.canonical(scene)


def test_renders_are_deterministic(world):
    scene = scenes(world, 1)[0]
    first = world.render(scene, 7, 32)
    if first is None:
        assert world.training_set(2, 32) is None  # no renderer: its pictures are the user's
        return
    assert first.shape == (32, 32, 3) and first.dtype == np.uint8
    assert np.array_equal(first, world.render(scene, 7, 32))


def test_held_out_compositions_stay_out_of_the_sampler(world):
    assert not any(world.is_held_out(s) for s in scenes(world))
    held = scenes(world, 20, held_out=True)
    if any(world.is_held_out(s) for s in held):  # a world with held-out compositions: all of them held out
        assert all(world.is_held_out(s) for s in held)


def test_the_signature_rebuilds_the_world(world):
    again = worlds.from_signature(world.signature())
    assert again.name == world.name and again.dim == world.dim and again.signature() == world.signature()
    assert again.words() == world.words()
    with pytest.raises(GendslError, match="another world"):
        if world.name in worlds.names():
            worlds.from_signature({**world.signature(), "dim": world.dim + 1})
        else:
            raise GendslError("another world")  # a words world is rebuilt from any consistent words


def test_bad_text_is_a_located_error_with_a_did_you_mean(world):
    text, suggestion = TYPOS[world.name]
    with pytest.raises(SketchError) as caught:
        world.compile(text)
    assert caught.value.hint == f'did you mean "{suggestion}"?' and caught.value.line == 1
    with pytest.raises(SketchError):
        world.compile("   ")


# ---- every model kind
def tiny(kind: str, world_name: str = "scene"):
    import keras

    keras.utils.set_random_seed(0)
    world = worlds.get(world_name)
    if kind == "cgan":
        from gendsl.models.cgan import CGAN, CGANConfig
        return CGAN(CGANConfig(width=8, disc_width=8, encoder_width=8, z_dim=4), world=world)
    if kind == "cvae":
        from gendsl.models.cvae import CVAE, CVAEConfig
        return CVAE(CVAEConfig(width=8, z_dim=4), world=world)
    if kind == "helmholtz":
        from gendsl.worlds.digits import data as digits
        from gendsl.models.helmholtz import Helmholtz, HelmholtzConfig
        return Helmholtz(HelmholtzConfig(layers=(64, 8), epochs=1)).fit(digits.load()[0][:100])
    if kind == "ae":
        from gendsl.models.autoencoder import AEConfig, Autoencoder
        model = Autoencoder(AEConfig(size=32, code=4, width=8))
        model.code_mean, model.code_moment = np.zeros(4, np.float32), np.eye(4, dtype=np.float32)
        return model
    return load(kind)  # the renderers, and the classic models shipped trained (rbm, sparse)


MODELS = [*REGISTRY, "cgan@digits", "cvae@digits"]


@pytest.mark.parametrize("name", MODELS)
def test_every_model_follows_the_protocol(name, tmp_path):
    kind, _, world_name = name.partition("@")
    model = tiny(kind, world_name or "scene")
    assert isinstance(model, GenerativeModel), name
    world = getattr(model, "world", None) or (worlds.get("digits") if kind == "rbm" else None)
    cond = world.encode_batch(scenes(world, 3)) if world else np.zeros((3, 1), np.float32)
    images = model.generate(cond, [1, 2, 3])
    assert images.shape == (3, model.size, model.size, 3) and images.dtype == np.uint8
    assert np.array_equal(images, model.generate(cond, [1, 2, 3]))  # same seeds, same bytes
    assert np.array_equal(images[1:2], model.generate(cond[1:2], [2]))  # a batch is its seeds one at a time
    assert isinstance(model.fingerprint(), str)
    if kind in ("ae",):
        return  # its fitted code statistics are set by hand above: its save/load has its own test
    model.save(tmp_path / "m")
    again = load(str(tmp_path / "m"))
    assert again.fingerprint() == model.fingerprint() and np.array_equal(again.generate(cond, [1, 2, 3]), images)


def test_the_shipped_digits_cgan_speaks_its_world(tmp_path, monkeypatch):
    from gendsl.cli import main
    from gendsl.render import read_metadata

    model = load("cgan-digits")
    assert model.world.name == "digits" and model.size == 32
    digits = worlds.get("digits")
    cond = digits.encode(digits.compile("the digit 3 is above the digit 9"))
    images = model.generate(cond, [1, 2])
    assert images.shape == (2, 32, 32, 3) and images[0].std() > 10  # a picture, not a flat field
    monkeypatch.chdir(tmp_path)
    (tmp_path / "d.sketch").write_text('use cgan-digits\nvariations 1\nscene "a": a five in the bottom left corner\n')
    assert main(["render", "d.sketch", "--out", "out", "--quiet"]) == 0  # no `world digits` line: the model's words
    meta = read_metadata(tmp_path / "out" / "a-0000.png")
    assert meta["world"] == "digits" and meta["scene"] == "the digit 5 is at the bottom left"


PACKAGE = Path(__file__).resolve().parents[1] / "gendsl"


def _gendsl_imports(path: Path) -> set[str]:
    """The gendsl modules a file imports, at its top or inside a function (relative imports resolved)."""
    import ast

    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")[:len(package.split(".")) - node.level + 1] if node.level else []
            found.add(".".join(base + ([node.module] if node.module else [])))
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return {m for m in found if m.split(".")[0] == "gendsl"}


def test_the_language_is_every_worlds_and_knows_none():
    """lang is the lowest floor: it imports nothing of gendsl but itself and the limits, so no world's words can
    creep back into it; and no file outside a world's own package is named after a built-in world."""
    for path in sorted((PACKAGE / "lang").glob("*.py")):
        above = {m for m in _gendsl_imports(path) if not m.startswith(("gendsl.lang", "gendsl.limits"))
                 and m != "gendsl"}
        assert not above, f"{path.name} imports {sorted(above)}"
    assert _gendsl_imports(PACKAGE / "lang" / "expand.py") >= {"gendsl.lang.compiler"}  # the walk sees imports
    for name in worlds.names():
        named = [p for p in PACKAGE.rglob(f"*{name}*") if PACKAGE / "worlds" / name not in (p, *p.parents)]
        assert not [p for p in named if "weights" not in p.parts], f"files named after the {name} world: {named}"
