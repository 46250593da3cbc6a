"""The numpy classic models on tiny data: each learns something measurable, round-trips, samples by seed."""
import numpy as np
import pytest

import gendsl
from gendsl import GendslError
from gendsl.worlds.digits import data as digits
from gendsl.data.photos import Whitening, gray_photos, patches
from gendsl.models import ais, load
from gendsl.models.helmholtz import Helmholtz, HelmholtzConfig
from gendsl.models.rbm import RBM, RBMConfig
from gendsl.models.sparse import SparseCoding, SparseConfig, fista, omp

X, Y = digits.load(binarize=True)
TRAIN, TEST = digits.split(len(Y), seed=0)


@pytest.fixture(scope="module")
def photo_patches():
    images = [im[::2, ::2] for im in gray_photos()]
    return patches(images, 3000, 6, seed=0), patches(images, 500, 6, seed=1)


@pytest.fixture(scope="module")
def sparse(photo_patches):
    return SparseCoding(SparseConfig(patch=6, atoms=24, epochs=3, batch=128, alpha=0.05, whiten_eps=100)).fit(photo_patches[0], seed=0)


def test_sparse_coding_beats_a_random_dictionary(sparse, photo_patches):
    random = SparseCoding(sparse.config)
    random.whitening_ = sparse.whitening_
    rng = np.random.default_rng(0)
    d = rng.standard_normal((24, 36)).astype(np.float32)
    random.dictionary_ = d / np.linalg.norm(d, axis=1, keepdims=True)
    assert sparse.error(photo_patches[1]) < 0.6 * random.error(photo_patches[1])
    codes = sparse.transform(photo_patches[1])
    assert 0 < (codes != 0).sum(axis=1).mean() < 24  # sparse, not empty


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_omp_and_fista_agree_with_the_reference(sparse, photo_patches):
    from sklearn.decomposition import sparse_encode
    from sklearn.linear_model import orthogonal_mp_gram

    x, _ = sparse.whitening_.apply(photo_patches[1][:100])
    d = sparse.dictionary_
    ours = omp(x, d, 4)
    reference = orthogonal_mp_gram(d @ d.T, d @ x.T, n_nonzero_coefs=4).T
    assert np.allclose(ours, reference, atol=1e-3)

    def objective(codes):
        return 0.5 * ((x - codes @ d) ** 2).sum() + 0.5 * np.abs(codes).sum()
    lasso = sparse_encode(x, d, algorithm="lasso_cd", alpha=0.5, max_iter=5000)
    assert objective(fista(x, d, 0.5, 300)) <= objective(lasso) * 1.001


def test_whitening_inverts_exactly(photo_patches):
    raw = photo_patches[1]
    white = Whitening.fit(raw)
    x, dc = white.apply(raw)
    assert np.allclose(white.invert(x, dc), raw, atol=1e-4)


def test_sparse_denoises_and_round_trips(sparse, tmp_path):
    clean = gray_photos()[0][150:190, 250:300]
    noisy = np.clip(clean + 0.1 * np.random.default_rng(0).standard_normal(clean.shape), 0, 1).astype(np.float32)
    assert np.mean((sparse.denoise(noisy, stride=2) - clean) ** 2) < np.mean((noisy - clean) ** 2)
    sparse.save(tmp_path / "s")
    again = load(str(tmp_path / "s"))
    assert again.fingerprint() == sparse.fingerprint()
    assert np.array_equal(again.generate(None, [1, 2, 3]), sparse.generate(None, [1, 2, 3]))
    assert np.array_equal(sparse.generate(None, list(range(20)))[5], sparse.generate(None, [5])[0])
    assert sparse.atoms_image().ndim == 3


def test_sparse_errors(photo_patches):
    with pytest.raises(GendslError, match="needs at least as many patches"):
        SparseCoding(SparseConfig(patch=6, atoms=50)).fit(photo_patches[1][:10])
    with pytest.raises(GendslError, match=r"shape \(n, 36\)"):
        SparseCoding(SparseConfig(patch=6, atoms=4)).fit(np.zeros((10, 35)))
    with pytest.raises(GendslError, match="fista"):
        SparseCoding(SparseConfig(method="lars"))


def test_ais_matches_the_exact_partition_function():
    rbm = RBM(RBMConfig(hidden=10, epochs=3)).fit(X[TRAIN], seed=0)
    exact = ais.exact_log_partition(rbm)
    estimate, _ = ais.log_partition(rbm, runs=64, betas=2000, seed=0, base_rate=X[TRAIN].mean(axis=0))
    assert abs(estimate - exact) < 0.3


def test_rbm_likelihood_rises_while_training():
    seen = []
    rbm = RBM(RBMConfig(hidden=12, epochs=6, method="pcd"))
    rbm.fit(X[TRAIN], seed=0, on_epoch=lambda e, m: seen.append(m.log_likelihood(X[TEST], ais.exact_log_partition(m))))
    assert seen[-1] > seen[0] + 1.0
    assert rbm.pseudo_likelihood(X[TEST]) > -40


@pytest.fixture(scope="module")
def rbm():
    return RBM(RBMConfig(hidden=32, epochs=2, method="cd", gibbs_steps=30)).fit(X[TRAIN], seed=0)


