"""faiss's binary indexes give codes.py's numpy answers, id for id, on the same codes."""
import numpy as np
import pytest

from gendsl.retrieval import binary_index
from gendsl.retrieval.codes import BallTable, pack, topk


@pytest.mark.parametrize("nbits,n", [(8, 300), (16, 2000), (32, 3000), (64, 5000), (128, 800)])
def test_faiss_matches_numpy(nbits, n):
    rng = np.random.default_rng(nbits)
    bits = rng.random((n, nbits)) < 0.5
    bits[7] = bits[3]  # a tie at distance 0
    bits[50:60] = bits[40]  # many ties: the k-th distance is shared past the cut
    codes = pack(bits)
    queries = pack(np.concatenate([bits[:20] ^ (rng.random((20, nbits)) < 0.03), bits[40:41],
                                   rng.random((5, nbits)) < 0.5]))
    for k in (1, 5, 10, 12, n + 3):
        want_ids, want_dist = topk(codes, queries, k)
        got_ids, got_dist = binary_index.topk(codes, queries, k)
        assert got_ids.tolist() == want_ids.tolist() and got_dist.tolist() == want_dist.tolist()
    table, ball = BallTable(codes, nbits), binary_index.HashBall(codes, nbits)
    for q in queries:
        for radius in (0, 1, 2):
            want = table.within(q, radius)
            for got in (ball.within(q, radius), binary_index.within(codes, q, radius)):
                assert got[0].tolist() == want[0].tolist() and got[1].tolist() == want[1].tolist()


def test_faiss_edge_cases():
    codes = pack(np.zeros((3, 8), bool))
    ids, dist = binary_index.topk(codes, codes[:1], 10)
    assert ids.tolist() == [[0, 1, 2]] and dist.tolist() == [[0, 0, 0]]
    assert binary_index.topk(codes[:0], codes[:1], 5)[0].shape == (1, 0)
    assert binary_index.HashBall(codes[:0], 8).within(codes[0], 2)[0].tolist() == []
    assert binary_index.within(codes[:0], codes[0], 2)[0].tolist() == []
    with pytest.raises(ValueError, match="radius"):
        binary_index.HashBall(codes, 8).within(codes[0], 3)
