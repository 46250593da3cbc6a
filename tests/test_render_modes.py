"""Seeds, variation seeds, generation modes, morphs and display upscaling (issue 4)."""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import gendsl
from gendsl import GendslError
from gendsl.cli import main
from gendsl.render import as_seeds, file_names, plan, read_metadata, run_seeds, slerp

SCHOOL_BUS = Path(__file__).resolve().parents[1] / "sketches" / "school_bus.sketch"
MODES_SKETCH = 'seed 3\nvariations 4\nscene "s": a {red | blue | green} car on the {beach | road}\n'


@pytest.fixture(scope="module")
def cgan():
    return gendsl.get_model("cgan")


def test_seed_modes_report_the_seeds_they_use():
    assert run_seeds(5, 3).seeds == (5, 6, 7)
    assert run_seeds(5, 3, "fixed").seeds == (5, 5, 5)
    drawn = run_seeds(5, 3, "random", entropy=1)
    assert drawn.seeds == run_seeds(5, 3, "random", entropy=1).seeds and len(set(drawn.seeds)) == 3
    varied = run_seeds(7, 3, variation_seed=99, strength=0.3)
    assert varied.mode == "fixed" and varied.seeds == (7, 7, 7) and varied.variation_seeds == (99, 100, 101)
    for bad in (dict(start=-1, count=1), dict(start=2**32, count=1), dict(start=0, count=0),
                dict(start=0, count=2, strength=0.5), dict(start=0, count=1, variation_seed=1, strength=1.5),
                dict(start=0, count=1, mode="sometimes")):
        with pytest.raises(GendslError):
            run_seeds(**bad)