def test_rbm_sampling_is_seeded_and_batch_exact(rbm, tmp_path):
    batch = rbm.generate(None, list(range(20)))
    assert batch.shape == (20, 8, 8, 3) and batch.dtype == np.uint8
    assert np.array_equal(batch, np.stack([rbm.generate(None, [s])[0] for s in range(20)]))
    assert not np.array_equal(batch[0], batch[1])
    rbm.save(tmp_path / "r")
    again = load(str(tmp_path / "r"))
    assert np.array_equal(again.generate(None, [4, 5]), rbm.generate(None, [4, 5]))
    frames = rbm.chain(None, seed=3, steps=30, every=10)
    assert len(frames) == 4 and np.array_equal(frames[-1], rbm.generate(None, [3])[0])


def test_class_conditional_rbm_clamps_its_labels():
    from gendsl.worlds.digits.language import DigitScene, encode

    labels = digits.one_hot(Y)
    rbm = RBM(RBMConfig(hidden=64, labels=10, conditioning="digit", epochs=4, gibbs_steps=50))
    rbm.fit(X[TRAIN], labels[TRAIN], seed=0)
    means = np.stack([X[TRAIN][Y[TRAIN] == d].mean(axis=0) for d in range(10)])
    cond = np.stack([encode(DigitScene((str(d),))) for d in range(10) for _ in range(5)])
    samples = rbm.generate(cond, list(range(50)))[..., 0].reshape(50, 64) / 255.0
    nearest = ((samples[:, None] - means[None]) ** 2).sum(axis=2).argmin(axis=1)
    assert (nearest == np.repeat(np.arange(10), 5)).mean() > 0.5  # each clamped class draws its own digit
    with pytest.raises(GendslError, match="label units"):
        rbm.fit(X[TRAIN])
    with pytest.raises(GendslError, match="conditioning must have shape"):
        rbm.generate(np.zeros(5), [1])


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_rbm_refuses_bad_data_and_stops_on_nan():
    with pytest.raises(GendslError, match="not binary"):
        RBM().fit(X[TRAIN] * 0.5)
    with pytest.raises(GendslError, match="64 visible units"):
        RBM().fit(np.zeros((10, 63)))
    with pytest.raises(GendslError, match="cd.*pcd"):
        RBM(RBMConfig(method="gibbs"))
    rbm = RBM(RBMConfig(hidden=8, epochs=5, lr=1e30))
    with pytest.raises(GendslError, match="NaN"):
        rbm.fit(X[TRAIN], seed=0)
    assert all(np.isfinite(v).all() for v in rbm.params.values())  # the last good epoch is kept


@pytest.mark.parametrize("method", ["ws", "rws"])
def test_helmholtz_likelihood_rises(method, tmp_path):
    seen = []
    hm = Helmholtz(HelmholtzConfig(layers=(64, 32, 16), method=method, epochs=10, samples=3, lr=3e-3))
    hm.fit(X[TRAIN], seed=0, on_epoch=lambda e, m: seen.append(m.log_likelihood(X[TEST], 50)) if e in (1, 10) else 0)
    assert seen[1] > seen[0] + 1.0
    hm.save(tmp_path / "h")
    again = load(str(tmp_path / "h"))
    assert np.array_equal(again.generate(None, [1, 2]), hm.generate(None, [1, 2]))
    batch = hm.generate(None, list(range(18)))
    assert np.array_equal(batch, np.stack([hm.generate(None, [s])[0] for s in range(18)]))


def test_helmholtz_errors(tmp_path):
    with pytest.raises(GendslError, match="ws.*rws"):
        Helmholtz(HelmholtzConfig(method="em"))
    with pytest.raises(GendslError, match="not a 8 x 8 image"):
        Helmholtz(HelmholtzConfig(layers=(60, 10)))
    with pytest.raises(GendslError, match="not trained"):
        Helmholtz().generate(None, [1])
    with pytest.raises(GendslError, match="not a saved helmholtz"):
        Helmholtz.load(tmp_path)


def test_the_rbm_and_the_helmholtz_machine_train_on_any_world_that_draws_its_pictures(tmp_path, capsys):
    """Any model on any world: an RBM clamped to the scene world's label units and a Helmholtz machine learn
    the scene world's pictures from the CLI; the RBM then reads scenes in that world's words."""
    from gendsl.cli import main

    rbm = tmp_path / "rbm"
    assert main(["train", "rbm", "--data", "scene", "--conditional", "--examples", "200", "--epochs", "1",
                 "--hidden", "16", "--out", str(rbm), "--quiet"]) == 0
    model = gendsl.load(str(rbm))
    assert model.world.name == "scene" and model.size == 32 and model.config.labels == model.world.dim
    cond = gendsl.encode(gendsl.compile_scene("a red car on the road"))
    images = model.generate(cond, [1, 2], steps=5)
    assert images.shape == (2, 32, 32, 3) and images.dtype == np.uint8
    assert images.tobytes() == model.generate(cond, [1, 2], steps=5).tobytes()
    assert main(["gibbs", str(rbm), "--scene", "a red car on the road", "--steps", "5",
                 "--out", str(tmp_path / "chain.gif")]) == 0
    assert main(["gibbs", str(rbm), "--scene", "a red cra on the road", "--steps", "5",
                 "--out", str(tmp_path / "typo.gif")]) == 2
    assert 'unknown object "cra"' in capsys.readouterr().err and not (tmp_path / "typo.gif").exists()
    assert main(["train", "helmholtz", "--data", "scene", "--examples", "200", "--layers", "16", "--epochs", "1",
                 "--out", str(tmp_path / "hm"), "--quiet"]) == 0
    assert gendsl.load(str(tmp_path / "hm")).generate(None, [3]).shape == (1, 32, 32, 3)
