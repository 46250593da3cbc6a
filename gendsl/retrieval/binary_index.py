"""Hamming search with faiss's binary indexes: the same answers as codes.py's numpy, in C.

    ids, dist = topk(codes, queries, k=10)       # IndexBinaryFlat: exact, ties by lowest id
    within(codes, query, radius=2)               # every id within distance 2: a range search of the flat index
    ball = HashBall(codes, bits)                 # IndexBinaryHash on the first b bits, for many queries
    ball.within(query, radius=2)                 # the same ids, by bucket lookup

Top-k: IndexBinaryFlat scans every code (SIMD popcount), about ten times the numpy scan
(benchmarks/bench_search.py). Which of several codes tied at the k-th distance it returns is
faiss's business, so the ties at that distance are taken again by a range search and the
lowest ids kept: results are those of codes.topk, id for id.
Ball: `within` range-searches the flat index (a scan with nothing to build: what a one-off
`gendsl search --radius` wants). For many queries on one large gallery, IndexBinaryHash buckets the codes by their first b bits (b about log2 N, so a bucket
holds a code or two) and visits the buckets within `radius` flips of the query's prefix; any
code within `radius` of the query is within it on the prefix, so the lookup is exact, and it
visits 1 + b + b(b-1)/2 buckets where the sorted table (codes.BallTable) probes 1 + B + B(B-1)/2.
"""
from __future__ import annotations

import numpy as np

from .codes import MAX_RADIUS


def _faiss():
    import faiss  # imported when searched: it loads OpenMP and a few MB of code

    return faiss


def flat_index(codes: np.ndarray):
    index = _faiss().IndexBinaryFlat(codes.shape[1] * 8)
    if len(codes):
        index.add(np.ascontiguousarray(codes, np.uint8))
    return index


def topk(codes: np.ndarray, queries: np.ndarray, k: int, index=None) -> tuple[np.ndarray, np.ndarray]:
    """The k nearest codes of each query, ids (Q, k) and distances (Q, k), by (distance, id): codes.topk's
    contract. `index` is a flat_index of `codes`, to reuse one across calls."""
    codes, queries = np.ascontiguousarray(codes, np.uint8), np.ascontiguousarray(queries, np.uint8)
    k = min(k, len(codes))
    if k == 0:
        return np.zeros((len(queries), 0), np.int64), np.zeros((len(queries), 0), np.int64)
    index = flat_index(codes) if index is None else index
    extra = min(k + 1, len(codes))  # one past k: is the k-th distance shared by a code left out?
    dist, ids = index.search(queries, extra)
    out_ids, out_dist = np.zeros((len(queries), k), np.int64), np.zeros((len(queries), k), np.int64)
    for row in range(len(queries)):
        d, i = dist[row].astype(np.int64), ids[row].astype(np.int64)
        if extra > k and d[k] == d[k - 1]:  # a tie across the cut: every code at that distance, lowest ids
            lims, rd, ri = index.range_search(queries[row:row + 1], int(d[k - 1]) + 1)
            d, i = rd.astype(np.int64), ri.astype(np.int64)
        order = np.lexsort((i, d))[:k]
        out_ids[row], out_dist[row] = i[order], d[order]
    return out_ids, out_dist


def within(codes: np.ndarray, query: np.ndarray, radius: int = MAX_RADIUS, index=None):
    """Ids within `radius` of one packed query and their distances, by (distance, id), by a range search of
    the flat index: a scan, but one with no table to build, so the fastest for a query or a few (a hundred
    thousand codes: 1 ms, where HashBall takes 120 ms to build and the sorted table 30 ms to sort)."""
    if not 0 <= radius <= MAX_RADIUS:
        raise ValueError(f"the Hamming-ball radius is 0 to {MAX_RADIUS}, not {radius}")
    if not len(codes):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    index = flat_index(codes) if index is None else index
    _, dist, ids = index.range_search(np.ascontiguousarray(query, np.uint8)[None], radius + 1)
    dist, ids = dist.astype(np.int64), ids.astype(np.int64)
    order = np.lexsort((ids, dist))
    return ids[order], dist[order]


def prefix_bits(n: int, bits: int) -> int:
    """Bits of the hash prefix: about log2(n), so buckets hold a code or two (8 at least, 24 at most)."""
    return int(min(bits, 24, max(8, round(np.log2(max(n, 2))))))


class HashBall:
    """Every code within a small Hamming radius of a query, by bucket lookup (faiss IndexBinaryHash)."""

    def __init__(self, codes: np.ndarray, bits: int):
        codes = np.ascontiguousarray(codes, np.uint8)
        self.bits = bits
        self.index = _faiss().IndexBinaryHash(codes.shape[1] * 8, prefix_bits(len(codes), codes.shape[1] * 8))
        if len(codes):
            self.index.add(codes)

    def within(self, query: np.ndarray, radius: int = MAX_RADIUS) -> tuple[np.ndarray, np.ndarray]:
        """Ids within `radius` of one packed query and their distances, by (distance, id)."""
        if not 0 <= radius <= MAX_RADIUS:
            raise ValueError(f"the Hamming-ball radius is 0 to {MAX_RADIUS}, not {radius}")
        self.index.nflip = radius  # buckets within `radius` flips of the prefix: every code that can be in
        _, dist, ids = self.index.range_search(np.ascontiguousarray(query, np.uint8)[None], radius + 1)
        dist, ids = dist.astype(np.int64), ids.astype(np.int64)
        order = np.lexsort((ids, dist))
        return ids[order], dist[order]
