"""Search latency and memory: binary codes (Hamming top-k, Hamming ball) against brute-force float search.

    python benchmarks/bench_search.py [--data data/world32] [--model hashing] [--queries 200]

Galleries of 10,000, 100,000 and 1,000,000 items, all measured in one run on one machine:
- Hamming top-10: XOR + popcount over every packed code (retrieval/codes.py, numpy),
  and faiss's IndexBinaryFlat (retrieval/binary_index.py, what `gendsl search` uses);
- Hamming ball, radius 2: every code within distance 2, by binary search of the
  1 + B + B(B-1)/2 flipped probes in the sorted code table (numpy, no scan), by a range
  search of faiss's IndexBinaryFlat (a scan with nothing to build: what `gendsl search --radius`
  uses), and by faiss's IndexBinaryHash (buckets of a log2 N-bit prefix; pays for its build over
  many queries on a large gallery);
- float top-10, brute force: cosine (one float32 matrix-vector product, then a
  partial sort) on the model's float embedding (the code layer before rounding),
  and on the judge features it reads (what a search without hashing would use).
The first 10,000 gallery items are real: world test and train images coded by the
shipped hashing model. A 100,000 gallery adds 90,000 made from real ones, each bit
flipped with probability 0.1 (floats: Gaussian noise of 0.3 standard deviations),
so that neighbourhoods stay realistic. Queries are other real images. Every method runs on one
core (BLAS and OpenMP threads are set to 1 before numpy and faiss load), one query at a time.
Float search of the judge features is left out past --float-max items (1M x 512 floats is 2 GB).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):  # faiss reads OMP_NUM_THREADS
    os.environ.setdefault(_name, "1")  # one core for every method: numpy's popcount scan is single-threaded
import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def real_items(data: str, model_name: str, n: int, queries: int):
    from gendsl.retrieval.hashing import image_features
    from gendsl.retrieval.models import load
    from gendsl.worlds.scene.dataset import load_split

    model = load(model_name, "hashing")
    test, _, _ = load_split(data, "test")
    train, _, _ = load_split(data, "train")
    images = np.concatenate([np.asarray(test[:min(len(test), n + queries)]),
                             np.asarray(train[:max(0, n + queries - len(test))])])
    features = image_features(model.judge(), images)
    return model, features, model.feature_logits(features)


def grow(array: np.ndarray, n: int, rng, kind: str) -> np.ndarray:
    """`array` followed by perturbed copies of its rows, n rows in all."""
    extra = n - len(array)
    if extra <= 0:
        return array[:n]
    base = array[rng.integers(len(array), size=extra)]
    if kind == "bits":
        return np.concatenate([array, base ^ (rng.random(base.shape) < 0.1)])
    scale = array.std(0, keepdims=True) * 0.3
    return np.concatenate([array, (base + rng.standard_normal(base.shape) * scale).astype(np.float32)])


def per_query(fn, queries) -> float:
    """Mean seconds per query over every query, after one warm-up."""
    fn(queries[0])
    started = time.perf_counter()
    for q in queries:
        fn(q)
    return (time.perf_counter() - started) / len(queries)


def float_topk(gallery: np.ndarray, k: int = 10):
    norms = gallery / np.maximum(np.linalg.norm(gallery, axis=1, keepdims=True), 1e-12)

    def search(q):
        scores = norms @ (q / max(np.linalg.norm(q), 1e-12))
        best = np.argpartition(-scores, k)[:k]
        return best[np.argsort(-scores[best])]
    return search, norms.nbytes


def main() -> int:
    import faiss

    from gendsl.retrieval import binary_index
    from gendsl.retrieval.codes import BallTable, pack, topk

    faiss.omp_set_num_threads(1)

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default="data/world32")
    parser.add_argument("--model", default="hashing")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--float-max", type=int, default=100_000, help="largest gallery for judge-feature float search")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    real = min(sizes[0], 10_000)
    model, features, logits = real_items(args.data, args.model, real, args.queries)
    bits = model.config.bits
    q_feats, q_logits = features[real:real + args.queries], logits[real:real + args.queries]
    q_codes = pack(q_logits > 0)
    rng = np.random.default_rng(0)
    print(f"{bits}-bit codes from {args.model} ({model.fingerprint()}); {args.queries} queries; "
          f"{real} real gallery items, the rest perturbed copies")
    print(f"| gallery | method | µs / query | gallery memory | vs Hamming top-10 |")
    print("|---|---|---|---|---|")
    for n in sizes:
        codes = pack(grow(logits[:real] > 0, n, rng, "bits"))
        t0 = time.perf_counter()
        table = BallTable(codes, bits)
        build = time.perf_counter() - t0
        hits = np.mean([len(table.within(q, 2)[0]) for q in q_codes])
        flat = binary_index.flat_index(codes)
        t0 = time.perf_counter()
        ball = binary_index.HashBall(codes, bits)
        hash_build = time.perf_counter() - t0
        rows = {
            "Hamming top-10 (popcount scan)": (per_query(lambda q: topk(codes, q[None], 10), q_codes), codes.nbytes),
            "Hamming top-10, faiss IndexBinaryFlat":
                (per_query(lambda q: binary_index.topk(codes, q[None], 10, flat), q_codes), codes.nbytes),
            f"Hamming ball r<=2 (sorted table; {hits:.1f} hits/query)":
                (per_query(lambda q: table.within(q, 2), q_codes), codes.nbytes + table.sorted.nbytes + table.order.nbytes),
            "Hamming ball r<=2, faiss IndexBinaryFlat range search (what gendsl search --radius uses)":
                (per_query(lambda q: binary_index.within(codes, q, 2, flat), q_codes), codes.nbytes),
            f"Hamming ball r<=2, faiss IndexBinaryHash ({binary_index.prefix_bits(n, bits)}-bit prefix, built once)":
                (per_query(lambda q: ball.within(q, 2), q_codes), codes.nbytes * 2),
        }
        for label, gallery, queries in ((f"float cosine top-10, {logits.shape[1]}-d embedding", logits, q_logits),
                                        (f"float cosine top-10, {features.shape[1]}-d judge features", features, q_feats)):
            if gallery is features and n > args.float_max:
                continue
            search, memory = float_topk(grow(gallery[:real], n, rng, "float"))
            rows[label] = (per_query(search, queries), memory)
        base = rows["Hamming top-10 (popcount scan)"][0]
        for label, (seconds, memory) in rows.items():
            print(f"| {n:,} | {label} | {seconds * 1e6:,.0f} | {memory / 1e6:.2f} MB | {seconds / base:.2f}x |")
        print(f"| {n:,} | (sorting the ball table once) | {build * 1e6:,.0f} total | | |")
        print(f"| {n:,} | (building the faiss hash index once) | {hash_build * 1e6:,.0f} total | | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
