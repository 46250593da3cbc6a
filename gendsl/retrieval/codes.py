"""Binary codes in numpy: packing, Hamming distance by popcount, top-k, and Hamming-ball lookup.

    codes = pack(bits)                      # bool (N, B) -> uint8 (N, B/8), 8 codes of 64 bits in 64 bytes
    ids, dist = topk(codes, pack(q), k=10)  # nearest codes by Hamming distance, ties by lowest id
    table = BallTable(codes)                # codes as integers, sorted: direct lookup of exact codes
    table.within(pack(q)[0], radius=2)      # every id within distance 2: 1 + B + B(B-1)/2 probes

Top-k scans every code with XOR and popcount (np.bitwise_count) on 64-bit
words, which is memory-bound: 100k 64-bit codes are 800 kB. The ball lookup
never scans: it flips every set of at most `radius` bits of the query and
finds each probe in the sorted code table by binary search (codes of up to 64
bits; longer codes fall back to a scan).
"""
from __future__ import annotations

from functools import lru_cache
from itertools import combinations

import numpy as np

MAX_RADIUS = 2


def pack(bits) -> np.ndarray:
    """bool (N, B), B a multiple of 8 -> uint8 (N, B/8), most significant bit first."""
    bits = np.asarray(bits, bool)
    if bits.ndim != 2 or bits.shape[1] % 8:
        raise ValueError(f"pack takes (N, B) bits with B a multiple of 8, not {bits.shape}")
    return np.packbits(bits, axis=1)


def unpack(codes: np.ndarray, bits: int) -> np.ndarray:
    return np.unpackbits(np.asarray(codes, np.uint8), axis=1, count=bits).astype(bool)


def words(codes: np.ndarray) -> np.ndarray:
    """uint8 (N, W) packed codes viewed as the widest unsigned words that divide W (for popcount)."""
    codes = np.ascontiguousarray(codes, np.uint8)
    for width, dtype in ((8, np.uint64), (4, np.uint32), (2, np.uint16)):
        if codes.shape[1] % width == 0:
            return codes.view(dtype)
    return codes


def hamming(codes: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Distances (N,) from one packed query (W,) to packed codes (N, W)."""
    return np.bitwise_count(words(codes) ^ words(query[None])).sum(1, dtype=np.int64)


def topk(codes: np.ndarray, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k nearest codes of each query: ids (Q, k) and distances (Q, k), by (distance, id).

    k is clipped to the number of codes. Ties go to the lowest id, so results never depend on
    how numpy partitions."""
    n = len(codes)
    k = min(k, n)
    ids = np.zeros((len(queries), k), np.int64)
    dist = np.zeros((len(queries), k), np.int64)
    if k == 0:
        return ids, dist
    w = words(codes)
    order = np.arange(n, dtype=np.int64)
    for row, q in enumerate(words(queries)):
        x = np.bitwise_count(w ^ q[None])
        d = (x[:, 0] if x.shape[1] == 1 else x.sum(1)).astype(np.int64)  # one 64-bit word: no sum needed
        key = d * n + order  # unique keys: distance first, then id
        part = np.argpartition(key, k - 1)[:k] if k < n else order
        best = part[np.argsort(key[part])]
        ids[row], dist[row] = best, d[best]
    return ids, dist


def to_int(codes: np.ndarray) -> np.ndarray:
    """Packed codes of at most 64 bits as uint64 integers (big-endian: the first bit is the highest)."""
    codes = np.asarray(codes, np.uint8)
    if codes.shape[1] > 8:
        raise ValueError("integer codes hold at most 64 bits")
    padded = np.zeros((len(codes), 8), np.uint8)
    padded[:, 8 - codes.shape[1]:] = codes
    return padded.view(">u8").reshape(-1).astype(np.uint64)


@lru_cache(maxsize=16)
def flip_masks(bits: int, radius: int) -> np.ndarray:
    """uint64 masks of every set of at most `radius` bit positions, by number of bits flipped."""
    masks = [0]
    for r in range(1, radius + 1):
        masks += [sum(1 << p for p in combo) for combo in combinations(range(bits), r)]
    return np.array(masks, np.uint64)


class BallTable:
    """Packed codes sorted as integers: every code within a small Hamming radius, without a scan."""

    def __init__(self, codes: np.ndarray, bits: int):
        if radius_ok := bits <= 64:
            values = to_int(codes)
            self.order = np.argsort(values, kind="stable")
            self.sorted = values[self.order]
        self.direct, self.codes, self.bits = radius_ok, np.asarray(codes, np.uint8), bits

    def within(self, query: np.ndarray, radius: int = MAX_RADIUS) -> tuple[np.ndarray, np.ndarray]:
        """Ids within `radius` of one packed query and their distances, by (distance, id)."""
        if not 0 <= radius <= MAX_RADIUS:
            raise ValueError(f"the Hamming-ball radius is 0 to {MAX_RADIUS}, not {radius}")
        if not self.direct:  # codes longer than 64 bits: scan
            d = hamming(self.codes, query)
            hit = np.flatnonzero(d <= radius)
            order = np.lexsort((hit, d[hit]))
            return hit[order], d[hit][order]
        masks = flip_masks(self.bits, radius)
        probes = to_int(query[None])[0] ^ masks
        lo = np.searchsorted(self.sorted, probes, "left")
        hi = np.searchsorted(self.sorted, probes, "right")
        hit = np.flatnonzero(hi > lo)  # only the probes that exist are visited in Python
        if not len(hit):
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        ids = np.concatenate([self.order[lo[i]:hi[i]] for i in hit]).astype(np.int64)
        dist = np.repeat(np.bitwise_count(masks[hit]), hi[hit] - lo[hit]).astype(np.int64)
        order = np.lexsort((ids, dist))
        return ids[order], dist[order]
