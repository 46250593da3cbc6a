"""Codes, the index file, tokens and the caption scores: pure numpy, no network."""
import json

import numpy as np
import pytest

from gendsl import GendslError, compile_scene
from gendsl.retrieval import tokens as tok
from gendsl.retrieval.codes import BallTable, hamming, pack, topk, unpack
from gendsl.retrieval.index import Index
from gendsl.retrieval.scoring import attribute_accuracy, compare, corpus_bleu, expected_hits
from gendsl.worlds.scene.captions import captions
from gendsl.worlds.scene.sample import sample_scene


def brute(bits, queries):
    return (bits[None] != queries[:, None]).sum(-1)


@pytest.mark.parametrize("nbits", [16, 32, 64, 128])
def test_topk_and_ball_match_brute_force(nbits):
    rng = np.random.default_rng(nbits)
    bits = rng.random((500, nbits)) < 0.5
    bits[7] = bits[3]  # a tie at distance 0
    queries = bits[:5] ^ (rng.random((5, nbits)) < 0.03)
    d = brute(bits, queries)
    ids, dist = topk(pack(bits), pack(queries), 10)
    table = BallTable(pack(bits), nbits)
    for q in range(5):
        order = np.lexsort((np.arange(500), d[q]))
        assert ids[q].tolist() == order[:10].tolist() and dist[q].tolist() == d[q][order[:10]].tolist()
        for radius in (0, 1, 2):
            hit, hd = table.within(pack(queries)[q], radius)
            expect = [i for i in order if d[q][i] <= radius]
            assert hit.tolist() == expect and hd.tolist() == [d[q][i] for i in expect]
    assert np.array_equal(unpack(pack(bits), nbits), bits)
    assert hamming(pack(bits), pack(bits)[0]).tolist() == brute(bits, bits[:1])[0].tolist()


def test_topk_edge_cases():
    codes = pack(np.zeros((3, 8), bool))
    ids, dist = topk(codes, codes[:1], 10)  # k past the gallery: every code, ties by id
    assert ids.tolist() == [[0, 1, 2]] and dist.tolist() == [[0, 0, 0]]
    assert topk(codes[:0], codes[:1], 5)[0].shape == (1, 0)
    with pytest.raises(ValueError, match="radius"):
        BallTable(codes, 8).within(codes[0], 3)


def index(n=6, bits=32):
    rng = np.random.default_rng(0)
    codes = pack(rng.random((n, bits)) < 0.5)
    return Index(bits, "hashing", "abc123", [f"img{i}.png" for i in range(n)], ["a red car"] * n,
                 ["metadata"] * n, codes, codes.copy(), ["junk.txt"])


def test_index_save_load_round_trip_and_refusals(tmp_path):
    built = index()
    built.save(tmp_path / "my.index")
    again = Index.load(tmp_path / "my.index")
    assert np.array_equal(again.codes, built.codes) and again.paths == built.paths
    assert again.skipped == ["junk.txt"] and again.fingerprint == "abc123"
    assert (tmp_path / "my.index").read_bytes() == built.save(tmp_path / "b.index").read_bytes()
    with pytest.raises(GendslError, match="no index file"):
        Index.load(tmp_path / "missing.index")
    (tmp_path / "bad.index").write_text("not an index")
    with pytest.raises(GendslError, match="not an index"):
        Index.load(tmp_path / "bad.index")
    header = json.loads(str(np.load(tmp_path / "my.index")["header"]))
    np.savez(tmp_path / "old.npz", header=np.array(json.dumps(header | {"format": 0})), codes=built.codes,
             text_codes=built.codes)
    with pytest.raises(GendslError, match="format 0"):
        Index.load(tmp_path / "old.npz")
    empty = Index(32, "hashing", "x", [], [], [], pack(np.zeros((0, 32), bool)), pack(np.zeros((0, 32), bool)))
    with pytest.raises(GendslError, match="holds no images"):
        empty.search_text(None, "a car")


