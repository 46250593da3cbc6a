"""The classic models side by side with the references a user would otherwise pick, in one run, same data.

    python benchmarks/bench_classic.py [--epochs 20] [--hm-epochs 50] [--out benchmarks/results/classic.json]

- RBM vs scikit-learn's BernoulliRBM on the binarized digits (1438 train / 359 test), same hidden units and
  epochs: training time, pseudo-likelihood (scikit-learn's definition), AIS log-likelihood (our AIS run on
  both models' weights), and a logistic regression's accuracy on the hidden features (and on raw pixels).
- Sparse coding vs MiniBatchDictionaryLearning on the same whitened 12 x 12 photo patches, same atoms, same
  L1 weight, same passes: training time, and the relative reconstruction error of held-out patches with
  each model's own lasso inference and, to compare the dictionaries alone, with the same FISTA (300 steps).
- Helmholtz machine (wake-sleep and reweighted wake-sleep) log-likelihood beside the RBM's AIS estimate and
  a small VAE's bound (ELBO) and its own importance-sampled estimate, on the same binarized digits.
Timings share the machine with whatever else runs: read the ratios, measured back to back.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def bench_rbm(x, y, tr, te, epochs: int) -> dict:
    from sklearn.neural_network import BernoulliRBM

    from gendsl.eval.classic import probe_accuracy
    from gendsl.models import ais
    from gendsl.models.rbm import RBM, RBMConfig

    ours, t_ours = timed(lambda: RBM(RBMConfig(hidden=256, epochs=epochs, method="pcd")).fit(x[tr], seed=0))
    ref, t_ref = timed(lambda: BernoulliRBM(n_components=256, learning_rate=0.06, batch_size=10, n_iter=epochs,
                                            random_state=0).fit(x[tr]))
    as_ours = RBM(RBMConfig(hidden=256))  # the reference's weights in our class, for the same AIS
    as_ours.params = {"W": ref.components_.T.astype(np.float32), "b": ref.intercept_visible_.astype(np.float32),
                      "c": ref.intercept_hidden_.astype(np.float32), "U": np.zeros((0, 256), np.float32),
                      "A": np.zeros((0, 64), np.float32)}
    out = {}
    for name, model, seconds in (("gendsl", ours, t_ours), ("sklearn", as_ours, t_ref)):
        log_z, spread = ais.log_partition(model, runs=100, betas=10000, seed=0, base_rate=x[tr].mean(axis=0))
        out[name] = {"seconds": round(seconds, 2), "pseudo_likelihood": round(model.pseudo_likelihood(x[te]), 3),
                     "ais_log_likelihood": round(model.log_likelihood(x[te], log_z), 3),
                     "ais_log_weight_std": round(spread, 3),
                     "probe_accuracy": round(probe_accuracy(model.transform(x[tr]), y[tr], model.transform(x[te]),
                                                            y[te]), 4)}
    out["sklearn"]["pseudo_likelihood_sklearn_score_samples"] = round(float(ref.score_samples(x[te]).mean()), 3)
    out["raw_pixels_probe_accuracy"] = round(probe_accuracy(x[tr], y[tr], x[te], y[te]), 4)
    return out


def bench_sparse(epochs: int) -> dict:
    from sklearn.decomposition import MiniBatchDictionaryLearning

    from gendsl.data.photos import gray_photos, patches
    from gendsl.models.sparse import SparseCoding, SparseConfig, fista

    images = gray_photos()
    raw, test = patches(images, 20000, 12, seed=0), patches(images, 2000, 12, seed=1)
    config = SparseConfig(patch=12, atoms=144, alpha=1.0, epochs=epochs)
    ours, t_ours = timed(lambda: SparseCoding(config).fit(raw, seed=0))
    x, _ = ours.whitening_.apply(raw)
    xt, _ = ours.whitening_.apply(test)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # coordinate descent's convergence warnings, thousands of them
        ref, t_ref = timed(lambda: MiniBatchDictionaryLearning(
            n_components=144, alpha=1.0, batch_size=config.batch, max_iter=epochs, fit_algorithm="cd",
            transform_algorithm="lasso_cd", transform_alpha=1.0, random_state=0).fit(x))
        ref_codes = ref.transform(xt)

    def rel(codes, d):
        return float(((xt - codes @ d) ** 2).sum() / (xt ** 2).sum())
    d_ref = ref.components_.astype(np.float32)
    return {"gendsl": {"seconds": round(t_ours, 2), "error_own_inference": round(ours.error(test), 4),
                       "error_fista300": round(rel(fista(xt, ours.dictionary_, 1.0, 300), ours.dictionary_), 4),
                       "nonzero": round(float((ours.transform(test) != 0).sum(1).mean()), 2)},
            "sklearn": {"seconds": round(t_ref, 2), "error_own_inference": round(rel(ref_codes, d_ref), 4),
                        "error_fista300": round(rel(fista(xt, d_ref, 1.0, 300), d_ref), 4),
                        "nonzero": round(float((ref_codes != 0).sum(1).mean()), 2)}}


def bench_likelihoods(x, tr, te, epochs: int, hm_epochs: int) -> dict:
    from gendsl.models import ais
    from gendsl.models.helmholtz import Helmholtz, HelmholtzConfig
    from gendsl.models.rbm import RBM, RBMConfig

    out = {}
    for method in ("ws", "rws"):
        hm, seconds = timed(lambda: Helmholtz(HelmholtzConfig(layers=(64, 200, 100), method=method,
                                                              epochs=hm_epochs)).fit(x[tr], seed=0))
        out[f"helmholtz-{method}"] = {"seconds": round(seconds, 1), "log_likelihood": round(hm.log_likelihood(x[te], 1000), 3),
                                      "estimator": "importance sampling, 1000 samples from q"}
    rbm, seconds = timed(lambda: RBM(RBMConfig(hidden=256, epochs=epochs)).fit(x[tr], seed=0))
    log_z, _ = ais.log_partition(rbm, runs=100, betas=10000, seed=0, base_rate=x[tr].mean(axis=0))
    out["rbm-256-pcd"] = {"seconds": round(seconds, 1), "log_likelihood": round(rbm.log_likelihood(x[te], log_z), 3),
                          "estimator": "AIS, 100 runs x 10000 temperatures"}
    out.update(vae(x, tr, te, hm_epochs))
    return out


def vae(x, tr, te, epochs: int) -> dict:
    """A small Bernoulli VAE (64-200-20-200-64, Kingma & Welling): its ELBO and an importance-sampled log p."""
    from gendsl._tf import import_tensorflow_quietly
    import_tensorflow_quietly()
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(0)
    enc = keras.Sequential([keras.Input((64,)), keras.layers.Dense(200, activation="tanh"), keras.layers.Dense(40)])
    dec = keras.Sequential([keras.Input((20,)), keras.layers.Dense(200, activation="tanh"), keras.layers.Dense(64)])
    opt = keras.optimizers.Adam(1e-3)

    def parts(v, k=1):
        mu, log_var = tf.split(enc(v), 2, axis=1)
        eps = tf.random.normal((k, tf.shape(v)[0], 20))
        z = mu + tf.exp(0.5 * log_var) * eps
        logits = tf.reshape(dec(tf.reshape(z, (-1, 20))), (k, -1, 64))
        log_px = -tf.reduce_sum(tf.nn.sigmoid_cross_entropy_with_logits(tf.broadcast_to(v, tf.shape(logits)), logits), -1)
        log_pz = -0.5 * tf.reduce_sum(z ** 2 + np.log(2 * np.pi), -1)
        log_qz = -0.5 * tf.reduce_sum(eps ** 2 + np.log(2 * np.pi) + log_var, -1)
        return log_px, log_pz, log_qz, mu, log_var

    @tf.function
    def step(v):
        with tf.GradientTape() as tape:
            log_px, _, _, mu, log_var = parts(v)
            kl = 0.5 * tf.reduce_sum(tf.exp(log_var) + mu ** 2 - 1 - log_var, -1)
            loss = tf.reduce_mean(kl - log_px[0])
        variables = enc.trainable_variables + dec.trainable_variables
        opt.apply(tape.gradient(loss, variables), variables)

    data, start = x[tr].astype(np.float32), time.perf_counter()
    rng = np.random.default_rng(0)
    for _ in range(epochs):
        order = rng.permutation(len(data))
        for i in range(0, len(data), 20):
            step(data[order[i:i + 20]])
    seconds = time.perf_counter() - start
    test = tf.constant(x[te].astype(np.float32))
    log_px, log_pz, log_qz, mu, log_var = parts(test, 1000)
    log_w = (log_px + log_pz - log_qz).numpy()
    elbo = float(log_w.mean())
    top = log_w.max(0)
    is_ll = float((top + np.log(np.exp(log_w - top).mean(0))).mean())
    return {"vae-20": {"seconds": round(seconds, 1), "elbo": round(elbo, 3), "log_likelihood": round(is_ll, 3),
                       "estimator": "ELBO, and importance sampling with 1000 samples from q"}}


def table(results: dict) -> str:
    r, s = results["rbm"], results["sparse"]
    rows = [("RBM train time (s)", r["gendsl"]["seconds"], r["sklearn"]["seconds"]),
            ("RBM pseudo-likelihood (test)", r["gendsl"]["pseudo_likelihood"], r["sklearn"]["pseudo_likelihood"]),
            ("RBM AIS log-likelihood (test)", r["gendsl"]["ais_log_likelihood"], r["sklearn"]["ais_log_likelihood"]),
            ("RBM features: probe accuracy", r["gendsl"]["probe_accuracy"], r["sklearn"]["probe_accuracy"]),
            ("Sparse coding train time (s)", s["gendsl"]["seconds"], s["sklearn"]["seconds"]),
            ("Sparse error, own inference", s["gendsl"]["error_own_inference"], s["sklearn"]["error_own_inference"]),
            ("Sparse error, same FISTA", s["gendsl"]["error_fista300"], s["sklearn"]["error_fista300"])]
    lines = ["| measure | gendsl | reference | gendsl / reference |", "|---|---|---|---|"]
    lines += [f"| {name} | {a} | {b} | {a / b:.3f} |" for name, a, b in rows]
    lines += [f"| raw pixels: probe accuracy | | {r['raw_pixels_probe_accuracy']} | |", "",
              "| model (binarized digits, test split) | log p(v), nats | estimator | train s |", "|---|---|---|---|"]
    for name, row in results["likelihood"].items():
        value = f"{row['log_likelihood']}" + (f" (ELBO {row['elbo']})" if "elbo" in row else "")
        lines.append(f"| {name} | {value} | {row['estimator']} | {row['seconds']} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=20, help="RBM epochs, both implementations (default 20)")
    parser.add_argument("--sparse-epochs", type=int, default=2, help="passes over the patches (default 2)")
    parser.add_argument("--hm-epochs", type=int, default=50, help="Helmholtz and VAE epochs (default 50)")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "classic.json"))
    args = parser.parse_args(argv)
    from gendsl.worlds.digits import data as digits

    x, y = digits.load(binarize=True)
    tr, te = digits.split(len(y), seed=0)
    results = {"rbm": bench_rbm(x, y, tr, te, args.epochs), "sparse": bench_sparse(args.sparse_epochs),
               "likelihood": bench_likelihoods(x, tr, te, args.epochs, args.hm_epochs), "args": vars(args)}
    from gendsl.eval.classic import hardware
    results["hardware"] = hardware()
    text = table(results)
    print(text)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    out.with_suffix(".md").write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