def test_random_seed_mode_writes_the_seeds_into_the_images(tmp_path, capsys):
    assert main(["render", str(SCHOOL_BUS), "--scene", "classic", "--variations", "2", "--seed-mode", "random",
                 "--size", "32", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    seeds = sorted(read_metadata(p)["seed"] for p in tmp_path.glob("*.png"))
    assert len(seeds) == 2 and all(str(s) in printed for s in seeds)


def test_generation_modes():
    sketch = gendsl.parse_sketch(MODES_SKETCH)
    seeds = run_seeds(3, 4)
    random = [j.text for j in plan(sketch, seeds, mode="random")]
    assert random == [j.text for j in plan(sketch, seeds, mode="random")]
    cyclic = [j.text for j in plan(sketch, seeds, mode="cyclic")]
    assert cyclic == ["a red car on the beach", "a blue car on the road", "a green car on the beach",
                      "a red car on the road"]
    every = plan(sketch, seeds, mode="combinatorial")
    assert len(every) == 6 * 4 and len({j.text for j in every}) == 6
    assert len(set(file_names(every))) == len(every)
    assert {(j.text, j.seed) for j in every} == {(t, s) for t in {j.text for j in every} for s in seeds.seeds}


def test_mode_directive_and_the_combination_cap():
    sketch = gendsl.parse_sketch("mode cyclic\n" + MODES_SKETCH)
    assert sketch.mode == "cyclic" and plan(sketch, run_seeds(0, 1))[0].text == "a red car on the beach"
    with pytest.raises(gendsl.SketchError, match="unknown mode"):
        gendsl.parse_sketch("mode cylic\n" + MODES_SKETCH)
    huge = gendsl.parse_sketch('scene "s": a {red|blue|green|pink|gray|black|white|orange|yellow|purple} '
                               '{car|truck|boat|house|tree|balloon|cloud|sun|airplane|elephant} {left of|right of} '
                               'a {red|blue|green|pink|gray} {car|truck|boat|house|tree} on the {beach|road}')
    with pytest.raises(GendslError, match="more than 1000 combinations"):
        plan(huge, run_seeds(0, 1), mode="combinatorial")


def test_fixed_seed_with_random_variants_is_refused_with_a_reason():
    sketch = gendsl.parse_sketch(MODES_SKETCH)
    with pytest.raises(GendslError, match="same image 4 times"):
        plan(sketch, run_seeds(3, 4, "fixed"))
    assert len(plan(sketch, run_seeds(3, 4, "fixed"), mode="cyclic")) == 4


def test_slerp_ends_are_exact_and_the_middle_keeps_the_norm():
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((3, 64)), rng.standard_normal((3, 64))
    assert np.array_equal(slerp(a, b, 0.0), a.astype(np.float32))
    assert np.array_equal(slerp(a, b, 1.0), b.astype(np.float32))
    middle = slerp(a, b, 0.5)
    assert np.allclose(np.linalg.norm(middle, axis=1), np.linalg.norm(a, axis=1), rtol=0.25)
    assert np.allclose(slerp(a, a, 0.3), a, atol=1e-6)


def test_variation_strength_goes_from_the_seed_to_the_variation_seed(cgan):
    scene = "a yellow school bus in a parking lot"
    at = {s: gendsl.generate(scene, [7], model=cgan, variation_seed=99, strength=s)[0].pixels for s in (0.0, 0.3, 1.0)}
    plain = gendsl.generate(scene, [7], model=cgan)[0].pixels
    assert np.array_equal(at[0.0], plain)
    assert np.array_equal(at[1.0], gendsl.generate(scene, [99], model=cgan)[0].pixels)  # all the way: seed 99's image
    assert not np.array_equal(at[0.3], plain)


def test_a_batch_with_variations_equals_the_images_one_at_a_time(cgan):
    batch = gendsl.generate("a red car on the beach", [1, 2, 3], model=cgan, variation_seed=50, strength=0.5)
    for image in batch:
        alone = gendsl.generate("a red car on the beach", [image.seed], model=cgan,
                                variation_seed=image.metadata["variation_seed"], strength=0.5)[0]
        assert np.array_equal(image.pixels, alone.pixels)


def test_the_world_varies_along_the_same_path():
    def at(strength, seed=1):
        return gendsl.generate("a red car", [seed], model="world", size=32, variation_seed=2, strength=strength)[0]

    assert np.array_equal(at(0.0).pixels, at(0.0, seed=1).pixels)
    assert np.array_equal(at(1.0).pixels, gendsl.generate("a red car", [2], model="world", size=32)[0].pixels)
    assert not np.array_equal(at(0.5).pixels, at(0.0).pixels) and not np.array_equal(at(0.5).pixels, at(1.0).pixels)


def test_morph_frames_and_endpoints(cgan, tmp_path):
    frames = gendsl.morph("a red car on the beach", "a blue truck on the road at night", frames=5, seed=3,
                          end_seed=8, model=cgan)
    assert len(frames) == 5
    start = gendsl.generate("a red car on the beach", [3], model=cgan)[0]
    end = gendsl.generate("a blue truck on the road at night", [8], model=cgan)[0]
    assert np.array_equal(frames[0].pixels, start.pixels) and np.array_equal(frames[-1].pixels, end.pixels)
    sketch = tmp_path / "m.sketch"
    sketch.write_text('use world\nsize 32\nscene "a": a red car\nscene "b": a blue boat on the lake\n'
                      'morph "a" seed 1 -> "b" seed 2 in 6 frames\n')
    assert main(["render", str(sketch), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    written = sorted((tmp_path / "out" / "a-to-b").glob("frame-*.png"))
    assert len(written) == 6 and (tmp_path / "out" / "a-to-b.gif").is_file()
    world = gendsl.get_model("world", 32)
    first = gendsl.generate("a red car", [1], model=world)[0].pixels
    last = gendsl.generate("a blue boat on the lake", [2], model=world)[0].pixels
    from gendsl.render.files import read_pixels
    assert np.array_equal(read_pixels(written[0]), first) and np.array_equal(read_pixels(written[-1]), last)
    with pytest.raises(GendslError, match="between 2 and"):
        gendsl.morph("a car", "a boat", frames=1, model=world)


def test_upscaling_is_for_display_and_recorded(tmp_path):
    for resample in ("nearest", "bicubic"):
        image, = gendsl.generate("a red car", [1], model="world", size=32, upscale_by=3, resample=resample)
        assert image.pixels.shape == (96, 96, 3) and image.metadata["resample"] == resample
    small, = gendsl.generate("a red car", [1], model="world", size=32)
    big, = gendsl.generate("a red car", [1], model="world", size=32, upscale_by=2)
    assert np.array_equal(big.pixels[::2, ::2], small.pixels)
    with pytest.raises(GendslError, match="upscaling goes from 1 to"):
        gendsl.generate("a red car", [1], model="world", size=32, upscale_by=9)
    assert main(["render", str(SCHOOL_BUS), "--upscale", "2", "--resample", "bicubic", "--scene", "classic",
                 "--variations", "1", "--size", "32", "--sidecar", "--out", str(tmp_path), "--quiet"]) == 0
    png, = tmp_path.glob("*.png")
    assert json.loads(png.with_suffix(".json").read_text()) == read_metadata(png)
    assert read_metadata(png)["upscale"] == 2


def test_same_sketch_and_seeds_give_the_same_bytes_in_two_processes(tmp_path):
    script = ("import sys, gendsl; s = gendsl.Sketch.from_file(sys.argv[1]); "
              "sys.stdout.buffer.write(b''.join(i.png() for i in s.render(seeds=[4, 5], model='cgan')))")
    runs = [subprocess.run([sys.executable, "-c", script, str(SCHOOL_BUS)], capture_output=True, check=True).stdout
            for _ in range(2)]
    assert runs[0] and runs[0] == runs[1]


def test_bad_input_exits_2_and_writes_nothing(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cases = [(["--seed", "-4"], "out of range"), (["--scene", "nope"], "no scene named"),
             (["--variation-seed", "1", "--strength", "2"], "from 0 to 1"),
             (["--grid", "mix by plcae x seed"], 'did you mean "place"?')]
    for extra, message in cases:
        assert main(["render", str(SCHOOL_BUS), "--out", str(tmp_path / "x"), "--size", "32", *extra]) == 2
        assert message in capsys.readouterr().err
    assert main(["render", str(SCHOOL_BUS), "--out", str(blocker / "out"), "--quiet"]) == 2
    assert "cannot write to the folder" in capsys.readouterr().err
    assert not (tmp_path / "x").exists() or not list((tmp_path / "x").rglob("*.png"))


def test_a_batch_renders_what_it_can_and_lists_the_failures(tmp_path, capsys, monkeypatch):
    import gendsl.render.sketch as render_sketch_module

    real_load = render_sketch_module.load

    def load(ref, size=None):  # the cvae's folder is damaged between planning and rendering
        if ref == "cvae":
            raise GendslError("cvae: cannot read the weights")
        return real_load(ref, size=size)

    monkeypatch.setattr(render_sketch_module, "load", load)
    (tmp_path / "ok.sketch").write_text('use cgan\nscene "car": a red car on the beach\n')
    (tmp_path / "broken.sketch").write_text('use cvae\nscene "car": a red car on the beach\n')
    code = main(["render", str(tmp_path / "*.sketch"), "--variations", "2", "--variation-seed", "5",
                 "--strength", "0.3", "--out", str(tmp_path / "out")])
    captured = capsys.readouterr()
    assert code == 2  # bad input (a model that does not load), with its message
    assert "1 sketch rendered: 2 images" in captured.out and "1 failed" in captured.out
    assert "broken.sketch: failed: cvae: cannot read the weights" in captured.err
    assert len(list((tmp_path / "out" / "ok").glob("*.png"))) == 2
    assert not (tmp_path / "out" / "broken").exists() or not list((tmp_path / "out" / "broken").glob("*.png"))


def test_limits_are_messages(monkeypatch):
    sketch = gendsl.parse_sketch(MODES_SKETCH)
    monkeypatch.setattr(gendsl.limits, "MAX_IMAGES_PER_RUN", 10)
    with pytest.raises(GendslError, match="more than 10 images"):
        plan(sketch, run_seeds(0, 11))
    with pytest.raises(GendslError, match="at most 32 values"):
        gendsl.parse_sketch(MODES_SKETCH + 'grid "s" by seed [' + ", ".join(map(str, range(33))) + "]\n")
    with pytest.raises(GendslError, match="variations must be between"):
        run_seeds(0, 1001)
