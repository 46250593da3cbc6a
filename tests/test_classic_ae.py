"""The convolutional autoencoder on tiny digits-world data: it learns, round-trips, samples by seed."""
import csv

import numpy as np
import pytest

from gendsl import GendslError
from gendsl import worlds
from gendsl.models import load
from gendsl.models.autoencoder import AEConfig, Autoencoder
from gendsl.train import RenderedTrainData, TrainConfig, train


def tiny(noise=0.0):
    import keras
    keras.utils.set_random_seed(0)
    return Autoencoder(AEConfig(size=32, code=8, width=8, noise=noise, lr=3e-3))


@pytest.mark.parametrize("noise", [0.3])  # the denoising variant; the plain one is the same path minus noise
def test_reconstruction_error_falls(noise, tmp_path):
    model = tiny(noise)
    data = RenderedTrainData(worlds.get("digits"), 128, 32, "flat", seed=0)
    train(model, data, tmp_path, TrainConfig(steps=40, batch_size=16, checkpoint_every=40, sample_every=40,
                                             log_every=10), progress=False)
    rows = list(csv.DictReader((tmp_path / "log.csv").open()))
    assert float(rows[-1]["recon"]) < 0.7 * float(rows[0]["recon"])
    for produced in ("encoder.weights.h5", "decoder.weights.h5", "latent.npz", "README.md", "samples/step-000040.png"):
        assert (tmp_path / produced).is_file(), produced
    again = load(str(tmp_path))
    assert np.array_equal(again.generate(None, [1, 2]), model.generate(None, [1, 2]))
    images = data.images[:4]
    assert np.array_equal(again.reconstruct(images), model.reconstruct(images))
    assert model.interpolate(images[0], images[1], 5).shape == (5, 32, 32, 3)


def test_sampling_is_batch_exact_and_errors_are_clear():
    model = tiny()
    batch = model.generate(None, list(range(20)))
    assert np.array_equal(batch, np.stack([model.generate(None, [s])[0] for s in range(20)]))
    with pytest.raises(GendslError, match="images must have shape"):
        model.encode(np.zeros((2, 16, 16, 3), np.uint8))
    with pytest.raises(GendslError, match="size must be one of"):
        Autoencoder(AEConfig(size=48))