def test_tokens_cover_every_caption_and_round_trip():
    rng = np.random.default_rng(1)
    for k in range(200):
        scene = sample_scene(rng)
        for text in captions(scene, seed=k) + [str(scene)]:
            assert tok.decode_ids(tok.encode_text(text)) == text
    with pytest.raises(GendslError, match="outside the captioner's vocabulary: zebra"):
        tok.encode_text("a zebra")
    assert tok.vocabulary()[:4] == tok.SPECIAL


def test_canonical_text_opens_with_its_number_of_items():
    words = tok.vocabulary()
    for text, n in (("two cars", 1), ("a car next to a car", 2), ("a sun above a house left of a tree", 3)):
        ids = tok.encode_text(text, canonical=True)
        assert words[ids[0]] == tok.CANON and words[ids[1]] == f"<items:{n}>"
        assert tok.decode_ids(ids) == text  # the plan is never printed
    assert words[tok.encode_text("two cars")[1]] == "two"  # free phrasings have no plan
    older = tuple(w for w in words if w not in tok.PLAN)  # a captioner trained before plans existed
    assert older[tok.encode_text("two cars", words=older, canonical=True)[1]] == "two"


def test_compare_follows_the_judge_rules():
    truth = compile_scene("a red car on the left in the beach at night")
    assert compare(truth, truth)["all"] and compare(truth, truth)["exact"]
    wrong = compare(compile_scene("a blue car on the left on the beach at night"), truth)
    assert wrong["color"] is False and wrong["object"] and not wrong["all"]
    assert compare(compile_scene("a car by day"), compile_scene("a car"))["all"]  # unasked time is not wrong
    two = compare(compile_scene("a house right of a blue car"), compile_scene("a blue car left of a house"))
    assert two["relation"] and two["all"]
    flipped = compare(compile_scene("a blue car right of a house"), compile_scene("a blue car left of a house"))
    assert flipped["relation"] is False and flipped["object"]
    failed = compare(None, compile_scene("a car by day"))
    assert failed["time"] is False and failed["place"] is None and failed["all"] is False
    table = attribute_accuracy([compare(truth, truth), wrong])
    assert table["color"]["accuracy"] == 0.5 and table["size"] == {"accuracy": None, "n": 0}


def test_bleu_and_expected_hits():
    refs = [["a red car on the beach", "the red car"]]
    assert corpus_bleu(["a red car on the beach"], refs) == pytest.approx(1.0)
    # unigrams 5/6, bigrams 3/5, trigrams 2/4, 4-grams 1/3; hypothesis as long as the closest reference
    expect = np.exp(np.mean(np.log([5 / 6, 3 / 5, 2 / 4, 1 / 3])))
    assert corpus_bleu(["a red car on a beach"], refs) == pytest.approx(expect)
    assert corpus_bleu(["zebra"], refs) == 0.0
    assert expected_hits(np.array([3, 2, 2, 2, 1.0]), np.array([0, 1, 0, 0, 1]), 2) == pytest.approx(1 / 3)
    assert expected_hits(np.array([1.0, 0.0]), np.array([1, 0]), 1) == 1.0


def test_what_the_world_draws_alike_passes_all_but_not_strict():
    red_car = compare(compile_scene("a car in the center"), compile_scene("a red car in the center by day"))
    assert red_car["color"] and red_car["time"] and red_car["all"]  # no colour: drawn red; no time: day
    assert red_car["strict"] is False and red_car["exact"] is False
    # no position is not 'center': since world format 2 a group with none stands anywhere it fits
    assert compare(compile_scene("a car"), compile_scene("a car in the center"))["all"] is False
    assert compare(compile_scene("a house"), compile_scene("a pink house"))["color"] is False  # its own is beige
    assert compare(compile_scene("a car"), compile_scene("a blue car"))["color"] is False
    assert compare(compile_scene("a car"), compile_scene("a car on the left"))["position"] is False
