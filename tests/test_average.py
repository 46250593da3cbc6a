"""`gendsl average`: the mean of the weights of several runs of one network, and what it refuses."""
import numpy as np
import pytest

import gendsl
from gendsl.cli import main
from gendsl.models import load
from gendsl.models.cgan import CGAN, CGANConfig
from gendsl.models.cvae import CVAE, CVAEConfig

SMALL = CGANConfig(width=8, disc_width=8, z_dim=8)


def saved(tmp_path, name, cls=CGAN, config=SMALL, seed=0):
    import keras
    keras.utils.set_random_seed(seed)
    return cls(config).save(tmp_path / name)


def test_the_mean_of_two_runs_is_saved_with_a_card_naming_them(tmp_path, capsys):
    a, b = saved(tmp_path, "a", seed=0), saved(tmp_path, "b", seed=1)
    assert main(["average", str(a), str(b), "--out", str(tmp_path / "mean")]) == 0
    first, second, mean = load(str(a)), load(str(b)), load(str(tmp_path / "mean"))
    for x, y, m in zip(first.sampler.get_weights(), second.sampler.get_weights(), mean.sampler.get_weights()):
        assert np.allclose(m, (x.astype(np.float64) + y) / 2, atol=1e-6)
    assert len({first.fingerprint(), second.fingerprint(), mean.fingerprint()}) == 3
    card = (tmp_path / "mean" / "README.md").read_text()
    assert first.fingerprint() in card and second.fingerprint() in card and "gendsl eval" in card
    assert mean.fingerprint() in capsys.readouterr().err
    cond = np.stack([gendsl.encode(gendsl.compile_scene("a red car on the beach"))] * 2)
    assert mean.generate(cond, [1, 2]).shape == first.generate(cond, [1, 2]).shape


@pytest.mark.parametrize("case, message", [
    ("one", "2 to 16 models"),
    ("kinds", "of one kind"),
    ("shapes", "differ in shape"),
    ("missing", "no saved model folder"),
    ("used", "already holds a model"),
])
def test_what_cannot_be_averaged_gets_a_message_and_nothing_is_written(case, message, tmp_path, capsys):
    a = saved(tmp_path, "a")
    other = {"one": [], "missing": [str(tmp_path / "nope")], "used": [str(saved(tmp_path, "b", seed=1))],
             "kinds": [str(saved(tmp_path, "v", CVAE, CVAEConfig(width=8, z_dim=4)))],
             "shapes": [str(saved(tmp_path, "w", config=CGANConfig(width=16, disc_width=8, z_dim=8)))]}[case]
    out = tmp_path / ("a" if case == "used" else "mean")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    assert main(["average", str(a), *other, "--out", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
